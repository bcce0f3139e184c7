// Hand-drawn SVG charts: the server's z values (bars) and the live training curves (lines).
// No chart library: a few dozen lines of SVG path arithmetic.

/** The tick labels' font size in px as the CSS sets it (larger in presenter mode), so that the
 *  margins fit the labels. */
export function tickPx(svg) {
  const probe = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  probe.setAttribute('class', 'tick');
  svg.append(probe);
  const px = parseFloat(getComputedStyle(probe).fontSize) || 11;
  probe.remove();
  return px;
}

const fmt = (v) => (Math.abs(v) >= 1e5 ? v.toExponential(1) : Math.round(v).toLocaleString('en-US'));

/** z = W1·x as bars around a zero line (h up to 784: bars merge into an area). `box`: the svg's
 *  size and tick font as measured after the browser's last layout (page.js; else read here). */
export function renderZ(svg, z, { revealed = z?.length ?? 0, hidden = false, box = null } = {}) {
  const W = Math.max(120, Math.round((box ? box.width : svg.clientWidth) || 260));
  const H = Math.max(60, Math.round((box ? box.height : svg.clientHeight) || 120));
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  if (!z || !z.length) {
    svg.innerHTML = `<text x="${W / 2}" y="${H / 2 + 4}" text-anchor="middle" class="empty">z = W1·x appears here</text>`;
    return;
  }
  const n = z.length;
  const max = Math.max(1, ...Array.from(z, Math.abs));
  const pad = 4;
  const mid = H / 2;
  const top = Math.max(12, (box?.font || tickPx(svg)) + 1);
  const bw = (W - 2 * pad) / n;
  let path = '';
  for (let i = 0; i < Math.min(n, revealed); i++) {
    const v = (z[i] / max) * Math.max(4, mid - top);
    const x = pad + i * bw;
    const y = v >= 0 ? mid - v : mid;
    path += `M${x.toFixed(2)},${y.toFixed(2)}h${Math.max(0.6, bw * 0.78).toFixed(2)}v${Math.max(0.5, Math.abs(v)).toFixed(2)}h${(-Math.max(0.6, bw * 0.78)).toFixed(2)}z`;
  }
  svg.innerHTML = `
    <line x1="${pad}" x2="${W - pad}" y1="${mid}" y2="${mid}" class="axis"/>
    <path d="${path}" class="bars${hidden ? ' safe' : ''}"/>
    <text x="${pad}" y="${top}" class="tick">+${fmt(max)}</text>
    <text x="${pad}" y="${H - 3}" class="tick">−${fmt(max)}</text>
    <text x="${W - pad}" y="${top}" text-anchor="end" class="tick">${revealed < n ? `${revealed}/${n} rows` : `z: ${n} values`}</text>`;
}

/**
 * Training curves: accuracy (0..1) against steps, one line per series.
 * @param {{name: string, kind: string, points: {step: number, accuracy: number}[]}[]} series
 */
export function renderCurves(svg, series, { steps = 64, legendEl = null, box = null } = {}) {
  const W = Math.max(160, Math.round((box ? box.width : svg.clientWidth) || 300));
  const H = Math.max(100, Math.round((box ? box.height : svg.clientHeight) || 150));
  const fs = box?.font || tickPx(svg);
  const l = Math.max(36, Math.round(fs * 3));
  const r = 10;
  const t = Math.max(12, Math.round(fs * 0.6));
  const b = Math.max(20, Math.round(fs + 9));
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const x = (s) => l + (s / Math.max(1, steps)) * (W - l - r);
  const y = (a) => t + (1 - a) * (H - t - b);
  let grid = '';
  for (const a of [0, 0.25, 0.5, 0.75, 1]) {
    grid += `<line x1="${l}" x2="${W - r}" y1="${y(a)}" y2="${y(a)}" class="grid"/><text x="${l - 4}" y="${y(a) + fs * 0.32}" text-anchor="end" class="tick">${Math.round(a * 100)}%</text>`;
  }
  grid += `<text x="${W - r}" y="${H - 5}" text-anchor="end" class="tick">steps →</text><text x="${l}" y="${H - 5}" class="tick">0</text>`;
  let lines = '';
  series.forEach((s) => {
    const pts = s.points.filter((p) => Number.isFinite(p.accuracy));
    if (pts.length) {
      const d = pts.map((p, j) => `${j ? 'L' : 'M'}${x(p.step).toFixed(1)},${y(p.accuracy).toFixed(1)}`).join('');
      lines += `<path d="${d}" class="line ${s.kind}"/>`;
      const lastP = pts[pts.length - 1];
      lines += `<circle cx="${x(lastP.step).toFixed(1)}" cy="${y(lastP.accuracy).toFixed(1)}" r="3" class="dot ${s.kind}"/>`;
    }
  });
  const legend = series.length
    ? ''
    : `<text x="${(l + W - r) / 2}" y="${(t + H - b) / 2}" text-anchor="middle" class="empty">test accuracy while training</text>`;
  if (legendEl) {
    legendEl.replaceChildren(
      ...series.map((s) => {
        const pts = s.points.filter((p) => Number.isFinite(p.accuracy));
        const li = document.createElement('li');
        li.className = s.kind;
        li.textContent = `${s.name} ${pts.length ? `${Math.round(100 * pts[pts.length - 1].accuracy)}%` : '…'}`;
        return li;
      }),
    );
  }
  svg.innerHTML = `${grid}${lines}${legend}`;
  svg.setAttribute('aria-label', `Test accuracy while training: ${series.map((s) => `${s.name} ${s.points.length ? Math.round(100 * s.points[s.points.length - 1].accuracy) + '%' : 'not run'}`).join(', ')}`);
}
