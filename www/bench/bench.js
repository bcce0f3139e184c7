// The browser side of `npm run bench`: runs every workload in a Web Worker (as the page does), and
// the FHIPE decrypt split over one worker per core. The harness (scripts/bench.mjs) calls
// window.runBench(runs) and reads the returned rows.
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
        what: `FHIPE keygen h = 16 + encrypt + decrypt h = 16 over ${cores} workers (sum of the measured parts)`,
        runs, median_ms: kg.median_ms + enc.median_ms + split.median_ms,
        min_ms: kg.min_ms + enc.min_ms + split.min_ms, target_ms: 6000,
      });
    }
  }
  out.textContent = JSON.stringify(rows, null, 1);
  return rows;
};
document.body.dataset.ready = 'true';
out.textContent = 'ready';
