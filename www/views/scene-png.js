// A PNG of the scene for slides and handouts: the original, the rebuild (and, with a mitigation,
// unprotected CryptoNN at the same h), the server's z as bars, and a caption — one canvas.

const W = 1200;
const H = 630;

function drawImage(ctx, img, x, y, size, border) {
  ctx.fillStyle = '#000';
  ctx.fillRect(x, y, size, size);
  if (img) {
    const cell = size / 28;
    for (let i = 0; i < 784; i++) {
      const g = Math.round(255 * Math.max(0, Math.min(1, img[i])));
      if (!g) continue;
      ctx.fillStyle = `rgb(${g},${g},${g})`;
      ctx.fillRect(x + (i % 28) * cell, y + Math.floor(i / 28) * cell, Math.ceil(cell), Math.ceil(cell));
    }
  }
  ctx.strokeStyle = border;
  ctx.lineWidth = 3;
  ctx.strokeRect(x, y, size, size);
}

function wrap(ctx, text, x, y, width, line) {
  let row = '';
  for (const word of text.split(' ')) {
    const next = row ? `${row} ${word}` : word;
    if (ctx.measureText(next).width > width && row) {
      ctx.fillText(row, x, y);
      y += line;
      row = word;
    } else row = next;
  }
  if (row) ctx.fillText(row, x, y);
  return y + line;
}

/**
 * @param {{title: string, panels: {label: string, image: ArrayLike<number>|null, border: string, note?: string}[],
 *          z: ArrayLike<number>|null, zSafe: boolean, caption: string[]}} scene
 * @returns {Promise<Blob>}
 */
export function scenePng(scene) {
  const c = document.createElement('canvas');
  c.width = W;
  c.height = H;
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#0a0d12';
  ctx.fillRect(0, 0, W, H);
  const font = 'system-ui, "DejaVu Sans", sans-serif';
  ctx.fillStyle = '#eef3f8';
  ctx.font = `700 26px ${font}`;
  ctx.fillText(scene.title, 40, 52, W - 80);
  const size = 220;
  scene.panels.forEach((p, k) => {
    const x = 40 + k * (size + 30);
    drawImage(ctx, p.image, x, 90, size, p.border);
    ctx.fillStyle = '#eef3f8';
    ctx.font = `600 18px ${font}`;
    ctx.fillText(p.label, x, 90 + size + 28, size);
    if (p.note) {
      ctx.fillStyle = '#a9b7c6';
      ctx.font = `16px ${font}`;
      ctx.fillText(p.note, x, 90 + size + 52);
    }
  });
  // z chart on the right
  const zx = 40 + scene.panels.length * (size + 30);
  const zw = W - zx - 40;
  if (scene.z && zw > 120) {
    ctx.fillStyle = '#0b1016';
    ctx.fillRect(zx, 90, zw, size);
    const mid = 90 + size / 2;
    const max = Math.max(1, ...Array.from(scene.z, Math.abs));
    const bw = zw / scene.z.length;
    ctx.fillStyle = scene.zSafe ? '#4fd6a3' : '#ffb454';
    for (let i = 0; i < scene.z.length; i++) {
      const v = (scene.z[i] / max) * (size / 2 - 8);
      ctx.fillRect(zx + i * bw, v >= 0 ? mid - v : mid, Math.max(0.8, bw * 0.8), Math.max(0.5, Math.abs(v)));
    }
    ctx.fillStyle = '#eef3f8';
    ctx.font = `600 18px ${font}`;
    ctx.fillText(`z: the ${scene.z.length} values the server holds`, zx, 90 + size + 28, zw);
  }
  ctx.fillStyle = '#c9d3de';
  ctx.font = `20px ${font}`;
  let y = 90 + size + 100;
  for (const line of scene.caption) y = wrap(ctx, line, 40, y, W - 80, 28) + 6;
  ctx.fillStyle = '#6f7f91';
  ctx.font = `14px ${font}`;
  ctx.fillText('glasslayer — real functional encryption in the browser; the attacker reads only the server’s view', 40, H - 20);
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('could not encode the PNG'))), 'image/png'));
}
