// The Web Worker that owns the wasm core. Protocol: {id, op, args} in; {id, type: 'result' |
// 'error' | 'progress', …} out. Every heavy step runs here so the page never blocks. The page
// cancels by terminating the worker (see core.js). The main worker hosts the page's server and
// the scene of the current sample (its client and server as separate parties); pool workers
// decrypt for the server.
import init, * as core from './pkg/glasslayer.js';
import { photoOps } from './photo/worker-ops.js';

const ready = init();
// The page's server (main worker, op "init"): its models file and the public digits.
let server = null; // PageServer
// The scene of the current sample: the client's x and (mitigations) its private W1, and the
// server's view. Client and server are separate parties inside it (crate/src/protocol/scene.rs).
let scene = null; // PageScene
// The "What still leaks" panel (main worker): the public digits it trains around the drawn one,
// and the last computed panel (a client's run under a mitigation and the server's estimates).
let leakData = null; // {train, test}: bundle bytes, kept from loadServer
let leak = null; // LeakPanel
let fhipeClient = null; // main worker: {client, setupMs} — the FHIPE data owner's master key, kept across rounds
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

/** The FHIPE data owner's master key: set up on the first round, reused by the following ones
 *  (FHIPE is secure for many keys and ciphertexts under one key). */
function fhipeOwner() {
  const reused = fhipeClient != null;
  if (!reused) {
    const t0 = performance.now();
    fhipeClient = { client: new core.FhipeClientHandle(784), setupMs: performance.now() - t0 };
  }
  return { ...fhipeClient, reused };
}

async function fetchBytes(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url} (${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The page's server from the models file, the training digits and the test digits (bytes, or fetched). */
async function loadServer(urls, test) {
  if (server) return;
  const [bin, train, digits] = await Promise.all([fetchBytes(urls.models), fetchBytes(urls.train), test ? Uint8Array.from(test) : fetchBytes(urls.test)]);
  const s = new core.PageServer(bin);
  s.setTrainingDigits(train);
  s.setTestDigits(digits);
  server = s;
  leakData = { train, test: digits };
}

/** What the page shows about the server's models (null until they are loaded). */
function serverInfo() {
  return server ? { models: server.modelInfo(), mean: server.meanDigit() } : { models: null, mean: null };
}

function needServer() {
  if (!server) throw new Error('the trained models are not loaded yet');
  return server;
}

function needScene() {
  if (!scene) throw new Error('no round has run yet: run the client\'s step first');
  return scene;
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

const SECURITY = { 'BLS12-381': '≈117–120' };

// Own properties only: a request can name no inherited property (`constructor`, `__proto__`, …).
const ops = Object.assign(Object.create(null), {
  version: () => core.version(),

  // The core's vocabulary at once; the trained models (the biggest download) only when `urls` name
  // them — the page asks for them on the first interaction (op loadModels), so drawing can start
  // before they arrive. `test`: the MNIST test digits the page already fetched (never twice).
  async init({ urls, test } = {}) {
    if (urls?.models) await loadServer(urls, test);
    setTimeout(prepareIpfeInBackground, 0); // after this reply: the page is ready meanwhile
    const vocab = core.vocabulary();
    return {
      version: core.version(),
      ...serverInfo(),
      hidden: vocab.hidden,
      attacks: vocab.attacks,
      protocols: vocab.protocols,
      groups: core.feGroups(),
    };
  },

  async loadModels({ urls, test }) {
    await loadServer(urls, test);
    return serverInfo();
  },

  // --- "What still leaks" (stage 5 under a mitigation; crate/src/leak/panel.rs) ----------------
  // The client trains on 511 public digits and the drawn one; the server records what it can
  // compute and estimates the inner products between samples; `leakRebuild` rebuilds the drawn
  // digit from the rows of the k public digits the server knows.
  leakPanel({ x, label, options }) {
    if (!leakData) throw new Error('the trained models are not loaded yet');
    leak?.free();
    leak = null;
    leak = new core.LeakPanel(leakData.train, Float32Array.from(x), label, options, leakData.test);
    return leak.summary();
  },

  leakRebuild({ k, attack }) {
    if (!leak) throw new Error('the leak panel has not run yet');
    return leak.rebuild(k, attack);
  },

  preprocess: ({ rgba, width, height }) => core.preprocessCanvas(rgba, width, height),

  weightRows({ h, rows }) {
    return rows.map((i) => needServer().weightRow(h, i));
  },

  // --- the client's side of a round, in the scene of a fresh sample ----------------------------
  // CryptoNN: the server asks the authority for keys for the rows of its own W1; the client
  // encrypts x under the authority's long-lived public key (tables built in the background).
  // FENet: the same with FHIPE, the data owner issuing keys for the server's rows.
  // FHIPE: the client issues keys for the rows of ITS OWN W1, drawn from the CSPRNG when the
  // scene starts. Client in the loop: the client sends z = W1·x for its own W1.
  // With `stream`, FHIPE's ciphertext and then every key are posted as progress messages the
  // moment they exist (www/fhipe-pipeline.js).
  clientRound({ protocol, h, group = 'ristretto255', x, label = -1, stream = false }, progress) {
    scene?.free();
    scene = null;
    scene = new core.PageScene(needServer(), protocol, h, Uint8Array.from(x), label);
    const bound = scene.dlogBound();
    if (protocol === 'client-loop') {
      const t = performance.now();
      const z = Float64Array.from(scene.clientSendsZ());
      return { protocol, z, bound, ms: performance.now() - t };
    }
    if (protocol === 'cryptonn') {
      const info = core.feGroups().find((g) => g.name === group);
      const reused = ipfe.has(group); // set up before this round (earlier round or background)
      const p = ipfeParties(group);
      ensureTables(p); // done already when the background build ran
      let t = performance.now();
      const ct = p.client.encrypt(scene.clientLevels());
      const encryptMs = performance.now() - t;
      t = performance.now();
      const request = scene.keyRequest(); // the server's own W1 rows, as the authority sees them
      const keys = p.authority.functionKeys(request, 0, h);
      const keysMs = performance.now() - t;
      scene.deliver('ciphertexts', ct.length);
      scene.deliver('keys', keys.length);
      return {
        protocol, group, securityBits: info?.securityBits, pp: p.pp, ct, keys, bound,
        setupMs: p.setupMs, tablesMs: p.tablesMs, reused, encryptMs, keysMs,
      };
    }
    // fhipe and fenet: the data owner's master key encrypts x and issues the keys.
    const report = throttled(progress);
    const { client, setupMs, reused } = fhipeOwner();
    let t = performance.now();
    const ct = client.encrypt(scene.clientLevels());
    const encryptMs = performance.now() - t;
    scene.deliver('ciphertexts', ct.length);
    if (stream) progress({ phase: 'ct', ct, bound, done: 0, total: h });
    t = performance.now();
    const request = protocol === 'fenet' ? scene.keyRequest() : null;
    const parts = [];
    report(0, h, { phase: 'keys' });
    for (let i = 0; i < h; i++) {
      // FENet: keys for the server's rows; FHIPE: for the client's own (frames of one key)
      const key = request ? client.keygenRange(request, i, i + 1) : scene.fhipeKeys(client, i, 1);
      scene.deliver('keys', key.length);
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
    return { protocol, group: 'BLS12-381', securityBits: SECURITY['BLS12-381'], ct, keys, bound, setupMs, reused, encryptMs, keysMs };
  },

  // --- the server's side: what its workers decrypted completes its view ------------------------
  serverDecrypted: ({ z }) => needScene().serverDecrypted(Float64Array.from(z)),

  // --- the attacker: the server's views and public knowledge; the truth only to score after ----
  attack: ({ attack, truth }) => needScene().attack(needServer(), attack, Uint8Array.from(truth)),

  exportScene: ({ settings }) => needScene().exportScene(needServer(), JSON.stringify(settings)),

  // --- does the model still learn? ------------------------------------------------------------
  trainLive({ protocol, h, epochs }, progress) {
    return needServer().trainLive(protocol, h, epochs, (point) => progress({ point }));
  },

  // --- pool workers: the server's decryptions ---------------------------------------------------
  ipfeDecrypt({ group, pp, ct, keys, bound }, progress) {
    const report = throttled(progress);
    const s = new core.IpfeServer(group, pp, bound);
    try {
      return s.decryptAll(ct, keys, (done, total) => report(done, total));
    } finally {
      s.free();
    }
  },

  // The server's side of the FHIPE pipeline: prepare the ciphertext once per round, then decrypt
  // keys one by one as they arrive.
  fhipeOpen({ round, ct, bound }) {
    fhipeServer?.server.free();
    fhipeServer = null;
    const s = new core.FhipeServerHandle(bound, 784);
    s.prepare(ct);
    fhipeServer = { round, server: s };
    return true;
  },

  fhipeDecryptKey({ round, key }) {
    if (fhipeServer?.round !== round) throw new Error('this worker holds no prepared FHIPE ciphertext for the round');
    return fhipeServer.server.decryptRange(key, 0, 1)[0];
  },

  fhipeDecrypt({ ct, keys, bound }, progress) {
    const report = throttled(progress);
    const s = new core.FhipeServerHandle(bound, 784);
    try {
      s.prepare(ct);
      return s.decryptAll(keys, (done, total) => report(done, total));
    } finally {
      s.free();
    }
  },
});

Object.assign(ops, photoOps(core)); // the Photo scene (www/photo/)

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    await ready;
    const fn = typeof op === 'string' && Object.hasOwn(ops, op) ? ops[op] : null;
    if (!fn) throw new Error(`unknown operation "${op}"`);
    const result = await fn(args ?? {}, (progress) => self.postMessage({ id, type: 'progress', progress }));
    self.postMessage({ id, type: 'result', result });
  } catch (e) {
    // A trap (a Rust panic) leaves the wasm instance unusable: ask the page for a fresh worker.
    const fatal = e instanceof WebAssembly.RuntimeError;
    self.postMessage({ id, type: 'error', message: e?.message ?? String(e), fatal });
  }
};
