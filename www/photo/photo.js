// The Photo scene: a colour photo (a bundled CIFAR-10 image, your own picture, or a camera frame),
// scaled to 32×32 here, through the first convolution layer of "encrypted" training: one
// ciphertext, the server's k decrypted feature maps, the attacker's rebuild from them — or, under a
// mitigation, what the server holds without the filters. The heavy work runs in the page's worker
// (op photoRound, www/photo/worker-ops.js → crate/src/protocol/photo.rs); this file is UI only.
import { page, $, setState, onRender } from '../page.js';
import { PHOTO_FILTERS } from '../state.js';
import { CLASSES, SIDE, loadPhotos, paint, fileToPhoto, toPhoto, featureMapImage } from './pictures.js';
import { setupCamera } from './camera.js';

const PHOTOS_URL = new URL('../generated/cifar-photos.bin', import.meta.url).href;
const PROTOCOLS = [
  { name: 'cryptonn', label: 'CryptoNN', tip: 'The server owns the filters; the authority gives it a key per filter and position: it decrypts every feature-map value.' },
  { name: 'client-loop', label: 'Client in the loop', tip: 'The client keeps its filters and sends the feature maps: the server never has the filters.' },
  { name: 'fhipe', label: 'FHIPE', tip: 'The client keeps its filters and issues function-hiding keys for them, one inner product per patch.' },
];

const ui = {};
let photos = null; // the bundled CIFAR-10 photos, once loaded
let photosLoad = null; // their fetch: see ensurePhotos
let camera = null;
let current = null; // {source: 'cifar'|'file'|'drop'|'camera', index?, pixels: Uint8Array(3072), name, id}
let pictures = 0; // each own picture (file, drop, camera frame) gets a new id: a new round
let lastKey = '';
let running = false;
let again = false;
let timer = 0;

const h = (tag, attrs = {}, ...kids) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') el.textContent = v;
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'for') el.setAttribute(k, v);
    else el[k] = v;
  }
  el.append(...kids);
  return el;
};

function build(root) {
  ui.original = h('canvas', { className: 'photo-px', width: SIDE, height: SIDE, 'data-testid': 'photo-original', role: 'img', 'aria-label': 'the photo (32×32 colour)' });
  ui.source = h('p', { className: 'photo-source', 'data-testid': 'photo-source', 'aria-live': 'polite' });
  ui.file = h('input', { type: 'file', accept: 'image/*', className: 'visually-hidden', id: 'photo-file', 'data-testid': 'photo-file' });
  ui.cameraBtn = h('button', { type: 'button', id: 'photo-camera', 'data-testid': 'photo-camera', text: 'Camera' });
  ui.video = h('video', { className: 'photo-video', muted: true, playsInline: true, hidden: true, 'data-testid': 'photo-video', 'aria-label': 'camera preview' });
  ui.snap = h('button', { type: 'button', className: 'primary', hidden: true, 'data-testid': 'photo-snap', text: 'Take picture' });
  ui.picker = h('div', { className: 'photo-picker', role: 'group', 'aria-label': 'CIFAR-10 photos' });
  ui.inputNote = h('p', { className: 'photo-input-note', 'data-testid': 'photo-input-note', role: 'status', 'aria-live': 'polite', hidden: true });
  const input = h(
    'section',
    { className: 'photo-card photo-input', id: 'photo-drop', 'data-testid': 'photo-drop', 'aria-labelledby': 'p1-title' },
    h('header', {}, h('span', { className: 'num', text: '1', 'aria-hidden': 'true' }), h('h2', { id: 'p1-title', text: 'Your photo' }), h('span', { className: 'role client', text: 'client' })),
    h('div', { className: 'photo-row' }, ui.original, ui.video),
    ui.source,
    h('div', { className: 'photo-sources' }, h('label', { for: 'photo-file', className: 'button', text: 'Your picture…' }), ui.file, ui.cameraBtn, ui.snap),
    ui.inputNote,
    h('p', { className: 'photo-privacy', 'data-testid': 'photo-privacy', text: 'Your picture never leaves this browser: it is scaled to 32×32 here, and the link never contains it. Drop a picture here, pick a file, or use the camera.' }),
    ui.picker,
  );

  ui.k = h('input', { type: 'range', min: PHOTO_FILTERS.min, max: PHOTO_FILTERS.max, step: 1, id: 'photo-filters', 'data-testid': 'photo-filters', 'aria-describedby': 'photo-k-help' });
  ui.kOut = h('output', { for: 'photo-filters', className: 'photo-k', 'data-testid': 'photo-k' });
  ui.protocols = h('div', { className: 'photo-protocols', role: 'group', 'aria-label': 'Protocol' });
  for (const p of PROTOCOLS) {
    ui.protocols.append(h('button', { type: 'button', 'data-protocol': p.name, 'data-testid': `photo-protocol-${p.name}`, title: p.tip, 'aria-pressed': 'false', text: p.label }));
  }
  ui.status = h('p', { className: 'photo-status', 'data-testid': 'photo-status', role: 'status', 'aria-live': 'polite' });
  ui.bar = h('div', { className: 'bar' });
  ui.progress = h('div', { className: 'progress', role: 'progressbar', 'aria-label': 'Progress of the photo round', 'aria-valuemin': '0', 'aria-valuemax': '100', hidden: true }, ui.bar);
  ui.cipher = h('p', { className: 'photo-cipher', 'data-testid': 'photo-cipher' });
  const settings = h(
    'section',
    { className: 'photo-card photo-settings', 'aria-labelledby': 'p2-title' },
    h('header', {}, h('span', { className: 'num', text: '2', 'aria-hidden': 'true' }), h('h2', { id: 'p2-title', text: 'Client encrypts' }), h('span', { className: 'role client', text: 'client' })),
    h('label', { for: 'photo-filters', className: 'photo-label' }, 'Filters k ', ui.kOut),
    ui.k,
    h('p', { id: 'photo-k-help', className: 'photo-help', text: 'k 3×3 filters over the 3 colour channels (16, as the first layer of a ResNet for CIFAR-10). Each gives 1024 values.' }),
    ui.protocols,
    ui.cipher,
    ui.progress,
    ui.status,
  );

  ui.maps = h('div', { className: 'photo-maps', 'data-testid': 'photo-maps' });
  ui.mapsNote = h('p', { className: 'photo-help', 'data-testid': 'photo-maps-note' });
  const maps = h(
    'section',
    { className: 'photo-card photo-server', 'aria-labelledby': 'p3-title' },
    h('header', {}, h('span', { className: 'num', text: '3', 'aria-hidden': 'true' }), h('h2', { id: 'p3-title', text: 'Server decrypts' }), h('span', { className: 'role server', text: 'server' })),
    ui.mapsNote,
    ui.maps,
  );

  ui.truth = h('canvas', { className: 'photo-px', 'data-testid': 'photo-truth', role: 'img', 'aria-label': 'the photo' });
  ui.rebuild = h('canvas', { className: 'photo-px', 'data-testid': 'photo-rebuild', role: 'img', 'aria-label': "the attacker's rebuild" });
  ui.psnr = h('span', { className: 'v', 'data-testid': 'photo-psnr' });
  ui.ssim = h('span', { className: 'v', 'data-testid': 'photo-ssim' });
  ui.note = h('p', { className: 'photo-note', 'data-testid': 'photo-note', 'aria-live': 'polite' });
  const attack = h(
    'section',
    { className: 'photo-card photo-attack', 'aria-labelledby': 'p4-title' },
    h('header', {}, h('span', { className: 'num', text: '4', 'aria-hidden': 'true' }), h('h2', { id: 'p4-title', text: 'Attacker rebuilds' }), h('span', { className: 'role attacker', text: 'server = attacker' })),
    h('div', { className: 'photo-pair' }, h('figure', {}, ui.truth, h('figcaption', { text: 'photo' })), h('figure', {}, ui.rebuild, h('figcaption', { text: 'rebuilt by the server' }))),
    h('div', { className: 'photo-metrics' }, h('span', { className: 'k', text: 'PSNR' }), ui.psnr, h('span', { className: 'k', text: 'SSIM' }), ui.ssim),
    ui.note,
  );
  root.replaceChildren(h('div', { className: 'photo-grid' }, input, settings, maps, attack));
}

function say(text, kind = 'info') {
  ui.status.textContent = text;
  ui.status.dataset.kind = kind;
}

/** A word about the picture input (a refused file or camera), beside it; '' clears it. */
function tell(text, kind = 'info') {
  ui.inputNote.textContent = text;
  ui.inputNote.dataset.kind = kind;
  ui.inputNote.hidden = !text;
}

function setPicture(pic) {
  tell('');
  current = { ...pic, id: ++pictures };
  paint(ui.original, pic.pixels);
  ui.source.textContent = pic.name;
  schedule();
}

function pickCifar(i, { write = true } = {}) {
  if (!photos || !(i >= 0 && i < photos.count)) return;
  setPicture({ source: 'cifar', index: i, pixels: photos.photo(i), name: `CIFAR-10 test image ${i} (${CLASSES[photos.labels[i]] ?? '?'})` });
  for (const b of ui.picker.children) b.setAttribute('aria-pressed', String(Number(b.dataset.index) === i));
  if (write && page.state.image !== i) setState({ image: i }, { rerun: false });
}

async function ownPicture(file, how) {
  try {
    const pixels = await fileToPhoto(file);
    for (const b of ui.picker.children) b.setAttribute('aria-pressed', 'false');
    setPicture({ source: how, pixels, name: `your picture (${how}), 32×32 — stays in this browser` });
    if (page.state.image != null) setState({ image: null }, { rerun: false });
  } catch (e) {
    tell(`Could not read that picture: ${e.message}`, 'error');
  }
}

/** The bundled photos (136 KiB on the wire) are fetched when the Photo scene opens (the button or
 *  the link), or at idle after the first interaction with the page — never before it, so the
 *  digit scene's first load does not pay for them, and the service worker (www/sw.js) still keeps
 *  them for a visit with no network later. A failed fetch is tried again the next time it is asked. */
function ensurePhotos() {
  photosLoad ??= loadPhotos(PHOTOS_URL).then(
    (p) => {
      photos = p;
      document.getElementById('photo-scene').dataset.photos = 'loaded';
      fillPicker();
      sync();
    },
    (e) => {
      photosLoad = null;
      if (page.state.scene === 'photo') say(e.message, 'error');
    },
  );
  return photosLoad;
}

function prefetchAfterFirstInteraction() {
  const EVENTS = ['pointerdown', 'keydown'];
  const first = () => {
    for (const t of EVENTS) window.removeEventListener(t, first, true);
    const idle = window.requestIdleCallback ?? ((f) => setTimeout(f, 200));
    idle(() => ensurePhotos(), { timeout: 3000 });
  };
  for (const t of EVENTS) window.addEventListener(t, first, true);
}

function fillPicker() {
  for (let i = 0; i < photos.count; i++) {
    const c = h('canvas', { className: 'photo-px' });
    paint(c, photos.photo(i));
    const b = h('button', { type: 'button', className: 'photo-thumb', 'data-index': String(i), 'data-testid': `photo-pick-${i}`, title: `CIFAR-10 test image ${i}: ${CLASSES[photos.labels[i]]}`, 'aria-label': `CIFAR-10 photo ${i}, ${CLASSES[photos.labels[i]]}`, 'aria-pressed': 'false' }, c);
    b.addEventListener('click', () => pickCifar(i));
    ui.picker.append(b);
  }
}

function settingsKey() {
  const pic = current ? (current.source === 'cifar' ? `c${current.index}` : `u${current.id}`) : '';
  return `${page.state.protocol}|${page.state.filters}|${pic}`;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, 120);
}

async function run() {
  if (page.state.scene !== 'photo' || !current) return;
  const protocol = page.state.protocol;
  if (!PROTOCOLS.some((p) => p.name === protocol)) {
    say(`${protocol === 'fenet' ? 'FENet' : protocol} is not offered in the Photo scene: choose CryptoNN, client in the loop or FHIPE.`, 'warn');
    return;
  }
  const key = settingsKey();
  if (key === lastKey) return;
  if (running) {
    again = true;
    return;
  }
  running = true;
  lastKey = key;
  const k = page.state.filters;
  document.getElementById('photo-scene').dataset.state = 'running';
  ui.progress.hidden = false;
  ui.bar.style.width = '0%';
  say(protocol === 'fhipe' ? 'FHIPE: the client encrypts every patch of the central 8×8 crop and issues keys for its 2 filters…' : 'Running in the worker…');
  try {
    const r = await page.core.call('photoRound', { protocol, k, pixels: current.pixels }, {
      onProgress: ({ done, total, what }) => {
        const pct = total > 0 ? Math.round((100 * done) / total) : 0;
        ui.bar.style.width = `${pct}%`;
        ui.progress.setAttribute('aria-valuenow', String(pct));
        if (total > 0) say(`${what}: ${done} / ${total}`);
        else say(what);
      },
    });
    if (settingsKey() === key) show(r);
  } catch (e) {
    lastKey = '';
    say(`The photo round failed: ${e.message}`, 'error');
  } finally {
    running = false;
    ui.progress.hidden = true;
    if (again) {
      again = false;
      schedule();
    }
  }
}

const kb = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} KB`);
const secs = (ms) => (ms >= 60e3 ? `${(ms / 60e3).toFixed(1)} min` : `${(ms / 1e3).toFixed(1)} s`);

function show(r) {
  const P = r.side * r.side;
  $('p2-title').textContent = r.protocol === 'client-loop' ? 'Client computes' : 'Client encrypts';
  $('p3-title').textContent = r.protocol === 'client-loop' ? 'Server receives' : 'Server decrypts';
  const full = 16 * 1024;
  ui.cipher.textContent =
    r.protocol === 'cryptonn'
      ? `One ciphertext of the whole photo (3072 slots, ristretto255): ${kb(r.ctBytes)}, encrypted in ${secs(r.encryptMs)}. The authority gave the server ${r.k * P} keys, one per filter and position.`
      : r.protocol === 'fhipe'
        ? `${P} FHIPE ciphertexts, one per patch of the central ${r.side}×${r.side} crop (${kb(r.ctBytes)}), and ${r.k} keys the client issued for its own filters.`
        : `No ciphertext: the client computes the ${r.k} feature maps with its own filters and sends them (${kb(4 * r.k * P)}).`;
  ui.maps.replaceChildren(
    ...Array.from({ length: r.k }, (_, f) => {
      const c = h('canvas', { className: 'photo-px', width: r.side, height: r.side, role: 'img', 'aria-label': `feature map ${f + 1}` });
      c.getContext('2d').putImageData(featureMapImage(r.z, f * P, r.side), 0, 0);
      return c;
    }),
  );
  ui.mapsNote.textContent =
    r.protocol === 'cryptonn'
      ? `The server decrypted all ${r.k * P} values in ${secs(r.decryptMs)}: the edges of your photo, in its hands, and it knows the ${r.k} filters that made them.`
      : r.protocol === 'fhipe'
        ? `The server decrypted ${r.k * P} values (${secs(r.decryptMs)}). It holds the values, not the filters. A full photo at k = 16 is ${full} values: ≈ ${secs((r.decryptMs * full) / (r.k * P))} at this pace, so the page runs FHIPE on ${r.k} filters over the central ${r.side}×${r.side} crop.`
        : `The server received ${r.k * P} values. It holds the values, not the filters.`;
  paint(ui.truth, r.truth, r.side);
  paint(ui.rebuild, r.image, r.side, 255);
  ui.psnr.textContent = `${r.psnr.toFixed(1)} dB`;
  ui.ssim.textContent = Number.isFinite(r.ssim) ? r.ssim.toFixed(3) : '—';
  ui.ssim.title = Number.isFinite(r.ssim) ? '' : `SSIM's window is larger than this ${r.side}×${r.side} crop: no SSIM`;
  ui.note.textContent = r.note;
  const scene = document.getElementById('photo-scene');
  scene.dataset.state = 'done';
  scene.dataset.psnr = String(r.psnr);
  scene.dataset.protocol = r.protocol;
  say(`Done: ${r.method === 'lstsq' ? 'least squares' : 'total variation'} on what the server holds, PSNR ${r.psnr.toFixed(1)} dB (in ${secs(r.totalMs)}).`);
}

function sync() {
  const photo = page.state.scene === 'photo';
  document.body.dataset.scene = page.state.scene;
  document.getElementById('photo-scene').hidden = !photo;
  for (const b of document.querySelectorAll('button[data-scene]')) b.setAttribute('aria-pressed', String(b.dataset.scene === page.state.scene));
  if (!photo) camera?.off(); // leaving the scene turns the camera off
  if (!photo || !ui.k) return;
  if (!photos) {
    ensurePhotos();
    if (!current) say('Loading the 48 bundled CIFAR-10 photos…');
  }
  ui.k.value = String(page.state.filters);
  ui.kOut.textContent = String(page.state.filters);
  for (const b of ui.protocols.children) b.setAttribute('aria-pressed', String(b.dataset.protocol === page.state.protocol));
  if (photos && page.state.image != null && !(current?.source === 'cifar' && current.index === page.state.image)) pickCifar(page.state.image, { write: false });
  else if (photos && !current) pickCifar(0, { write: false });
  else schedule();
}

/** Keys of the digit's five stages do nothing while the Photo scene is shown (its own controls
 *  are buttons and sliders; f, l, p, ? and Esc keep working). */
const DIGIT_KEYS = new Set(['ArrowRight', 'ArrowLeft', 'PageDown', 'PageUp', ' ', 'r', 'R', 'c', 'C', 'e', 'E']);
export function photoIgnoresKey(e) {
  return page.state.scene === 'photo' && DIGIT_KEYS.has(e.key);
}

export function setupPhoto() {
  const root = document.getElementById('photo-scene');
  for (const b of document.querySelectorAll('button[data-scene]')) b.addEventListener('click', () => setState({ scene: b.dataset.scene }, { rerun: false }));
  build(root);
  ui.k.addEventListener('input', () => setState({ filters: Number(ui.k.value) }, { replace: true, rerun: false }));
  ui.protocols.addEventListener('click', (e) => {
    const b = e.target.closest('[data-protocol]');
    if (b) setState({ protocol: b.dataset.protocol }, { rerun: false });
  });
  ui.file.addEventListener('change', () => ui.file.files[0] && ownPicture(ui.file.files[0], 'file'));
  const drop = $('photo-drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.dataset.over = 'true';
  });
  drop.addEventListener('dragleave', () => delete drop.dataset.over);
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    delete drop.dataset.over;
    const f = e.dataTransfer?.files?.[0];
    if (f) ownPicture(f, 'drop');
    else tell('Only a picture file can be dropped here (an image from your computer or phone).', 'warn');
  });
  // a file dropped beside the card would make the browser open it in place of the page
  window.addEventListener('dragover', (e) => page.state.scene === 'photo' && e.preventDefault());
  window.addEventListener('drop', (e) => {
    if (page.state.scene !== 'photo' || e.defaultPrevented) return;
    e.preventDefault();
    tell('Drop the picture on the "Your photo" card.', 'warn');
  });
  camera = setupCamera({ button: ui.cameraBtn, video: ui.video, snap: ui.snap, say: tell, onFrame: (v) => {
    for (const b of ui.picker.children) b.setAttribute('aria-pressed', 'false');
    setPicture({ source: 'camera', pixels: toPhoto(v, v.videoWidth, v.videoHeight), name: 'your camera picture, 32×32 — stays in this browser' });
    if (page.state.image != null) setState({ image: null }, { rerun: false });
  } });
  onRender(sync);
  prefetchAfterFirstInteraction();
  sync();
}
