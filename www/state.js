// The page state: one plain object, serialised to and from the URL hash so that a slide can link
// to a scene (#protocol=cryptonn&h=128&attack=tv&digit=m17&stage=4) and back/forward work.
//
// ONE table (KEYS) drives both directions: each URL key with its default, its parser and its
// serialiser (the pattern of TensorFlow Playground's state.ts). Pure functions, no DOM: the node
// unit tests (tests/unit/state.test.mjs) run them directly.
//
// The vocabularies (hidden sizes, attacks, protocols, groups) come from the wasm core's info
// (`init`); FALLBACK is only for reading the link before the core has loaded, and the page
// re-reads the link with the core's vocabulary once it has (setVocabulary).
//
// digit: null (nothing yet), {kind: 'mnist', index} (a bundled MNIST test digit), or
// {kind: 'drawn', pixels: Uint8Array(784)} (a drawing, carried in the hash as base64url).

export const STAGES = 5;

/** The ways into the page: the full demo, the story (phones, outreach: www/story/) and the classroom lab (www/lab/). */
export const MODES = ['demo', 'story', 'lab'];

/** Only for parsing a link before the core's info is there. */
export const FALLBACK = Object.freeze({
  hidden: [16, 32, 64, 128, 256, 392, 784],
  attacks: ['tv', 'minsum', 'paper', 'stacked', 'gradient'],
  protocols: ['cryptonn', 'fenet', 'client-loop', 'fhipe'],
  groups: ['ristretto255', 'ffdhe2048', 'ffdhe3072'],
});

/** A vocabulary from the core's info ({hidden, attacks: [{name}], protocols: [{name}], groups: [{name}]}). */
export function vocabularyOf(info) {
  const names = (list, fallback) => (Array.isArray(list) && list.length ? list.map((x) => (typeof x === 'string' ? x : x.name)) : fallback);
  return {
    hidden: Array.isArray(info?.hidden) && info.hidden.length ? [...info.hidden] : FALLBACK.hidden,
    attacks: names(info?.attacks, FALLBACK.attacks),
    protocols: names(info?.protocols, FALLBACK.protocols),
    // the page's IPFE groups (BLS12-381 is FHIPE's/FENet's, not a choice)
    groups: names(info?.groups, FALLBACK.groups).filter((g) => !/bls/i.test(g)),
  };
}

/** Snap a number to the nearest size in `hidden`. */
export function snapHidden(v, hidden = FALLBACK.hidden) {
  const n = Number(v);
  if (!Number.isFinite(n)) return null;
  return hidden.reduce((best, h) => (Math.abs(h - n) < Math.abs(best - n) ? h : best), hidden[0]);
}

// --- value codecs ---------------------------------------------------------------------------

const b64 = {
  encode(bytes) {
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
  decode(text) {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  },
};

export function digitToString(d) {
  if (!d) return '';
  if (d.kind === 'mnist') return `m${d.index}`;
  return `d${b64.encode(d.pixels)}`;
}

/** A parser returns {value} or {error: 'why it is not understood'}. */
function parseDigit(text) {
  if (/^m\d{1,4}$/.test(text)) return { value: { kind: 'mnist', index: Number(text.slice(1)) } };
  if (text[0] === 'd') {
    try {
      const pixels = b64.decode(text.slice(1));
      if (pixels.length === 784 && pixels.some((p) => p > 0)) return { value: { kind: 'drawn', pixels } };
    } catch {
      /* not base64 */
    }
    return { error: 'not a drawing of 28×28 pixels' };
  }
  return { error: 'expected m<index> (an MNIST test digit) or d<pixels> (a drawing)' };
}

const oneOf = (what, list) => (text) => (list.includes(text) ? { value: text } : { error: `${what} is one of ${list.join(', ')}` });

function parseFlag(text) {
  if (text === '1' || text === 'true') return { value: true };
  if (text === '0' || text === 'false') return { value: false };
  return { error: 'expected 1 or 0' };
}

function parseHidden(text, vocab) {
  const n = Number(text);
  if (/^\d+$/.test(text) && vocab.hidden.includes(n)) return { value: n };
  const near = snapHidden(text, vocab.hidden);
  return {
    error: `hidden units are one of ${vocab.hidden.join(', ')}`,
    // a number that is not a trained size: the nearest one, said on screen
    value: near ?? undefined,
  };
}

function parseStage(text) {
  const n = Number(text);
  return /^\d$/.test(text) && n >= 1 && n <= STAGES ? { value: n } : { error: `stage is 1 … ${STAGES}` };
}

// The "What still leaks" panel (stage 5, under a mitigation; www/stages/leak.js).
/** Key precisions S the panel offers, as powers of ten (FHIPE's keys are for round(S·W1)). */
export const LEAK_PRECISIONS = [2, 3, 4, 6];
/** Noise levels: an index into the protocol's list of σ (www/stages/leak.js); 0 = none. */
export const LEAK_NOISE_LEVELS = 7;
/** Known public digits k the panel's slider offers (the panel's run has 511 public digits). */
export const LEAK_KNOWN_MAX = 392;

function parseIntIn(what, lo, hi) {
  return (text) => {
    const n = Number(text);
    return /^\d{1,4}$/.test(text) && n >= lo && n <= hi ? { value: n } : { error: `${what} is a whole number from ${lo} to ${hi}` };
  };
}

function parsePrecision(text) {
  const n = Number(text);
  return /^\d$/.test(text) && LEAK_PRECISIONS.includes(n)
    ? { value: n }
    : { error: `key precision is S = 10^e with e one of ${LEAK_PRECISIONS.join(', ')}` };
}

// The Photo scene (www/photo/): which scene, the filters k, the bundled CIFAR-10 photo.
export const SCENES = ['digit', 'photo'];
export const PHOTO_FILTERS = Object.freeze({ min: 1, max: 16, def: 16 });
export const PHOTO_IMAGES = 48; // scripts/lib/data.mjs bundles CIFAR-10 test images 0..47

function parseFilters(text) {
  const n = Number(text);
  return /^\d{1,2}$/.test(text) && n >= PHOTO_FILTERS.min && n <= PHOTO_FILTERS.max
    ? { value: n }
    : { error: `filters are ${PHOTO_FILTERS.min} … ${PHOTO_FILTERS.max}` };
}

function parseImage(text) {
  const n = Number(text.slice(1));
  return /^c\d{1,2}$/.test(text) && n < PHOTO_IMAGES
    ? { value: n }
    : { error: `image is c0 … c${PHOTO_IMAGES - 1} (a bundled CIFAR-10 photo; your own picture is never put in the link)` };
}

// --- THE table ------------------------------------------------------------------------------
// key: the URL key; def: the default; parse(text, vocab) → {value} | {error, value?};
// write(value) → text, or null to leave the key out of the link.

export const KEYS = [
  { key: 'protocol', def: 'cryptonn', parse: (t, v) => oneOf('protocol', v.protocols)(t), write: (x) => x },
  { key: 'h', def: 128, parse: parseHidden, write: (x) => String(x) },
  { key: 'attack', def: 'tv', parse: (t, v) => oneOf('attack', v.attacks)(t), write: (x) => x },
  { key: 'group', def: 'ristretto255', parse: (t, v) => oneOf('group', v.groups)(t), write: (x) => (x === 'ristretto255' ? null : x) },
  { key: 'digit', def: null, parse: parseDigit, write: (x) => (x ? digitToString(x) : null) },
  { key: 'stage', def: 1, parse: parseStage, write: (x) => (x === 1 ? null : String(x)) },
  { key: 'presenter', def: false, parse: parseFlag, write: (x) => (x ? '1' : null) },
  { key: 'precision', def: 4, parse: parsePrecision, write: (x) => (x === 4 ? null : String(x)) },
  { key: 'known', def: 128, parse: parseIntIn('known digits k', 1, LEAK_KNOWN_MAX), write: (x) => (x === 128 ? null : String(x)) },
  { key: 'rekey', def: false, parse: parseFlag, write: (x) => (x ? '1' : null) },
  { key: 'noise', def: 0, parse: parseIntIn('noise level', 0, LEAK_NOISE_LEVELS - 1), write: (x) => (x === 0 ? null : String(x)) },
  { key: 'mode', def: 'demo', parse: oneOf('mode', MODES), write: (x) => (x === 'demo' ? null : x) },
  // one stage, no chrome, for an iframe in slides (www/stage-mode.js)
  { key: 'embed', def: false, parse: parseFlag, write: (x) => (x ? '1' : null) },
  { key: 'scene', def: 'digit', parse: oneOf('scene', SCENES), write: (x) => (x === 'digit' ? null : x) },
  { key: 'filters', def: PHOTO_FILTERS.def, parse: parseFilters, write: (x) => (x === PHOTO_FILTERS.def ? null : String(x)) },
  { key: 'image', def: null, parse: parseImage, write: (x) => (x == null ? null : `c${x}`) },
];

/** Keys of older links, read for compatibility and rewritten in the new form. */
const LEGACY = {
  // fhipe=1: the old page switched FHIPE on at h = 16 unless the link said otherwise
  fhipe: (text, s, p) => {
    const f = parseFlag(text);
    if (f.error) return f;
    if (f.value && !p.has('protocol')) {
      s.protocol = 'fhipe';
      if (!p.has('h')) s.h = 16;
    }
    return {};
  },
  // loop=1: client in the loop (the old page let fhipe=1 win over it)
  loop: (text, s, p) => {
    const f = parseFlag(text);
    if (f.error) return f;
    if (f.value && !p.has('protocol') && p.get('fhipe') !== '1' && p.get('fhipe') !== 'true') s.protocol = 'client-loop';
    return {};
  },
};

export const DEFAULTS = Object.freeze(Object.fromEntries(KEYS.map((k) => [k.key, k.def])));

/**
 * Read a hash. Returns {state, problems, rewrite}: `problems` lists what was not understood
 * ([{key, value, why, used}]: the key, its text, why, and the value the page uses instead);
 * `rewrite` is true when the address bar should be replaced (a problem, or an old-style key).
 */
export function parseHash(hash, vocab = FALLBACK) {
  const p = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const state = { ...DEFAULTS };
  const problems = [];
  let rewrite = false;
  for (const row of KEYS) {
    if (!p.has(row.key)) continue;
    const text = p.get(row.key);
    const r = row.parse(text, vocab);
    if (r.value !== undefined) state[row.key] = r.value;
    if (r.error) problems.push({ key: row.key, value: text, why: r.error, used: state[row.key] });
  }
  for (const [key, read] of Object.entries(LEGACY)) {
    if (!p.has(key)) continue;
    rewrite = true;
    const r = read(p.get(key), state, p);
    if (r.error) problems.push({ key, value: p.get(key), why: r.error, used: null });
  }
  const known = new Set([...KEYS.map((k) => k.key), ...Object.keys(LEGACY)]);
  for (const key of new Set(p.keys())) {
    if (!known.has(key)) problems.push({ key, value: p.get(key), why: 'not a setting of this page', used: null });
  }
  if (problems.length) rewrite = true;
  return { state, problems, rewrite };
}

/** The hash for a state: the table's keys in order, each as its row writes it. */
export function toHash(s) {
  const p = new URLSearchParams();
  for (const row of KEYS) {
    const text = row.write(s[row.key]);
    if (text != null) p.set(row.key, text);
  }
  return `#${p.toString()}`;
}

const show = (key, v) => (key === 'digit' ? (v ? digitToString(v).slice(0, 12) : 'none') : String(v));

/** One sentence for the screen: "Link not understood: h=100 (hidden units are one of …; using h = 128)." */
export function describeProblems(problems) {
  if (!problems.length) return '';
  const parts = problems.map((q) => {
    const shown = q.value.length > 24 ? `${q.value.slice(0, 24)}…` : q.value;
    const used = q.used === null || q.used === undefined ? 'ignored' : `using ${q.key} = ${show(q.key, q.used)}`;
    return `${q.key}=${shown} (${q.why}; ${used})`;
  });
  return `Link not understood: ${parts.join('; ')}. The address bar now shows what the page uses.`;
}

export function sameDigit(a, b) {
  return digitToString(a) === digitToString(b);
}

/** A short key of the digit (for invalidation). */
export const digitKey = digitToString;
