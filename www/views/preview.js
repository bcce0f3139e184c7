// Renders 28×28 images into canvases: white ink on black like MNIST.

/** A sample of 784 values in [0, 1] (or null: black). Sets data-ink to the total ink. */
export function renderSample(canvas, sample) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(28, 28);
  let ink = 0;
  for (let i = 0; i < 784; i++) {
    const v = sample ? Math.max(0, Math.min(1, sample[i])) : 0;
    ink += v;
    const g = Math.round(255 * v);
    img.data[i * 4] = g;
    img.data[i * 4 + 1] = g;
    img.data[i * 4 + 2] = g;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  canvas.dataset.ink = ink.toFixed(2);
}

/** Bytes 0..255 → [0, 1]. */
export function toUnit(bytes) {
  return Float32Array.from(bytes, (b) => b / 255);
}

/** [0, 1] → bytes 0..255. */
export function toBytes(unit) {
  return Uint8Array.from(unit, (v) => Math.round(255 * Math.max(0, Math.min(1, v))));
}
