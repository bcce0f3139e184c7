// Wires the controls to the state, the state to the URL, and the stages to the workers. No crypto
// or maths here: every number on the page comes from the wasm core, in a Web Worker.
import { Core, CancelledError, keyShards } from './core.js';
import { fhipeRoundPipelined } from './fhipe-pipeline.js';
import * as S from './state.js';
import { setupDrawing } from './views/draw.js';
import { renderSample, toUnit, toBytes } from './views/preview.js';
import { renderPipeline } from './views/pipeline.js';
import { renderZ, renderCurves } from './views/charts.js';
import { renderCiphertext, hexPreview, formatBytes, formatMs } from './views/ciphertext.js';
import { renderWeightTiles } from './views/weights.js';
import { setupTooltips } from './views/tooltip.js';
import { loadDigits } from './digits.js';
import { setupKeyboard } from './keyboard.js';

const $ = (id) => document.getElementById(id);
const URLS = {
  models: new URL('./generated/models.bin', import.meta.url).href,
  train: new URL('./generated/mnist-train.bin', import.meta.url).href,
  test: new URL('./generated/mnist-digits.bin', import.meta.url).href,
};
const PIXELS = 784;
const STACKED_MAX = 4;
/** Later epochs the stacked attack uses: enough for ≥ 784 equations, at most STACKED_MAX. */
const stackedEpochs = (h) => Math.max(1, Math.min(STACKED_MAX, Math.ceil(PIXELS / h) - 1));
const LIVE_EPOCHS = 3;
const LIVE_MAX_H = 128;
const ATTACK_TIPS = {
  tv: 'Linear program: find the smoothest image (total variation) with W1·x = z.',
  minsum: 'Linear program: find the image with the least ink that satisfies W1·x = z.',
  paper: "The RAID 2025 paper's LP: W1·x = z plus hard smoothness limits on some pixels.",
  stacked: 'The server sees your digit again in later epochs, with a changed W1 each time: stack the equations.',
  gradient: "CryptoNN also decrypts the gradient dW1 = δ1·xᵀ: with a batch of one, that is x times known numbers.",
};
const PROTOCOL_NAMES = { cryptonn: 'CryptoNN', fhipe: 'FHIPE', 'client-loop': 'Client in the loop' };

class UserError extends Error {}

// ---------------------------------------------------------------------------------------------
// state

let state = S.fromHash(location.hash);
const results = { sample: null, label: -1, enc: null, dec: null, atk: null, curves: null };
let info = null; // {version, models: [...], mean}
let digits = null; // {count, labels, pixels(i)}
let prevH = null; // h before FHIPE switched it to 16
let job = 0;
let running = null; // the stage whose work is running
let lastZ = { z: null, hidden: false }; // what the z chart shows (redrawn on resize)

const core = new Core(URLS);
const protocol = () => S.protocolOf(state);
const keyOf = {
  enc: () => `${S.digitKey(state.digit)}|${protocol()}|${protocol() === 'cryptonn' ? state.group : ''}|${state.h}`,
  atk: () => `${keyOf.enc()}|${state.attack}`,
  curves: () => `${protocol()}|${Math.min(state.h, LIVE_MAX_H)}`,
};

function status(text, kind = 'info') {
  $('status').textContent = text;
  $('status').dataset.kind = kind;
}

function progress(done, total, text = '') {
  const el = $('progress');
  el.hidden = false;
  const indeterminate = !(total > 0);
  el.classList.toggle('indeterminate', indeterminate);
  const pct = indeterminate ? 0 : Math.round((100 * done) / total);
  el.setAttribute('aria-valuenow', String(pct));
  if (indeterminate) el.removeAttribute('aria-valuenow');
  el.setAttribute('aria-valuetext', text || `${pct}%`);
  el.querySelector('.bar').style.width = indeterminate ? '' : `${pct}%`;
  el.querySelector('.ptext').textContent = text;
}

function setBusy(stage) {
  running = stage;
  const busy = stage !== null;
  document.body.dataset.busy = busy ? 'true' : 'false';
  $('cancel').hidden = !busy;
  if (!busy) $('progress').hidden = true;
  document.body.dataset.running = busy ? String(stage) : '';
  drawPipeline();
}

// ---------------------------------------------------------------------------------------------
// the URL

function writeHash({ replace = false } = {}) {
  const hash = S.toHash(state);
  if (hash === location.hash) return;
  if (replace) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
}

function applyControls() {
  const i = S.HIDDEN.indexOf(state.h);
  $('hidden-units').value = String(i < 0 ? 3 : i);
  $('h-value').textContent = `h = ${state.h}`;
  $('hidden-units').setAttribute('aria-valuetext', `h = ${state.h}`);
  $('attack-method').value = state.attack;
  $('tip-attack').textContent = ATTACK_TIPS[state.attack];
  $('fe-group').value = { cryptonn: state.group, fhipe: 'bls12-381', 'client-loop': 'none' }[protocol()];
  $('fe-group').disabled = protocol() !== 'cryptonn';
  $('toggle-fhipe').checked = state.fhipe;
  $('toggle-client-loop').checked = state.loop;
  document.body.classList.toggle('presenter', state.presenter);
  $('presenter').setAttribute('aria-pressed', String(state.presenter));
  document.body.dataset.protocol = protocol();
  $('s2-title').textContent = protocol() === 'client-loop' ? 'Client computes z' : 'Client encrypts';
  $('s3-title').textContent = protocol() === 'client-loop' ? 'Server receives z' : 'Server decrypts';
  renderStages();
}

function renderStages() {
  document.body.dataset.stage = String(state.stage);
  for (let n = 1; n <= S.STAGES; n++) {
    const sec = $(`stage-${n}`);
    sec.classList.toggle('current', n === state.stage);
    sec.classList.toggle('todo', n > state.stage);
    sec.toggleAttribute('aria-current', n === state.stage);
    const step = document.querySelector(`[data-goto="${n}"]`);
    step.classList.toggle('current', n === state.stage);
    step.classList.toggle('done', n < state.stage);
    if (n === state.stage) step.setAttribute('aria-current', 'step');
    else step.removeAttribute('aria-current');
  }
  $('prev-stage').disabled = state.stage <= 1;
  $('next-stage').disabled = state.stage >= S.STAGES;
  drawPipeline();
}

function drawPipeline() {
  renderPipeline($('pipeline'), { protocol: protocol(), running, h: state.h, group: state.group, stage: state.stage });
}

// ---------------------------------------------------------------------------------------------
// the sample

// The live preview while drawing: at most every 120 ms, and never two requests in flight.
let previewBusy = false;
let previewAt = 0;
async function livePreview() {
  const now = performance.now();
  if (previewBusy || now - previewAt < 120) return;
  previewBusy = true;
  previewAt = now;
  try {
    const { rgba, width, height } = drawing.pixels();
    renderSample($('preview'), await core.call('preprocess', { rgba, width, height }));
  } catch {
    /* an empty canvas or a cancelled worker: the stroke's end updates the preview */
  } finally {
    previewBusy = false;
  }
}

const drawing = setupDrawing($('draw-canvas'), {
  onStart: () => {
    cancelRun();
    $('draw-canvas').parentElement.dataset.empty = 'false';
  },
  onDraw: livePreview,
  onStroke: async () => {
    try {
      const { rgba, width, height } = drawing.pixels();
      const sample = await core.call('preprocess', { rgba, width, height });
      const pixels = toBytes(sample);
      setSample(pixels, -1, 'Your drawing');
      state.digit = { kind: 'drawn', pixels };
      writeHash({ replace: true });
      status('Preview updated: this 28×28 sample is what the client encrypts. Press → to go on.');
      afterSampleChange();
    } catch (e) {
      if (!(e instanceof CancelledError)) status(e.message, 'error');
    }
  },
});

function setSample(pixels, label, source) {
  $('draw-canvas').parentElement.dataset.empty = pixels ? 'false' : 'true';
  results.sample = pixels;
  results.label = label;
  results.enc = results.dec = results.atk = null;
  renderSample($('preview'), pixels ? toUnit(pixels) : null);
  $('preview').setAttribute('aria-label', pixels ? `The 28×28 sample the client will encrypt (${source})` : 'The 28×28 sample (empty)');
  renderSample($('original'), pixels ? toUnit(pixels) : null);
  $('original').setAttribute('aria-label', pixels ? `original: ${source}` : 'original: none yet');
  $('digit-source').textContent = source ?? '';
  renderEncrypt();
  renderDecrypt();
  renderAttack();
}

let sampleTimer = null;
function afterSampleChange() {
  clearTimeout(sampleTimer);
  if (state.stage >= 2) sampleTimer = setTimeout(() => runTo(Math.min(state.stage, 4)), protocol() === 'fhipe' ? 700 : 250);
}

function showDigitFromState() {
  const d = state.digit;
  if (!d) {
    drawing.clear();
    setSample(null, -1, '');
    return;
  }
  if (d.kind === 'mnist') {
    if (!digits) return;
    const i = Math.min(d.index, digits.count - 1);
    const px = digits.pixels(i);
    drawing.show(px);
    setSample(px, digits.labels[i], `MNIST test digit #${i} (a ${digits.labels[i]})`);
  } else {
    drawing.show(d.pixels);
    setSample(d.pixels, -1, 'Your drawing (from the link)');
  }
}

function randomDigit() {
  if (!digits) return;
  cancelRun();
  let i = Math.floor(Math.random() * digits.count);
  if (state.digit?.kind === 'mnist' && state.digit.index === i) i = (i + 1) % digits.count;
  state.digit = { kind: 'mnist', index: i };
  writeHash();
  showDigitFromState();
  status(`MNIST test digit #${i}, a ${digits.labels[i]}. Press → to encrypt it.`);
  afterSampleChange();
}

function clearDigit() {
  cancelRun();
  state.digit = null;
  writeHash();
  showDigitFromState();
  status('Canvas cleared: draw a digit first.');
}

// ---------------------------------------------------------------------------------------------
// stage 2: the client encrypts (or, in the client loop, computes z itself)

async function ensureEncrypted(my) {
  if (!results.sample) throw new UserError('Draw a digit first: the canvas is empty (or press r for a random MNIST digit).');
  const key = keyOf.enc();
  if (results.enc?.key === key) return;
  results.enc = results.dec = results.atk = null;
  renderEncrypt();
  renderDecrypt();
  renderAttack();
  const x = results.sample;
  const p = protocol();
  const t0 = performance.now();
  let enc;
  if (p === 'cryptonn') {
    status(`Client: encrypting your 784 pixels with IPFE over ${state.group}…`);
    progress(0, 0, state.group === 'ffdhe2048' ? '2048-bit modular exponentiations: slow by design' : 'encrypting');
    enc = await core.call('ipfeRound', { group: state.group, h: state.h, x });
  } else if (p === 'fhipe') {
    status('Client: FHIPE setup on BLS12-381, encrypting x, issuing a key for each row of its own W1…');
    progress(0, 0, 'FHIPE setup and encryption');
    // The server's workers start on each key as it arrives (www/fhipe-pipeline.js).
    const round = await fhipeRoundPipelined(core, { h: state.h, x }, (q) =>
      progress(q.done, q.total, `client issued ${q.done}/${q.total} keys (${q.done * 785} G1 points); the server starts on each at once`),
    );
    enc = { ...round.enc, pipeline: round.pipeline };
  } else {
    status('Client: computing z = W1·x itself — its W1 never leaves it.');
    const z = await core.call('clientForward', { h: state.h, x });
    enc = { z };
  }
  if (my !== job) throw new CancelledError();
  results.enc = { key, protocol: p, wallMs: performance.now() - t0, ...enc };
  renderEncrypt();
}

function fact(dl, pairs) {
  dl.replaceChildren();
  for (const [k, v, cls] of pairs) {
    const row = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    if (cls) dd.className = cls;
    row.append(dt, dd);
    dl.append(row);
  }
}

function renderEncrypt() {
  const e = results.enc;
  const facts = $('encrypt-facts');
  const strip = $('ct-strip');
  const p = protocol();
  if (!e) {
    renderCiphertext(strip, null);
    $('ciphertext').textContent = '—';
    strip.setAttribute('aria-label', 'Ciphertext (none yet)');
    fact(facts, []);
    $('encrypt-explain').textContent =
      p === 'client-loop'
        ? 'Client in the loop: the client multiplies by its private W1 and sends only z.'
        : p === 'fhipe'
          ? 'FHIPE: the client holds the master key and W1; it encrypts x and issues the keys itself.'
          : 'CryptoNN: the client encrypts x under the authority’s public key. Nobody can read it…';
    return;
  }
  if (e.protocol === 'client-loop') {
    renderCiphertext(strip, null, 'no encryption');
    $('ciphertext').textContent = `z = [${Array.from(e.z.slice(0, 4), (v) => Math.round(v)).join(', ')}, …]`;
    strip.setAttribute('aria-label', 'No ciphertext: z is sent in the clear');
    fact(facts, [
      ['Encryption', 'none'],
      ['Sent', `${e.z.length} values · ${formatBytes(e.z.length * 4)}`],
      ['Time', formatMs(e.wallMs)],
    ]);
    $('encrypt-explain').textContent = 'No cryptography: z = W1·x is only useful with W1 — which stays with the client.';
    return;
  }
  renderCiphertext(strip, e.ct);
  $('ciphertext').textContent = hexPreview(e.ct);
  strip.setAttribute('aria-label', `Ciphertext: ${formatBytes(e.ct.length)} of random-looking bytes`);
  if (e.protocol === 'fhipe') {
    fact(facts, [
      ['Scheme', 'FHIPE, BLS12-381'],
      ['Ciphertext', `${formatBytes(e.ct.length)} (785 G2)`],
      ['Setup', `${formatMs(e.setupMs)}${e.reused ? ', once (master key reused)' : ''}`],
      ['Encrypt', formatMs(e.encryptMs)],
      ['Client keys', `${state.h} × 785 G1 · ${formatMs(e.keysMs)}`],
    ]);
    $('encrypt-explain').textContent = `Security ${e.securityBits} bits. The keys hide W1: the server can use them, not read them.`;
  } else {
    fact(facts, [
      ['Ciphertext', `${formatBytes(e.ct.length)} (785 el.)`],
      ['Encrypt', formatMs(e.encryptMs)],
      // One authority (master public key) per group for the session; the client's per-key
      // tables are built once too (in the background after load for ristretto255).
      ['Authority setup', `${formatMs(e.setupMs)}${e.reused ? ', once (key reused)' : ''}`],
      ['Client key tables', `${formatMs(e.tablesMs)}, once`],
      ['Security', `≈${e.securityBits} bits`],
    ]);
    $('encrypt-explain').textContent = 'Real, semantically secure encryption: the bytes alone reveal nothing about your digit.';
  }
}

// ---------------------------------------------------------------------------------------------
// stage 3: the server decrypts what the protocol allows

async function ensureDecrypted(my) {
  const e = results.enc;
  if (results.dec?.key === e.key) return;
  results.dec = results.atk = null;
  renderDecrypt();
  renderAttack();
  const t0 = performance.now();
  let z;
  let serverMs = null; // pipelined FHIPE: the server's time from the ciphertext to the last z
  const h = state.h;
  if (e.protocol === 'client-loop') {
    z = e.z;
  } else if (e.pipeline && !e.pipeline.failed) {
    // FHIPE: the server's workers have been decrypting since the first key arrived.
    const workers = Math.min(core.cores, h);
    status(`Server: FHIPE decryption, ${h} rows × 785 pairings, on ${workers} worker${workers > 1 ? 's' : ''} (started while the client issued its keys)…`);
    const report = (done, total) => progress(done, total, `${done}/${total} rows · ${(done * 785).toLocaleString('en-US')} pairings`);
    e.pipeline.onProgress = report;
    report(e.pipeline.done, h);
    z = await e.pipeline.result();
    serverMs = e.pipeline.finishedAt - e.pipeline.startedAt;
  } else {
    const op = e.protocol === 'fhipe' ? 'fhipeDecrypt' : 'ipfeDecrypt';
    const shards = keyShards(e, core.cores);
    const count = shards.reduce((a, sh) => a + sh.count, 0);
    const workers = Math.min(core.cores, count);
    status(
      e.protocol === 'fhipe'
        ? `Server: FHIPE decryption, ${h} rows × 785 pairings, on ${workers} worker${workers > 1 ? 's' : ''} (one per core)…`
        : `Server: decrypting z = W1·x with its ${h} function keys on ${workers} worker${workers > 1 ? 's' : ''}…`,
    );
    progress(0, count, 'starting');
    z = await core.parallel(op, shards, (done, total) =>
      progress(done, total, e.protocol === 'fhipe' ? `${done}/${total} rows · ${(done * 785).toLocaleString('en-US')} pairings` : `${done}/${total} rows decrypted`),
    );
  }
  if (my !== job) throw new CancelledError();
  results.dec = { key: e.key, protocol: e.protocol, z: Float64Array.from(z), ms: performance.now() - t0, serverMs, workers: Math.min(core.cores, h) };
  renderDecrypt();
}

async function renderW1Tiles() {
  const p = protocol();
  const locked = p !== 'cryptonn';
  const count = Math.min(6, state.h);
  const key = `${state.h}|${locked}`;
  const box = $('w1-tiles');
  if (box.dataset.key === key) return;
  let rows = null;
  if (!locked && info) {
    try {
      rows = await core.call('weightRows', { h: state.h, rows: Array.from({ length: count }, (_, i) => i) });
    } catch {
      rows = null;
    }
  }
  if (locked || rows) box.dataset.key = key;
  renderWeightTiles(box, rows, { locked, count });
  box.setAttribute('aria-label', locked ? 'W1 is unknown to the server' : `The first ${count} of the ${state.h} rows of W1 the server knows, as 28×28 weight images`);
}

function renderDecrypt() {
  const d = results.dec;
  const p = protocol();
  renderZ($('server-z'), d?.z, { hidden: p !== 'cryptonn' });
  lastZ = { z: d?.z, hidden: p !== 'cryptonn' };
  $('server-z').setAttribute('aria-label', d ? `z = W1·x: ${d.z.length} values the server now holds` : 'z = W1·x (not decrypted yet)');
  renderW1Tiles();
  const m = info?.models.find((x) => x.hidden === state.h);
  if (p === 'cryptonn') {
    $('w1-caption').innerHTML = m
      ? `<strong>W1 the server knows</strong>: layer 1 of a 784-${m.hidden}-10 MLP glasslayer trained (SGD, ${m.samples.toLocaleString('en-US')} MNIST digits, ${m.epochs} epoch; ${(100 * m.accuracy).toFixed(1)}% test accuracy), weights ×${Math.round(m.scale)} → integers.`
      : 'W1 the server knows.';
  } else {
    $('w1-caption').innerHTML = `<strong>W1: not on the server.</strong> ${p === 'fhipe' ? 'The client’s FHIPE keys hide it.' : 'The client keeps it.'}`;
  }
  const facts = [];
  if (d) {
    if (d.protocol === 'client-loop') {
      facts.push(['Received', `${d.z.length} values`]);
      facts.push(['Decryption', 'none']);
    } else {
      facts.push([d.protocol === 'fhipe' ? 'Keys (client)' : 'Keys (authority)', String(state.h)]);
      facts.push(['Decrypt', d.serverMs != null ? `${formatMs(d.serverMs)}, overlapping the keys` : formatMs(d.ms)]);
      facts.push(['Workers (one per core)', String(d.workers)]);
      if (d.protocol === 'fhipe') facts.push(['Pairings', (state.h * 785).toLocaleString('en-US')]);
    }
  }
  fact($('decrypt-facts'), facts);
}

// ---------------------------------------------------------------------------------------------
// stage 4: the attacker

async function ensureAttacked(my) {
  const d = results.dec;
  const key = `${d.key}|${state.attack}`;
  if (results.atk?.key === key) return;
  results.atk = null;
  renderAttack();
  const knowsW1 = d.protocol === 'cryptonn';
  status(
    knowsW1 && state.attack === 'stacked'
      ? `Attacker: the server sees your digit again in ${stackedEpochs(state.h)} later epoch(s), W1 changed each time — stacking ${(stackedEpochs(state.h) + 1) * state.h} equations…`
      : knowsW1
      ? `Attacker: ${state.h} equations W1·x = z in 784 unknown pixels — solving a linear program…`
      : `Attacker: the server has z but not W1. Best effort: a W1 it trained itself (a shadow model)…`,
  );
  progress(0, 0, 'interior-point method');
  document.body.classList.add('attacking');
  try {
    const r = await core.call('attack', {
      h: state.h,
      method: state.attack,
      z: d.z,
      truth: results.sample,
      label: results.label,
      knowsW1,
      epochs: stackedEpochs(state.h),
    });
    if (my !== job) throw new CancelledError();
    results.atk = { key, protocol: d.protocol, ...r };
  } finally {
    document.body.classList.remove('attacking');
  }
  renderAttack();
}

function renderAttack() {
  const a = results.atk;
  const rec = $('reconstruction');
  if (!a) {
    renderSample(rec, null);
    rec.setAttribute('aria-label', 'reconstruction: none yet');
    for (const id of ['psnr', 'ssim', 'baseline']) {
      $(id).textContent = '—';
      delete $(id).dataset.value;
      delete $(id).dataset.protocol;
    }
    $('verdict').textContent = '';
    $('verdict').dataset.kind = '';
    $('attack-notes').textContent = '';
    return;
  }
  $('attack-notes').textContent = [
    `${a.method === 'tv' ? 'TV' : a.method === 'minsum' ? 'min-sum' : a.method} · ${a.status} · ${formatMs(a.ms)}`,
    ...a.notes,
  ].join(' · ');
  renderSample(rec, a.image);
  rec.classList.remove('reveal');
  void rec.offsetWidth; // restart the reveal animation
  rec.classList.add('reveal');
  $('psnr').innerHTML = a.psnr >= 99.95 ? 'exact' : `${a.psnr.toFixed(1)}<small> dB</small>`;
  $('psnr').dataset.value = String(a.psnr);
  $('psnr').dataset.protocol = a.protocol;
  $('psnr').dataset.method = a.method;
  $('ssim').textContent = a.ssim.toFixed(2);
  $('ssim').dataset.value = String(a.ssim);
  $('baseline').innerHTML = `${a.baselinePsnr.toFixed(1)}<small> dB</small>`;
  $('baseline').dataset.value = String(a.baselinePsnr);
  rec.setAttribute('aria-label', `reconstruction, PSNR ${a.psnr.toFixed(0)} dB, SSIM ${a.ssim.toFixed(2)}`);
  const failed = a.psnr < a.baselinePsnr + 1;
  const v = $('verdict');
  if (!a.knowsW1) {
    v.textContent = 'Attack failed: no better than guessing the average digit. The server never had W1.';
    v.dataset.kind = 'safe';
  } else if (failed) {
    v.textContent =
      a.status !== 'solved'
        ? `No reconstruction (${a.status}). ${a.method === 'paper' ? 'The paper’s hard smoothness rows do not fit real digits.' : ''}`
        : a.method === 'paper'
          ? 'The paper’s LP only asks for some image that fits; at this h many do, and it returns their blurry centre. Try TV.'
          : `Too few equations: ${state.h} rows of W1 are not enough for this digit. Raise h.`;
    v.dataset.kind = 'warn';
  } else if (a.within >= 0.999) {
    v.textContent = 'Leaked exactly: every pixel recovered from what the server may decrypt.';
    v.dataset.kind = 'leak';
  } else if (a.psnr >= 20) {
    v.textContent = 'Leaked: rebuilt from what the protocol lets the server decrypt.';
    v.dataset.kind = 'leak';
  } else {
    v.textContent = 'Partly leaked: blurry but recognisable. Larger h, more equations.';
    v.dataset.kind = 'leak';
  }
}

// ---------------------------------------------------------------------------------------------
// stage 5: does the model still learn?

async function ensureTrained(my) {
  const key = keyOf.curves();
  if (results.curves?.key === key && results.curves.complete) return;
  const p = protocol();
  const h = Math.min(state.h, LIVE_MAX_H);
  const list = p === 'cryptonn' ? ['cryptonn', 'client-loop', 'fhipe'] : ['cryptonn', p];
  const kinds = { cryptonn: 'leak', 'client-loop': 'safe', fhipe: 'safe2' };
  const series = list.map((name) => ({ name: PROTOCOL_NAMES[name], protocol: name, kind: kinds[name], points: [] }));
  results.curves = { key, series, complete: false, h };
  const steps = Math.ceil(1000 / 32) * LIVE_EPOCHS;
  for (const s of series) {
    status(`Training a fresh 784-${h}-10 model under ${s.name}, live in the worker…`);
    await core.call(
      'trainLive',
      { protocol: s.protocol, h, epochs: LIVE_EPOCHS },
      {
        onProgress: ({ point }) => {
          s.points.push(point);
          progress(point.step, steps, `${s.name}: step ${point.step}/${steps}`);
          renderCurves($('learn-chart'), series, { steps, legendEl: $('learn-legend') });
        },
      },
    );
    if (my !== job) throw new CancelledError();
  }
  results.curves.complete = true;
  renderLearn();
}

function renderLearn() {
  const c = results.curves;
  const steps = Math.ceil(1000 / 32) * LIVE_EPOCHS;
  if (!c) {
    renderCurves($('learn-chart'), [], { steps, legendEl: $('learn-legend') });
    return;
  }
  renderCurves($('learn-chart'), c.series, { steps, legendEl: $('learn-legend') });
  const cap = `Test accuracy (400 MNIST test digits) while training a fresh 784-${c.h}-10 model on 1,000 digits, ${LIVE_EPOCHS} epochs, live. Client loop runs the real protocol; CryptoNN and FHIPE run their exact integer arithmetic without the encryption.`;
  $('learn-caption').textContent = cap;
}

// ---------------------------------------------------------------------------------------------
// running the story

function cancelRun() {
  if (running === null) return false;
  job++;
  core.cancel();
  setBusy(null);
  return true;
}

async function runTo(target) {
  clearTimeout(sampleTimer);
  if (running !== null) cancelRun();
  const my = ++job;
  if (target < 2) return;
  setBusy(2);
  try {
    if (target >= 2) {
      setBusy(2);
      await ensureEncrypted(my);
    }
    if (target >= 3) {
      setBusy(3);
      await ensureDecrypted(my);
    }
    if (target >= 4) {
      setBusy(4);
      await ensureAttacked(my);
    }
    if (target >= 5) {
      setBusy(5);
      await ensureTrained(my);
    }
    if (my === job) status(summary(target));
  } catch (e) {
    if (my !== job) return; // superseded by a newer run
    if (e instanceof CancelledError) status('Cancelled. Press → to run the step again.', 'warn');
    else if (e instanceof UserError || /draw a digit/i.test(e.message)) status(e.message, 'warn');
    else status(`Error: ${e.message}`, 'error');
  } finally {
    if (my === job) setBusy(null);
  }
}

function summary(target) {
  const p = protocol();
  const a = results.atk;
  if (target === 2) {
    return p === 'client-loop'
      ? 'The client sent z = W1·x in the clear — but W1 stays with the client. Press → to see what the server gets.'
      : 'Encrypted. The server cannot read these bytes. Press → to see what the protocol lets it decrypt.';
  }
  if (target === 3) {
    return p === 'cryptonn'
      ? `The server now holds z = W1·x: ${state.h} exact equations about your pixels — and it knows W1. Press → to attack.`
      : `The server holds ${state.h} values of z but not W1. Press → to attack anyway.`;
  }
  if (target === 4 && a) {
    if (!a.knowsW1) {
      return `${PROTOCOL_NAMES[a.protocol]}: the server never held W1, so its best guess (a W1 it trained itself) rebuilds noise — PSNR ${a.psnr.toFixed(1)} dB, worse than the ${a.baselinePsnr.toFixed(1)} dB of guessing the average digit.`;
    }
    return a.psnr >= a.baselinePsnr + 1
      ? `Reconstructed from the server's view alone: PSNR ${a.psnr.toFixed(1)} dB, SSIM ${a.ssim.toFixed(2)} (guessing the average digit: ${a.baselinePsnr.toFixed(1)} dB). Press → for the fixes.`
      : `The attack got ${a.psnr.toFixed(1)} dB — no better than the average digit (${a.baselinePsnr.toFixed(1)} dB). Try more hidden units or another attack.`;
  }
  if (target === 5) {
    const c = results.curves;
    const last = (s) => s.points[s.points.length - 1]?.accuracy ?? 0;
    return c
      ? `The model still learns: ${c.series.map((s) => `${s.name} ${Math.round(100 * last(s))}%`).join(', ')} test accuracy. Toggle f / l to see the attack fail.`
      : 'Mitigations.';
  }
  return 'Done.';
}

/** On screens where the stages do not all fit (tablets, phones), bring the current one into view. */
function revealStage() {
  if (window.innerWidth > 1100) return;
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  $(`stage-${state.stage}`).scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
}

function goTo(stage) {
  const target = Math.max(1, Math.min(S.STAGES, stage));
  if (target > 1 && !results.sample) {
    status('Draw a digit first: the canvas is empty (or press r for a random MNIST digit).', 'warn');
    return;
  }
  state.stage = target;
  writeHash();
  renderStages();
  revealStage();
  runTo(target);
}

function setHidden(h, { replace = false } = {}) {
  state.h = S.snapHidden(h);
  writeHash({ replace });
  applyControls();
  renderDecrypt();
  rerunIfNeeded();
}

function rerunIfNeeded() {
  if (state.stage >= 2 && results.sample) runTo(state.stage);
}

function toggle(which, on) {
  if (which === 'fhipe') {
    state.fhipe = on ?? !state.fhipe;
    if (state.fhipe) {
      prevH = state.h;
      state.h = S.FHIPE_DEFAULT_H;
    } else if (prevH !== null && state.h === S.FHIPE_DEFAULT_H) {
      state.h = prevH;
      prevH = null;
    }
  } else {
    state.loop = on ?? !state.loop;
  }
  writeHash();
  applyControls();
  drawPipeline();
  renderEncrypt();
  renderDecrypt();
  renderAttack();
  const p = protocol();
  status(
    p === 'fhipe'
      ? `FHIPE on: the client keeps W1 and issues function-hiding keys (h = ${state.h}; FHIPE needs 785 pairings per row).`
      : p === 'client-loop'
        ? 'Client in the loop on: the client keeps W1 and sends only z.'
        : 'Mitigations off: CryptoNN, where the server owns W1.',
  );
  if (state.stage >= 2 && results.sample) runTo(state.stage);
}

function togglePresenter() {
  state.presenter = !state.presenter;
  writeHash({ replace: true });
  applyControls();
}

// ---------------------------------------------------------------------------------------------
// wiring

$('clear').addEventListener('click', clearDigit);
$('random-digit').addEventListener('click', randomDigit);
$('run').addEventListener('click', () => {
  if (!results.sample) return status('Draw a digit first: the canvas is empty (or press r for a random MNIST digit).', 'warn');
  state.stage = Math.max(state.stage, 4);
  writeHash();
  renderStages();
  revealStage();
  runTo(state.stage);
});
$('next-stage').addEventListener('click', () => goTo(state.stage + 1));
$('prev-stage').addEventListener('click', () => goTo(state.stage - 1));
for (const b of document.querySelectorAll('[data-goto]')) b.addEventListener('click', () => goTo(Number(b.dataset.goto)));
$('presenter').addEventListener('click', togglePresenter);
$('cancel').addEventListener('click', () => cancelRun() && status('Cancelled. Press → to run the step again.', 'warn'));
$('help').addEventListener('click', () => {
  $('shortcuts').showModal();
  $('help').setAttribute('aria-expanded', 'true');
});
$('shortcuts').addEventListener('close', () => $('help').setAttribute('aria-expanded', 'false'));

const hInput = $('hidden-units');
hInput.addEventListener('input', () => {
  const h = S.HIDDEN[Number(hInput.value)] ?? S.DEFAULTS.h;
  $('h-value').textContent = `h = ${h}`;
  hInput.setAttribute('aria-valuetext', `h = ${h}`);
});
hInput.addEventListener('change', () => setHidden(S.HIDDEN[Number(hInput.value)]));
$('attack-method').addEventListener('change', (e) => {
  state.attack = e.target.value;
  writeHash();
  applyControls();
  if (state.stage >= 4) runTo(state.stage);
});
$('fe-group').addEventListener('change', (e) => {
  state.group = e.target.value;
  writeHash();
  applyControls();
  drawPipeline();
  rerunIfNeeded();
});
$('toggle-fhipe').addEventListener('change', (e) => toggle('fhipe', e.target.checked));
$('toggle-client-loop').addEventListener('change', (e) => toggle('loop', e.target.checked));

window.addEventListener('popstate', () => applyHash());
window.addEventListener('hashchange', () => applyHash());

function applyHash() {
  const next = S.fromHash(location.hash);
  const digitChanged = !S.sameDigit(next.digit, state.digit);
  const same = S.toHash(next) === S.toHash(state);
  if (same) return;
  cancelRun();
  state = next;
  applyControls();
  drawPipeline();
  if (digitChanged) showDigitFromState();
  renderEncrypt();
  renderDecrypt();
  renderAttack();
  if (state.stage >= 2 && results.sample) runTo(state.stage);
}

setupKeyboard({
  next: () => goTo(state.stage + 1),
  prev: () => goTo(state.stage - 1),
  fhipe: () => toggle('fhipe'),
  loop: () => toggle('loop'),
  random: randomDigit,
  clear: clearDigit,
  presenter: togglePresenter,
  cancel: () => cancelRun() && status('Cancelled. Press → to run the step again.', 'warn'),
});
setupTooltips();

// ---------------------------------------------------------------------------------------------
// start

applyControls();
drawPipeline();
renderEncrypt();
renderDecrypt();
renderAttack();
renderLearn();
renderSample($('preview'), null);
renderSample($('original'), null);

Promise.all([core.whenReady(), loadDigits(URLS.test)])
  .then(([i, d]) => {
    info = i;
    digits = d;
    $('version').textContent = `glasslayer core ${i.version} · Rust → WebAssembly · ${core.cores} worker${core.cores > 1 ? 's' : ''} for decryption`;
    document.body.dataset.ready = 'true';
    renderDecrypt();
    showDigitFromState();
    if (state.digit && state.stage >= 2) {
      runTo(state.stage);
    } else {
      if (!state.digit) state.stage = 1;
      renderStages();
      status(state.digit ? 'Ready. Press → (or space) to walk through the stages.' : 'Ready: draw a digit (or press r for a random MNIST digit), then press →.');
    }
  })
  .catch((e) => status(`Could not load the WebAssembly core: ${e.message}`, 'error'));

// Charts and the ciphertext strip are drawn at their on-screen size: redraw when it changes.
let resizeFrame = 0;
const redraw = () => {
  drawPipeline();
  renderZ($('server-z'), lastZ.z, { hidden: lastZ.hidden });
  renderEncrypt();
  renderLearn();
};
new ResizeObserver(() => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(redraw);
}).observe(document.body);
