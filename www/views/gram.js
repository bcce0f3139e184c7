// Pictures of inner products between samples (the Gram matrix G = X·Xᵀ the server estimates):
// a heatmap of one block, and one sample's row as estimate-against-truth dots.

const UNKNOWN = [96, 96, 96];

/** Sequential colour for t on [0, 1] (dark blue → teal → yellow, readable in grey too). */
function colour(t) {
  const c = Math.max(0, Math.min(1, t));
  const stops = [
    [13, 8, 80],
    [33, 145, 140],
    [253, 231, 37],
  ];
  const i = c < 0.5 ? 0 : 1;
  const f = c < 0.5 ? c * 2 : (c - 0.5) * 2;
  return stops[i].map((a, j) => Math.round(a + f * (stops[i + 1][j] - a)));
}

/**
 * An n×n block as a heatmap, one pixel per entry (the canvas is scaled by CSS). `values`:
 * row-major, `null` where the server has no estimate (grey); `scale`: the value drawn brightest.
 */
export function drawGram(canvas, block) {
  const ctx = canvas.getContext('2d');
  if (!block) {
    canvas.width = 1;
    canvas.height = 1;
    ctx.clearRect(0, 0, 1, 1);
    return;
  }
  const { n, values, scale } = block;
  canvas.width = n;
  canvas.height = n;
  const img = ctx.createImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    const v = values[i];
    const [r, g, b] = v == null || !Number.isFinite(v) ? UNKNOWN : colour(scale > 0 ? v / scale : 0);
    img.data.set([r, g, b, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * One sample's row of G: a dot per other sample at (truth, estimate), with the diagonal y = x
 * (where every dot sits when the server has learned the row). Entries with no estimate are left out.
 */
export function drawRowScatter(canvas, row) {
  const W = 240;
  const H = 240;
  const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
  canvas.width = W * dpr;
  canvas.height = H * dpr;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  if (!row) return;
  const pts = row.truth.map((t, i) => [t, row.estimate[i]]).filter(([, e]) => e != null && Number.isFinite(e));
  const hi = Math.max(1e-9, ...row.truth);
  const pad = 18;
  const x = (v) => pad + ((W - 2 * pad) * v) / hi;
  const y = (v) => H - pad - ((H - 2 * pad) * Math.max(-0.25 * hi, Math.min(1.25 * hi, v))) / hi;
  ctx.strokeStyle = '#888';
  ctx.lineWidth = 1;
  ctx.strokeRect(pad, pad, W - 2 * pad, H - 2 * pad);
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(x(0), y(0));
  ctx.lineTo(x(hi), y(hi));
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = '#e8a33d';
  for (const [t, e] of pts) {
    ctx.beginPath();
    ctx.arc(x(t), y(e), 2, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.fillStyle = '#aaa';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText('true →', W - pad - 36, H - 4);
  ctx.save();
  ctx.translate(11, pad + 52);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('estimate →', 0, 0);
  ctx.restore();
}
