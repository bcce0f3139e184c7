import test from 'node:test';
import assert from 'node:assert/strict';
import { budgetCsv, CSV_COLUMNS } from '../../www/lab/csv.js';
import { makespan, estimateBudgetMs } from '../../www/lab/budget.js';

const pt = (h, attack, extra = {}) => ({ h, attack, applicable: true, status: 'solved', psnr: 20 + h / 100, ssim: 0.5, baselinePsnr: 12.25, observations: 1, ms: 3, ...extra });

test('budget CSV: a header, one row per (h, attack) sorted by h then the attack order, numbers fixed', () => {
  const csv = budgetCsv([pt(128, 'minsum'), pt(16, 'tv'), pt(128, 'tv'), pt(784, 'paper', { status: 'infeasible' })], { digit: 'm7', attacks: ['tv', 'minsum', 'paper'] });
  const lines = csv.split('\r\n');
  assert.equal(lines[0], CSV_COLUMNS.join(','));
  assert.equal(lines.length, 6, 'header, 4 rows, final empty');
  assert.deepEqual(lines.slice(1, 5).map((l) => l.split(',').slice(2, 4).join(' ')), ['16 tv', '128 tv', '128 minsum', '784 paper']);
  assert.equal(lines[1], 'm7,cryptonn,16,tv,true,solved,20.16,0.5000,12.25,16,3.0');
  assert.match(lines[4], /,infeasible,/, 'a stopped solver says so');
});

test('budget CSV: a not-applicable point has no PSNR and no equations; text with a comma is quoted', () => {
  const csv = budgetCsv([pt(16, 'gradient', { applicable: false, status: 'not applicable', psnr: null, ssim: null })], { digit: 'a,b', attacks: ['gradient'] });
  assert.equal(csv.split('\r\n')[1], '"a,b",cryptonn,16,gradient,false,not applicable,,,12.25,,3.0');
});

test('the budget estimate: largest first onto the workers; the TV budget is estimated quicker on two workers than on one', () => {
  assert.equal(makespan([5, 4, 3, 3, 3], 2), 10); // 5+3 | 4+3+3 (largest first, not the optimum 9)
  assert.equal(makespan([5, 4, 3], 1), 12);
  const one = estimateBudgetMs({ hidden: [16, 32, 64, 128, 256, 392, 784], attacks: ['tv'], workers: 1 });
  const two = estimateBudgetMs({ hidden: [16, 32, 64, 128, 256, 392, 784], attacks: ['tv'], workers: 2 });
  assert.ok(two < one && two > one / 2 - 1, `${two} vs ${one}`);
});
