// User-facing wording that does not depend on a result: protocol names before the core has
// loaded, the stage titles, the one-line explanations. Verdicts (computed from the numbers) are in
// views/verdict.js; everything that names a number is built where the number is.

/** Labels until the core's info ({protocols: [{name, label, hidesW1, tip}]}) is there. */
export const PROTOCOL_FALLBACK = [
  { name: 'cryptonn', label: 'CryptoNN', hidesW1: false, tip: 'IPFE: the server decrypts z = W1·x for its own W1.' },
  { name: 'fenet', label: 'FENet', hidesW1: false, tip: 'FHIPE keys for the server’s own W1: the same leak as CryptoNN.' },
  { name: 'client-loop', label: 'Client in the loop', hidesW1: true, tip: 'The client keeps its own secret W1 and sends z.' },
  { name: 'fhipe', label: 'FHIPE', hidesW1: true, tip: 'Function-hiding keys the client issues for its own secret W1.' },
];

/** Keys that switch a protocol on and off (back to CryptoNN). */
export const PROTOCOL_KEYS = { fhipe: 'f', 'client-loop': 'l' };

/** The one-word tag of a protocol in the selector, from whether it hides W1 from the server. */
export function w1Tag(p) {
  return p.hidesW1 ? 'W1 hidden' : 'server has W1';
}

/** What the server holds under a protocol (before a round has run). */
export function serverSees(p) {
  return p.hidesW1 ? `${heldUnder(p)} — not W1, not x` : 'its own W1, z, δ1, dW1 and the labels';
}

/** What a mitigation still hands the server, in words (science.md §4.1). */
function heldUnder(p) {
  if (p.name === 'fhipe') return 'the labels, δ1 and z of every stored sample at every step (each step’s keys open every old ciphertext)';
  return 'the labels, δ1 at every step and z of each sample once per epoch';
}

/** What still leaks under a protocol that hides W1 (besides the labels, listed with what it sees). */
export function stillLeaks(p) {
  if (!p.hidesW1) return '';
  if (p.name === 'fhipe') return 'Still leaks: the inner products of every pair of stored samples (from z across steps).';
  return 'Still leaks: some inner products between your samples (from z over an epoch).';
}

export const TITLES = {
  'client-loop': { s2: 'Client computes z', s3: 'Server receives z' },
  default: { s2: 'Client encrypts', s3: 'Server decrypts' },
};

export function encryptExplain(protocol) {
  return {
    cryptonn: 'CryptoNN: the client encrypts x under the authority’s public key. Nobody can read it…',
    fenet: 'FENet: x is encrypted with function-hiding IPE, but the keys are for the server’s own W1.',
    'client-loop': 'Client in the loop: the client multiplies by its own secret W1 and sends only z.',
    fhipe: 'FHIPE: the client draws its own secret W1, encrypts x and issues the keys itself.',
  }[protocol];
}

export const DRAW_FIRST = 'Draw a digit first: the canvas is empty (or press r for a random MNIST digit).';
export const CANCELLED = 'Cancelled. Press → to run the step again.';

/** "tv" → the attack's label from the core's vocabulary. */
export function attackLabel(info, name) {
  return info?.attacks?.find((a) => a.name === name)?.label ?? name;
}

export function protocolLabel(info, name) {
  return (info?.protocols ?? PROTOCOL_FALLBACK).find((p) => p.name === name)?.label ?? name;
}

/** On a touch screen without a keyboard, instructions name the buttons instead of keys. */
export function forTouch(text) {
  const tap = (p) => (p === 'P' ? 'Tap' : 'tap');
  return text
    .replace(/\(or press r for a random MNIST digit\)/g, '(or tap Random MNIST)')
    .replace(/([Pp])ress → \(or space\)/g, (_, p) => `${tap(p)} Next`)
    .replace(/([Pp])ress →/g, (_, p) => `${tap(p)} Next`)
    .replace(/ \((?:key|keys)\b[^)]*\)/g, '')
    .replace(/ \(f, l\)/g, '');
}
