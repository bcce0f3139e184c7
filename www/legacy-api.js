// TEMPORARY: the protocol API (api.js) on top of the worker ops of before the protocol engine
// (ipfeRound, fhipeRound, clientForward, attack with knowsW1), so the page runs until the new
// worker lands. Deleted with the merge of "worker API:".
import { FALLBACK } from './state.js';
import { PROTOCOL_FALLBACK } from './copy.js';

const ATTACKS = [
  { name: 'tv', label: 'Total variation LP', tip: 'Linear program: find the smoothest image (total variation) with W1·x = z.' },
  { name: 'minsum', label: 'Minimum-sum LP', tip: 'Linear program: find the image with the least ink that satisfies W1·x = z.' },
  { name: 'paper', label: "Paper's LP (RAID 2025)", tip: "The RAID 2025 paper's LP: W1·x = z plus hard smoothness limits on some pixels." },
  { name: 'stacked', label: 'Stacked epochs', tip: 'The server sees your digit again in later epochs, with a changed W1 each time: stack the equations.' },
  { name: 'gradient', label: 'Gradient leak', tip: 'CryptoNN also decrypts the gradient dW1 = δ1·xᵀ: with a batch of one, that is x times known numbers.' },
];

export function legacyApi(core, info) {
  let s = null; // {protocol, h, group, x, label, z, atk}
  const held = (p) => p === 'cryptonn' || p === 'fenet';
  return {
    info: {
      ...info,
      hidden: FALLBACK.hidden,
      attacks: ATTACKS,
      protocols: PROTOCOL_FALLBACK,
      groups: [{ name: 'ristretto255', label: 'ristretto255', securityBits: 126 }, { name: 'ffdhe2048', label: 'ffdhe2048', securityBits: 112 }],
    },
    async clientRound({ protocol, h, group, x, label, stream }, onProgress) {
      s = { protocol, h, group, x, label };
      if (protocol === 'cryptonn') return { protocol, ...(await core.call('ipfeRound', { group, h, x })) };
      if (protocol === 'client-loop') {
        const t = performance.now();
        const z = await core.call('clientForward', { h, x });
        return { protocol, z: Float64Array.from(z), ms: performance.now() - t };
      }
      return { protocol, ...(await core.call('fhipeRound', { h, x, stream }, { onProgress })) };
    },
    /** the pipelined FHIPE round started the session elsewhere (fhipe-pipeline.js) */
    startSession(args) {
      s = { ...args };
    },
    async serverDecrypted({ z }) {
      s.z = Float64Array.from(z);
      const n = s.z.length;
      return {
        protocol: s.protocol, h: s.h, heldW1: held(s.protocol), labels: null,
        traffic: { ciphertextBytes: 0, keyBytes: 0, toServerBytes: n * 4, toClientBytes: n * 4 },
      };
    },
    async attack({ attack, truth }) {
      if (attack === 'gradient' && !held(s.protocol)) {
        return {
          applicable: false,
          reason: 'the client computes the gradient of its own W1, so the server never decrypts dW1 — there is no gradient to read.',
          image: null, method: attack, status: 'not applicable', notes: [], w1Source: '', tried: [], knowsW1: false,
        };
      }
      const knowsW1 = held(s.protocol);
      const epochs = Math.max(1, Math.min(4, Math.ceil(784 / s.h) - 1));
      const r = await core.call('attack', { h: s.h, method: attack, z: s.z, truth, label: s.label, knowsW1, epochs });
      s.atk = r;
      return {
        applicable: true, reason: null, ...r, knowsW1,
        w1Source: knowsW1 ? "the server's own W1 (in its view)" : 'a shadow model it trained on public data',
        tried: [],
      };
    },
    async exportScene({ settings }) {
      let w1 = null;
      if (held(s.protocol)) {
        const rows = await core.call('weightRows', { h: s.h, rows: Array.from({ length: s.h }, (_, i) => i) });
        w1 = rows.map((r) => Array.from(r, (v) => Math.round(v)));
      }
      return JSON.stringify({
        format: 'glasslayer-scene',
        version: 1,
        settings,
        view: { w1, z: Array.from(s.z, (v) => Math.round(v)), labels: null },
        truth: Array.from(s.x),
        reconstruction: Array.from(s.atk.image),
        metrics: { psnr: s.atk.psnr, ssim: s.atk.ssim, baseline_psnr: s.atk.baselinePsnr },
      });
    },
  };
}
