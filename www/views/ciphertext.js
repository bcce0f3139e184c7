// The ciphertext as the server receives it: a strip of its bytes (one cell per byte, colour from
// the byte value) and the first bytes in hex. Random-looking by design.

/** The CSS font size of `el` in px (the strip's placeholder: larger in presenter mode). */
export const fontPx = (el) => parseFloat(getComputedStyle(el).fontSize) || 13;

/** `box`: the canvas's size and font as measured after the browser's last layout (page.js; else
 *  read here). */
export function renderCiphertext(canvas, bytes, placeholder = 'the ciphertext appears here', box = null) {
  // draw at the on-screen size (crisp cells at any width)
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  const cw = Math.round(((box ? box.width : canvas.clientWidth) || 240) * dpr);
  const ch = Math.round(((box ? box.height : canvas.clientHeight) || 84) * dpr);
  if (canvas.width !== cw || canvas.height !== ch) {
    canvas.width = cw;
    canvas.height = ch;
  }
  const ctx = canvas.getContext('2d');
  const { width: W, height: H } = canvas;
  ctx.fillStyle = '#0a0e13';
  ctx.fillRect(0, 0, W, H);
  if (!bytes || !bytes.length) {
    canvas.dataset.bytes = '0';
    ctx.fillStyle = '#6f7f91';
    const px = box?.font || fontPx(canvas); // the CSS size (larger in presenter mode)
    ctx.font = `600 ${Math.round(px * dpr)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.fillText(placeholder, W / 2, H / 2 + 4);
    return;
  }
  const cell = Math.max(4, Math.round(5 * dpr));
  const cols = Math.floor(W / cell);
  const rows = Math.floor(H / cell);
  const img = ctx.createImageData(W, H);
  // Skip the 9-byte wire header; sample the body evenly so the whole ciphertext is represented.
  const body = bytes.subarray(Math.min(9, bytes.length));
  const cells = cols * rows;
  for (let c = 0; c < cells; c++) {
    const b = body[Math.floor((c * body.length) / cells)] ?? 0;
    // a cool palette: teal → violet, brightness from the byte
    const t = b / 255;
    const r = Math.round(40 + 150 * t * t);
    const g = Math.round(60 + 120 * (1 - t) * t * 2);
    const bl = Math.round(110 + 140 * t);
    const x0 = (c % cols) * cell;
    const y0 = Math.floor(c / cols) * cell;
    for (let dy = 0; dy < cell - 1; dy++) {
      for (let dx = 0; dx < cell - 1; dx++) {
        const i = ((y0 + dy) * W + x0 + dx) * 4;
        img.data[i] = r;
        img.data[i + 1] = g;
        img.data[i + 2] = bl;
        img.data[i + 3] = 255;
      }
    }
  }
  ctx.putImageData(img, 0, 0);
  canvas.dataset.bytes = String(bytes.length);
}

/** The first `n` bytes of the ciphertext body in hex, grouped. */
export function hexPreview(bytes, n = 24) {
  if (!bytes || !bytes.length) return '—';
  const body = bytes.subarray(9, 9 + n);
  let s = '';
  for (let i = 0; i < body.length; i++) s += body[i].toString(16).padStart(2, '0') + (i % 4 === 3 ? ' ' : '');
  return `${s.trim()} …`;
}

export function formatBytes(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)} kB`;
  return `${n} B`;
}

export function formatMs(ms) {
  if (ms >= 10000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}
