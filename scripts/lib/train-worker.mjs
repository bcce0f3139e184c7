// One thread of scripts/lib/models.mjs: loads the freshly built wasm and trains the jobs it is sent.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
const core = await import(workerData.glue);
core.initSync({ module: fs.readFileSync(workerData.wasm) });
const rd = (f) => fs.readFileSync(workerData.mnist + '/' + f);
const [ti, tl, si, sl] = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map(rd);
// an IDX subset: samples from..from+count, with the header count rewritten
const slice = (img, lab, from, count) => {
  const i = Buffer.concat([img.subarray(0, 16), img.subarray(16 + from * 784, 16 + (from + count) * 784)]);
  const l = Buffer.concat([lab.subarray(0, 8), lab.subarray(8 + from, 8 + from + count)]);
  i.writeUInt32BE(count, 4); l.writeUInt32BE(count, 4);
  return [i, l];
};
const r = workerData.recipe;
parentPort.on('message', (job) => {
  if (job === null) return process.exit(0);
  if (job.mean) return parentPort.postMessage({ id: job.id, bytes: core.meanDigitRecord(ti, tl) });
  const [i, l] = slice(ti, tl, job.from, r.samples);
  const t0 = Date.now();
  const bytes = core.trainDemoModel(i, l, si, sl, job.role, job.hidden, job.seed, r.epochs, r.samples, r.batch, r.lr, false);
  parentPort.postMessage({ id: job.id, bytes, ms: Date.now() - t0 });
});
