// Benchmark worker: runs one named workload of the wasm core (crate/src/bench.rs) and returns its
// timings. Same protocol as the page's worker: {id, op, args} → {id, type, result|message}.
import init, { benchRun, benchWorkloads } from '../pkg/glasslayer.js';

const ready = init();
self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    await ready;
    const result = op === 'workloads' ? benchWorkloads() : benchRun(args.name, args.digit, args.runs);
    self.postMessage({ id, type: 'result', result });
  } catch (e) {
    self.postMessage({ id, type: 'error', message: e?.message ?? String(e) });
  }
};
