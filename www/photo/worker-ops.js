// The Photo scene's worker operation (runs in the page's main worker, www/worker.js): one photo
// through the first conv layer under a protocol, the server's view, the attacker on that view,
// the score. Every number comes from the wasm core (crate/src/protocol/photo.rs).

/** One round: {protocol, k, pixels (3072 CHW bytes)} → what each party did and what the server saw. */
export function photoOps(core) {
  return {
    photoRound({ protocol, k, pixels }, progress) {
      const px = Uint8Array.from(pixels);
      const t0 = performance.now();
      let view = null;
      let round = null;
      let ctBytes = 0;
      let truth = px;
      const times = { encryptMs: 0, decryptMs: 0, attackMs: 0 };
      try {
        if (protocol === 'cryptonn') {
          round = new core.PhotoIpfe(k);
          const te = performance.now();
          ctBytes = round.encrypt(px);
          times.encryptMs = performance.now() - te;
          const total = round.total();
          const td = performance.now();
          let done = 0;
          while (done < total) {
            done = round.decryptNext(1024);
            progress({ done, total, what: 'decrypting feature-map values' });
          }
          times.decryptMs = performance.now() - td;
          view = round.view();
        } else if (protocol === 'client-loop') {
          view = core.photoClientLoop(px, k);
        } else if (protocol === 'fhipe') {
          truth = core.photoCenterCrop(px);
          const te = performance.now();
          progress({ done: 0, total: 0, what: 'the client encrypts every patch and issues its filter keys' });
          round = new core.PhotoFhipe(px);
          ctBytes = round.ciphertextBytes();
          times.encryptMs = performance.now() - te;
          const total = round.total();
          const td = performance.now();
          let done = 0;
          while (done < total) {
            done = round.decryptNext(2);
            progress({ done, total, what: 'decrypting patches (FHIPE)' });
          }
          times.decryptMs = performance.now() - td;
          view = round.view();
        } else {
          throw new Error(`protocol "${protocol}": the photo scene runs cryptonn, client-loop or fhipe`);
        }
        const ta = performance.now();
        const rebuild = view.attack();
        times.attackMs = performance.now() - ta;
        const score = view.score(truth, rebuild.image);
        return {
          protocol,
          k: view.filters(),
          side: view.side(),
          holdsFilters: view.holdsFilters(),
          z: view.z(),
          ctBytes,
          truth,
          image: rebuild.image,
          method: rebuild.method,
          note: rebuild.note,
          psnr: score.psnr,
          ssim: score.ssim,
          totalMs: performance.now() - t0,
          ...times,
        };
      } finally {
        view?.free();
        round?.free();
      }
    },
  };
}
