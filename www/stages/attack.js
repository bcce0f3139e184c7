// Stage 4: the attacker. It reads only the server's view in the core's session (and public
// knowledge); the true digit goes along only to score the result. With a mitigation on, the same
// digit through unprotected CryptoNN at the same h is shown beside it (stages/compare.js).
import { page, $, status, progress, check, current, registerStage } from '../page.js';
import { decryptStage } from './decrypt.js';
import { cryptonnAt } from './compare.js';
import { renderSample } from '../views/preview.js';
import { formatMs } from '../views/ciphertext.js';
import { verdict, attackSummary, db } from '../views/verdict.js';
import { attackLabel, protocolLabel } from '../copy.js';
import { digitKey } from '../state.js';

const key = () => `${decryptStage.key()}|${page.state.attack}`;
/** The comparison depends on the digit, h and the attack (not on which mitigation is on). */
const cmpKey = () => `${digitKey(page.state.digit)}|${page.state.h}|${page.state.attack}|${page.state.protocol !== 'cryptonn'}`;

async function run(my) {
  const r = page.results;
  r.atk = null;
  const s = page.state;
  const d = r.dec;
  const label = attackLabel(page.info, s.attack);
  status(
    d.view?.heldW1
      ? `Attacker (${label}): ${s.h} equations W1·x = z in 784 unknown pixels — solving…`
      : `Attacker (${label}): the server has z but not W1 — trying every W1 it could know…`,
  );
  progress(0, 0, 'interior-point method');
  document.body.classList.add('attacking');
  try {
    const a = await page.api.attack({ attack: s.attack, truth: r.sample });
    check(my);
    r.atk = { key: key(), protocol: d.protocol, h: d.h, attack: s.attack, ...a };
  } finally {
    document.body.classList.remove('attacking');
  }
}

/** The comparison (with a mitigation on): unprotected CryptoNN at the same h, same digit, same attack. */
async function runComparison(my) {
  const r = page.results;
  const s = page.state;
  r.cmp = null;
  if (s.protocol === 'cryptonn') return;
  status(`For comparison: the same digit through unprotected CryptoNN at the same h = ${s.h}…`);
  progress(0, 0, `CryptoNN at h = ${s.h}`);
  const c = await cryptonnAt(my, { h: s.h, attack: s.attack, onProgress: (done, total) => progress(done, total, `CryptoNN at h = ${s.h}: ${done}/${total} rows`) });
  r.cmp = { key: cmpKey(), ...c };
}


function renderMetric(id, value, html, extra = {}) {
  const el = $(id);
  if (value == null) {
    el.textContent = '—';
    delete el.dataset.value;
    for (const k of Object.keys(extra)) delete el.dataset[k];
    return;
  }
  el.innerHTML = html;
  el.dataset.value = String(value);
  Object.assign(el.dataset, extra);
}

function renderComparison(a, c) {
  const box = $('compare');
  const on = page.state.protocol !== 'cryptonn';
  document.querySelector('.pair').dataset.compare = on ? 'on' : 'off';
  box.hidden = !on;
  const cap = $('compare-caption');
  const canvas = $('compare-reconstruction');
  const label = protocolLabel(page.info, page.state.protocol);
  $('rec-caption').textContent = on ? label : 'attacker’s rebuild';
  $('compare-label').textContent = 'CryptoNN';
  if (!on) {
    cap.hidden = true;
    return;
  }
  cap.hidden = false;
  if (!c) {
    renderSample(canvas, null);
    canvas.setAttribute('aria-label', 'unprotected CryptoNN at the same h: not run yet');
    delete canvas.dataset.psnr;
    cap.textContent = `Beside it: unprotected CryptoNN at the same h = ${page.state.h}${page.running === 4 ? ' (running…)' : ''}.`;
    return;
  }
  renderSample(canvas, c.applicable ? c.image : null);
  canvas.dataset.psnr = c.applicable ? String(c.psnr) : '';
  canvas.setAttribute('aria-label', c.applicable ? `unprotected CryptoNN at h = ${c.h}: PSNR ${c.psnr.toFixed(0)} dB` : 'unprotected CryptoNN: attack not applicable');
  const mine = !a ? '…' : a.applicable ? db(a.psnr) : 'not applicable';
  const theirs = c.applicable ? db(c.psnr) : 'not applicable';
  cap.textContent = `Both at h = ${c.h}: unprotected CryptoNN ${theirs} · ${label} ${mine}.`;
}

let revealed = null;
function render() {
  const a = current('atk');
  const c = current('cmp');
  const rec = $('reconstruction');
  const info = page.state.attack && page.info?.attacks?.find((x) => x.name === page.state.attack);
  if (info) $('tip-attack').textContent = info.tip;
  renderComparison(a, c);
  $('export-scene').disabled = !(a && a.applicable && a.image);
  $('export-png').disabled = $('export-scene').disabled;
  const v = $('verdict');
  if (!a) {
    renderSample(rec, null);
    rec.setAttribute('aria-label', 'reconstruction: none yet');
    rec.dataset.state = 'none';
    renderMetric('psnr', null, '', { protocol: '', method: '', applicable: '' });
    renderMetric('ssim', null);
    renderMetric('baseline', null);
    v.textContent = '';
    v.dataset.kind = '';
    $('attack-notes').textContent = '';
    return;
  }
  const plabel = protocolLabel(page.info, a.protocol);
  // the attack that ran (the one asked for: the core never substitutes) and, when it differs, its solver
  const solver = a.method && a.method !== a.attack ? ` — solved by the ${attackLabel(page.info, a.method)}` : '';
  const ran = a.applicable
    ? `Ran: ${attackLabel(page.info, a.attack)}${solver} · ${a.status}${a.ms != null ? ` · ${formatMs(a.ms)}` : ''}`
    : `Not run: ${attackLabel(page.info, a.attack)} does not apply to this view`;
  const w1 = a.applicable && a.w1Source ? ` · with ${a.w1Source}` : '';
  const tried = a.tried?.length > 1 ? ` · best of ${a.tried.length} W1s it could know` : '';
  const notes = [`${ran}${tried}${w1}`, ...(a.notes ?? [])].join(' · ');
  $('attack-notes').textContent = notes;
  $('attack-notes').title = notes; // the whole line on hover when it is clamped
  const vd = verdict(a, { h: a.h, protocolLabel: plabel });
  v.textContent = vd.text;
  v.dataset.kind = vd.kind;
  if (!a.applicable) {
    // no fake image: the canvas stays black and says why
    renderSample(rec, null);
    rec.dataset.state = 'not-applicable';
    rec.setAttribute('aria-label', `no reconstruction: ${a.reason}`);
    renderMetric('psnr', -1, 'n/a', { protocol: a.protocol, method: a.method, applicable: 'false' });
    renderMetric('ssim', null);
    renderMetric('baseline', null);
    return;
  }
  renderSample(rec, a.image);
  rec.dataset.state = 'rebuilt';
  if (revealed !== a) {
    // the reveal animation for a new result only: a new animation name starts it again (no
    // layout forced to restart the same one)
    revealed = a;
    rec.classList.toggle('again', rec.classList.contains('reveal') && !rec.classList.contains('again'));
    rec.classList.add('reveal');
  }
  renderMetric('psnr', a.psnr, a.psnr >= 99.95 ? 'exact' : `${a.psnr.toFixed(1)}<small> dB</small>`, { protocol: a.protocol, method: a.method, applicable: 'true' });
  renderMetric('ssim', a.ssim, a.ssim.toFixed(2));
  renderMetric('baseline', a.baselinePsnr, `${a.baselinePsnr.toFixed(1)}<small> dB</small>`);
  rec.setAttribute('aria-label', `reconstruction, PSNR ${a.psnr.toFixed(0)} dB, SSIM ${a.ssim.toFixed(2)}`);
}

function summary() {
  const a = current('atk');
  if (!a) return 'Done.';
  const c = current('cmp');
  const main = attackSummary(a, { h: a.h, protocolLabel: protocolLabel(page.info, a.protocol) });
  if (!c || !c.applicable) return main;
  return `${main} Unprotected CryptoNN at the same h: ${db(c.psnr)}.`;
}

export const attackStage = { n: 4, slot: 'atk', key, run, render, summary };
registerStage(attackStage);
// part of stage 4, after the attack (stages of equal n run in the order they register)
registerStage({ n: 4, slot: 'cmp', key: cmpKey, run: runComparison, render: () => {}, summary });
