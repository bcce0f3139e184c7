// The page context: the state (and the URL), the core's workers, the results of each stage, the
// status line and progress bar, and running / cancelling the story. The stages (www/stages/*.js)
// register here and read and write only through this module.
import { Core, CancelledError } from './core.js';
import { protocolApi } from './api.js';
import * as S from './state.js';
import { DRAW_FIRST, CANCELLED, PROTOCOL_FALLBACK, forTouch } from './copy.js';
import { tickPx } from './views/charts.js';
import { fontPx } from './views/ciphertext.js';
import { reveal, settled } from './reveal.js';

export const $ = (id) => document.getElementById(id);
export { CancelledError };
export class UserError extends Error {}

export const URLS = {
  models: new URL('./generated/models.bin', import.meta.url).href,
  train: new URL('./generated/mnist-train.bin', import.meta.url).href,
  test: new URL('./generated/mnist-digits.bin', import.meta.url).href,
};

// Read with the fallback vocabulary until the core has loaded; what is not understood is reported
// (and the address bar rewritten) only then, against the core's own lists (setInfo).
const first = S.parseHash(location.hash);

export const page = {
  state: first.state,
  vocab: S.FALLBACK,
  /** the core's info ({version, models, hidden, attacks, protocols, groups, mean}) once loaded */
  info: null,
  digits: null,
  core: new Core(URLS, { lazy: true }),
  api: null,
  /** results of the stages, each with the `key` of the settings it was computed for */
  results: { sample: null, label: -1, source: '', enc: null, dec: null, atk: null, cmp: null, curves: null, leak: null, leakRun: null },
  running: null,
  job: 0,
  /** estimates the user already said yes to (protocol|h|group) */
  confirmed: new Set(),
  /** a change the page made at the user's request, said again with the next summary */
  notice: '',
  /** a stroke just ended and its sample is being preprocessed (a promise), else null */
  sampleComing: null,
};

/** The protocols the page offers (the core's list once loaded). */
export const protocols = () => page.info?.protocols ?? PROTOCOL_FALLBACK;
export const protocolInfo = (name = page.state.protocol) => protocols().find((p) => p.name === name) ?? PROTOCOL_FALLBACK[0];

// --- status and progress ----------------------------------------------------------------------

/** A touch screen with no mouse or keyboard hints (phones, tablets): instructions say "tap". */
export const touchOnly = () => window.matchMedia('(hover: none) and (pointer: coarse)').matches;

export function status(text, kind = 'info') {
  $('status').textContent = touchOnly() ? forTouch(text) : text;
  $('status').dataset.kind = kind;
}

export function progress(done, total, text = '') {
  const el = $('progress');
  el.hidden = false;
  const indeterminate = !(total > 0);
  el.classList.toggle('indeterminate', indeterminate);
  const pct = indeterminate ? 0 : Math.round((100 * done) / total);
  if (indeterminate) el.removeAttribute('aria-valuenow');
  else el.setAttribute('aria-valuenow', String(pct));
  el.setAttribute('aria-valuetext', text || `${pct}%`);
  el.querySelector('.bar').style.width = indeterminate ? '' : `${pct}%`;
  el.querySelector('.ptext').textContent = text;
}

function setBusy(stage) {
  page.running = stage;
  const busy = stage !== null;
  document.body.dataset.busy = busy ? 'true' : 'false';
  document.body.dataset.running = busy ? String(stage) : '';
  $('cancel').hidden = !busy;
  if (!busy) $('progress').hidden = true;
  if (!busy) settled();
  for (const fn of busyHooks) fn();
}

const busyHooks = [];
/** Something that shows what runs (the pipeline diagram's moving arrow). */
export function onBusy(fn) {
  busyHooks.push(fn);
}

/** A note about the link itself (malformed keys), shown until dismissed. */
export function linkNote(text) {
  $('link-note-text').textContent = text;
  $('link-note').hidden = !text;
}

// --- the URL ------------------------------------------------------------------------------------

export function writeHash({ replace = false } = {}) {
  const hash = S.toHash(page.state);
  if (hash === location.hash) return;
  if (replace) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
}

/** Read the address bar (on load, after init with the core's vocabulary, on back/forward). */
export function readHash() {
  const r = S.parseHash(location.hash, page.vocab);
  if (r.problems.length) linkNote(S.describeProblems(r.problems));
  return r;
}

// --- stages -------------------------------------------------------------------------------------
// A stage: {n, slot, key(): string, run(my): Promise, render(), ...}. Its result is
// page.results[slot] = {key, …}; it is current while its key matches the settings.

const stages = [];
const renderers = [];

export function registerStage(stage) {
  stages.push(stage);
  stages.sort((a, b) => a.n - b.n); // stable: equal n keep their order
  renderers.push(() => stage.render());
}

/** Something else that redraws with the page (controls, diagram). */
export function onRender(fn) {
  renderers.push(fn);
}

/** On-screen sizes of the drawn elements: {width, height} and, for the charts and the ciphertext
 *  strip, the CSS font size of their labels (larger in presenter and stage modes). Read by a
 *  ResizeObserver after the browser's own layout, so a render forces no layout; a change redraws at
 *  the next frame. Only the first render, before the observer has reported, reads them itself. */
const boxes = {};
const MEASURED = { 'ct-strip': fontPx, 'server-z': tickPx, 'learn-chart': tickPx, pipeline: null };
/** The measured box of `id` ({width, height, font}), null before the first render. */
export const boxOf = (id) => boxes[id] ?? null;
/** The same as a string, for the "redraw only what changed" keys. */
export const sizeOf = (id) => (boxes[id] ? `${boxes[id].width}x${boxes[id].height}@${boxes[id].font}` : '');

/** Measure `els`: every size first, then the fonts (style only: no second layout). True if any changed. */
function measure(els) {
  const before = els.map((el) => sizeOf(el.id));
  for (const el of els) boxes[el.id] = { width: el.clientWidth, height: el.clientHeight, font: 0 };
  for (const el of els) if (MEASURED[el.id]) boxes[el.id].font = MEASURED[el.id](el);
  return els.some((el, i) => sizeOf(el.id) !== before[i]);
}
let resized = 0;
const watcher = new ResizeObserver((entries) => {
  if (measure(entries.map((e) => e.target)) && !resized) {
    resized = requestAnimationFrame(() => {
      resized = 0;
      render();
    });
  }
});

export function render() {
  if (!boxes.pipeline) {
    const els = Object.keys(MEASURED).map($);
    measure(els);
    for (const el of els) watcher.observe(el);
  }
  for (const fn of renderers) fn();
}

/** The result in `slot` if it belongs to the current settings, else null. */
export function current(slot) {
  const stage = stages.find((s) => s.slot === slot);
  const r = page.results[slot];
  return r && stage && r.key === stage.key() ? r : null;
}

/** Throw if a newer run superseded job `my`. */
export function check(my) {
  if (my !== page.job) throw new CancelledError();
}

// --- running the story --------------------------------------------------------------------------

const cancelHooks = [];
/** Extra things to stop on cancel (the comparison worker, a pending question). */
export function onCancel(fn) {
  cancelHooks.push(fn);
}

export function cancelRun() {
  if (page.running === null) return false;
  page.job++;
  // The round's scene lives in the main worker: restarting it (to stop its call) ends that scene,
  // so the results computed on it are no longer usable by the next stage.
  const sceneLost = page.core.main.busy;
  page.core.cancel();
  if (sceneLost) page.results.enc = page.results.dec = page.results.atk = null;
  for (const fn of cancelHooks) fn();
  setBusy(null);
  render();
  return true;
}

/** The trained models (the biggest download): fetched on the first interaction, not before. */
let modelsHooked = false;
export function ensureModels() {
  if (!page.digits) return Promise.reject(new Error('the page is still loading'));
  const p = page.core.loadModels(page.digits.bytes);
  if (!modelsHooked) {
    modelsHooked = true;
    p.then((info) => {
      page.info = { ...page.info, models: info.models, mean: info.mean };
      for (const fn of modelsHooks) fn();
      render();
    }).catch(() => (modelsHooked = false));
  }
  return p;
}
const modelsHooks = [];
/** Something to refresh once the trained models are there. */
export function onModels(fn) {
  modelsHooks.push(fn);
}

let sampleTimer = null;
export async function runTo(target) {
  clearTimeout(sampleTimer);
  if (page.running !== null) cancelRun();
  const my = ++page.job;
  if (target < 2) return;
  try {
    if (!page.info?.models) {
      setBusy(2);
      status('Loading the trained models (first run only)…');
      progress(0, 0, 'trained models');
      const info = await ensureModels();
      check(my);
      page.info = { ...page.info, models: info.models, mean: info.mean };
    }
    for (const stage of stages) {
      if (stage.n > target) break;
      setBusy(stage.n);
      if (!current(stage.slot)) {
        render(); // the stage's old result (if any) is no longer current: clear it from the screen
        await stage.run(my);
        check(my);
        render();
      }
    }
    setBusy(null);
    render();
    // the last stage run that has something to say (stage 5's panel says nothing without a mitigation)
    const said = stages
      .filter((s) => s.n <= target && s.summary)
      .reverse()
      .map((s) => s.summary())
      .find(Boolean);
    if (my === page.job && said) {
      status(`${page.notice}${said}`);
      page.notice = '';
    }
  } catch (e) {
    if (my !== page.job) return; // superseded by a newer run
    page.notice = '';
    if (e instanceof CancelledError) status(CANCELLED, 'warn');
    else if (e instanceof UserError) status(e.message, 'warn');
    else status(`Error: ${e.message}`, 'error');
  } finally {
    if (my === page.job) setBusy(null);
  }
}

/** After a new sample: re-run what the audience is looking at (a moment later, so strokes batch). */
export function afterSampleChange() {
  clearTimeout(sampleTimer);
  if (page.state.stage >= 2) sampleTimer = setTimeout(() => runTo(Math.min(page.state.stage, 4)), 250);
}

export function rerunIfNeeded() {
  if (page.state.stage >= 2 && page.results.sample) runTo(page.state.stage);
}

/** On screens where the stages do not all fit (tablets, phones), bring the current one into view
 *  (and keep it there while the stages above fill in: www/reveal.js). */
export function revealStage() {
  if (window.innerWidth > 1100) return;
  reveal($(`stage-${page.state.stage}`));
}

export async function goTo(stage) {
  if (page.sampleComing) await page.sampleComing; // Next right after a stroke: its sample first
  const target = Math.max(1, Math.min(S.STAGES, stage));
  if (target > 1 && !page.results.sample) {
    status(DRAW_FIRST, 'warn');
    return;
  }
  page.state.stage = target;
  writeHash();
  render();
  revealStage();
  runTo(target);
}

/** Change settings (a control, a key): the URL, the page, and the stages on screen follow. */
export function setState(patch, { replace = false, rerun = true } = {}) {
  Object.assign(page.state, patch);
  writeHash({ replace });
  render();
  if (rerun) rerunIfNeeded();
}

/** The core's info arrived: its vocabulary replaces the fallback; re-read the link with it. */
export function setInfo(info) {
  page.info = info;
  page.api = protocolApi(page.core);
  page.vocab = S.vocabularyOf(page.info);
  const r = readHash();
  const digit = page.state.digit;
  page.state = { ...r.state, digit: r.state.digit ?? digit };
  if (r.rewrite) writeHash({ replace: true });
}
