// Stage 2: the client's side of the round, run by the core's protocol session in the main
// worker — IPFE encryption (CryptoNN), FHIPE encryption and keys (FENet: for the server's W1;
// FHIPE: for the client's own secret W1), or z computed by the client itself (client in the loop).
import { page, $, status, progress, check, current, registerStage, setState, onCancel, UserError, CancelledError, sizeOf, boxOf } from '../page.js';
import { fhipeRoundPipelined } from '../fhipe-pipeline.js';
import { digitKey } from '../state.js';
import { estimateSeconds, quickerH, formatSeconds, ASK_SECONDS } from '../estimate.js';
import { ask, withdraw } from '../views/ask.js';
import { renderCiphertext, hexPreview, formatBytes, formatMs } from '../views/ciphertext.js';
import { fact } from '../views/facts.js';
import { changed, idOf } from '../views/memo.js';
import { encryptExplain, DRAW_FIRST, protocolLabel } from '../copy.js';

onCancel(withdraw);

const key = () => {
  const s = page.state;
  return `${digitKey(s.digit)}|${s.protocol}|${s.protocol === 'cryptonn' ? s.group : ''}|${s.h}`;
};

/** Before a step estimated over ASK_SECONDS: say how long, and let the user run it or pick a quicker h. */
async function confirmCost(my) {
  const s = page.state;
  const settings = { protocol: s.protocol, h: s.h, group: s.group, cores: page.core.cores };
  const secs = estimateSeconds(settings);
  const costKey = `${s.protocol}|${s.h}|${s.protocol === 'cryptonn' ? s.group : ''}`;
  if (secs <= ASK_SECONDS || page.confirmed.has(costKey)) return true;
  const quick = quickerH(settings, page.vocab.hidden);
  const what = s.protocol === 'cryptonn' ? `CryptoNN over ${s.group}` : protocolLabel(page.info, s.protocol);
  const cores = `${page.core.cores} core${page.core.cores > 1 ? 's' : ''}`;
  const text = `${what} at h = ${s.h}: ${formatSeconds(secs)} on ${cores}${s.protocol === 'fhipe' || s.protocol === 'fenet' ? ` (785 pairings per row)` : ''}.`;
  status(text, 'warn');
  $('progress').hidden = true; // nothing runs while the question waits (the models' load may have shown it)
  const choices = [{ id: 'run', label: `Run at h = ${s.h}`, testid: 'estimate-run', primary: true }];
  if (quick < s.h) choices.push({ id: 'lower', label: `Use h = ${quick} (${formatSeconds(estimateSeconds({ ...settings, h: quick }))})`, testid: 'estimate-lower' });
  const choice = await ask(text, choices);
  check(my);
  if (choice === 'run') {
    page.confirmed.add(costKey);
    return true;
  }
  if (choice === 'lower') {
    // the user's choice, said on screen (status now, and the summary at the end) and in the URL
    page.notice = `h changed from ${s.h} to ${quick}, as you chose. `;
    setState({ h: quick }, { rerun: false });
    status(`${page.notice}Running ${protocolLabel(page.info, s.protocol)} at h = ${quick}…`);
    return true;
  }
  throw new CancelledError();
}

async function run(my) {
  const r = page.results;
  if (!r.sample) throw new UserError(DRAW_FIRST);
  r.enc = r.dec = r.atk = null;
  await confirmCost(my);
  const s = page.state;
  const k = key();
  const args = { protocol: s.protocol, h: s.h, group: s.group, x: r.sample, label: r.label };
  const t0 = performance.now();
  let enc;
  if (s.protocol === 'fhipe' || s.protocol === 'fenet') {
    status(
      page.notice +
      (s.protocol === 'fhipe'
        ? 'Client: FHIPE on BLS12-381 — encrypting x, then a key for each row of its own secret W1…'
        : 'FENet: encrypting x with FHIPE, then a key for each row of the server’s W1…'),
    );
    progress(0, 0, 'FHIPE setup and encryption');
    // The server's workers start on each key as it arrives (www/fhipe-pipeline.js).
    const round = await fhipeRoundPipelined(page.core, args, (q) =>
      progress(q.done, q.total, `client issued ${q.done}/${q.total} keys (${q.done * 785} G1 points); the server starts on each at once`),
    );
    enc = { ...round.enc, pipeline: round.pipeline };
  } else if (s.protocol === 'cryptonn') {
    status(`${page.notice}Client: encrypting your 784 pixels with IPFE over ${s.group}…`);
    progress(0, 0, s.group.startsWith('ffdhe') ? `${s.group.slice(5)}-bit modular exponentiations: slow by design` : 'encrypting');
    enc = await page.api.clientRound({ ...args, stream: false });
  } else {
    status('Client: computing z = W1·x with its own secret W1 — it never leaves the client.');
    enc = await page.api.clientRound({ ...args, stream: false });
  }
  check(my);
  r.enc = { key: k, protocol: s.protocol, h: s.h, wallMs: performance.now() - t0, ...enc };
}

function render() {
  const e = current('enc');
  const p = page.state.protocol;
  const strip = $('ct-strip');
  if (!changed(strip, idOf(e), p, sizeOf('ct-strip'))) return;
  $('encrypt-explain').textContent = encryptExplain(p);
  if (!e) {
    renderCiphertext(strip, null, undefined, boxOf('ct-strip'));
    $('ciphertext').textContent = '—';
    strip.setAttribute('aria-label', 'Ciphertext (none yet)');
    fact($('encrypt-facts'), []);
    return;
  }
  if (e.protocol === 'client-loop') {
    renderCiphertext(strip, null, 'no encryption', boxOf('ct-strip'));
    $('ciphertext').textContent = `z = [${Array.from(e.z.slice(0, 4), (v) => Math.round(v)).join(', ')}, …]`;
    strip.setAttribute('aria-label', 'No ciphertext: z is sent in the clear');
    fact($('encrypt-facts'), [
      ['Encryption', 'none'],
      ['W1', 'the client’s own, secret'],
      ['Sent', `${e.z.length} values · ${formatBytes(e.z.length * 4)}`],
      ['Time', formatMs(e.wallMs)],
    ]);
    $('encrypt-explain').textContent = 'No cryptography: z = W1·x says little without W1 — which the client drew itself and keeps.';
    return;
  }
  renderCiphertext(strip, e.ct, undefined, boxOf('ct-strip'));
  $('ciphertext').textContent = hexPreview(e.ct);
  strip.setAttribute('aria-label', `Ciphertext: ${formatBytes(e.ct.length)} of random-looking bytes`);
  if (e.protocol === 'fhipe' || e.protocol === 'fenet') {
    fact($('encrypt-facts'), [
      ['Scheme', 'FHIPE, BLS12-381'],
      ['Ciphertext', `${formatBytes(e.ct.length)} (785 G2)`],
      ['Setup', `${formatMs(e.setupMs)}${e.reused ? ', once (master key reused)' : ''}`],
      ['Encrypt', formatMs(e.encryptMs)],
      [e.protocol === 'fhipe' ? 'Client keys' : 'Keys (server’s W1)', `${e.h} × 785 G1 · ${formatMs(e.keysMs)}`],
    ]);
    $('encrypt-explain').textContent =
      e.protocol === 'fhipe'
        ? `Security ${e.securityBits} bits. The keys are for the client’s own secret W1: the server can use them, not read them.`
        : `Security ${e.securityBits} bits — but the keys are for the server’s own W1, which it knows.`;
  } else {
    fact($('encrypt-facts'), [
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

function summary() {
  return page.state.protocol === 'client-loop'
    ? 'The client sent z = W1·x in the clear — for a W1 only the client has. Press → to see what the server gets.'
    : 'Encrypted. The server cannot read these bytes. Press → to see what the protocol lets it decrypt.';
}

export const encryptStage = { n: 2, slot: 'enc', key, run, render, summary };
registerStage(encryptStage);
