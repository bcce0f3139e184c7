// The verdict line of stage 4, computed from the numbers only (pure: no DOM).
//   - never "recognisable" below READABLE_DB;
//   - within BASELINE_MARGIN_DB of the average-digit guess: "no better than the average digit";
//   - an attack that does not apply to the view says why, in words, and shows no image.

export const READABLE_DB = 20;
export const BASELINE_MARGIN_DB = 1;

/** A PSNR for the page: "exact" from 99.95 dB (the metric's cap), else one decimal. */
export const db = (v) => (v >= 99.95 ? 'exact' : `${v.toFixed(1)} dB`);

/**
 * @param {object} a the attack result ({applicable, reason, psnr, baselinePsnr, within, status, knowsW1, method, w1Source})
 * @param {{h: number, protocol: string, protocolLabel: string}} ctx
 * @returns {{kind: 'leak'|'partial'|'safe'|'warn'|'na', text: string}}
 */
export function verdict(a, { h, protocolLabel = '' }) {
  if (!a.applicable) return { kind: 'na', text: `Not applicable: ${a.reason ?? 'this attack does not apply to what the server holds.'}` };
  if (a.status !== 'solved') {
    const paper = a.method === 'paper' ? ' The paper’s hard smoothness rows do not fit real digits.' : '';
    return { kind: 'warn', text: `No reconstruction: the solver stopped (${a.status}).${paper}` };
  }
  const gain = a.psnr - a.baselinePsnr;
  if (gain < BASELINE_MARGIN_DB) {
    if (!a.knowsW1) {
      return {
        kind: 'safe',
        text: `Attack failed: ${db(a.psnr)}, no better than the average digit (${db(a.baselinePsnr)}). The server never held W1.`,
      };
    }
    if (a.method === 'paper') {
      return { kind: 'warn', text: `No better than the average digit (${db(a.psnr)}): the paper’s LP returns the blurry centre of all images that fit. Try TV.` };
    }
    return { kind: 'warn', text: `No better than the average digit (${db(a.psnr)}): ${h} equations are too few for this digit. Raise h.` };
  }
  const without = a.knowsW1 ? '' : ` — without the client’s W1 (the attacker used ${a.w1Source})`;
  if (a.psnr >= 99.95 || a.within >= 0.999) return { kind: 'leak', text: `Leaked exactly: every pixel recovered from what the server holds${without}.` };
  if (a.psnr >= READABLE_DB) return { kind: 'leak', text: `Leaked: a recognisable rebuild (${db(a.psnr)}) from what the server holds${without}.` };
  return {
    kind: 'partial',
    text: `Partly leaked: ${db(a.psnr)}, better than the average digit (${db(a.baselinePsnr)}) but blurry — readable from about ${READABLE_DB} dB${without}.`,
  };
}

/** The status-bar sentence after stage 4. */
export function attackSummary(a, { h, protocolLabel }) {
  if (!a.applicable) return `${protocolLabel}: ${a.reason ?? 'this attack does not apply.'} Pick another attack to see what z alone gives.`;
  const v = verdict(a, { h, protocolLabel });
  const nums = `PSNR ${db(a.psnr)}, SSIM ${a.ssim.toFixed(2)}; the average digit scores ${db(a.baselinePsnr)}`;
  if (v.kind === 'safe') return `${protocolLabel} at h = ${h}: the server never held W1 — its best guess rebuilds nothing (${nums}).`;
  if (v.kind === 'leak') return `${protocolLabel} at h = ${h}: reconstructed from the server's view alone (${nums}). Press → for the fixes.`;
  if (v.kind === 'partial') return `${protocolLabel} at h = ${h}: partly reconstructed (${nums}). More hidden units give more equations.`;
  return `${protocolLabel} at h = ${h}: ${v.text}`;
}
