// Stage 5: the protocol — one choice among CryptoNN, FENet, client in the loop and FHIPE — what
// the server still sees under it, and whether the model still learns (live training chart).
import { page, $, status, progress, check, current, registerStage, setState, protocols, protocolInfo, sizeOf, boxOf } from '../page.js';
import { buildProtocolPicker, showProtocol } from '../views/protocol-picker.js';
import { renderCurves } from '../views/charts.js';
import { protocolLabel, serverSees, stillLeaks } from '../copy.js';
import { changed, idOf } from '../views/memo.js';

const LIVE_EPOCHS = 3;
const LIVE_MAX_H = 128;
const STEPS = Math.ceil(1000 / 32) * LIVE_EPOCHS;
const liveH = () => Math.min(page.state.h, LIVE_MAX_H);
const key = () => `${page.state.protocol}|${liveH()}`;

/** Pick a protocol (the selector, the keys f / l, a link). */
export function setProtocol(name) {
  if (name === page.state.protocol) return;
  setState({ protocol: name });
  const p = protocolInfo(name);
  status(
    p.hidesW1
      ? `${p.label}: the client draws its own secret W1; the server never holds it. Still at h = ${page.state.h}.`
      : `${p.label}: the server owns W1 and receives a key for each of its rows. h = ${page.state.h}.`,
  );
}

/** Keys f and l: that mitigation on, or back to CryptoNN. */
export function toggleProtocol(name) {
  setProtocol(page.state.protocol === name ? 'cryptonn' : name);
}

async function run(my) {
  const s = page.state;
  const h = liveH();
  // FENet trains with CryptoNN's integer arithmetic (only the encryption differs): one curve for both
  const list = s.protocol === 'cryptonn' || s.protocol === 'fenet' ? ['cryptonn', 'client-loop', 'fhipe'] : ['cryptonn', s.protocol];
  const kinds = { cryptonn: 'leak', fenet: 'leak', 'client-loop': 'safe', fhipe: 'safe2' };
  const name = (p) => (p === 'cryptonn' && s.protocol === 'fenet' ? 'CryptoNN = FENet' : protocolLabel(page.info, p));
  const series = list.map((p) => ({ name: name(p), protocol: p, kind: kinds[p], points: [] }));
  page.results.curves = { key: null, series, h };
  for (const sr of series) {
    status(`Training a fresh 784-${h}-10 model under ${sr.name}, live in the worker…`);
    await page.core.call(
      'trainLive',
      { protocol: sr.protocol, h, epochs: LIVE_EPOCHS },
      {
        onProgress: ({ point }) => {
          sr.points.push(point);
          progress(point.step, STEPS, `${sr.name}: step ${point.step}/${STEPS}`);
          renderCurves($('learn-chart'), series, { steps: STEPS, legendEl: $('learn-legend') });
        },
      },
    );
    check(my);
  }
  page.results.curves.key = key();
}

function render() {
  showProtocol($('protocol-picker'), page.state.protocol);
  const p = protocolInfo();
  const d = current('dec');
  const view = d?.view;
  const seen = view
    ? [
        view.heldW1 ? 'its own W1' : null,
        `z (${d.z.length} values)`,
        p.name === 'fhipe' ? 'z of every stored sample at every step' : null,
        p.hidesW1 ? 'δ1 at every step' : 'δ1 and dW1 = δ1ᵀ·x at every step',
        view.labels ? 'the labels in the clear' : 'the labels',
      ].filter(Boolean)
    : null;
  const leaks = stillLeaks(p);
  $('server-sees').textContent = `${seen
    ? `Under ${p.label} the server ${view.heldW1 ? 'holds' : 'still sees'}: ${seen.join(', ')}${view.heldW1 ? '.' : ' — but not W1, and not x.'}`
    : `Under ${p.label} the server ${p.hidesW1 ? 'still sees' : 'holds'}: ${serverSees(p)}.`}${leaks ? ` ${leaks}` : ''}`;
  const c = page.results.curves;
  const svg = $('learn-chart');
  const points = c ? c.series.reduce((a, sr) => a + sr.points.length, 0) : 0;
  if (!changed(svg, idOf(c), points, sizeOf('learn-chart'))) return;
  if (!c) {
    renderCurves(svg, [], { steps: STEPS, legendEl: $('learn-legend'), box: boxOf('learn-chart') });
    return;
  }
  renderCurves(svg, c.series, { steps: STEPS, legendEl: $('learn-legend'), box: boxOf('learn-chart') });
  const capped = page.state.h > LIVE_MAX_H ? ` (h capped at ${LIVE_MAX_H} for the live chart; the attack above is at h = ${page.state.h})` : '';
  $('learn-caption').textContent = `Test accuracy (400 test digits) of a fresh 784-${c.h}-10 model, trained live: 1,000 digits, ${LIVE_EPOCHS} epochs${capped}; the FE protocols’ exact integer arithmetic, without the encryption.`;
}

function summary() {
  const c = page.results.curves;
  const last = (sr) => sr.points[sr.points.length - 1]?.accuracy ?? 0;
  const capped = page.state.h > LIVE_MAX_H ? `Live training at h = ${c?.h} (capped for speed; the attack used h = ${page.state.h}). ` : '';
  return c
    ? `${capped}The model still learns: ${c.series.map((sr) => `${sr.name} ${Math.round(100 * last(sr))}%`).join(', ')} test accuracy. Pick a protocol (f, l) to see the attack fail.`
    : 'Mitigations.';
}

export function setupMitigate() {
  buildProtocolPicker($('protocol-picker'), protocols(), setProtocol);
}

/** Rebuild the selector from the core's list (after init). */
export function refreshProtocols() {
  buildProtocolPicker($('protocol-picker'), protocols(), setProtocol);
  render();
}

registerStage({ n: 5, slot: 'curves', key, run, render, summary });
