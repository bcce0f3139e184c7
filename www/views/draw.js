// The drawing canvas: mouse, pen and touch via pointer events; thick round strokes; HiDPI-correct
// (the backing store follows devicePixelRatio, the logical size stays 280×280 whatever its CSS
// size). It can also show a 28×28 sample (an MNIST digit, or a digit from the URL) enlarged.
export const LOGICAL = 280;

export function setupDrawing(canvas, { onStroke, onStart, onDraw }) {
  const dpr = Math.max(1, Math.min(3, Math.round(window.devicePixelRatio || 1)));
  canvas.width = LOGICAL * dpr;
  canvas.height = LOGICAL * dpr;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.scale(dpr, dpr);
  const pen = () => {
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 20;
    ctx.strokeStyle = '#fff';
    ctx.fillStyle = '#fff';
  };
  pen();
  let last = null;
  let showing = false; // a sample is displayed (not a drawing): the next stroke starts afresh

  const clear = () => {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    pen();
  };

  const pos = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * LOGICAL) / r.width, ((e.clientY - r.top) * LOGICAL) / r.height];
  };
  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== undefined && e.button > 0) return;
    e.preventDefault();
    canvas.setPointerCapture?.(e.pointerId);
    if (showing) {
      clear();
      showing = false;
    }
    onStart?.();
    last = pos(e);
    ctx.beginPath();
    ctx.arc(last[0], last[1], ctx.lineWidth / 2, 0, 2 * Math.PI);
    ctx.fill();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    // coalesced events give pens and fast fingers a smooth line
    const events = e.getCoalescedEvents?.() ?? [e];
    ctx.beginPath();
    ctx.moveTo(last[0], last[1]);
    for (const ev of events.length ? events : [e]) {
      const p = pos(ev);
      ctx.lineTo(p[0], p[1]);
      last = p;
    }
    ctx.stroke();
    onDraw?.();
  });
  const end = () => {
    if (!last) return;
    last = null;
    onStroke();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  canvas.addEventListener('lostpointercapture', end);

  return {
    clear() {
      clear();
      showing = false;
    },
    /** Show a 28×28 sample (bytes 0..255) enlarged, smoothed like a chalk drawing. */
    show(pixels) {
      clear();
      const img = new ImageData(28, 28);
      for (let i = 0; i < 784; i++) img.data.set([255, 255, 255, pixels[i]], i * 4);
      const tmp = new OffscreenCanvas(28, 28);
      tmp.getContext('2d').putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(tmp, 0, 0, LOGICAL, LOGICAL);
      showing = true;
    },
    /** The canvas pixels (device resolution) as RGBA bytes. */
    pixels() {
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      return { rgba: img.data, width: img.width, height: img.height };
    },
  };
}
