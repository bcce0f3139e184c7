// The attack budget: PSNR against h for one digit and every attack, each point from a real
// CryptoNN round — the client encrypts x with IPFE (ristretto255), the authority issues keys for
// the rows of the server's W1 at that h, the server decrypts z = W1·x, and the attacker runs on
// that ServerView (the worker's scene ops: clientRound → ipfeDecrypt → serverDecrypted → attack,
// the same path as the page's stages 2–4). The truth goes to the worker only to score.
//
// The lab's sessions are Cores of their own (one per core, each a main worker with the models):
// the page's session — the scene stage 4 exports — is never touched. The h values are a queue the
// sessions take from, largest first, so both cores stay busy.
import { Core, CancelledError } from '../core.js';

/** Measured on this project's 2-core VM (headless Chromium, one worker, MNIST test digit 0), ms:
 *  each attack on one view at each h; the client's round and the decryption per row. The estimate
 *  starts from these and is rescaled by what the running computation measures. */
export const REFERENCE_MS = {
  hidden: [16, 32, 64, 128, 256, 392, 784],
  attack: {
    tv: [50, 30, 45, 100, 175, 350, 135],
    minsum: [5, 6, 14, 42, 123, 238, 131],
    paper: [15, 15, 25, 55, 165, 436, 594],
    stacked: [170, 256, 405, 990, 2240, 1384, 916],
    gradient: [2, 2, 7, 8, 14, 19, 35],
  },
  round: (h) => 50 + 0.15 * h, // encryption (tables built once) and the authority's keys
  decryptRow: 0.28,
  sessionInit: 250,
  /** Two sessions on two cores each run a job about 1.8× slower than one alone (the bench's
   *  lab-budget rows against the figures above: TV 1.76 s measured vs 0.98 s from them). */
  parallel: 1.8,
};

/** Reference cost of one attack at h (interpolated on log h for sizes not in the table). */
function attackMs(attack, h) {
  const row = REFERENCE_MS.attack[attack];
  const hs = REFERENCE_MS.hidden;
  if (!row) return 500; // an attack the table does not know: a cautious guess
  const i = hs.indexOf(h);
  if (i >= 0) return row[i];
  const j = Math.max(1, Math.min(hs.length - 1, hs.findIndex((x) => x > h)));
  const t = (Math.log(h) - Math.log(hs[j - 1])) / (Math.log(hs[j]) - Math.log(hs[j - 1]));
  return row[j - 1] + Math.max(0, Math.min(1, t)) * (row[j] - row[j - 1]);
}

/** Reference cost of one h: the round, the decryption, each attack. */
export function jobMs(h, attacks) {
  return REFERENCE_MS.round(h) + REFERENCE_MS.decryptRow * h + attacks.reduce((a, k) => a + attackMs(k, h), 0);
}

/** Largest first onto `workers` queues: the finishing time of the busiest one (ms). */
export function makespan(costs, workers) {
  const load = new Array(Math.max(1, workers)).fill(0);
  for (const c of [...costs].sort((a, b) => b - a)) {
    const i = load.indexOf(Math.min(...load));
    load[i] += c;
  }
  return Math.max(...load);
}

/** Estimated wall-clock ms for the budget of `hidden` × `attacks` on `workers` sessions. */
export function estimateBudgetMs({ hidden, attacks, workers, warm = true, scale = 1 }) {
  const slower = workers > 1 ? REFERENCE_MS.parallel : 1;
  return (warm ? 0 : REFERENCE_MS.sessionInit) + scale * slower * makespan(hidden.map((h) => jobMs(h, attacks)), workers);
}

export class Budget {
  /** @param {{models: string, train: string, test: string}} urls  @param {number} workers */
  constructor(urls, workers) {
    this.urls = urls;
    this.workers = Math.max(1, workers);
    this.sessions = [];
    this.run = 0;
    /** measured / reference time of the last complete run on this machine (1 until one ran) */
    this.scale = 1;
  }

  /** Estimated ms for `hidden` × `attacks` here: the reference timings, rescaled by the last run. */
  estimate(hidden, attacks) {
    return estimateBudgetMs({ hidden, attacks, workers: this.workers, warm: this.warmed, scale: this.scale });
  }

  /** Start the sessions (loading the models in each) ahead of the first computation. */
  warm() {
    while (this.sessions.length < this.workers) this.sessions.push(new Core(this.urls));
    return Promise.all(this.sessions.map((s) => s.whenReady()));
  }

  get warmed() {
    return this.sessions.length === this.workers && this.sessions.every((s) => s.info);
  }

  /** Stop what runs (the busy workers are terminated and respawned). */
  cancel() {
    this.run++;
    for (const s of this.sessions) s.cancel();
  }

  /** One CryptoNN round at `h` on `session` and every attack on its ServerView. */
  static async point(session, { x, label, h, attacks, onAttack }) {
    const enc = await session.call('clientRound', { protocol: 'cryptonn', h, group: 'ristretto255', x, label, stream: false });
    const z = await session.call('ipfeDecrypt', { group: enc.group, pp: enc.pp, ct: enc.ct, keys: enc.keys, bound: enc.bound });
    const view = await session.call('serverDecrypted', { z: Float64Array.from(z) });
    const out = [];
    for (const attack of attacks) {
      const a = await session.call('attack', { attack, truth: x });
      const p = { h, attack, view, ...a };
      out.push(p);
      onAttack?.(p);
    }
    return out;
  }

  /**
   * The budget for the sample `x` (784 bytes) with `label`: every h of `hidden` × every attack.
   * `onPoint(point)` for each result as it arrives; `onProgress({done, total, leftMs})`.
   * Resolves with all points; rejects with CancelledError when cancelled.
   */
  async compute({ x, label = -1, hidden, attacks, onPoint, onProgress }) {
    const my = ++this.run;
    const t0 = performance.now();
    await this.warm();
    const check = () => {
      if (my !== this.run) throw new CancelledError();
    };
    check();
    const queue = [...hidden].sort((a, b) => jobMs(b, attacks) - jobMs(a, attacks));
    const total = hidden.length * attacks.length;
    let done = 0;
    let refDone = 0; // reference ms of the finished work, to rescale the estimate
    const points = [];
    const left = () => {
      const elapsed = performance.now() - t0;
      const rest = queue.map((h) => jobMs(h, attacks));
      const scale = refDone > 0 ? elapsed / refDone : 1;
      return { scale, leftMs: makespan(rest, this.workers) * scale * (this.workers > 1 ? REFERENCE_MS.parallel : 1) };
    };
    const work = async (session) => {
      while (queue.length) {
        check();
        const h = queue.shift();
        await Budget.point(session, {
          x, label, h, attacks,
          onAttack: (p) => {
            if (my !== this.run) return;
            done++;
            points.push(p);
            onPoint?.(p);
          },
        });
        check();
        refDone += (jobMs(h, attacks) * (this.workers > 1 ? REFERENCE_MS.parallel : 1)) / this.workers;
        onProgress?.({ done, total, ...left() });
      }
    };
    onProgress?.({ done: 0, total, leftMs: this.estimate(hidden, attacks) });
    await Promise.all(this.sessions.map(work));
    check();
    const ms = performance.now() - t0;
    this.scale = ms / Math.max(1, estimateBudgetMs({ hidden, attacks, workers: this.workers }));
    return { points, ms };
  }

  /** The scene file of (h, attack) for the sample: one round on the first session, the attack,
   *  then the worker's exportScene (the page's glasslayer-scene.json format). */
  async sceneJson({ x, label = -1, h, attack, digit }) {
    const my = ++this.run;
    await this.warm();
    const s = this.sessions[0];
    await Budget.point(s, { x, label, h, attacks: [attack] });
    if (my !== this.run) throw new CancelledError();
    return s.call('exportScene', { settings: { protocol: 'cryptonn', h, attack, group: 'ristretto255', digit } });
  }
}
