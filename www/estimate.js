// How long a step will take, from the measured costs in the README's Performance table (2-core
// VM, Chromium). The page asks before any step estimated over ASK_SECONDS, so a link never starts
// minutes of work by itself, and never changes h without saying so.

import { estimateFhipeRound } from './fhipe-pipeline.js';

export const ASK_SECONDS = 3;
/** Seconds: per ffdhe group, the encryption and one
 *  decrypted row (ffdhe3072 scaled from ffdhe2048 by the native bench's ratios, plus its one-time
 *  tables, which the browser measured at several seconds on a busy 2-core VM). */
export const COST = {
  ffdhe: { ffdhe2048: { encrypt: 0.7, row: 0.0082 }, ffdhe3072: { encrypt: 2.5, row: 0.03 } },
};

/** Estimated wall-clock seconds for the client's round and the server's decryption. */
export function estimateSeconds({ protocol, h, group, cores }) {
  const c = Math.max(1, cores);
  // FHIPE: the pipeline's own simulation (reference figures until a round ran here, then that
  // round's measured times on this machine).
  if (protocol === 'fhipe' || protocol === 'fenet') return estimateFhipeRound(h, c).ms / 1000;
  const ff = protocol === 'cryptonn' && COST.ffdhe[group];
  if (ff) return ff.encrypt + (h * ff.row) / c;
  return 0.2;
}

/** The largest h in `hidden` under ASK_SECONDS (or the smallest h), for the "Use h = …" offer. */
export function quickerH(settings, hidden) {
  const ok = hidden.filter((h) => estimateSeconds({ ...settings, h }) <= ASK_SECONDS);
  return ok.length ? Math.max(...ok) : Math.min(...hidden);
}

export function formatSeconds(s) {
  if (s < 90) return `about ${Math.max(1, Math.round(s))} s`;
  return `about ${Math.round(s / 60)} min`;
}
