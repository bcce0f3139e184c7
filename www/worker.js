// The Web Worker that owns the wasm core. Protocol: {id, op, args} in; {id, type: 'result' |
// 'error' | 'progress', …} out. Every heavy step runs here so the page never blocks. The page
// cancels by terminating the worker (see core.js).
import init, * as core from './pkg/glasslayer.js';

const ready = init();
let models = null; // DemoModels: only the main worker loads them (op "init")
let fhipeClient = null; // main worker: {client, setupMs} — the FHIPE client's master key, kept across rounds
let fhipeServer = null; // pool workers: {round, server} — the prepared ciphertext of the current FHIPE round
const ipfe = new Map(); // group → {authority, pp, client, setupMs, tablesMs}

/** The IPFE authority and client for `group`: set up on first use, then reused. */
function ipfeParties(group) {
  let p = ipfe.get(group);
  if (!p) {
    const t = performance.now();
    const authority = new core.IpfeAuthority(group, 784);
    const setupMs = performance.now() - t;
    const pp = authority.publicParams();
    p = { authority, pp, client: new core.IpfeClientHandle(group, pp), setupMs, tablesMs: null };
    ipfe.set(group, p);
  }
  return p;
}

/** Build the client's per-key encryption tables once, timing the build. */
function ensureTables(p) {
  if (p.tablesMs != null) return;
  const t = performance.now();
  p.client.prepare();
  p.tablesMs = performance.now() - t;
}

/** Set up ristretto255 (the default group) and build the client's tables while the user draws. */
function prepareIpfeInBackground() {
  try {
    ensureTables(ipfeParties('ristretto255'));
  } catch (e) {
    console.warn(`background IPFE preparation failed (it will run on first use): ${e?.message ?? e}`);
  }
}

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
    setTimeout(prepareIpfeInBackground, 0); // after this reply: the page is ready meanwhile
    return { version: core.version(), models: models.modelInfo(), mean: models.meanDigit() };
  },

  preprocess: ({ rgba, width, height }) => core.preprocessCanvas(rgba, width, height),

  weightRows({ h, rows }) {
    return rows.map((i) => needModels().weightRow(h, i));
  },

  // --- CryptoNN: the authority and the client (main worker), then the server's rows (pool) ----
  // The FE engine's own entry points; the page only adds the server's W1 and the timing. The
  // authority's master public key is long-lived (set up once per group, reused every round) and
  // the client keeps its per-key encryption tables (built in the background after init).
  ipfeRound({ group, h, x }) {
    const m = needModels();
    const info = core.feGroups().find((g) => g.name === group);
    const reused = ipfe.has(group); // set up before this round (earlier round or background)
    const p = ipfeParties(group);
    ensureTables(p); // done already when the background build ran
    let t = performance.now();
    const ct = p.client.encrypt(Int32Array.from(x));
    const encryptMs = performance.now() - t;
    t = performance.now();
    const keys = p.authority.functionKeys(m.w1Flat(h), 0, h);
    const keysMs = performance.now() - t;
    return {
      group, securityBits: info?.securityBits, pp: p.pp, ct, keys, bound: m.zBound(h),
      setupMs: p.setupMs, tablesMs: p.tablesMs, reused, encryptMs, keysMs,
    };
  },

  ipfeDecrypt({ group, pp, ct, keys, bound }, progress) {
    const report = throttled(progress);
    const server = new core.IpfeServer(group, pp, bound);
    try {
      return server.decryptAll(ct, keys, (done, total) => report(done, total));
    } finally {
      server.free();
    }
  },

  // --- FHIPE: the client holds the master key and W1, issues the keys; the server decrypts -----
  // With `stream`, the ciphertext and then every key are posted as progress messages the moment
  // they exist, so the server's workers can decrypt while the client is still issuing keys
  // (www/fhipe-pipeline.js).
  fhipeRound({ h, x, stream = false }, progress) {
    const m = needModels();
    const report = throttled(progress);
    // The client's master key is long-lived (FHIPE is secure for many keys and ciphertexts under
    // one key): set up on the first round, reused by the following ones.
    const reused = fhipeClient != null;
    if (!reused) {
      const t0 = performance.now();
      const client = new core.FhipeClientHandle(784);
      fhipeClient = { client, setupMs: performance.now() - t0 };
    }
    const { client, setupMs } = fhipeClient;
    let t = performance.now();
    const ct = client.encrypt(Int32Array.from(x));
    const encryptMs = performance.now() - t;
    const bound = m.zBound(h);
    if (stream) progress({ phase: 'ct', ct, bound, done: 0, total: h });
    t = performance.now();
    const w = m.w1Flat(h);
    const parts = [];
    report(0, h, { phase: 'keys' });
    for (let i = 0; i < h; i++) {
      const key = client.keygenRange(w, i, i + 1); // frames of one key: concatenation stays frames
      parts.push(key);
      if (stream) progress({ phase: 'key', index: i, key, done: i + 1, total: h });
      else report(i + 1, h, { phase: 'keys' });
    }
    const keysMs = performance.now() - t;
    const keys = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      keys.set(p, at);
      at += p.length;
    }
    return { group: 'BLS12-381', securityBits: '≈117–120', ct, keys, bound, setupMs, reused, encryptMs, keysMs };
  },

  // The server's side of the pipeline (pool workers): prepare the ciphertext once per round,
  // then decrypt keys one by one as they arrive.
  fhipeOpen({ round, ct, bound }) {
    fhipeServer?.server.free();
    fhipeServer = null;
    const server = new core.FhipeServerHandle(bound);
    server.prepare(ct);
    fhipeServer = { round, server };
    return true;
  },

  fhipeDecryptKey({ round, key }) {
    if (fhipeServer?.round !== round) throw new Error('this worker holds no prepared FHIPE ciphertext for the round');
    return fhipeServer.server.decryptRange(key, 0, 1)[0];
  },

  fhipeDecrypt({ ct, keys, bound }, progress) {
    const report = throttled(progress);
    const server = new core.FhipeServerHandle(bound);
    try {
      server.prepare(ct);
      return server.decryptAll(keys, (done, total) => report(done, total));
    } finally {
      server.free();
    }
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
    // A trap (a Rust panic) leaves the wasm instance unusable: ask the page for a fresh worker.
    const fatal = e instanceof WebAssembly.RuntimeError;
    self.postMessage({ id, type: 'error', message: e?.message ?? String(e), fatal });
  }
};
