// FHIPE, pipelined: the server's workers decrypt while the client is still issuing keys.
//
// The client (main worker, `clientRound` with `stream: true`) posts its ciphertext as soon as it
// is encrypted and then each row key the moment it exists. Every server worker (one per core)
// prepares the ciphertext once (`fhipeOpen`), and key i goes to worker i mod cores
// (`fhipeDecryptKey`). The client's keygen and the server's pairings so overlap on the cores
// instead of running one after the other. What each party holds is unchanged: the server
// workers only ever receive the ciphertext and the keys, exactly as in the unpipelined flow.

let rounds = 0;

/**
 * One FHIPE (or FENet) round of `h` keys for the sample `x`: the client's worker streams, the
 * server's workers decrypt as it goes. Resolves once the client has issued every key, with the
 * client's result `enc` and the still running `pipeline` (`pipeline.result()` resolves to z).
 * `onClientProgress(q)` sees the client's progress messages ({phase, done, total, …}).
 */
export async function fhipeRoundPipelined(core, { protocol = 'fhipe', h, x, label = -1 }, onClientProgress) {
  for (const w of core.pool) if (w.busy) w.restart(); // server workers still on an older round
  const pipeline = fhipeServerPipeline(core, h);
  const enc = await core.call('clientRound', { protocol, h, x, label, stream: true }, {
    onProgress: (q) => {
      if (q.phase === 'ct') pipeline.open(q.ct, q.bound);
      if (q.phase === 'key') pipeline.key(q.index, q.key);
      onClientProgress?.(q);
    },
  });
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
  const pipe = {
    done: 0,
    failed: false,
    onProgress: null,
    startedAt: null, // performance.now() when the ciphertext went to the server's workers
    finishedAt: null, // … and when the last z came back
    open(ct, bound) {
      pipe.startedAt = performance.now();
      for (const w of workers) track(w.call('fhipeOpen', { round, ct, bound }));
    },
    key(index, key) {
      const w = workers[index % workers.length];
      track(
        w.call('fhipeDecryptKey', { round, key }).then((v) => {
          z[index] = v;
          pipe.done++;
          if (pipe.done === count) pipe.finishedAt = performance.now();
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
