// Wires the controls to the worker and the views. No crypto or maths here.
import { Core } from './core.js';
import { setupDrawing } from './views/draw.js';
import { renderSample } from './views/preview.js';

const $ = (id) => document.getElementById(id);
const status = (text, kind = 'info') => {
  $('status').textContent = text;
  $('status').dataset.kind = kind;
};

const core = new Core();
const preview = $('preview');

const drawing = setupDrawing($('draw-canvas'), {
  onStroke: async () => {
    try {
      const { rgba, width, height } = drawing.pixels();
      const sample = await core.call('preprocess', { rgba, width, height });
      renderSample(preview, sample);
      status('Preview updated: this 28×28 sample is what the client encrypts.');
    } catch (e) {
      status(e.message, 'error');
    }
  },
});

$('clear').addEventListener('click', () => {
  drawing.clear();
  renderSample(preview, null);
  status('Canvas cleared: draw a digit first.');
});

core
  .call('version')
  .then((v) => {
    $('version').textContent = `glasslayer core ${v} (Rust → WebAssembly)`;
    document.body.dataset.ready = 'true';
    status('Ready: draw a digit.');
  })
  .catch((e) => status(`Could not load the WebAssembly core: ${e.message}`, 'error'));
renderSample(preview, null);
