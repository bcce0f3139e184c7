// The Web Worker that owns the wasm core. Protocol: {id, op, args} in; {id, type: 'result' |
// 'error' | 'progress', …} out. Every heavy step runs here so the page never blocks. The page
// cancels by terminating the worker (see core.js).
import init, * as core from './pkg/glasslayer.js';

const ready = init();
let models = null; // DemoModels: only the main worker loads them (op "init")

async function fetchBytes(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url} (${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

function needModels() {
  if (!models) throw new Error('the trained models are not loaded yet');
  return models;
}

/** Progress reporter that posts at most every 40 ms (and always the last step). */
function throttled(post) {
  let last = 0;
  return (done, total, extra = {}) => {
    const now = performance.now();
    if (done < total && now - last < 40) return;
    last = now;
    post({ done, total, ...extra });
  };
}

const ops = {
  version: () => core.version(),

  async init({ urls }) {
    const [bin, train, test] = await Promise.all([urls.models, urls.train, urls.test].map(fetchBytes));
    models = new core.DemoModels(bin);
    models.setTrainingDigits(train);
    models.setTestDigits(test);
    return { version: core.version(), models: models.modelInfo(), mean: models.meanDigit() };
  },

  preprocess: ({ rgba, width, height }) => core.preprocessCanvas(rgba, width, height),

  weightRows({ h, rows }) {
    return rows.map((i) => needModels().weightRow(h, i));
  },

  // --- CryptoNN: authority + client, then the server's rows -----------------------------------
  ipfeRound: ({ group, h, x }) => core.ipfeRound(needModels(), group, h, x),

  ipfeDecrypt({ group, pp, ct, keys, bound }, progress) {
    const report = throttled(progress);
    return core.ipfeDecryptRows(group, pp, ct, keys, bound, (done, total) => report(done, total));
  },

  // --- FHIPE: the client issues keys for its own W1, the server decrypts -----------------------
  fhipeRound({ h, x }, progress) {
    const report = throttled(progress);
    return core.fhipeRound(needModels(), h, x, (done, total) => report(done, total, { phase: 'keys' }));
  },

  fhipeDecrypt({ ct, keys, bound }, progress) {
    const report = throttled(progress);
    return core.fhipeDecryptRows(ct, keys, bound, (done, total) => report(done, total));
  },

  // --- client in the loop: the client computes z = W1·x itself --------------------------------
  clientForward: ({ h, x }) => needModels().clientForward(h, x),

  // --- the attacker ---------------------------------------------------------------------------
  attack: ({ h, method, z, truth, label, knowsW1, epochs }) =>
    needModels().attack(h, method, Float64Array.from(z), truth, label, knowsW1, epochs),

  // --- does the model still learn? ------------------------------------------------------------
  trainLive({ protocol, h, epochs }, progress) {
    return needModels().trainLive(protocol, h, epochs, (point) => progress({ point }));
  },
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
