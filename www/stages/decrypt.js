// Stage 3: the server decrypts what the protocol lets it (its workers, one per core), or receives
// z in the clear (client in the loop); then the server party is handed that z, which completes
// its view in the core's session (`serverDecrypted`).
import { page, $, status, progress, check, current, registerStage, sizeOf, boxOf } from '../page.js';
import { keyShards } from '../core.js';
import { encryptStage } from './encrypt.js';
import { renderZ } from '../views/charts.js';
import { renderWeightTiles } from '../views/weights.js';
import { formatMs, formatBytes } from '../views/ciphertext.js';
import { fact } from '../views/facts.js';
import { changed, idOf } from '../views/memo.js';

const key = () => encryptStage.key();

const pairings = (done, total) => `${done}/${total} rows · ${(done * 785).toLocaleString('en-US')} pairings`;

async function run(my) {
  const r = page.results;
  const e = r.enc;
  r.dec = r.atk = null;
  const core = page.core;
  const t0 = performance.now();
  let z;
  let serverMs = null; // pipelined FHIPE: the server's time from the ciphertext to the last z
  const h = e.h;
  const workers = Math.min(core.cores, h);
  const onWorkers = `on ${workers} worker${workers > 1 ? 's' : ''}`;
  if (e.protocol === 'client-loop') {
    status(`Server: receiving ${h} values of z — no decryption, and no W1.`);
    z = e.z;
  } else if (e.pipeline && !e.pipeline.failed) {
    // FHIPE / FENet: the server's workers have been decrypting since the first key arrived.
    status(`Server: FHIPE decryption, ${h} rows × 785 pairings, ${onWorkers} (started while the keys were issued)…`);
    e.pipeline.onProgress = (done, total) => progress(done, total, pairings(done, total));
    e.pipeline.onProgress(e.pipeline.done, h);
    // Partial results: each z bar appears the moment its key is decrypted (keys finish out of
    // order across the workers); at most one redraw a frame.
    let frame = 0;
    const draw = () => {
      frame = 0;
      renderZ($('server-z'), Float64Array.from(e.pipeline.z, (v) => v ?? 0), { hidden: e.protocol === 'fhipe' });
    };
    e.pipeline.onKey = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    draw();
    z = await e.pipeline.result();
    e.pipeline.onKey = null;
    cancelAnimationFrame(frame);
    serverMs = e.pipeline.finishedAt - e.pipeline.startedAt;
  } else {
    const fhipe = e.protocol === 'fhipe' || e.protocol === 'fenet';
    const shards = keyShards(e, core.cores);
    const count = shards.reduce((a, sh) => a + sh.count, 0);
    status(fhipe ? `Server: FHIPE decryption, ${h} rows × 785 pairings, ${onWorkers} (one per core)…` : `Server: decrypting z = W1·x with its ${h} function keys ${onWorkers}…`);
    progress(0, count, 'starting');
    z = await core.parallel(fhipe ? 'fhipeDecrypt' : 'ipfeDecrypt', shards, (done, total) =>
      progress(done, total, fhipe ? pairings(done, total) : `${done}/${total} rows decrypted`),
    );
  }
  check(my);
  z = Float64Array.from(z);
  const view = await page.api.serverDecrypted({ z });
  check(my);
  r.dec = { key: e.key, protocol: e.protocol, h, z, view, ms: performance.now() - t0, serverMs, workers };
}

let tilesKey = '';
async function renderW1Tiles() {
  const s = page.state;
  const locked = !!page.info && page.info.protocols.find((p) => p.name === s.protocol)?.hidesW1;
  const count = Math.min(6, s.h);
  const k = `${s.h}|${locked}|${!!page.info?.models}`;
  if (tilesKey === k) return;
  tilesKey = k;
  let rows = null;
  if (!locked && page.info?.models) {
    try {
      rows = await page.core.call('weightRows', { h: s.h, rows: Array.from({ length: count }, (_, i) => i) });
    } catch {
      rows = null;
      tilesKey = '';
    }
  }
  renderWeightTiles($('w1-tiles'), rows, { locked, count });
  $('w1-tiles').setAttribute('aria-label', locked ? 'W1 is unknown to the server' : `The first ${count} of the ${s.h} rows of W1 the server knows, as 28×28 weight images`);
}

function render() {
  const d = current('dec');
  const s = page.state;
  const hides = page.info?.protocols.find((p) => p.name === s.protocol)?.hidesW1 ?? s.protocol === 'fhipe';
  const svg = $('server-z');
  if (changed(svg, idOf(d), hides, sizeOf('server-z'))) renderZ(svg, d?.z, { hidden: !!hides, box: boxOf('server-z') });
  $('server-z').setAttribute('aria-label', d ? `z = W1·x: ${d.z.length} values the server now holds` : 'z = W1·x (not decrypted yet)');
  renderW1Tiles();
  const m = page.info?.models?.find((x) => x.hidden === s.h);
  if (!hides) {
    $('w1-caption').innerHTML = m
      ? `<strong>W1 the server knows</strong>: layer 1 of a 784-${m.hidden}-10 MLP glasslayer trained (SGD, ${m.samples.toLocaleString('en-US')} MNIST digits, ${m.epochs} epoch; ${(100 * m.accuracy).toFixed(1)}% test accuracy), weights ×${Math.round(m.scale)} → integers.`
      : 'W1 the server knows.';
  } else {
    $('w1-caption').innerHTML = `<strong>W1: not on the server.</strong> ${s.protocol === 'fhipe' ? 'The client drew its own; its FHIPE keys hide it.' : 'The client drew its own and keeps it.'}`;
  }
  const facts = [];
  if (d) {
    if (d.protocol === 'client-loop') {
      facts.push(['Received', `${d.z.length} values`]);
      facts.push(['Decryption', 'none']);
    } else {
      facts.push([d.protocol === 'fhipe' ? 'Keys (client)' : 'Keys (authority)', String(d.h)]);
      facts.push(['Decrypt', d.serverMs != null ? `${formatMs(d.serverMs)}, overlapping the keys` : formatMs(d.ms)]);
      facts.push(['Workers (one per core)', String(d.workers)]);
      if (d.protocol === 'fhipe' || d.protocol === 'fenet') facts.push(['Pairings', (d.h * 785).toLocaleString('en-US')]);
    }
    const t = d.view?.traffic;
    // everything that reached the server this round (ciphertexts, keys, plain values), and back
    if (t) facts.push(['Traffic (to server / back)', `${formatBytes(t.ciphertextBytes + t.keyBytes + t.toServerBytes)} / ${formatBytes(t.toClientBytes)}`]);
  }
  fact($('decrypt-facts'), facts);
}

function summary() {
  const d = current('dec');
  return d?.view?.heldW1 ?? page.state.protocol === 'cryptonn'
    ? `The server now holds z = W1·x: ${page.state.h} exact equations about your pixels — and it knows W1. Press → to attack.`
    : `The server holds ${page.state.h} values of z but not W1. Press → to attack anyway.`;
}

export const decryptStage = { n: 3, slot: 'dec', key, run, render, summary };
registerStage(decryptStage);
