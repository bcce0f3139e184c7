// Wiring only: the page context (page.js), one module per stage (stages/*.js), the controls, the
// keyboard and the start-up. No crypto or maths here: every number on the page comes from the wasm
// core, in a Web Worker.
import { page, $, status, goTo, runTo, cancelRun, render, readHash, setInfo, writeHash, revealStage, URLS, touchOnly } from './page.js';
import { setupDraw, showDigitFromState, randomDigit, clearDigit } from './stages/draw.js';
import './stages/encrypt.js';
import './stages/decrypt.js';
import './stages/attack.js';
import { setupMitigate, refreshProtocols, toggleProtocol } from './stages/mitigate.js';
import { setupLeak } from './stages/leak.js';
import { setupControls, refreshControls, togglePresenter } from './controls.js';
import { setupExport, exportScene } from './export.js';
import { setupTooltips } from './views/tooltip.js';
import { setupGlossary } from './glossary.js';
import { setupStory, followMode, storyActive, storyNext, storyPrev, storyResume } from './story/story.js';
import { setupKeyboard } from './keyboard.js';
import { setupStageMode, toggleHelp } from './stage-mode.js';
import { setupLab, labIgnoresKey, labReadyText } from './lab/lab.js';
import { loadDigits } from './digits.js';
import { sameDigit, toHash } from './state.js';
import { CANCELLED, DRAW_FIRST } from './copy.js';
import { setupPhoto, photoIgnoresKey } from './photo/photo.js';

const cancel = () => cancelRun() && status(CANCELLED, 'warn');

// The start-up runs in steps, each its own task, so that none holds the main thread for long (the
// bench's longest-task row): the modules, the stages, the helpers and modes, the lab and the photo
// scene, then the wiring and the first render. The MNIST digits are fetched from the first step.
const nextTask = () => (globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0)));
const digitsLoad = loadDigits(URLS.test);
digitsLoad.catch(() => {}); // reported below, with the core

await nextTask();
setupDraw();
setupControls();
setupMitigate();
setupLeak();
setupExport();
await nextTask();
setupTooltips();
setupGlossary();
setupStory();
if (touchOnly()) $('learn-caption').textContent = 'Does the model still learn? Tap Next to train live.';
setupStageMode();
await nextTask();
setupLab();
setupPhoto();
await nextTask();

$('run').addEventListener('click', async () => {
  if (page.sampleComing) await page.sampleComing; // Run all right after a stroke: its sample first
  if (!page.results.sample) return status(DRAW_FIRST, 'warn');
  page.state.stage = Math.max(page.state.stage, 4);
  writeHash();
  render();
  runTo(page.state.stage);
});
$('next-stage').addEventListener('click', () => goTo(page.state.stage + 1));
$('prev-stage').addEventListener('click', () => goTo(page.state.stage - 1));
for (const b of document.querySelectorAll('[data-goto]')) b.addEventListener('click', () => goTo(Number(b.dataset.goto)));
$('cancel').addEventListener('click', cancel);

setupKeyboard({
  next: () => (storyActive() ? storyNext() : goTo(page.state.stage + 1)),
  prev: () => (storyActive() ? storyPrev() : goTo(page.state.stage - 1)),
  fhipe: () => toggleProtocol('fhipe'),
  loop: () => toggleProtocol('client-loop'),
  random: randomDigit,
  clear: clearDigit,
  presenter: togglePresenter,
  exportScene: () => !$('export-scene').disabled && exportScene(),
  help: toggleHelp,
  ignore: (e) => labIgnoresKey(e) || photoIgnoresKey(e),
  cancel,
});

// back / forward, or a link pasted into the address bar
function applyHash() {
  const next = readHash().state;
  if (toHash(next) === toHash(page.state)) return;
  const digitChanged = !sameDigit(next.digit, page.state.digit);
  cancelRun();
  page.state = next;
  if (digitChanged) showDigitFromState();
  render();
  followMode();
  if (storyActive()) return;
  if (page.state.stage >= 2 && page.results.sample) runTo(page.state.stage);
}
window.addEventListener('popstate', applyHash);
window.addEventListener('hashchange', applyHash);

render();
followMode();

Promise.all([page.core.whenReady(), digitsLoad])
  .then(([info, digits]) => {
    setInfo(info);
    page.digits = digits;
    refreshControls();
    refreshProtocols();
    $('version').textContent = `glasslayer core ${info.version} · Rust → WebAssembly · ${page.core.cores} worker${page.core.cores > 1 ? 's' : ''} for decryption`;
    document.body.dataset.ready = 'true';
    showDigitFromState();
    if (storyActive()) {
      if (page.state.digit) storyResume();
      else status('Ready: draw a digit in the box.');
    } else if (page.state.digit && page.state.stage >= 2) {
      revealStage(); // a link to a later stage opens there on a phone or tablet
      runTo(page.state.stage);
    } else {
      if (!page.state.digit) page.state.stage = 1;
      render();
      status(labReadyText() ?? (page.state.digit ? 'Ready. Press → (or space) to walk through the stages.' : 'Ready: draw a digit (or press r for a random MNIST digit), then press →.'));
    }
  })
  .catch((e) => status(`Could not load the WebAssembly core: ${e.message}`, 'error'));

// The lab's plot and meter read their own size when drawn: redraw them when the page changes size.
// (The stages' charts and ciphertext strip are watched one by one in page.js; for them this extra
// render is a no-op, as each redraws only when its size or content changed.)
let resizeFrame = 0;
new ResizeObserver(() => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(render);
}).observe(document.body);

// Offline after one visit (www/sw.js; the built site only: the dev server's modules change).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((e) => console.warn(`offline mode unavailable: ${e.message}`));
}
