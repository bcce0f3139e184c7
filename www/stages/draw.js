// Stage 1: the client's sample — drawn (mouse, pen, finger) or a bundled MNIST test digit.
import { page, $, status, writeHash, afterSampleChange, cancelRun, render, CancelledError, ensureModels } from '../page.js';
import { setupDrawing } from '../views/draw.js';
import { renderSample, toUnit, toBytes } from '../views/preview.js';

let drawing = null;

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
    renderSample($('preview'), await page.core.call('preprocess', { rgba, width, height }));
  } catch {
    /* an empty canvas or a cancelled worker: the stroke's end updates the preview */
  } finally {
    previewBusy = false;
  }
}

/** The end of a stroke: the sample is set once the worker has preprocessed it. Whoever needs
 *  the sample right after a stroke (Run all, Next) awaits `page.sampleComing`. */
function strokeDone() {
  const done = strokeToSample().finally(() => {
    if (page.sampleComing === done) page.sampleComing = null;
  });
  page.sampleComing = done;
}

async function strokeToSample() {
  try {
    const { rgba, width, height } = drawing.pixels();
    const pixels = toBytes(await page.core.call('preprocess', { rgba, width, height }));
    setSample(pixels, -1, 'Your drawing');
    page.state.digit = { kind: 'drawn', pixels };
    writeHash({ replace: true });
    status('Preview updated: this 28×28 sample is what the client encrypts. Press → to go on.');
    afterSampleChange();
  } catch (e) {
    if (!(e instanceof CancelledError)) status(e.message, 'error');
  }
}

function setSample(pixels, label, source) {
  $('draw-canvas').parentElement.dataset.empty = pixels ? 'false' : 'true';
  const r = page.results;
  r.sample = pixels;
  r.label = label;
  r.source = source ?? '';
  r.enc = r.dec = r.atk = r.cmp = null;
  renderSample($('preview'), pixels ? toUnit(pixels) : null);
  $('preview').setAttribute('aria-label', pixels ? `The 28×28 sample the client will encrypt (${source})` : 'The 28×28 sample (empty)');
  renderSample($('original'), pixels ? toUnit(pixels) : null);
  $('original').setAttribute('aria-label', pixels ? `original: ${source}` : 'original: none yet');
  $('digit-source').textContent = source ?? '';
  render();
}

/** Show the digit the state names (after load, back/forward). */
export function showDigitFromState() {
  const d = page.state.digit;
  if (!d) {
    drawing.clear();
    setSample(null, -1, '');
    return;
  }
  if (d.kind === 'mnist') {
    const digits = page.digits;
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

export function randomDigit() {
  const digits = page.digits;
  if (!digits) return;
  cancelRun();
  let i = Math.floor(Math.random() * digits.count);
  if (page.state.digit?.kind === 'mnist' && page.state.digit.index === i) i = (i + 1) % digits.count;
  page.state.digit = { kind: 'mnist', index: i };
  ensureModels().catch(() => {});
  writeHash();
  showDigitFromState();
  status(`MNIST test digit #${i}, a ${digits.labels[i]}. Press → to encrypt it.`);
  afterSampleChange();
}

export function clearDigit() {
  cancelRun();
  page.state.digit = null;
  writeHash();
  showDigitFromState();
  status('Canvas cleared: draw a digit first.');
}

export function setupDraw() {
  drawing = setupDrawing($('draw-canvas'), {
    onStart: () => {
      cancelRun();
      ensureModels().catch(() => {}); // the first interaction: fetch the models while the user draws
      $('draw-canvas').parentElement.dataset.empty = 'false';
    },
    onDraw: livePreview,
    onStroke: strokeDone,
  });
  $('clear').addEventListener('click', clearDigit);
  $('random-digit').addEventListener('click', randomDigit);
  renderSample($('preview'), null);
  renderSample($('original'), null);
}
