// The attack budget plot: PSNR (dB) against h on a log axis, one line per attack, the average
// digit's PSNR (what a failed attack scores) and the 20 dB readability line. An exact rebuild is
// drawn on the "exact" band at the top; a point whose solver stopped is a cross on the axis, never
// a PSNR. Hand-drawn SVG, sized to the element so that its text is in CSS pixels.
import { READABLE_DB } from '../views/verdict.js';

/** Each attack: a colour, a dash and a marker, so that colour is never the only cue. */
export const ATTACK_STYLE = {
  tv: { cls: 'a-tv', dash: '', marker: 'circle', short: 'TV LP' },
  minsum: { cls: 'a-minsum', dash: '8 4', marker: 'square', short: 'min-sum LP' },
  paper: { cls: 'a-paper', dash: '2 4', marker: 'diamond', short: 'paper’s LP' },
  stacked: { cls: 'a-stacked', dash: '12 4 2 4', marker: 'triangle', short: 'stacked epochs' },
  gradient: { cls: 'a-gradient', dash: '4 3', marker: 'plus', short: 'gradient leak' },
};
export const styleOf = (attack) => ATTACK_STYLE[attack] ?? { cls: 'a-other', dash: '', marker: 'circle', short: attack };

export const EXACT_DB = 99.95;
const TOP_DB = 40; // the top of the dB axis; exact rebuilds sit on a band above it

export function isExact(p) {
  return p.psnr >= EXACT_DB || p.within >= 0.999;
}
/** A point that has a PSNR to plot: applicable, solved. */
export const plotted = (p) => p.applicable && p.status === 'solved' && Number.isFinite(p.psnr);

function marker(kind, x, y, r) {
  switch (kind) {
    case 'square':
      return `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}"/>`;
    case 'diamond':
      return `<path d="M${x},${y - r * 1.3}L${x + r * 1.3},${y}L${x},${y + r * 1.3}L${x - r * 1.3},${y}Z"/>`;
    case 'triangle':
      return `<path d="M${x},${y - r * 1.3}L${x + r * 1.2},${y + r}L${x - r * 1.2},${y + r}Z"/>`;
    case 'plus':
      return `<path d="M${x - r * 1.3},${y}h${r * 2.6}M${x},${y - r * 1.3}v${r * 2.6}" class="stroke-only"/>`;
    default:
      return `<circle cx="${x}" cy="${y}" r="${r}"/>`;
  }
}

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/**
 * @param {SVGSVGElement} svg
 * @param {{hidden: number[], attacks: {name: string, label: string}[], points: object[],
 *          baseline: number|null, selected: number|null, fontPx?: number, note?: string}} data
 * @returns {(h: number) => number} the x of each h (for picking an h with the pointer)
 */
export function renderBudgetPlot(svg, { hidden, attacks, points, baseline, selected, fontPx = 13, note = '' }) {
  const W = Math.max(320, Math.round(svg.clientWidth || 640));
  const H = Math.max(220, Math.round(svg.clientHeight || 360));
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const f = fontPx;
  const l = Math.round(f * 3.6);
  const r = Math.round(f * 1.2);
  const t = Math.round(f * 3.3); // room for the note and the "exact" band
  // legend rows first: they decide the bottom margin
  const legend = [];
  let lx = l;
  let rows = 1;
  for (const a of attacks) {
    const w = f * 3.6 + styleOf(a.name).short.length * f * 0.62;
    if (lx + w > W - r && lx > l) {
      rows++;
      lx = l;
    }
    legend.push({ name: a.name, x: lx, row: rows - 1 });
    lx += w;
  }
  const b = Math.round(f * (3.6 + 1.6 * rows)); // h ticks, the axis label, the legend
  const lo = Math.log(Math.min(...hidden));
  const hi = Math.log(Math.max(...hidden));
  const x = (h) => l + ((Math.log(h) - lo) / Math.max(1e-9, hi - lo)) * (W - l - r);
  const y = (db) => t + (1 - Math.max(0, Math.min(TOP_DB, db)) / TOP_DB) * (H - t - b);
  const yExact = t - f * 1.3;
  let g = '';
  for (const db of [0, 10, 20, 30, 40]) {
    g += `<line x1="${l}" x2="${W - r}" y1="${y(db)}" y2="${y(db)}" class="grid${db === READABLE_DB ? ' readable' : ''}"/>`;
    g += `<text x="${l - 6}" y="${y(db) + f * 0.35}" text-anchor="end" class="tick">${db}</text>`;
  }
  g += `<text x="${l - 6}" y="${yExact + f * 0.35}" text-anchor="end" class="tick">exact</text>`;
  g += `<line x1="${l}" x2="${W - r}" y1="${yExact}" y2="${yExact}" class="grid exact"/>`;
  g += `<text x="${W - r}" y="${y(READABLE_DB) - 5}" text-anchor="end" class="note">readable from ${READABLE_DB} dB</text>`;
  for (const h of hidden) {
    g += `<line x1="${x(h)}" x2="${x(h)}" y1="${yExact}" y2="${H - b}" class="grid${h === selected ? ' selected' : ''}"/>`;
    g += `<text x="${x(h)}" y="${H - b + f * 1.3}" text-anchor="middle" class="tick${h === selected ? ' selected' : ''}">${h}</text>`;
  }
  g += `<text x="${(l + W - r) / 2}" y="${H - b + f * 2.7}" text-anchor="middle" class="axis-label">hidden units h (rows of W1: equations the server holds)</text>`;
  // the legend: line, marker and name of each attack, in rows that fit the width
  for (const it of legend) {
    const st = styleOf(it.name);
    const lx = it.x;
    const ly = H - f * 0.7 - (rows - 1 - it.row) * f * 1.6;
    g += `<g class="legend-item ${st.cls}"><path d="M${lx},${ly - f * 0.35}h${f * 1.8}" class="line"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/>`;
    g += `<g class="pt">${marker(st.marker, lx + f * 0.9, ly - f * 0.35, f * 0.3)}</g>`;
    g += `<text x="${lx + f * 2.2}" y="${ly}" class="legend">${esc(st.short)}</text></g>`;
  }
  if (baseline != null && Number.isFinite(baseline)) {
    g += `<line x1="${l}" x2="${W - r}" y1="${y(baseline)}" y2="${y(baseline)}" class="baseline"/>`;
    g += `<text x="${W - r - 4}" y="${y(baseline) + f * 1.15}" text-anchor="end" class="note">average digit ${baseline.toFixed(1)} dB</text>`;
  }
  let lines = '';
  for (const a of attacks) {
    const st = styleOf(a.name);
    const mine = points.filter((p) => p.attack === a.name).sort((p, q) => p.h - q.h);
    const yOf = (p) => (isExact(p) ? yExact : y(p.psnr));
    // a line only through consecutive plotted points: a stopped solver breaks it
    let d = '';
    let pen = false;
    for (const p of mine) {
      if (!plotted(p)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(p.h).toFixed(1)},${yOf(p).toFixed(1)}`;
      pen = true;
    }
    if (d) lines += `<path d="${d}" class="line ${st.cls}"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/>`;
    for (const p of mine) {
      if (plotted(p)) {
        lines += `<g class="pt ${st.cls}" data-h="${p.h}" data-attack="${p.attack}" data-psnr="${p.psnr}"><title>${esc(a.label)} at h = ${p.h}: ${isExact(p) ? 'exact' : `${p.psnr.toFixed(1)} dB`}</title>${marker(st.marker, x(p.h), yOf(p), f * 0.36)}</g>`;
      } else {
        const why = p.applicable ? `the solver stopped (${p.status}): no rebuild` : 'does not apply';
        const cx = x(p.h);
        const cy = H - b - f * 0.5;
        lines += `<g class="pt stopped ${st.cls}" data-h="${p.h}" data-attack="${p.attack}" data-status="${esc(p.status)}"><title>${esc(a.label)} at h = ${p.h}: ${esc(why)}</title><path d="M${cx - 5},${cy - 5}l10,10M${cx + 5},${cy - 5}l-10,10"/></g>`;
      }
    }
  }
  if (note) g += `<text x="${W - r}" y="${f * 1.1}" text-anchor="end" class="note missing">${esc(note)}</text>`;
  svg.innerHTML = `${g}${lines}`;
  return x;
}
