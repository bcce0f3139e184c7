// Benchmark worker: runs one named workload of the wasm core (crate/src/bench.rs) and returns its
// timings. Same protocol as the page's worker: {id, op, args} → {id, type, result|message}.
import init, { benchRun, benchWorkloads, LeakPanel } from '../pkg/glasslayer.js';

const ready = init();
self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    await ready;
    const result =
      op === 'workloads' ? benchWorkloads() : op === 'leakPanel' ? leakPanel(args) : benchRun(args.name, args.digit, args.runs);
    self.postMessage({ id, type: 'result', result });
  } catch (e) {
    self.postMessage({ id, type: 'error', message: e?.message ?? String(e) });
  }
};

// The page's "What still leaks" panel (issue 13): the client's small run around the digit, the
// server's Gram estimate, and the rebuild at k — constructor, summary() and rebuild(k) timed
// together, one warm-up then `runs` timed runs.
function leakPanel({ bundle, digit, runs, k, options }) {
  const x = Float32Array.from(digit, (p) => p / 255);
  const once = () => {
    const t0 = performance.now();
    const panel = new LeakPanel(bundle, x, 7, options);
    const summary = panel.summary();
    const rebuild = panel.rebuild(k, 'tv');
    panel.free();
    return { ms: performance.now() - t0, summary, rebuild };
  };
  const { summary, rebuild } = once();
  const samples = Array.from({ length: runs }, () => once().ms);
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return {
    runs,
    median_ms: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
    min_ms: sorted[0],
    samples_ms: samples,
    settings: summary.settings,
    psnr: rebuild.psnr,
    baseline_psnr: rebuild.baselinePsnr,
  };
}
