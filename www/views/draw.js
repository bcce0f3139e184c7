// The drawing canvas: mouse, pen and touch via pointer events; thick round strokes; HiDPI-correct
// (the backing store follows devicePixelRatio, the logical size stays 280×280).
export const LOGICAL = 280;

export function setupDrawing(canvas, { onStroke }) {
  const dpr = Math.max(1, Math.round(window.devicePixelRatio || 1));
  canvas.width = LOGICAL * dpr;
  canvas.height = LOGICAL * dpr;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.scale(dpr, dpr);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = 20;
  ctx.strokeStyle = '#fff';
  let last = null;

  const pos = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * LOGICAL) / r.width, ((e.clientY - r.top) * LOGICAL) / r.height];
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = pos(e);
    ctx.beginPath();
    ctx.arc(last[0], last[1], ctx.lineWidth / 2, 0, 2 * Math.PI);
    ctx.fillStyle = '#fff';
    ctx.fill();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = pos(e);
    ctx.beginPath();
    ctx.moveTo(last[0], last[1]);
    ctx.lineTo(p[0], p[1]);
    ctx.stroke();
    last = p;
  });
  const end = () => {
    if (!last) return;
    last = null;
    onStroke();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  return {
    clear() {
      ctx.clearRect(0, 0, LOGICAL, LOGICAL);
    },
    /** The canvas pixels (device resolution) as RGBA bytes. */
    pixels() {
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      return { rgba: img.data, width: img.width, height: img.height };
    },
  };
}
