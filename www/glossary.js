// The glossary: every technical word on the page with one plain-language definition. A term is a
// button (`<button class="term" data-term="psnr">PSNR</button>`, written by termHtml): it opens its
// definition on hover, tap, click and keyboard focus (one shared popover), and screen readers get
// the same sentence through aria-describedby (a hidden element per term, written once).

export const TERMS = {
  psnr: ['PSNR', 'Peak signal-to-noise ratio: how close the rebuilt picture is to yours, in decibels (dB). Higher is closer; from about 20 dB you can read the digit; “exact” means every pixel matches.'],
  db: ['dB', 'Decibels: the unit of PSNR. Every 10 dB more means 10 times less squared error between the rebuild and your digit.'],
  ssim: ['SSIM', 'Structural similarity: compares shapes and strokes of two pictures. 1 means the same picture, 0 means unrelated.'],
  baseline: ['baseline', 'What an attacker gets from nothing: the PSNR of the average MNIST digit against yours. A failed attack scores about this.'],
  w1: ['W1', 'The first layer of the neural network: a table of weights, one row per hidden unit. Each row is multiplied with your 784 pixels.'],
  z: ['z', 'z = W1·x: the numbers the server may decrypt, one per row of W1 — each a weighted sum of your pixels.'],
  x: ['x', 'Your sample: the 784 pixel values (28 × 28) of your digit.'],
  h: ['h', 'Hidden units: how many rows W1 has. Each row gives the server one equation about your pixels; more rows, more equations.'],
  fe: ['FE', 'Functional encryption: encryption where a special key lets its holder learn one function of the hidden data (here an inner product), and nothing else.'],
  ipfe: ['IPFE', 'Inner-product functional encryption: a key for a row w reveals only w·x, the weighted sum of the encrypted pixels.'],
  fhipe: ['FHIPE', 'Function-hiding inner-product encryption: like IPFE, but the key hides its row w too — the server learns w·x without learning w.'],
  'function-hiding': ['function-hiding', 'The decryption key hides which function it computes: the server gets the result without seeing the weights.'],
  lp: ['LP', 'Linear programming: a standard way to find numbers that satisfy many linear equations and limits at once — here, pixels that fit every equation the server holds.'],
  tv: ['TV', 'Total variation: a preference for pictures with few sharp changes. Among all images that fit the equations, the attack picks the smoothest, like a real pen stroke.'],
  ristretto255: ['ristretto255', 'An elliptic-curve group (from Curve25519) used to compute the encryption. About 126 bits of security: far beyond any computer today.'],
  'bls12-381': ['BLS12-381', 'An elliptic curve with a “pairing”, a special multiplication FHIPE needs. About 117–120 bits of security.'],
  ffdhe2048: ['ffdhe2048', 'A 2048-bit prime-number group (RFC 7919), the kind CryptoNN used: secure (about 112 bits), but much slower than an elliptic curve.'],
  mnist: ['MNIST', 'A public set of 70,000 handwritten digits, the standard first data set for training image classifiers.'],
  cryptonn: ['CryptoNN', 'A 2019 protocol for training neural networks on encrypted data with functional encryption. The server owns W1 and gets keys for it.'],
  fenet: ['FENet', 'A 2023 protocol like CryptoNN that uses function-hiding keys — but for the server’s own W1, so the server still learns z and W1.'],
  'client-loop': ['client in the loop', 'A fix: the client keeps its own secret W1, computes z itself and sends only z. Without W1 the equations cannot be solved.'],
  label: ['label', 'The right answer for a training sample (which digit it is). Training needs it, so the server sees it.'],
  'inner-product': ['inner product', 'Multiply two lists of numbers entry by entry and add up: a single number that says how alike two pictures are.'],
  gradient: ['gradient', 'How to change the weights to make fewer mistakes. In these protocols the server computes it from z and the labels.'],
  mlp: ['MLP', 'Multi-layer perceptron: the simplest neural network, layers of weighted sums with a bend (activation) between them.'],
};

/** A term as HTML (for innerHTML in our own copy; `text` defaults to the term's own word). */
export function termHtml(key, text) {
  const t = TERMS[key];
  if (!t) throw new Error(`no glossary entry "${key}"`);
  const shown = text ?? t[0];
  return `<button type="button" class="term" data-term="${key}" aria-expanded="false" aria-controls="glossary-pop" aria-describedby="gloss-${key}">${shown}</button>`;
}

/** `{psnr}`-style placeholders in a sentence → term buttons ({psnr|PSNR of} shows other text). */
export function withTerms(sentence) {
  return sentence.replace(/\{([a-z0-9-]+)(?:\|([^}]*))?\}/g, (_, key, text) => termHtml(key, text));
}

let pop = null;
let owner = null;

function place(el) {
  const r = el.getBoundingClientRect();
  pop.hidden = false;
  const b = pop.getBoundingClientRect();
  const x = Math.min(window.innerWidth - b.width - 8, Math.max(8, r.left + r.width / 2 - b.width / 2));
  const below = r.bottom + 8 + b.height < window.innerHeight;
  const y = below ? r.bottom + 6 : Math.max(8, r.top - b.height - 6);
  pop.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
}

let how = null; // how the open word was opened: 'hover' (it closes when the mouse leaves) or 'held'

function open(el, by = 'held') {
  const t = TERMS[el.dataset.term];
  if (!t) return;
  if (owner && owner !== el) owner.setAttribute('aria-expanded', 'false');
  owner = el;
  how = by;
  pop.dataset.how = by; // a hover's popover lets clicks through (www/style.css)
  pop.replaceChildren();
  const b = document.createElement('strong');
  b.textContent = t[0];
  pop.append(b, ` — ${t[1]}`);
  el.setAttribute('aria-expanded', 'true');
  place(el);
}

function close() {
  if (!owner) return;
  owner.setAttribute('aria-expanded', 'false');
  owner = null;
  how = null;
  pop.hidden = true;
}

/** Once: the popover, the hidden definitions, and the listeners (delegated: terms added later work). */
export function setupGlossary() {
  pop = document.createElement('div');
  pop.id = 'glossary-pop';
  pop.className = 'glossary-pop';
  pop.setAttribute('role', 'tooltip');
  pop.hidden = true;
  const defs = document.createElement('div');
  defs.className = 'visually-hidden';
  defs.id = 'glossary-defs';
  for (const [key, [, def]] of Object.entries(TERMS)) {
    const s = document.createElement('span');
    s.id = `gloss-${key}`;
    s.textContent = def;
    defs.append(s);
  }
  document.body.append(pop, defs);
  // the demo's word lists (<p class="terms" data-terms="psnr ssim">)
  for (const p of document.querySelectorAll('[data-terms]')) {
    p.insertAdjacentHTML('beforeend', p.dataset.terms.split(/\s+/).map((k) => termHtml(k)).join(' '));
  }
  const termOf = (e) => e.target?.closest?.('button.term');
  // A mouse over a word shows it until the mouse leaves.
  document.addEventListener('pointerover', (e) => {
    const el = termOf(e);
    if (el && e.pointerType === 'mouse' && owner !== el) open(el, 'hover');
  });
  document.addEventListener('pointerout', (e) => {
    const el = termOf(e);
    if (el && el === owner && how === 'hover' && !el.contains(e.relatedTarget)) close();
  });
  // A press on the open word closes it; a press on any other word, or on one the mouse is only
  // hovering, opens it and keeps it open (the focus that came with the press may have opened it
  // already). What was open is read when the pointer goes down, before that focus. Enter and
  // space (a click of detail 0) toggle what is open now.
  let openAtPress = null;
  document.addEventListener('pointerdown', () => (openAtPress = how === 'hover' ? null : owner), true);
  document.addEventListener('click', (e) => {
    const el = termOf(e);
    if (!el) return close();
    const wasOpen = e.detail === 0 ? owner === el : openAtPress === el;
    openAtPress = null;
    if (wasOpen) close();
    else open(el);
  });
  document.addEventListener('focusin', (e) => {
    const el = termOf(e);
    if (el) open(el);
  });
  // Focus moving on to another control closes it. Focus handed back to the page (stage mode gives
  // the keys back after a pointer press, www/stage-mode.js) or leaving the window does not.
  document.addEventListener('focusout', (e) => {
    if (termOf(e) === owner && e.relatedTarget && !pop.contains(e.relatedTarget)) close();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && owner) close();
  });
  window.addEventListener('scroll', close, { passive: true });
  window.addEventListener('resize', close);
}
