// The browser side of `npm run bench`: runs every workload in a Web Worker (as the page does), and
// the FHIPE decrypt split over one worker per core. The harness (scripts/bench.mjs) calls
// window.runBench(runs) and reads the returned rows.
import { Core, keyShards } from '../core.js';
import { estimateFhipeRound, fhipeRoundPipelined } from '../fhipe-pipeline.js';
import { Budget } from '../lab/budget.js';

const out = document.getElementById('out');

function spawn() {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  let next = 1;
  const pending = new Map();
  worker.onmessage = ({ data }) => {
    const p = pending.get(data.id);
    pending.delete(data.id);
    data.type === 'result' ? p.resolve(data.result) : p.reject(new Error(data.message));
  };
  return {
    call: (op, args) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, op, args });
      }),
    terminate: () => worker.terminate(),
  };
}

async function firstDigit() {
  const buf = new Uint8Array(await (await fetch(new URL('../generated/mnist-digits.bin', import.meta.url))).arrayBuffer());
  const n = new DataView(buf.buffer).getUint32(0, true);
  return buf.slice(4 + n, 4 + n + 784); // MNIST test digit 0, the same digit the native bench uses
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/**
 * The page's own FHIPE round (www/worker.js + www/fhipe-pipeline.js, the code the demo runs):
 * the client's worker encrypts and streams its h keys, the server's workers (one per core)
 * decrypt each key as it arrives. Timed from the request to the last z; the client's master key
 * is set up once, in the warm-up round, and reused (as in the page).
 */
async function pageFhipeRound(digit, runs, h) {
  const core = new Core({
    models: new URL('../generated/models.bin', import.meta.url).href,
    train: new URL('../generated/mnist-train.bin', import.meta.url).href,
    test: new URL('../generated/mnist-digits.bin', import.meta.url).href,
  });
  await core.whenReady();
  const x = Array.from(digit);
  const once = async () => {
    const t0 = performance.now();
    const partial = new Map(); // the page's partial-results hook: each z as its key is decrypted
    const { enc, pipeline } = await fhipeRoundPipelined(core, { h, x }, null, { onKey: (i, v) => partial.set(i, v) });
    const z = await pipeline.result();
    if (partial.size !== h || z.some((v, i) => partial.get(i) !== v)) throw new Error('onKey did not report every z');
    // The first round also sets up the client's master key (reused afterwards, as in the page).
    return { ms: performance.now() - t0 - (enc.reused ? 0 : enc.setupMs), enc, z };
  };
  // Warm-up, and a check that the pipeline's z equal the classic split decryption of the same
  // ciphertext and keys (a key sent to the wrong slot would show here).
  const { enc, z } = await once();
  const classic = await core.parallel('fhipeDecrypt', keyShards(enc, core.cores));
  if (z.length !== h || z.some((v, i) => v !== classic[i])) throw new Error(`pipelined FHIPE z differ from the classic decryption: ${z} vs ${classic}`);
  const samples = [];
  let estimate = null;
  for (let i = 0; i < runs; i++) {
    if (i === runs - 1) estimate = estimateFhipeRound(h, core.cores); // from the previous round, as the page would
    samples.push((await once()).ms);
  }
  core.cancel();
  return {
    name: `fhipe-page-round-h${h}-${core.cores}workers`,
    what: `FHIPE encrypt + keygen h = ${h} + decrypt as the page runs it: keys streamed to ${core.cores} server workers that decrypt while the client issues the rest (the client's master key set up once, reused)`,
    runs, median_ms: median(samples), min_ms: Math.min(...samples), samples_ms: samples, target_ms: 4000,
    estimate_ms: estimate.ms, last_ms: samples[samples.length - 1],
  };
}

/**
 * The page's "What still leaks" panel (issue 13) in a worker, as the page would run it: FHIPE
 * with one master key, h = 128, S = 10⁴, on the page's public training digits plus this digit,
 * then the rebuild at k = 128.
 */
async function leakPanelRow(digit, runs) {
  const bundle = new Uint8Array(await (await fetch(new URL('../generated/mnist-train.bin', import.meta.url))).arrayBuffer());
  const w = spawn();
  out.textContent = 'running leak-panel-k128…';
  const options = { protocol: 'fhipe', hidden: 128, weightScale: 1e4, rekey: false, noise: 0 };
  const r = await w.call('leakPanel', { bundle, digit: Array.from(digit), runs, k: 128, options });
  w.terminate();
  const s = r.settings;
  return {
    name: 'leak-panel-k128',
    what: `"What still leaks" panel: ${s.samples} digits × ${s.epochs} epochs (batch ${s.batch}), FHIPE one key, h = ${s.hidden}, S = 10⁴, Gram estimate + TV rebuild at k = 128 (PSNR ${r.psnr?.toFixed(1)} dB, baseline ${r.baseline_psnr.toFixed(1)})`,
    runs, median_ms: r.median_ms, min_ms: r.min_ms, samples_ms: r.samples_ms, target_ms: 1000,
  };
}

/**
 * The lab's attack budget as the page runs it (www/lab/budget.js): a real CryptoNN round at each
 * bundled h and the attacks on its server view, on one lab session per core (warmed, as the lab
 * warms them when it opens). `attacks`: ['tv'] for the issue's target row, or all five.
 */
async function labBudget(digit, runs, attacks, name, target) {
  const core = (f) => new URL(`../generated/${f}`, import.meta.url).href;
  const cores = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 16));
  const b = new Budget({ models: core('models.bin'), train: core('mnist-train.bin'), test: core('mnist-digits.bin') }, cores);
  const t0 = performance.now();
  await b.warm();
  const warmMs = performance.now() - t0;
  const hidden = b.sessions[0].info.hidden;
  const once = () => b.compute({ x: digit, label: -1, hidden, attacks });
  await once(); // warm-up (the lab's first run after opening is warm too: it starts its workers on open)
  const samples = [];
  const where = {};
  for (let i = 0; i < runs; i++) {
    const r = await once();
    samples.push(r.ms);
    for (const p of r.points) where[p.attack] = (where[p.attack] ?? 0) + p.ms / runs;
  }
  b.cancel();
  const sum = Object.values(where).reduce((a, v) => a + v, 0);
  return {
    name: `${name}-${cores}workers`,
    what: `lab attack budget, one digit, h = ${hidden.join(', ')}, ${attacks.join(' + ')}: a CryptoNN round per h (IPFE encrypt, keys, decrypt, server view) and the attacks, on ${cores} lab workers (started once: ${Math.round(warmMs)} ms)`,
    runs, median_ms: median(samples), min_ms: Math.min(...samples), samples_ms: samples, target_ms: target,
    note: `attack time per run, summed over h (inside the workers): ${Object.entries(where).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')} (${Math.round(sum)} ms of solver time in all; the rest is the rounds and the decryptions, ${cores} workers in parallel)`,
  };
}

window.runBench = async (runs = 5, only = '') => {
  const digit = await firstDigit();
  const main = spawn();
  const workloads = (await main.call('workloads')).filter((w) => w.name.includes(only));
  const rows = [];
  for (const w of workloads) {
    out.textContent = `running ${w.name}…`;
    rows.push({ ...(await main.call('run', { name: w.name, digit, runs })), what: w.what, target_ms: w.target_ms });
  }
  main.terminate();
  if ('fhipe-decrypt-h16'.includes(only) || only === '') {
    // All cores: one worker per core, the 16 rows split between them (8 each on 2 cores).
    const cores = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 16));
    const pool = Array.from({ length: cores }, spawn);
    const per = await Promise.all(pool.map((p) => p.call('run', { name: 'fhipe-decrypt-h8', digit, runs })));
    pool.forEach((p) => p.terminate());
    const worst = (k) => Math.max(...per.map((m) => m[k]));
    const split = {
      name: `fhipe-decrypt-h16-${cores}workers`,
      what: `FHIPE decrypt 16 rows split over ${cores} workers (slowest worker's half; ${cores === 2 ? 'exact split' : 'h8 per worker'})`,
      runs, median_ms: worst('median_ms'), min_ms: worst('min_ms'), target_ms: null,
    };
    rows.push(split);
    // The page's end-to-end FHIPE step on all cores: the client's keygen and encryption (one
    // worker) then the split decryption — the sum of the three measured medians.
    const part = (n) => rows.find((r) => r.name === n);
    const [kg, enc] = [part('fhipe-keygen-h16'), part('fhipe-encrypt')];
    if (kg && enc) {
      rows.push({
        name: `fhipe-keygen-encrypt-decrypt-h16-${cores}workers`,
        what: `FHIPE keygen h = 16 + encrypt + decrypt h = 16 over ${cores} workers, one after the other (sum of the measured parts)`,
        runs, median_ms: kg.median_ms + enc.median_ms + split.median_ms,
        min_ms: kg.min_ms + enc.min_ms + split.min_ms, target_ms: null,
      });
    }
  }
  if ('fhipe-decrypt-h16'.includes(only) || 'fhipe-page-round'.includes(only) || only === '') {
    rows.push(await pageFhipeRound(digit, runs, 16));
  }
  if ('leak-panel-k128'.includes(only) || only === '') {
    rows.push(await leakPanelRow(digit, runs));
  }
  if ('lab-budget-tv'.includes(only) || only === '') {
    out.textContent = 'running the lab attack budget (TV)…';
    rows.push(await labBudget(digit, runs, ['tv'], 'lab-budget-tv-7h', 5000));
  }
  if ('lab-budget-all'.includes(only) || only === '') {
    out.textContent = 'running the lab attack budget (all attacks)…';
    rows.push(await labBudget(digit, runs, ['tv', 'minsum', 'paper', 'stacked', 'gradient'], 'lab-budget-all-7h', null));
  }
  out.textContent = JSON.stringify(rows, null, 1);
  return rows;
};
document.body.dataset.ready = 'true';
out.textContent = 'ready';
