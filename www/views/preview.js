// Renders a 28×28 sample (784 values in [0, 1]) into a canvas, white ink on black like MNIST.
export function renderSample(canvas, sample) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round(255 * (sample ? sample[i] : 0));
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  canvas.dataset.ink = sample ? sample.reduce((a, b) => a + b, 0).toFixed(2) : '0';
}
