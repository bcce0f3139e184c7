// The comparison at equal h: with a mitigation on, the same digit through unprotected CryptoNN at
// the same h and the same attack, so the audience compares like with like. It runs in a second
// protocol session (its own main worker), so the mitigated session — the one exported — is untouched.
import { page, URLS, check, onCancel } from '../page.js';
import { Core, keyShards } from '../core.js';
import { protocolApi } from '../api.js';

let side = null; // {core, api}

function session() {
  if (!side) {
    const core = new Core(URLS, { lazy: true });
    side = { core, api: core.loadModels(page.digits.bytes).then(() => protocolApi(core)) };
  }
  return side;
}

onCancel(() => side?.core.cancel());

/** CryptoNN at `h` for the current sample and attack: {h, attack, psnr, ssim, baselinePsnr, image, applicable, reason}. */
export async function cryptonnAt(my, { h, attack, onProgress }) {
  const api = await session().api;
  check(my);
  const r = page.results;
  // ristretto255: the group does not change z = W1·x, only the time it takes
  const enc = await api.clientRound({ protocol: 'cryptonn', h, group: 'ristretto255', x: r.sample, label: r.label, stream: false });
  check(my);
  const shards = keyShards(enc, page.core.cores);
  const z = await page.core.parallel('ipfeDecrypt', shards, onProgress);
  check(my);
  await api.serverDecrypted({ z: Float64Array.from(z) });
  const a = await api.attack({ attack, truth: r.sample });
  check(my);
  return { h, attack, ...a };
}
