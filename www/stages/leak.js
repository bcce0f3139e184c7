// Stage 5, under a mitigation: "What still leaks". The client trains on 511 public digits and the
// sample under client in the loop or FHIPE; the server records what it can compute (under FHIPE
// with one master key: z of every stored sample at every step), estimates the inner products
// between samples (the Gram matrix) and, knowing k of the public digits, rebuilds the sample from
// its Gram row. All of it runs in the main worker (crate/src/leak/panel.rs); this module only asks
// and shows. The switches that close the leak (a fresh key per step, noise) show their cost.
import { page, $, status, progress, check, current, registerStage, setState, protocolInfo } from '../page.js';
import { digitKey, LEAK_PRECISIONS, LEAK_KNOWN_MAX } from '../state.js';
import { toUnit, renderSample } from '../views/preview.js';
import { drawGram, drawRowScatter } from '../views/gram.js';
import { READABLE_DB, BASELINE_MARGIN_DB, db } from '../views/verdict.js';

/** The panel's h is capped like the live chart (the client's run stays under a second). */
export const LEAK_MAX_H = 128;
/** σ per noise level (index 0 = none): Z1 units under client in the loop, weight units under FHIPE
 *  (the ranges of docs/leak/leaks.md's noise curves). */
export const NOISE = {
  'client-loop': [0, 0.01, 0.03, 0.1, 0.3, 1, 3],
  fhipe: [0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2],
};

const leakH = () => Math.min(page.state.h, LEAK_MAX_H);
const applies = () => protocolInfo().hidesW1;
/** The label the client gives the sample: the MNIST label, or what the user says it drew. */
let drawnLabel = 0;
const labelOf = () => (page.results.label >= 0 ? page.results.label : drawnLabel);

/** The settings of the client's run (everything but k). */
function runKey() {
  const s = page.state;
  if (!applies()) return `none|${s.protocol}`;
  const fhipe = s.protocol === 'fhipe';
  return [s.protocol, leakH(), digitKey(s.digit) || page.results.source, labelOf(), fhipe ? s.precision : '-', fhipe && s.rekey, s.noise].join('|');
}
const key = () => `${runKey()}|${applies() ? page.state.known : ''}`;

function options() {
  const s = page.state;
  return {
    protocol: s.protocol,
    hidden: leakH(),
    weightScale: 10 ** s.precision,
    rekey: s.protocol === 'fhipe' && s.rekey,
    noise: NOISE[s.protocol]?.[s.noise] ?? 0,
  };
}

async function run(my) {
  if (!applies()) {
    page.results.leak = { key: key(), none: true };
    return;
  }
  const r = page.results;
  let run = r.leakRun?.key === runKey() ? r.leakRun : null;
  if (!run) {
    const o = options();
    status(`What still leaks: the client trains on 512 digits under ${protocolInfo().label} (h = ${o.hidden}); the server records what it can compute…`);
    progress(0, 0, 'the client’s run and the server’s estimate');
    const x = Array.from(toUnit(r.sample));
    const summary = await page.core.call('leakPanel', { x, label: labelOf(), options: o });
    check(my);
    run = { key: runKey(), summary };
    r.leakRun = run;
  }
  const k = Math.min(page.state.known, LEAK_KNOWN_MAX);
  status(`What still leaks: rebuilding the sample from its inner products with the ${k} digits the server knows…`);
  const rebuild = await page.core.call('leakRebuild', { k, attack: 'tv' });
  check(my);
  r.leak = { key: key(), summary: run.summary, rebuild };
}

// --- words (pure) -----------------------------------------------------------------------------

const pct = (v) => (!Number.isFinite(v) ? 'n/a' : v < 0.1 ? `${Number((100 * v).toPrecision(2))} %` : `${(100 * v).toFixed(0)} %`);

/** The verdict line of the panel, from its numbers. */
export function leakVerdict(summary, rebuild, protocolLabel) {
  const row = summary.digitRowError;
  const known = `${rebuild.k} of the training digits`;
  const labels = `It also saw all ${summary.labelsSeen.length} labels in the clear (yours: “${summary.drawnLabel}”).`;
  if (rebuild.psnr == null) {
    return {
      kind: 'safe',
      text: `Under ${protocolLabel} the server could not estimate your sample’s inner products with the digits it knows, so it rebuilds nothing. ${labels}`,
    };
  }
  const similar = `the server still learns how similar your sample is to the other training digits (its estimate is off by ${pct(row)})`;
  if (rebuild.psnr - rebuild.baselinePsnr < BASELINE_MARGIN_DB) {
    return {
      kind: 'safe',
      text: `Under ${protocolLabel} ${similar}, but knowing ${known} that is too little: the rebuild (${db(rebuild.psnr)}) is no better than the average digit (${db(rebuild.baselinePsnr)}). ${labels}`,
    };
  }
  if (rebuild.psnr >= READABLE_DB) {
    return {
      kind: 'leak',
      text: `Still leaked: under ${protocolLabel} ${similar}; knowing ${known}, it rebuilds your sample at ${db(rebuild.psnr)} — recognisable, without W1. ${labels}`,
    };
  }
  return {
    kind: 'partial',
    text: `Partly leaked: under ${protocolLabel} ${similar}; knowing ${known}, it rebuilds a blurry version (${db(rebuild.psnr)}; the average digit scores ${db(rebuild.baselinePsnr)}). ${labels}`,
  };
}

/** The cost line: what the fix costs the client, and whether the model still learns. */
export function leakCost(summary) {
  const acc = summary.accuracy == null ? '' : `Test accuracy of this run: ${pct(summary.accuracy)}. `;
  const c = summary.cost;
  if (!c) return `${acc}Client in the loop: no encryption; the client sends Z1 and receives dZ1 at every step.`;
  const kb = (b) => `${(b / 1024).toFixed(0)} KiB`;
  const now = `${c.encryptionsPerSampleStep.toFixed(2)} encryptions and ${kb(c.ciphertextBytesPerSampleStep)} of ciphertext per sample and step`;
  if (summary.settings.rekey) {
    const x = c.encryptionsPerSampleStep / c.oneKeyEncryptionsPerSampleStep;
    return `${acc}A fresh master key every step costs ${now} (one master key: ${c.oneKeyEncryptionsPerSampleStep.toFixed(2)} and ${kb(c.oneKeyCiphertextBytesPerSampleStep)}; ×${x.toFixed(0)}), plus one key setup per batch.`;
  }
  return `${acc}One master key: ${now} — each sample is encrypted once and its ciphertext reused, which is why every later key opens it.`;
}

// --- the panel on screen --------------------------------------------------------------------------

function fillSelect(sel, items, value) {
  const want = items.map(([v, t]) => `${v}:${t}`).join();
  if (sel.dataset.items !== want) {
    sel.replaceChildren(
      ...items.map(([v, t]) => {
        const o = document.createElement('option');
        o.value = String(v);
        o.textContent = t;
        return o;
      }),
    );
    sel.dataset.items = want;
  }
  sel.value = String(value);
}

function renderControls() {
  const s = page.state;
  const fhipe = s.protocol === 'fhipe';
  const mnist = page.results.label >= 0;
  fillSelect($('leak-label'), Array.from({ length: 10 }, (_, d) => [d, String(d)]), labelOf());
  $('leak-label').disabled = mnist;
  $('leak-label-note').textContent = mnist ? '(its MNIST label)' : '(the label your client sends)';
  fillSelect($('leak-precision'), LEAK_PRECISIONS.map((e) => [e, `10^${e}${e === 4 ? ' (CryptoNN’s)' : ''}`]), s.precision);
  $('leak-precision').disabled = !fhipe;
  $('leak-rekey').checked = fhipe && s.rekey;
  $('leak-rekey').disabled = !fhipe;
  const sigmas = NOISE[s.protocol] ?? NOISE.fhipe;
  const unit = fhipe ? 'on the keys’ W1' : 'on Z1';
  fillSelect($('leak-noise'), sigmas.map((v, i) => [i, i === 0 ? 'none' : `σ = ${v} ${unit}`]), s.noise);
  $('leak-k').value = String(s.known);
  $('leak-k-out').textContent = String(s.known);
  $('leak-na').textContent = fhipe
    ? ''
    : 'Key precision and re-keying are FHIPE settings: under client in the loop there are no keys — the client sends Z1 itself, once per sample and epoch.';
}

function render() {
  const on = applies();
  $('leak-panel').hidden = !on;
  document.body.dataset.protocolHides = String(on);
  if (!on) return;
  renderControls();
  const r = current('leak');
  const s = r?.summary;
  $('leak-panel').dataset.state = r ? 'done' : page.running === 5 ? 'running' : 'idle';
  if (!s) {
    $('leak-labels').textContent = page.results.sample
      ? 'Press → (or Run on this stage) to compute what the server still learns about your sample.'
      : 'Draw or pick a digit first.';
    $('leak-verdict').textContent = '';
    $('leak-cost').textContent = '';
    $('leak-settings').textContent = '';
    drawGram($('leak-gram-est'), null);
    drawGram($('leak-gram-true'), null);
    drawRowScatter($('leak-row'), null);
    renderSample($('leak-rebuild'), null);
    $('leak-psnr').removeAttribute('data-value');
    $('leak-psnr').textContent = '—';
    return;
  }
  const st = s.settings;
  $('leak-settings').textContent = `This run: ${st.samples} digits (511 public MNIST training digits and yours), ${st.epochs} epochs, batch ${st.batch}, lr ${st.lr}, h = ${st.hidden}${st.protocol === 'fhipe' ? `, keys for round(10^${Math.round(Math.log10(st.weightScale))}·W1)` : ''}; ${st.steps} steps. Estimator: ${s.gramMethod === 'trajectory_ls' ? 'least squares over the whole trajectory' : 'each sample’s visits, minimum norm'}.`;
  const first = s.labelsSeen.slice(0, 24).join(' ');
  $('leak-labels').textContent = `Labels the server saw in the clear: all ${s.labelsSeen.length} (${first} …); yours as “${s.drawnLabel}”, once per epoch.`;
  const lb = s.lastBatch;
  const n = lb.ids.length;
  const scale = Math.max(...lb.truth);
  drawGram($('leak-gram-est'), { n, values: lb.estimate, scale });
  drawGram($('leak-gram-true'), { n, values: lb.truth, scale });
  $('leak-gram-est').setAttribute('aria-label', `The last batch's ${n}×${n} inner products as the server estimated them (${s.lastBatch.estimate.filter((v) => v == null).length} unknown)`);
  drawRowScatter($('leak-row'), { truth: s.digitRow.truth, estimate: s.digitRow.estimate });
  $('leak-row').setAttribute('aria-label', `Your sample's inner product with each training digit: estimate against truth, off by ${pct(s.digitRowError)}`);
  $('leak-row-cap').textContent = `Your sample’s row: each dot a training digit (true ⟨x_you, x_j⟩ across, the server’s estimate up). On the diagonal = learned. Off by ${pct(s.digitRowError)}.`;
  if ($('leak-panel').dataset.shown !== r.key) {
    // a new result: bring the panel into view inside its stage (once per result)
    $('leak-panel').dataset.shown = r.key;
    if (page.state.stage === 5) $('leak-panel').scrollIntoView({ block: 'nearest' });
  }
  const rb = r.rebuild;
  renderSample($('leak-rebuild'), rb.image ? Float32Array.from(rb.image) : null);
  $('leak-psnr').textContent = rb.psnr == null ? 'no rebuild' : `${db(rb.psnr)} (average digit ${db(rb.baselinePsnr)})`;
  if (rb.psnr == null) $('leak-psnr').removeAttribute('data-value');
  else $('leak-psnr').dataset.value = rb.psnr.toFixed(2);
  $('leak-psnr').dataset.baseline = rb.baselinePsnr.toFixed(2);
  $('leak-rebuild').setAttribute('aria-label', rb.psnr == null ? 'no rebuild' : `rebuild from ${rb.equations} inner products, PSNR ${db(rb.psnr)}`);
  $('leak-rebuild-cap').textContent = `From ${rb.equations} inner products with the ${rb.k} digits it knows (TV)`;
  const v = leakVerdict(s, rb, protocolInfo().label);
  $('leak-verdict').textContent = v.text;
  $('leak-verdict').dataset.kind = v.kind;
  $('leak-cost').textContent = leakCost(s);
}

function summary() {
  const r = current('leak');
  if (!r || r.none) return '';
  return leakVerdict(r.summary, r.rebuild, protocolInfo().label).text;
}

export function setupLeak() {
  $('leak-label').addEventListener('change', (e) => {
    drawnLabel = Number(e.target.value);
    setState({});
  });
  $('leak-precision').addEventListener('change', (e) => setState({ precision: Number(e.target.value) }));
  $('leak-rekey').addEventListener('change', (e) => setState({ rekey: e.target.checked }));
  $('leak-noise').addEventListener('change', (e) => setState({ noise: Number(e.target.value) }));
  const k = $('leak-k');
  k.max = String(LEAK_KNOWN_MAX);
  k.addEventListener('input', () => ($('leak-k-out').textContent = k.value));
  k.addEventListener('change', () => setState({ known: Number(k.value) }));
}

registerStage({ n: 5, slot: 'leak', key, run, render, summary });
