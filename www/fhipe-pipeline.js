// FHIPE, pipelined: the server's workers decrypt while the client is still issuing keys.
//
// The client (main worker, `clientRound` with `stream: true`) posts its ciphertext as soon as it
// is encrypted and then each row key the moment it exists. Every server worker (one per core)
// prepares the ciphertext once (`fhipeOpen`), and key i goes to worker i mod cores
// (`fhipeDecryptKey`). The client's keygen and the server's pairings so overlap on the cores
// instead of running one after the other. What each party holds is unchanged: the server
// workers only ever receive the ciphertext and the keys, exactly as in the unpipelined flow.

let rounds = 0;

// --- an honest time estimate for the next round ------------------------------------------------
// Before any round of this session the estimate comes from `npm run bench` on the project's 2-core
// VM (see README "Performance"); after a round it comes from that round's own measurements on
// this machine (the client's time per key, the server's time per key, the ciphertext's
// preparation), so a slower or busier machine gets a longer, truer estimate.
// Reference: wasm CPU time per step on the project's 2-core VM (Node, `fhipe-prim-*` and keygen rows).
const REFERENCE = { encryptMs: 100, keyMs: 35, openMs: 250, decryptKeyMs: 270, source: 'the reference machine (2-core VM, idle)' };
let measured = null; // {encryptMs, keyMs, openMs, decryptKeyMs, source} of the last complete round

/**
 * Estimated wall time of a FHIPE round of `h` keys on `cores` server workers, before it starts:
 * {ms, source}. A small simulation of the pipeline: the client encrypts, then issues key i at
 * encrypt + (i+1)·keyMs; server worker k opens the ciphertext, then decrypts keys k, k+cores, …,
 * each no earlier than it was issued. Times measured in the last round already include the
 * sharing of the cores between the client's worker and the server's; the reference figures are
 * CPU times, so while the client still computes they are stretched by (workers + 1)/cores.
 */
export function estimateFhipeRound(h, cores = navigator.hardwareConcurrency || 2) {
  const m = measured ?? REFERENCE;
  const workers = Math.max(1, Math.min(cores, 16));
  const clientEnd = m.encryptMs + h * m.keyMs * (measured ? 1 : (workers + 1) / workers);
  const stretch = (t, ms) => (measured || t >= clientEnd ? ms : ms * ((workers + 1) / workers));
  const issued = (i) => m.encryptMs + ((i + 1) * (clientEnd - m.encryptMs)) / h;
  let end = clientEnd;
  for (let k = 0; k < workers; k++) {
    let t = m.encryptMs + stretch(m.encryptMs, m.openMs);
    for (let i = k; i < h; i += workers) {
      t = Math.max(t, issued(i));
      t += stretch(t, m.decryptKeyMs);
    }
    end = Math.max(end, t);
  }
  return { ms: end, source: measured ? 'the last round on this machine' : REFERENCE.source };
}

function remember(round) {
  const { enc, pipe, h } = round;
  if (!enc || !pipe.keyMs.length || pipe.openMs == null) return;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  measured = {
    encryptMs: enc.encryptMs,
    keyMs: enc.keysMs / h,
    openMs: pipe.openMs,
    decryptKeyMs: median(pipe.keyMs),
    source: 'the last round on this machine',
  };
}

/**
 * One FHIPE (or FENet) round of `h` keys for the sample `x`: the client's worker streams, the
 * server's workers decrypt as it goes. Resolves once the client has issued every key, with the
 * client's result `enc` and the still running `pipeline` (`pipeline.result()` resolves to z).
 * `onClientProgress(q)` sees the client's progress messages ({phase, done, total, …}).
 * Partial results: `onKey(index, z, {done, total, ms})` is called the moment the server has
 * decrypted key `index` (keys finish out of order across the workers), so the page can draw
 * each z bar as it appears; `ms` is the time since the ciphertext went to the server.
 */
export async function fhipeRoundPipelined(core, { protocol = 'fhipe', h, x, label = -1 }, onClientProgress, { onKey } = {}) {
  for (const w of core.pool) if (w.busy) w.restart(); // server workers still on an older round
  const pipeline = fhipeServerPipeline(core, h);
  pipeline.onKey = onKey ?? null;
  const enc = await core.call('clientRound', { protocol, h, x, label, stream: true }, {
    onProgress: (q) => {
      if (q.phase === 'ct') pipeline.open(q.ct, q.bound);
      if (q.phase === 'key') pipeline.key(q.index, q.key);
      onClientProgress?.(q);
    },
  });
  pipeline.result().then(() => remember({ enc, pipe: pipeline, h }), () => {});
  return { enc, pipeline };
}

/**
 * The server side of one FHIPE round of `count` keys on `core`'s pool.
 * Returns {open(ct, bound), key(index, bytes), result(): Promise<number[]>, done, failed,
 * onProgress, startedAt, finishedAt}. Jobs that fail (a cancelled worker) mark the pipeline
 * `failed`; the caller then decrypts the classic way.
 */
function fhipeServerPipeline(core, count) {
  const workers = core.servers();
  const round = ++rounds;
  const z = new Array(count);
  const jobs = [];
  const free = new Map(); // worker → when its last job ended (or the pending open)
  const pipe = {
    done: 0,
    failed: false,
    onProgress: null,
    onKey: null, // (index, z, {done, total, ms}) as each key is decrypted
    z, // the z decrypted so far (undefined where a key is still on its way): partial results
    startedAt: null, // performance.now() when the ciphertext went to the server's workers
    finishedAt: null, // … and when the last z came back
    openMs: null, // the slowest worker's time to decode, validate and prepare the ciphertext
    keyMs: [], // each key's decryption time on its worker (decode, validate, pairings, dlog)
    open(ct, bound) {
      pipe.startedAt = performance.now();
      for (const w of workers) {
        const t = performance.now();
        const p = w.call('fhipeOpen', { round, ct, bound }).then((v) => {
          pipe.openMs = Math.max(pipe.openMs ?? 0, performance.now() - t);
          free.set(w, performance.now());
          return v;
        });
        free.set(w, p);
        track(p);
      }
    },
    key(index, key) {
      const w = workers[index % workers.length];
      const posted = performance.now();
      track(
        w.call('fhipeDecryptKey', { round, key }).then((v) => {
          const now = performance.now();
          // The worker started on this key when it was posted or when its previous job ended.
          const prev = free.get(w);
          const began = typeof prev === 'number' ? Math.max(prev, posted) : posted;
          free.set(w, now);
          pipe.keyMs.push(now - began);
          z[index] = v;
          pipe.done++;
          if (pipe.done === count) pipe.finishedAt = now;
          pipe.onKey?.(index, v, { done: pipe.done, total: count, ms: now - pipe.startedAt });
          pipe.onProgress?.(pipe.done, count);
        }),
      );
    },
    async result() {
      await Promise.all(jobs);
      if (pipe.done !== count) throw new Error(`FHIPE pipeline: ${pipe.done} of ${count} keys decrypted`);
      return z;
    },
  };
  function track(p) {
    // Nobody may be waiting yet (the user can stay on the encryption stage): mark, don't throw.
    p.catch(() => {
      pipe.failed = true;
    });
    jobs.push(p);
  }
  return pipe;
}
