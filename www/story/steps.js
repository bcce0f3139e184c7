// The story's six steps: one plain sentence each, the page's own elements to look at (moved into
// the step, so every test id exists once), what to run (the real stages, through page.js), and a
// line built from the real results. `{term}` marks a glossary word (www/glossary.js).
import { page, current } from '../page.js';
import { formatBytes } from '../views/ciphertext.js';
import { verdict, READABLE_DB, db } from '../views/verdict.js';

/** The story runs at one h, named in its text: at 256 rows most digits come back exactly. */
export const STORY_H = 256;


export const STEPS = [
  {
    id: 'draw',
    title: 'Draw a digit: it is a piece of your private training data.',
    show: ['draw'],
    random: true,
    next: 'Encrypt it',
    stage: 1,
    result: () =>
      page.results.sample
        ? 'Got it: your phone turned the drawing into 28 × 28 = 784 pixel values, {x}.'
        : 'Draw with a finger or the mouse — or use “Random digit” for a real handwritten one from {mnist}.',
  },
  {
    id: 'encrypt',
    title: 'Your phone encrypts it: the pixels become random-looking bytes.',
    show: ['ciphertext'],
    next: 'Send it to the server',
    stage: 2,
    protocol: 'cryptonn',
    result: () => {
      const e = current('enc');
      return e?.ct
        ? `${formatBytes(e.ct.length)} of ciphertext, made with {fe|functional encryption} on the {ristretto255} curve: nobody can read your digit from these bytes.`
        : '';
    },
  },
  {
    id: 'server',
    title: 'The server may compute only these numbers from it.',
    show: ['z'],
    next: 'What can it do with them?',
    stage: 3,
    protocol: 'cryptonn',
    result: () => {
      const d = current('dec');
      return d
        ? `The server’s network has ${d.h} rows of weights {w1}, and its keys unlock one number {z} per row: ${d.h} weighted sums of your 784 pixels — and it knows every weight.`
        : '';
    },
  },
  {
    id: 'rebuild',
    title: '…which is enough to rebuild your drawing.',
    show: ['pair', 'metrics'],
    next: 'Can this be fixed?',
    stage: 4,
    protocol: 'cryptonn',
    result: () => {
      const a = current('atk');
      if (!a) return '';
      const v = verdict(a, { h: a.h });
      if (v.kind === 'na' || a.status !== 'solved') return v.text;
      const how = `From those ${a.h} equations ({lp} with {tv} smoothing)`;
      const base = `guessing the average digit scores ${db(a.baselinePsnr)}`;
      // the words follow the verdict's thresholds (www/views/verdict.js)
      if (v.kind === 'leak') return `${how} the server rebuilt your digit: {psnr} ${db(a.psnr)} — ${base}.`;
      if (v.kind === 'partial') return `${how} the server partly rebuilt your digit: {psnr} ${db(a.psnr)}, blurry (readable from about ${READABLE_DB} dB) — ${base}.`;
      return `${how} the server got no better than the average digit this time ({psnr} ${db(a.psnr)}; ${base}). Bolder, centred strokes leak more.`;
    },
  },
  {
    id: 'fixes',
    title: 'Two fixes: your phone keeps the weights secret, or hides them inside the keys.',
    show: ['pair', 'metrics'],
    next: 'What still leaks?',
    stage: 4,
    protocol: 'client-loop',
    result: () => {
      const a = current('atk');
      const c = page.results.cmp;
      if (!a || a.status !== 'solved' || !a.applicable) return a ? verdict(a, { h: a.h }).text : '';
      const v = verdict(a, { h: a.h });
      const got = v.kind === 'safe' ? `no better than the average digit (${db(a.baselinePsnr)})` : `still ${db(a.psnr)} — ${v.text}`;
      const cmp = c && c.status === 'solved' && c.applicable ? `; without the fix, ${db(c.psnr)}` : '';
      return `Fix 1, {client-loop}: the phone keeps its own secret {w1} and sends only z. The same attack: {psnr} ${db(a.psnr)}, ${got}${cmp}. Fix 2, {fhipe}: the keys hide W1 (slower: see the full demo).`;
    },
  },
  {
    id: 'leaks',
    title: 'What still leaks, even with the fixes.',
    show: [],
    stage: 4,
    result: () =>
      'Training needs the {label|labels}, so the server sees which digit each sample is. It also sees z for every sample at every training step; under {fhipe} with one long-lived key, comparing those numbers across steps gives it the {inner-product|inner products} between your samples — how alike they are. Knowing a few of your samples, it can then rebuild others.',
  },
];
