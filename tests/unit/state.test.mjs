// The URL state table (www/state.js), without a browser: `node --test tests/unit/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, toHash, describeProblems, DEFAULTS, KEYS, vocabularyOf, FALLBACK } from '../../www/state.js';

test('every key has a default, a parser and a serialiser, and the defaults round-trip', () => {
  for (const row of KEYS) assert.ok('def' in row && typeof row.parse === 'function' && typeof row.write === 'function', row.key);
  const { state, problems, rewrite } = parseHash(toHash(DEFAULTS));
  assert.deepEqual(state, { ...DEFAULTS });
  assert.deepEqual(problems, []);
  assert.equal(rewrite, false);
});

test('a full scene round-trips, drawn digit included', () => {
  const pixels = new Uint8Array(784);
  pixels[300] = 200;
  const s = { protocol: 'fhipe', h: 16, attack: 'minsum', group: 'ffdhe2048', digit: { kind: 'drawn', pixels }, stage: 4, presenter: true, precision: 6, known: 64, rekey: true, noise: 3, mode: 'lab', embed: true, scene: 'photo', filters: 4, image: 12 };
  const hash = toHash(s);
  assert.match(hash, /^#protocol=fhipe&h=16&attack=minsum&group=ffdhe2048&digit=d/);
  const back = parseHash(hash);
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.state, s);
  assert.equal(toHash(back.state), hash);
});

test('mode=story opens the story; the demo is the default and stays out of the link; an unknown mode is reported', () => {
  assert.equal(parseHash('#mode=story').state.mode, 'story');
  assert.equal(parseHash('').state.mode, 'demo');
  assert.doesNotMatch(toHash({ ...DEFAULTS, mode: 'demo' }), /mode/);
  assert.match(toHash({ ...DEFAULTS, mode: 'story' }), /mode=story/);
  const r = parseHash('#mode=opera');
  assert.equal(r.state.mode, 'demo');
  assert.equal(r.problems[0].key, 'mode');
});

test('mode=lab opens the lab, embed=1 the embed mode; both stay out of a default link', () => {
  const r = parseHash('#mode=lab&embed=1&stage=4');
  assert.deepEqual(r.problems, []);
  assert.equal(r.state.mode, 'lab');
  assert.equal(r.state.embed, true);
  assert.doesNotMatch(toHash({ ...DEFAULTS }), /mode|embed/);
  const bad = parseHash('#mode=quiz');
  assert.equal(bad.state.mode, 'demo');
  assert.deepEqual(bad.problems.map((q) => q.key), ['mode']);
});

test('the Photo scene: scene, filters and image round-trip; bad values are reported with what is used', () => {
  const ok = parseHash('#scene=photo&filters=1&image=c3');
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.state.scene, 'photo');
  assert.equal(ok.state.filters, 1);
  assert.equal(ok.state.image, 3);
  assert.match(toHash(ok.state), /&scene=photo&filters=1&image=c3$/);
  // the defaults stay out of the link: the digit scene, k = 16, no photo
  assert.doesNotMatch(toHash(parseHash('#scene=digit&filters=16').state), /scene|filters|image/);
  for (const [hash, key] of [['#scene=movie', 'scene'], ['#filters=0', 'filters'], ['#filters=17', 'filters'], ['#filters=2.5', 'filters'], ['#image=c48', 'image'], ['#image=u1', 'image']]) {
    const r = parseHash(hash);
    assert.equal(r.problems.length, 1, hash);
    assert.equal(r.problems[0].key, key, hash);
    assert.equal(r.rewrite, true, hash);
  }
  assert.equal(parseHash('#filters=17').state.filters, 16);
});

test('protocol= takes each of the four protocols', () => {
  for (const p of ['cryptonn', 'fenet', 'client-loop', 'fhipe']) assert.equal(parseHash(`#protocol=${p}`).state.protocol, p);
});

test('old links: fhipe=1 → protocol=fhipe (at h = 16 unless h is given), loop=1 → client-loop, fhipe wins as before', () => {
  let r = parseHash('#h=128&attack=tv&fhipe=1&loop=0&digit=m3');
  assert.equal(r.state.protocol, 'fhipe');
  assert.equal(r.state.h, 128);
  assert.equal(r.rewrite, true);
  assert.deepEqual(r.problems, []);
  assert.equal(toHash(r.state), '#protocol=fhipe&h=128&attack=tv&digit=m3');
  assert.equal(parseHash('#attack=tv&fhipe=1').state.h, 16);
  r = parseHash('#h=64&loop=1&fhipe=0');
  assert.equal(r.state.protocol, 'client-loop');
  assert.equal(parseHash('#fhipe=1&loop=1').state.protocol, 'fhipe');
  assert.equal(parseHash('#protocol=fenet&loop=1').state.protocol, 'fenet', 'protocol= wins over an old key');
});

test('malformed links are reported, key and value named, and a usable state is kept', () => {
  const r = parseHash('#protocol=quantum&h=100&attack=magic&stage=9&digit=zz&presenter=maybe&zoom=2');
  const keys = r.problems.map((p) => p.key);
  assert.deepEqual(keys, ['protocol', 'h', 'attack', 'digit', 'stage', 'presenter', 'zoom']);
  assert.equal(r.rewrite, true);
  assert.equal(r.state.protocol, 'cryptonn');
  assert.equal(r.state.h, 128, 'h=100 snaps to the nearest trained size, and says so');
  assert.equal(r.state.attack, 'tv');
  assert.equal(r.state.stage, 1);
  const text = describeProblems(r.problems);
  assert.match(text, /^Link not understood: protocol=quantum \(protocol is one of cryptonn, fenet, client-loop, fhipe; using protocol = cryptonn\)/);
  assert.match(text, /h=100 \(hidden units are one of 16, 32, 64, 128, 256, 392, 784; using h = 128\)/);
  assert.match(text, /zoom=2 \(not a setting of this page; ignored\)/);
  assert.equal(describeProblems([]), '');
});

test('the core vocabulary replaces the fallback', () => {
  const v = vocabularyOf({
    hidden: [16, 128],
    attacks: [{ name: 'tv' }, { name: 'gradient' }],
    protocols: [{ name: 'cryptonn' }, { name: 'fhipe' }],
    groups: [{ name: 'ristretto255' }, { name: 'ffdhe2048' }, { name: 'BLS12-381' }],
  });
  assert.deepEqual(v, { hidden: [16, 128], attacks: ['tv', 'gradient'], protocols: ['cryptonn', 'fhipe'], groups: ['ristretto255', 'ffdhe2048'] });
  assert.equal(parseHash('#h=64', v).problems[0].key, 'h');
  assert.equal(parseHash('#protocol=fenet', v).problems[0].key, 'protocol');
  assert.deepEqual(vocabularyOf(null), { ...FALLBACK, groups: FALLBACK.groups });
});

// The URL is input from anyone who sends a link: the state decoder never throws on arbitrary
// text or on mutations of valid hashes, always yields a state inside the vocabulary, and what it
// yields re-encodes to a hash that parses back to the same state (a structured random engine,
// 10 000 cases with a fixed seed).
test('arbitrary and mutated links never throw and re-encode to themselves', () => {
  let seed = 0x2545f491;
  const rnd = (n) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed % n;
  };
  const alphabet = '#&=%?+-_./:;,~!*()[]{}<>"\'\\ 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\u00e9\u2603\ud83d';
  const valid = [
    toHash(DEFAULTS),
    '#protocol=fhipe&h=128&attack=stacked&group=ffdhe3072&digit=m17&stage=4&presenter=1',
    '#fhipe=1&loop=1&h=64',
    `#digit=d${'A'.repeat(1046)}`,
  ];
  const pieces = ['protocol', 'h', 'attack', 'group', 'digit', 'stage', 'presenter', 'fhipe', 'loop', '=', '&', '%', '%zz', 'NaN', '-1', '1e309', '99999999999', 'd', 'm', '\u0000'];
  for (let i = 0; i < 10_000; i++) {
    let text;
    if (i % 2) {
      text = Array.from({ length: rnd(80) }, () => alphabet[rnd(alphabet.length)]).join('');
    } else {
      const chars = [...valid[rnd(valid.length)]];
      for (let k = rnd(6); k >= 0; k--) {
        const at = rnd(chars.length + 1);
        if (rnd(2)) chars.splice(at, 1);
        else chars.splice(at, 0, pieces[rnd(pieces.length)]);
      }
      text = chars.join('');
    }
    const { state } = parseHash(text);
    assert.ok(FALLBACK.hidden.includes(state.h), `h ${state.h} from ${JSON.stringify(text)}`);
    assert.ok(['cryptonn', 'fenet', 'client-loop', 'fhipe'].includes(state.protocol), text);
    assert.ok(Number.isInteger(state.stage) && state.stage >= 1 && state.stage <= 5, text);
    const again = parseHash(toHash(state));
    assert.deepEqual(again.state, state, `re-encoding ${JSON.stringify(text)}`);
    assert.deepEqual(again.problems, [], `a re-encoded state is understood: ${JSON.stringify(text)}`);
  }
});

test('the leak panel keys: S as a power of ten, k within the public digits, a noise level; defaults stay out of the link', () => {
  const r = parseHash('#protocol=fhipe&precision=6&known=256&rekey=1&noise=2');
  assert.deepEqual(r.problems, []);
  assert.equal(r.state.precision, 6);
  assert.equal(r.state.known, 256);
  assert.equal(r.state.rekey, true);
  assert.equal(r.state.noise, 2);
  assert.doesNotMatch(toHash({ ...DEFAULTS }), /precision|known|rekey|noise/);
  for (const bad of ['precision=5', 'precision=1e6', 'known=0', 'known=393', 'known=12.5', 'noise=7', 'noise=-1']) {
    const q = parseHash(`#${bad}`);
    assert.equal(q.problems.length, 1, bad);
    assert.equal(q.state[bad.split('=')[0]], DEFAULTS[bad.split('=')[0]], bad);
  }
});
