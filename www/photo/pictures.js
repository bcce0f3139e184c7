// Pictures for the Photo scene, all in the browser: the bundled CIFAR-10 photos
// (www/generated/cifar-photos.bin, see scripts/lib/data.mjs), and the user's own picture (file,
// drop or camera frame) scaled to 32×32 colour here. Nothing is sent anywhere.
// A photo is 3072 bytes, CHW: the red, green and blue planes of 32×32, row-major.

export const SIDE = 32;
export const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** The bundled photos: {labels: Uint8Array, count, photo(i) → Uint8Array(3072)}. */
export async function loadPhotos(url) {
  let res;
  try {
    res = await fetch(url);
  } catch {
    throw new Error('could not load the bundled photos: no network, and they were not kept from an earlier visit');
  }
  if (!res.ok) throw new Error(`could not load the bundled photos (${res.status})`);
  const buf = new Uint8Array(await res.arrayBuffer());
  const count = new DataView(buf.buffer).getUint32(0, true);
  if (buf.length !== 4 + count + count * 3072) throw new Error('the bundled photos file has the wrong size');
  const labels = buf.slice(4, 4 + count);
  return { count, labels, photo: (i) => buf.slice(4 + count + i * 3072, 4 + count + (i + 1) * 3072) };
}

/** RGBA (side×side) → CHW bytes. */
export function rgbaToChw(rgba, side = SIDE) {
  const n = side * side;
  const out = new Uint8Array(3 * n);
  for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) out[c * n + p] = rgba[4 * p + c];
  return out;
}

/** CHW values (bytes, or floats on [0, 1] with `scale` 255) → ImageData. */
export function chwToImageData(chw, side, scale = 1) {
  const n = side * side;
  const img = new ImageData(side, side);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) img.data[4 * p + c] = Math.max(0, Math.min(255, Math.round(chw[c * n + p] * scale)));
    img.data[4 * p + 3] = 255;
  }
  return img;
}

/** Draw a CHW photo on a canvas of its size. */
export function paint(canvas, chw, side = SIDE, scale = 1) {
  canvas.width = side;
  canvas.height = side;
  canvas.getContext('2d').putImageData(chwToImageData(chw, side, scale), 0, 0);
}

/** Any drawable (ImageBitmap, video frame) → 32×32 CHW: the central square, scaled. */
export function toPhoto(source, width, height) {
  const canvas = document.createElement('canvas');
  canvas.width = SIDE;
  canvas.height = SIDE;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const s = Math.min(width, height);
  if (!(s > 0)) throw new Error('the picture is empty');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, (width - s) / 2, (height - s) / 2, s, s, 0, 0, SIDE, SIDE);
  return rgbaToChw(ctx.getImageData(0, 0, SIDE, SIDE).data);
}

/** A picture file (from the picker or a drop) → 32×32 CHW, decoded in this browser. */
export async function fileToPhoto(file) {
  if (!file || !/^image\//.test(file.type)) throw new Error('that is not a picture (an image file is needed)');
  if (file.size > 50e6) throw new Error('that picture is over 50 MB');
  const bmp = await createImageBitmap(file);
  try {
    return toPhoto(bmp, bmp.width, bmp.height);
  } finally {
    bmp.close();
  }
}

/** One feature map (P values) → ImageData, grey around zero: white positive, black negative. */
export function featureMapImage(z, offset, side) {
  const n = side * side;
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(z[offset + i]));
  const img = new ImageData(side, side);
  for (let i = 0; i < n; i++) {
    const v = max ? Math.round(128 + (127 * z[offset + i]) / max) : 128;
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  return img;
}
