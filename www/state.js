// The page state: one plain object, serialised to and from the URL hash so that a slide can link
// to a scene (#h=128&attack=tv&fhipe=1&loop=0&digit=m17&stage=4) and back/forward work.
//
// digit: null (nothing yet), {kind: 'mnist', index} (a bundled MNIST test digit), or
// {kind: 'drawn', pixels: Uint8Array(784)} (a drawing, carried in the hash as base64url).

export const HIDDEN = [16, 32, 64, 128, 256, 392, 784];
export const ATTACKS = ['tv', 'minsum', 'paper', 'stacked', 'gradient'];
export const GROUPS = ['ristretto255', 'ffdhe2048'];
export const STAGES = 5;
/** h used when FHIPE is switched on (n + 1 pairings per row: slow by nature). */
export const FHIPE_DEFAULT_H = 16;

export const DEFAULTS = Object.freeze({
  h: 128,
  attack: 'tv',
  group: 'ristretto255',
  fhipe: false,
  loop: false,
  digit: null,
  stage: 1,
  presenter: false,
});

/** Snap any number to the nearest trained size. */
export function snapHidden(v) {
  const n = Number(v);
  if (!Number.isFinite(n)) return DEFAULTS.h;
  return HIDDEN.reduce((best, h) => (Math.abs(h - n) < Math.abs(best - n) ? h : best), HIDDEN[0]);
}

/** The protocol the toggles select: FHIPE already keeps W1 with the client, so it wins. */
export function protocolOf(s) {
  if (s.fhipe) return 'fhipe';
  if (s.loop) return 'client-loop';
  return 'cryptonn';
}

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

function digitToString(d) {
  if (!d) return '';
  if (d.kind === 'mnist') return `m${d.index}`;
  return `d${b64.encode(d.pixels)}`;
}

function digitFromString(text) {
  if (!text) return null;
  if (/^m\d{1,4}$/.test(text)) return { kind: 'mnist', index: Number(text.slice(1)) };
  if (text[0] === 'd') {
    try {
      const pixels = b64.decode(text.slice(1));
      if (pixels.length === 784 && pixels.some((p) => p > 0)) return { kind: 'drawn', pixels };
    } catch {
      /* not base64: ignore */
    }
  }
  return null;
}

/** The hash for a state (only the keys that differ from the defaults, plus h and attack). */
export function toHash(s) {
  const p = new URLSearchParams();
  p.set('h', String(s.h));
  p.set('attack', s.attack);
  if (s.group !== DEFAULTS.group) p.set('group', s.group);
  p.set('fhipe', s.fhipe ? '1' : '0');
  p.set('loop', s.loop ? '1' : '0');
  if (s.digit) p.set('digit', digitToString(s.digit));
  if (s.stage !== 1) p.set('stage', String(s.stage));
  if (s.presenter) p.set('presenter', '1');
  return `#${p.toString()}`;
}

/** Parse a hash; anything missing or invalid falls back to the default. */
export function fromHash(hash) {
  const p = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const flag = (k) => p.get(k) === '1' || p.get(k) === 'true';
  const s = { ...DEFAULTS };
  if (p.has('h')) s.h = snapHidden(p.get('h'));
  if (ATTACKS.includes(p.get('attack'))) s.attack = p.get('attack');
  if (GROUPS.includes(p.get('group'))) s.group = p.get('group');
  s.fhipe = flag('fhipe');
  s.loop = flag('loop');
  if (s.fhipe && !p.has('h')) s.h = FHIPE_DEFAULT_H;
  s.digit = digitFromString(p.get('digit'));
  const stage = Number(p.get('stage'));
  if (Number.isInteger(stage) && stage >= 1 && stage <= STAGES) s.stage = stage;
  s.presenter = flag('presenter');
  return s;
}

export function sameDigit(a, b) {
  return digitToString(a) === digitToString(b);
}

/** A short key of the things a stage's result depends on (for invalidation). */
export function digitKey(d) {
  return digitToString(d);
}
