// Lab mode for classrooms (#mode=lab): the attack budget (PSNR against h for the current digit and
// every attack, computed on demand in the lab's workers — www/lab/budget.js), every attack side by
// side on the same view, a digit picker, the equations-vs-unknowns meter, exports (PNG of each
// panel, CSV of the plot, the scene JSON) and five exercises. Stage 1 (draw, random, clear) moves
// into the lab's digit panel while the lab is open; stages 2–5 wait in the full demo.
import { page, $, status, onRender, writeHash, cancelRun, URLS, setState, CancelledError } from '../page.js';
import { showDigitFromState } from '../stages/draw.js';
import { digitKey, toHash } from '../state.js';
import { Budget } from './budget.js';
import { renderBudgetPlot, plotted, isExact, styleOf } from './budget-plot.js';
import { budgetCsv } from './csv.js';
import { renderMeter } from './meter.js';
import { renderExercises } from './exercises.js';
import { renderPicker, pickerIndices, markPicked } from './picker.js';
import { svgPng, imagesPng } from './png.js';
import { download } from '../export.js';
import { renderSample, toUnit } from '../views/preview.js';
import { verdict, db } from '../views/verdict.js';
import { formatSeconds } from '../estimate.js';
import { DRAW_FIRST } from '../copy.js';
import { LAB_HTML } from './markup.js';

/** The hidden sizes the lab is asked to cover; those without a bundled model are named on the plot. */
export const REQUESTED_H = [16, 32, 64, 128, 256, 512, 784];
export const CSV_FILE = 'glasslayer-budget.csv';

const lab = {
  open: false,
  filled: false,
  budget: null,
  sample: null, // the sample (page.results.sample) the points belong to
  points: new Map(), // `${h}|${attack}` → point
  running: false,
  ms: null,
  pickerPage: 0,
  pickerShown: false,
};

export const isLab = () => page.state.mode === 'lab';
const attacksInfo = () => page.info?.attacks ?? page.vocab.attacks.map((name) => ({ name, label: name }));
const hidden = () => page.vocab.hidden;
const fontOf = (el) => parseFloat(getComputedStyle(el).fontSize) || 13;
/** A short name of the digit for files and captions: m7 (MNIST test digit 7) or "drawn". */
const digitName = () => (page.state.digit?.kind === 'mnist' ? `m${page.state.digit.index}` : page.state.digit ? 'drawn' : 'none');
const pointAt = (h, attack) => lab.points.get(`${h}|${attack}`) ?? null;

function budget() {
  if (!lab.budget) lab.budget = new Budget(URLS, page.core.cores);
  return lab.budget;
}

/** Keys of the five-stage story do nothing in the lab (arrows, space and PageUp/Down keep their
 *  usual meaning in the page); r, c, ? and Esc still work. */
const STORY_KEYS = new Set(['ArrowRight', 'ArrowLeft', 'PageDown', 'PageUp', ' ', 'p', 'P', 'f', 'F', 'l', 'L', 'e', 'E']);
export function labIgnoresKey(e) {
  return isLab() && STORY_KEYS.has(e.key);
}

/** The status line once the page is ready, in the lab (null outside it). */
export function labReadyText() {
  if (!isLab()) return null;
  return page.state.digit
    ? 'Lab ready: press Compute for the attack budget of this digit, or pick another one.'
    : 'Lab ready: pick an MNIST digit (or draw one), then press Compute.';
}

// --- building ---------------------------------------------------------------------------------

function build() {
  const sec = document.createElement('main');
  sec.id = 'lab';
  sec.className = 'lab';
  sec.dataset.testid = 'lab';
  sec.setAttribute('aria-labelledby', 'lab-title');
  sec.hidden = true;
  sec.innerHTML = LAB_HTML;
  $('stages').after(sec);
  renderExercises($('lab-exercises'));
  $('budget-run').addEventListener('click', compute);
  $('budget-cancel').addEventListener('click', () => {
    budget().cancel();
    status('Attack budget cancelled: the points so far stay on the plot.', 'warn');
  });
  $('budget-csv').addEventListener('click', exportCsv);
  $('budget-png').addEventListener('click', () => savePng(svgPng($('budget-plot')), 'glasslayer-budget.png'));
  $('meter-png').addEventListener('click', () => savePng(svgPng($('lab-meter')), 'glasslayer-equations.png'));
  $('side-png').addEventListener('click', () => savePng(sidePng(), `glasslayer-attacks-h${page.state.h}.png`));
  $('lab-digit-png').addEventListener('click', () => savePng(digitPng(), 'glasslayer-digit.png'));
  $('side-scene').addEventListener('click', exportSceneJson);
  $('lab-attack').addEventListener('change', (e) => setState({ attack: e.target.value }, { rerun: false }));
  $('lab-more').addEventListener('click', () => {
    lab.pickerPage++;
    lab.pickerShown = false;
    draw();
  });
  $('budget-plot').addEventListener('click', (e) => {
    const hs = hidden();
    const r = $('budget-plot').getBoundingClientRect();
    const xs = lab.xOf ? hs.map((h) => Math.abs(lab.xOf(h) - (e.clientX - r.left))) : [];
    if (xs.length) setState({ h: hs[xs.indexOf(Math.min(...xs))] }, { rerun: false });
  });
}

/** The lists that come from the core (attacks, hidden sizes), once it has loaded. */
function fill() {
  const box = $('budget-attacks');
  for (const el of box.querySelectorAll('label')) el.remove();
  for (const a of attacksInfo()) {
    const l = document.createElement('label');
    l.className = `check ${styleOf(a.name).cls}`;
    const i = document.createElement('input');
    i.type = 'checkbox';
    i.value = a.name;
    i.checked = true;
    i.dataset.testid = `budget-attack-${a.name}`;
    i.addEventListener('change', draw);
    l.append(i, ` ${styleOf(a.name).short}`);
    box.append(l);
  }
  const hbox = $('lab-h');
  for (const el of hbox.querySelectorAll('label')) el.remove();
  for (const h of hidden()) {
    const l = document.createElement('label');
    const i = document.createElement('input');
    i.type = 'radio';
    i.name = 'lab-h';
    i.value = String(h);
    i.addEventListener('change', () => i.checked && setState({ h }, { rerun: false }));
    l.append(i, ` ${h}`);
    hbox.append(l);
  }
  $('lab-attack').replaceChildren(
    ...attacksInfo().map((a) => {
      const o = document.createElement('option');
      o.value = a.name;
      o.textContent = a.label;
      return o;
    }),
  );
  lab.filled = true;
}

// --- entering and leaving -----------------------------------------------------------------------

function enter() {
  lab.open = true;
  cancelRun();
  document.body.classList.add('lab-mode');
  $('lab').hidden = false;
  $('stages').hidden = true;
  $('lab-draw-slot').append($('stage-1'));
  if (page.state.stage !== 1) {
    page.state.stage = 1; // the five stages wait in the full demo
    writeHash({ replace: true });
  }
}

function leave() {
  lab.open = false;
  budget().cancel();
  document.body.classList.remove('lab-mode');
  $('lab').hidden = true;
  $('stages').hidden = false;
  $('stages').prepend($('stage-1'));
}

function modeLink() {
  const a = $('mode-link');
  if (!a) return;
  const lab = isLab();
  a.textContent = lab ? 'Full demo' : 'Lab';
  a.href = toHash({ ...page.state, mode: lab ? 'demo' : 'lab', stage: 1, presenter: false, embed: false });
  a.setAttribute('aria-label', lab ? 'Back to the full demo' : 'Lab for classrooms: the attack budget, every attack side by side, exercises');
}

// --- computing --------------------------------------------------------------------------------

const checkedAttacks = () => [...document.querySelectorAll('#budget-attacks input:checked')].map((i) => i.value);

function progressUI({ done, total, leftMs }) {
  const el = $('budget-progress');
  el.hidden = false;
  const pct = total ? Math.round((100 * done) / total) : 0;
  el.setAttribute('aria-valuenow', String(pct));
  const text = `${done}/${total} points · ${leftMs > 500 ? `${formatSeconds(leftMs / 1000)} left` : 'finishing'}`;
  el.setAttribute('aria-valuetext', text);
  el.querySelector('.bar').style.width = `${pct}%`;
  el.querySelector('.ptext').textContent = text;
}

async function compute() {
  const x = page.results.sample;
  if (!x) return status(DRAW_FIRST, 'warn');
  const attacks = checkedAttacks();
  if (!attacks.length) return status('Tick at least one attack for the budget.', 'warn');
  const b = budget();
  const hs = hidden();
  for (const k of [...lab.points.keys()]) if (attacks.includes(k.split('|')[1])) lab.points.delete(k);
  lab.running = true;
  lab.ms = null;
  draw();
  const est = b.estimate(hs, attacks);
  status(`Attack budget: a CryptoNN round at each h (${hs.join(', ')}) and ${attacks.length} attack${attacks.length > 1 ? 's' : ''} on its server view, on ${b.workers} worker${b.workers > 1 ? 's' : ''} — ${formatSeconds(est / 1000)} (estimate)…`);
  progressUI({ done: 0, total: hs.length * attacks.length, leftMs: est });
  try {
    const r = await b.compute({
      x,
      label: page.results.label,
      hidden: hs,
      attacks,
      onPoint: (p) => {
        if (page.results.sample !== x) return;
        lab.points.set(`${p.h}|${p.attack}`, p);
        draw();
      },
      onProgress: progressUI,
    });
    lab.ms = r.ms;
    status(budgetSummary(attacks, r.ms));
  } catch (e) {
    if (!(e instanceof CancelledError)) status(`Attack budget failed: ${e.message}`, 'error');
  } finally {
    lab.running = false;
    $('budget-progress').hidden = true;
    draw();
  }
}

/** One sentence from the numbers: where TV (or the first attack) becomes readable and exact. */
function budgetSummary(attacks, ms) {
  const a = attacks.includes('tv') ? 'tv' : attacks[0];
  const label = attacksInfo().find((x) => x.name === a)?.label ?? a;
  const pts = hidden().map((h) => pointAt(h, a)).filter((p) => p && plotted(p));
  const readable = pts.find((p) => p.psnr >= 20);
  const exact = pts.find(isExact);
  const parts = [`${label}:`];
  if (pts[0]) parts.push(`${db(pts[0].psnr)} at h = ${pts[0].h},`);
  parts.push(readable ? `readable (≥ 20 dB) from h = ${readable.h},` : 'never readable (≥ 20 dB) here,');
  parts.push(exact ? `exact from h = ${exact.h}.` : 'never exact here.');
  return `Attack budget done in ${(ms / 1000).toFixed(1)} s. ${parts.join(' ')} Click an h on the plot to see every attack at that h.`;
}

// --- exports ----------------------------------------------------------------------------------

async function savePng(blobPromise, name) {
  try {
    download(await blobPromise, name);
    status(`Saved ${name}.`);
  } catch (e) {
    status(`PNG export failed: ${e.message}`, 'error');
  }
}

function exportCsv() {
  const attacks = attacksInfo().map((a) => a.name);
  const csv = budgetCsv([...lab.points.values()], { digit: digitName(), attacks });
  download(new Blob([csv], { type: 'text/csv' }), CSV_FILE);
  status(`Saved ${CSV_FILE}: one row per h and attack (PSNR, SSIM, the average digit's PSNR, the solver's status).`);
}

async function exportSceneJson() {
  const x = page.results.sample;
  if (!x) return status(DRAW_FIRST, 'warn');
  const { h, attack } = page.state;
  status(`Scene JSON: a CryptoNN round at h = ${h} and the ${attack} attack on its view…`);
  try {
    const json = await budget().sceneJson({ x, label: page.results.label, h, attack, digit: digitKey(page.state.digit) });
    download(new Blob([json], { type: 'application/json' }), 'glasslayer-scene.json');
    status(`Saved glasslayer-scene.json (h = ${h}, ${attack}): the settings, exactly the view the attacker used, the digit and the rebuild. Check it with: glasslayer attack --view glasslayer-scene.json`);
  } catch (e) {
    if (!(e instanceof CancelledError)) status(`Export failed: ${e.message}`, 'error');
  }
}

function sidePanels() {
  const h = page.state.h;
  const panels = [{ label: 'the digit', image: page.results.sample ? toUnit(page.results.sample) : null, note: digitName() }];
  for (const a of attacksInfo()) {
    const p = pointAt(h, a.name);
    panels.push({
      attack: a.name,
      label: styleOf(a.name).short,
      title: a.label,
      point: p,
      image: p?.applicable && p.status === 'solved' ? p.image : null,
      note: !p ? 'not run yet' : !p.applicable ? 'does not apply' : p.status !== 'solved' ? `stopped: ${p.status}` : db(p.psnr),
      border: !p ? '#3a4859' : verdictKind(p) === 'leak' ? '#ff7070' : verdictKind(p) === 'partial' ? '#ffb454' : '#3a4859',
    });
  }
  return panels;
}

const verdictKind = (p) => verdict(p, { h: p.h }).kind;

function sidePng() {
  return imagesPng({ title: `Every attack on the same CryptoNN view, h = ${page.state.h}`, panels: sidePanels(), caption: $('side-caption').textContent });
}

function digitPng() {
  const s = page.results.sample;
  return imagesPng({ title: 'The digit', panels: [{ label: $('digit-source').textContent || 'the digit', image: s ? toUnit(s) : null }] });
}

// --- drawing ----------------------------------------------------------------------------------

function drawPicker() {
  if (!page.digits) return;
  const grid = $('lab-picker');
  if (!lab.pickerShown) {
    const { indices } = pickerIndices(page.digits, lab.pickerPage);
    renderPicker(grid, page.digits, indices, (i) => {
      page.state.digit = { kind: 'mnist', index: i };
      writeHash();
      showDigitFromState();
      status(`MNIST test digit #${i}, a ${page.digits.labels[i]}. Press Compute for its attack budget.`);
    });
    lab.pickerShown = true;
  }
  markPicked(grid, page.state.digit?.kind === 'mnist' ? page.state.digit.index : -1);
}

function drawPlot() {
  const svg = $('budget-plot');
  const hs = hidden();
  const shown = attacksInfo().filter((a) => checkedAttacks().includes(a.name) || [...lab.points.values()].some((p) => p.attack === a.name));
  const pts = [...lab.points.values()];
  const baseline = pts.find((p) => Number.isFinite(p.baselinePsnr))?.baselinePsnr ?? null;
  const missing = REQUESTED_H.filter((h) => !hs.includes(h));
  const note = missing.length ? `no model for h = ${missing.join(', ')}: left out, not replaced` : '';
  lab.xOf = renderBudgetPlot(svg, { hidden: hs, attacks: shown, points: pts, baseline, selected: page.state.h, fontPx: fontOf(svg), note });
  svg.dataset.points = String(pts.length);
  $('budget-missing').textContent = missing.length
    ? `The lab covers h = ${REQUESTED_H.join(', ')}; the bundled models have h = ${hs.join(', ')}, so h = ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} left out of the plot — not replaced by another size.`
    : '';
  $('budget-desc').textContent = pts.length
    ? `PSNR of each attack's rebuild against h for ${$('digit-source').textContent || 'the digit'}: ${shown
        .map((a) => `${a.label} ${hs.map((h) => pointAt(h, a.name)).filter(Boolean).map((p) => `h ${p.h} ${plotted(p) ? db(p.psnr) : p.status}`).join(', ')}`)
        .join('; ')}.`
    : 'No points yet: press Compute.';
  // the numbers as a table (and for screen readers)
  const table = $('budget-table');
  const cap = table.querySelector('caption');
  const head = `<thead><tr><th scope="col">h</th>${shown.map((a) => `<th scope="col">${styleOf(a.name).short}</th>`).join('')}</tr></thead>`;
  const rows = hs
    .map((h) => `<tr><th scope="row">${h}</th>${shown.map((a) => {
      const p = pointAt(h, a.name);
      return `<td>${!p ? '–' : plotted(p) ? db(p.psnr) : p.applicable ? `stopped (${p.status})` : 'n/a'}</td>`;
    }).join('')}</tr>`)
    .join('');
  table.innerHTML = `${head}<tbody>${rows}</tbody>`;
  table.prepend(cap);
  $('budget-csv').disabled = !pts.length;
  $('budget-png').disabled = !pts.length;
  $('budget-run').disabled = lab.running;
  $('budget-cancel').hidden = !lab.running;
  if (!lab.running) {
    const b = budget();
    const attacks = checkedAttacks();
    const est = b.estimate(hs, attacks);
    $('budget-estimate').textContent = lab.ms != null
      ? `Last run: ${(lab.ms / 1000).toFixed(1)} s for ${hs.length} h × the ticked attacks on ${b.workers} workers. Next, for the ticked attacks: ${formatSeconds(est / 1000)} (estimate from this machine’s last run).`
      : `${hs.length} CryptoNN rounds (one per h) × ${attacks.length} attack${attacks.length === 1 ? '' : 's'} on ${b.workers} worker${b.workers > 1 ? 's' : ''}: ${formatSeconds(est / 1000)} (estimate from this project's 2-core measurements).`;
  }
}

function drawSide() {
  const h = page.state.h;
  for (const i of document.querySelectorAll('#lab-h input')) i.checked = Number(i.value) === h;
  $('lab-attack').value = page.state.attack;
  const row = $('side-row');
  const panels = sidePanels();
  row.replaceChildren(
    ...panels.map((p) => {
      const fig = document.createElement('figure');
      fig.className = 'side-fig';
      if (p.attack) {
        fig.dataset.attack = p.attack;
        fig.dataset.state = !p.point ? 'none' : p.image ? 'rebuilt' : 'none';
        if (p.point && plotted(p.point)) fig.dataset.psnr = String(p.point.psnr);
        if (p.point) fig.dataset.kind = verdictKind(p.point);
      }
      const c = document.createElement('canvas');
      c.width = 28;
      c.height = 28;
      renderSample(c, p.image);
      c.setAttribute('role', 'img');
      c.setAttribute('aria-label', p.attack ? `${p.title} at h = ${h}: ${p.note}` : `the digit: ${p.note || 'none'}`);
      const cap = document.createElement('figcaption');
      const strong = document.createElement('strong');
      strong.textContent = p.label;
      cap.append(strong, document.createElement('br'), p.attack ? p.note : '');
      fig.append(c, cap);
      return fig;
    }),
  );
  const got = panels.filter((p) => p.point);
  $('side-caption').textContent = got.length
    ? `All on the same server view at h = ${h} (its W1 and z = W1·x). ${got.map((p) => `${p.title}: ${verdict(p.point, { h }).text}`).join(' ')}`
    : `h = ${h}: press Compute (or click another h on the plot once it is there).`;
  $('side-png').disabled = !got.length;
  $('side-scene').disabled = !page.results.sample;
}

function drawMeter() {
  const svg = $('lab-meter');
  renderMeter(svg, { h: page.state.h, attacks: attacksInfo(), pointOf: (a) => pointAt(page.state.h, a), fontPx: fontOf(svg) });
}

function draw() {
  if (!lab.open) return;
  drawPicker();
  drawPlot();
  drawSide();
  drawMeter();
}

function render() {
  modeLink();
  if (isLab() !== lab.open) (isLab() ? enter : leave)();
  if (!lab.open) return;
  if (page.info && !lab.filled) fill();
  if (page.info && !lab.warming) {
    lab.warming = true;
    budget().warm().catch((e) => status(`Lab workers failed to start: ${e.message}`, 'error'));
  }
  // a new sample (picked, drawn, cleared): the points belong to the old one
  if (page.results.sample !== lab.sample) {
    if (lab.running) budget().cancel();
    lab.points.clear();
    lab.ms = null;
    lab.sample = page.results.sample;
  }
  draw();
}

export function setupLab() {
  build();
  onRender(render);
}
