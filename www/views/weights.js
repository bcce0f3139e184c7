// Rows of W1 as 28×28 tiles (diverging colours: blue negative, amber positive): what the server
// knows about each of its hidden units — and, with a mitigation, a locked placeholder.

export function renderWeightTiles(container, rows, { locked = false, count = 6 } = {}) {
  container.replaceChildren();
  for (let k = 0; k < count; k++) {
    const c = document.createElement('canvas');
    c.width = 28;
    c.height = 28;
    c.className = `tile${locked ? ' locked' : ''}`;
    c.setAttribute('aria-hidden', 'true');
    const ctx = c.getContext('2d');
    const img = ctx.createImageData(28, 28);
    const row = rows?.[k];
    const max = row ? Math.max(1, ...Array.from(row, Math.abs)) : 1;
    for (let i = 0; i < 784; i++) {
      let r = 22;
      let g = 28;
      let b = 36;
      if (row && !locked) {
        const v = row[i] / max;
        if (v > 0) {
          r = 22 + 233 * v;
          g = 28 + 152 * v;
          b = 36 + 48 * v;
        } else {
          r = 22 - 10 * v;
          g = 28 - 140 * v;
          b = 36 - 219 * v;
        }
      } else if (locked) {
        // a faint random texture: "there is a matrix, but not here"
        const t = ((i * 2654435761 + k * 40503) >>> 0) % 97;
        r = g = b = 26 + (t % 9);
      }
      img.data.set([r, g, b, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
    container.append(c);
  }
}
