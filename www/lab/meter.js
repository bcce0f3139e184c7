// "Equations vs unknowns": for each attack at the chosen h, how many equations about the 784
// pixels the server's view gives (h rows of W1·x = z per time it saw the digit; dW1's rows for the
// gradient), plus the smoothness rows the paper's LP adds — against the 784 unknowns. Counts come
// from the attack's run when there is one (its `observations`), else from the protocol's rule.
import { styleOf } from './budget-plot.js';

/** MNIST's 28×28 pixels (crate/src/data/mnist.rs PIXELS): the unknowns. */
export const PIXELS_28 = 784;

/** The RAID 2025 paper's smoothness rows (crate/src/attack/smoothness.rs `paper_pixels`, period 16
 *  as crate/src/attack/kind.rs sets it): one per pixel (i, j) with (i + j) mod 16 = 0. */
export function paperSmoothnessRows(period = 16) {
  let n = 0;
  for (let i = 0; i < 28; i++) for (let j = 0; j < 28; j++) if ((i + j) % period === 0) n++;
  return n;
}

/** {equations, extra, text} for `attack` at `h`; `point` is its result when it ran. */
export function countFor(attack, h, point) {
  const seen = point?.applicable ? point.observations : null;
  switch (attack) {
    case 'gradient':
      return { equations: PIXELS_28, extra: 0, text: `dW1 = δ1ᵀ·x: every row with δ1ᵢ ≠ 0 is x times a known number — ${PIXELS_28} equations, whatever h` };
    case 'stacked':
      return seen
        ? { equations: seen * h, extra: 0, text: `${seen} sightings × ${h} rows (W1 changes every epoch) = ${seen * h} equations` }
        : { equations: h, extra: 0, text: `${h} rows per sighting of the digit; run it to count the later epochs` };
    case 'paper': {
      const s = paperSmoothnessRows();
      return { equations: h, extra: s, text: `${h} equations W1·x = z + ${s} smoothness rows (|xₚ − mean of neighbours| ≤ 25/255 where (i + j) mod 16 = 0)` };
    }
    case 'minsum':
      return { equations: h, extra: 0, text: `${h} equations; the other ${Math.max(0, PIXELS_28 - h)} directions: the least ink` };
    default:
      return { equations: h, extra: 0, text: `${h} equations; the other ${Math.max(0, PIXELS_28 - h)} directions: the smoothest image (TV)` };
  }
}

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** One bar per attack: equations (and extra rows) against the 784 unknowns. */
export function renderMeter(svg, { h, attacks, pointOf, fontPx = 13 }) {
  const W = Math.max(260, Math.round(svg.clientWidth || 320));
  const f = fontPx;
  const rowH = f * 4.2;
  const H = Math.round(f * 2.2 + attacks.length * rowH);
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.style.height = `${H}px`;
  const l = 4;
  const barW = W - l - 8;
  const x = (n) => l + (Math.min(n, PIXELS_28) / PIXELS_28) * barW;
  let out = `<text x="${l}" y="${f * 1.2}" class="tick">0</text><text x="${W - 8}" y="${f * 1.2}" text-anchor="end" class="tick">${PIXELS_28} unknown pixels</text>`;
  const parts = [];
  attacks.forEach((a, k) => {
    const c = countFor(a.name, h, pointOf(a.name));
    const y0 = f * 2 + k * rowH;
    const st = styleOf(a.name);
    const total = c.equations + c.extra;
    out += `<g class="meter-row ${st.cls}" data-attack="${a.name}" data-equations="${c.equations}" data-extra="${c.extra}">`;
    out += `<text x="${l}" y="${y0 + f}" class="legend">${esc(st.short)}: ${c.equations}${c.extra ? ` + ${c.extra}` : ''} / ${PIXELS_28}${total >= PIXELS_28 ? ' (all)' : ''}</text>`;
    out += `<rect x="${l}" y="${y0 + f * 1.4}" width="${barW}" height="${f * 1.2}" class="unknowns"/>`;
    out += `<rect x="${l}" y="${y0 + f * 1.4}" width="${(x(c.equations) - l).toFixed(1)}" height="${f * 1.2}" class="equations"/>`;
    if (c.extra) out += `<rect x="${x(c.equations).toFixed(1)}" y="${y0 + f * 1.4}" width="${(x(total) - x(c.equations)).toFixed(1)}" height="${f * 1.2}" class="extra"/>`;
    out += `<title>${esc(c.text)}</title></g>`;
    parts.push(`${a.label}: ${c.text}`);
  });
  svg.innerHTML = out;
  svg.setAttribute('aria-label', `Equations against the 784 unknown pixels at h = ${h}. ${parts.join('. ')}.`);
  return parts;
}
