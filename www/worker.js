// The Web Worker that owns the wasm core. Protocol: {id, op, args} in; {id, type: 'result'|'error'|
// 'progress', ...} out. Every heavy step runs here so the page never blocks.
import init, * as core from './pkg/glasslayer.js';

const ready = init();

const ops = {
  version: () => core.version(),
  preprocess: ({ rgba, width, height }) => core.preprocessCanvas(rgba, width, height),
};

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    await ready;
    const fn = ops[op];
    if (!fn) throw new Error(`unknown operation "${op}"`);
    const result = await fn(args ?? {}, (progress) => self.postMessage({ id, type: 'progress', progress }));
    self.postMessage({ id, type: 'result', result });
  } catch (e) {
    self.postMessage({ id, type: 'error', message: e?.message ?? String(e) });
  }
};
