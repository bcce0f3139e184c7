// The settings controls (hidden units, attack, FE group, presenter mode) and the parts of the
// page that follow the settings (titles, stepper, the pipeline diagram). Options come from the
// core's vocabulary once it has loaded.
import { page, $, setState, onRender, onBusy, protocolInfo, sizeOf, boxOf } from './page.js';
import { changed } from './views/memo.js';
import * as S from './state.js';
import { renderPipeline } from './views/pipeline.js';
import { TITLES } from './copy.js';
import { estimateSeconds } from './estimate.js';

function fillAttacks() {
  const sel = $('attack-method');
  const list = page.info?.attacks;
  if (!list) return;
  sel.replaceChildren(
    ...list.map((a) => {
      const o = document.createElement('option');
      o.value = a.name;
      o.textContent = a.label;
      return o;
    }),
  );
}

/** The IPFE groups from the core (BLS12-381 and "none" stay as the mitigations' display values). */
function fillGroups() {
  const sel = $('fe-group');
  const list = page.info?.groups?.filter((g) => page.vocab.groups.includes(g.name));
  if (!list?.length) return;
  for (const o of [...sel.options]) if (o.value !== 'bls12-381' && o.value !== 'none') o.remove();
  const first = sel.options[0] ?? null;
  for (const g of list) {
    const o = document.createElement('option');
    o.value = g.name;
    const slow = estimateSeconds({ protocol: 'cryptonn', h: 128, group: g.name, cores: page.core.cores }) > 0.5 ? ' · slow' : '';
    o.textContent = `${g.name} · ${g.securityBits}-bit${slow}`;
    sel.insertBefore(o, first);
  }
}

function fillHidden() {
  const input = $('hidden-units');
  input.max = String(page.vocab.hidden.length - 1);
}

/** After init: the core's lists replace the page's static options. */
export function refreshControls() {
  fillAttacks();
  fillGroups();
  fillHidden();
}

function applyControls() {
  const s = page.state;
  const hidden = page.vocab.hidden;
  const i = hidden.indexOf(s.h);
  $('hidden-units').value = String(i < 0 ? 0 : i);
  $('h-value').textContent = `h = ${s.h}`;
  $('hidden-units').setAttribute('aria-valuetext', `h = ${s.h}`);
  $('attack-method').value = s.attack;
  const p = s.protocol;
  $('fe-group').value = p === 'cryptonn' ? s.group : p === 'client-loop' ? 'none' : 'bls12-381';
  $('fe-group').disabled = p !== 'cryptonn';
  document.body.classList.toggle('presenter', s.presenter);
  $('presenter').setAttribute('aria-pressed', String(s.presenter));
  document.body.dataset.protocol = p;
  document.body.dataset.hidesW1 = String(!!protocolInfo().hidesW1);
  const t = TITLES[p] ?? TITLES.default;
  $('s2-title').textContent = t.s2;
  $('s3-title').textContent = t.s3;
  document.body.dataset.stage = String(s.stage);
  for (let n = 1; n <= S.STAGES; n++) {
    const sec = $(`stage-${n}`);
    sec.classList.toggle('current', n === s.stage);
    sec.classList.toggle('todo', n > s.stage);
    sec.toggleAttribute('aria-current', n === s.stage);
    const step = document.querySelector(`[data-goto="${n}"]`);
    step.classList.toggle('current', n === s.stage);
    step.classList.toggle('done', n < s.stage);
    if (n === s.stage) step.setAttribute('aria-current', 'step');
    else step.removeAttribute('aria-current');
  }
  $('prev-stage').disabled = s.stage <= 1;
  $('next-stage').disabled = s.stage >= S.STAGES;
  drawPipeline();
}

export function drawPipeline() {
  const s = page.state;
  const svg = $('pipeline');
  if (!changed(svg, s.protocol, page.running, s.h, s.group, s.stage, !!page.info, sizeOf('pipeline'))) return;
  const elementBytes = page.info?.groups?.find((g) => g.name === s.group)?.elementBytes;
  renderPipeline(svg, { protocol: s.protocol, running: page.running, h: s.h, group: s.group, stage: s.stage, elementBytes, width: boxOf('pipeline')?.width });
}

export function togglePresenter() {
  setState({ presenter: !page.state.presenter }, { replace: true, rerun: false });
}

export function setupControls() {
  const hInput = $('hidden-units');
  hInput.addEventListener('input', () => {
    const h = page.vocab.hidden[Number(hInput.value)] ?? S.DEFAULTS.h;
    $('h-value').textContent = `h = ${h}`;
    hInput.setAttribute('aria-valuetext', `h = ${h}`);
  });
  hInput.addEventListener('change', () => setState({ h: page.vocab.hidden[Number(hInput.value)] ?? S.DEFAULTS.h }));
  $('attack-method').addEventListener('change', (e) => setState({ attack: e.target.value }, { rerun: page.state.stage >= 4 }));
  $('fe-group').addEventListener('change', (e) => setState({ group: e.target.value }));
  $('presenter').addEventListener('click', togglePresenter);
  $('help').addEventListener('click', () => {
    $('shortcuts').showModal();
    $('help').setAttribute('aria-expanded', 'true');
  });
  $('shortcuts').addEventListener('close', () => $('help').setAttribute('aria-expanded', 'false'));
  $('link-note-close').addEventListener('click', () => {
    $('link-note').hidden = true;
  });
  onRender(applyControls);
  onBusy(drawPipeline);
}
