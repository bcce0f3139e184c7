// The budget plot's numbers as CSV (RFC 4180: comma-separated, CRLF, quoted where needed): one row
// per (h, attack), in the plot's order. Pure: the unit tests run it directly.

export const CSV_COLUMNS = ['digit', 'protocol', 'h', 'attack', 'applicable', 'status', 'psnr_db', 'ssim', 'baseline_db', 'equations_seen', 'attack_ms'];

const cell = (v) => {
  if (v == null || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const num = (v, d) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '');

/**
 * @param {object[]} points budget points ({h, attack, applicable, status, psnr, ssim, baselinePsnr, observations, ms})
 * @param {{digit: string, attacks: string[]}} meta the digit's key (m7, drawn) and the attacks' order
 */
export function budgetCsv(points, { digit, attacks }) {
  const order = (p) => attacks.indexOf(p.attack);
  const rows = [...points].sort((p, q) => p.h - q.h || order(p) - order(q));
  const lines = [CSV_COLUMNS.join(',')];
  for (const p of rows) {
    lines.push(
      [
        cell(digit), 'cryptonn', p.h, cell(p.attack), p.applicable ? 'true' : 'false', cell(p.status),
        num(p.psnr, 2), num(p.ssim, 4), num(p.baselinePsnr, 2),
        p.applicable && p.observations ? p.observations * p.h : '', num(p.ms, 1),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
