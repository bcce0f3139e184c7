// PNG export of a lab panel: an SVG chart (the budget plot, the meter) drawn with its computed
// colours and fonts as presentation attributes (no inline style: the page's CSP stays strict), or
// a row of 28×28 images with their labels (the digit, the attacks side by side).

const PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity',
  'font-family', 'font-size', 'font-weight', 'paint-order', 'visibility'];

const toBlob = (canvas) =>
  new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('could not encode the PNG'))), 'image/png'));

/** `svg` as a PNG at `scale`× its on-screen size, on `background`. */
export async function svgPng(svg, { background = '#0b1016', scale = 2 } = {}) {
  const w = Math.round(svg.clientWidth);
  const h = Math.round(svg.clientHeight);
  const clone = svg.cloneNode(true);
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    for (const p of PROPS) {
      const v = cs.getPropertyValue(p);
      if (v && !dst[i].hasAttribute(p)) dst[i].setAttribute(p, v);
    }
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = w * scale;
    c.height = h * scale;
    const ctx = c.getContext('2d');
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.drawImage(img, 0, 0, c.width, c.height);
    return await toBlob(c);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A titled row of 28×28 images (values in [0, 1]; null: a black square with its note). */
export function imagesPng({ title, panels, caption = '' }) {
  const size = 180;
  const gap = 24;
  const W = Math.max(640, 40 + panels.length * (size + gap));
  const H = 340 + (caption ? 40 : 0);
  const c = document.createElement('canvas');
  c.width = W;
  c.height = H;
  const ctx = c.getContext('2d');
  const font = 'system-ui, "DejaVu Sans", sans-serif';
  ctx.fillStyle = '#0a0d12';
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = '#eef3f8';
  ctx.font = `700 22px ${font}`;
  ctx.fillText(title, 20, 36, W - 40);
  panels.forEach((p, k) => {
    const x = 20 + k * (size + gap);
    const y = 60;
    ctx.fillStyle = '#000';
    ctx.fillRect(x, y, size, size);
    if (p.image) {
      const cell = size / 28;
      for (let i = 0; i < 784; i++) {
        const g = Math.round(255 * Math.max(0, Math.min(1, p.image[i])));
        if (!g) continue;
        ctx.fillStyle = `rgb(${g},${g},${g})`;
        ctx.fillRect(x + (i % 28) * cell, y + Math.floor(i / 28) * cell, Math.ceil(cell), Math.ceil(cell));
      }
    }
    ctx.strokeStyle = p.border ?? '#3a4859';
    ctx.lineWidth = 2;
    ctx.strokeRect(x, y, size, size);
    ctx.fillStyle = '#eef3f8';
    ctx.font = `600 17px ${font}`;
    ctx.fillText(p.label, x, y + size + 26, size);
    if (p.note) {
      ctx.fillStyle = '#c9d3de';
      ctx.font = `15px ${font}`;
      ctx.fillText(p.note, x, y + size + 48, size);
    }
  });
  if (caption) {
    ctx.fillStyle = '#c9d3de';
    ctx.font = `16px ${font}`;
    ctx.fillText(caption, 20, H - 50, W - 40);
  }
  ctx.fillStyle = '#6f7f91';
  ctx.font = `13px ${font}`;
  ctx.fillText('glasslayer lab — each rebuild from a real CryptoNN round; the attacker reads only the server’s view', 20, H - 16, W - 40);
  return toBlob(c);
}
