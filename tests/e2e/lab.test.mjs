// Lab mode (#mode=lab), end to end in headless Chromium: the attack budget plot gets a point for
// every h and every attack from real CryptoNN rounds in the lab's workers, the exports (CSV, PNG,
// scene JSON) hold what the plot shows, the digit picker changes the digit, the exercises reveal
// their answers, and the story's keys leave the lab alone. Screenshots at 1366×768 and 1024×768.
// No timing is asserted here (the budget's time is a bench row: npm run bench -- --only lab-budget).
import fs from 'node:fs';
import { openPage, screenshot, assert, hashParams, settle, drawStroke } from '../harness.mjs';

const sel = (id) => `[data-testid="${id}"]`;
const noErrors = (errors) => assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);

async function download(page, testid) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(sel(testid))]);
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
}

/** Wait until the lab is ready (its lists come from the core). */
async function openLab(browser, url, hash, opts) {
  const r = await openPage(browser, `${url}${hash}`, opts);
  await r.page.waitForSelector(`${sel('budget-attack-tv')}`, { state: 'attached' });
  return r;
}

export const tests = [
  {
    name: 'lab: the budget plot has a point for every h and every attack; CSV, PNG and scene JSON hold them (1366×768, 1024×768)',
    async fn({ browser, url }) {
      const { page, context, errors } = await openLab(browser, url, '#mode=lab&digit=m7&h=128');
      assert(await page.isVisible(sel('budget-plot')), 'the plot is on screen');
      assert(!(await page.isVisible('#stage-2')), 'the five stages wait in the full demo');
      assert(await page.isVisible(sel('draw-canvas')), 'stage 1 (draw) is in the lab');
      const { hidden, attacks } = await page.evaluate(() => ({
        hidden: [...document.querySelectorAll('#lab-h input')].map((i) => Number(i.value)),
        attacks: [...document.querySelectorAll('#budget-attacks input')].map((i) => i.value),
      }));
      assert(hidden.length >= 5 && attacks.length === 5, `h values ${hidden}, attacks ${attacks}`);
      const missing = [16, 32, 64, 128, 256, 512, 784].filter((h) => !hidden.includes(h));
      if (missing.length) {
        const note = await page.textContent(sel('budget-missing'));
        assert(missing.every((h) => note.includes(`h = ${h}`)) && /not replaced/.test(note), `the missing h is named: ${note}`);
      }
      await page.click(sel('budget-run'));
      await page.waitForFunction(
        (n) => Number(document.querySelector('[data-testid="budget-plot"]').dataset.points) === n && !document.querySelector('[data-testid="budget-run"]').disabled,
        hidden.length * attacks.length,
        { timeout: 180000 },
      );
      const pts = await page.$$eval(`${sel('budget-plot')} g.pt[data-h]`, (gs) => gs.map((g) => ({ h: Number(g.dataset.h), attack: g.dataset.attack, psnr: g.dataset.psnr, status: g.dataset.status })));
      for (const h of hidden) for (const a of attacks) assert(pts.some((p) => p.h === h && p.attack === a), `a point for h = ${h}, ${a}`);
      const tv = (h) => Number(pts.find((p) => p.h === h && p.attack === 'tv').psnr);
      assert(tv(16) < 20 && tv(784) >= 99.95, `TV: blurry at h = 16 (${tv(16)}), exact at h = 784 (${tv(784)})`);
      assert(pts.filter((p) => p.attack === 'gradient').every((p) => Number(p.psnr) >= 99.95), 'the gradient leak is exact at every h');
      assert(/Attack budget done/.test(await page.textContent(sel('status'))), 'the status says it is done');
      // the side-by-side view at the chosen h: every attack's rebuild of the same view
      const side = await page.$$eval(`${sel('lab-side')} figure[data-attack]`, (fs) => fs.map((f) => [f.dataset.attack, f.dataset.state]));
      assert(side.length === attacks.length && side.every(([, s]) => s === 'rebuilt' || s === 'none'), `side by side: ${JSON.stringify(side)}`);
      assert(side.filter(([, s]) => s === 'rebuilt').length >= 4, 'at least four rebuilds at h = 128');
      // the meter counts the stacked attack's sightings after the run
      const stacked = await page.$eval(`${sel('lab-meter')} [data-attack="stacked"]`, (g) => Number(g.dataset.equations));
      assert(stacked > 128 && stacked % 128 === 0, `stacked: several sightings × 128 equations (${stacked})`);
      // a click on the plot picks the h for the side-by-side view
      const box = await page.locator(sel('budget-plot')).boundingBox();
      const x16 = await page.$eval(`${sel('budget-plot')} g.pt[data-h="16"][data-attack="tv"] circle`, (el) => el.getBoundingClientRect().x + el.getBoundingClientRect().width / 2);
      await page.mouse.click(x16, box.y + box.height / 2);
      await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('h') === '16');
      assert(/h = 16/.test(await page.textContent('#side-caption')), 'the side-by-side view follows');
      await settle(page, 300);
      await screenshot(page, 'lab-1366');
      // CSV: a header and one row per point, the PSNR the plot shows
      const csv = (await download(page, 'budget-csv')).bytes.toString('utf8').trim().split(/\r\n/);
      assert(csv[0] === 'digit,protocol,h,attack,applicable,status,psnr_db,ssim,baseline_db,equations_seen,attack_ms', `CSV header: ${csv[0]}`);
      assert(csv.length === 1 + hidden.length * attacks.length, `${csv.length - 1} rows`);
      const row = csv.find((l) => l.startsWith(`m7,cryptonn,${hidden[0]},tv,`)).split(',');
      assert(Math.abs(Number(row[6]) - tv(hidden[0])) < 0.01, `CSV PSNR ${row[6]} = plot ${tv(hidden[0])}`);
      const png = await download(page, 'budget-png');
      assert(png.bytes.subarray(1, 4).toString() === 'PNG' && png.bytes.length > 5000, 'a PNG of the plot');
      const sidePng = await download(page, 'side-png');
      assert(sidePng.bytes.subarray(1, 4).toString() === 'PNG', 'a PNG of the attacks side by side');
      const scene = JSON.parse((await download(page, 'lab-scene-json')).bytes.toString('utf8'));
      assert(scene.settings.h === 16 && scene.settings.attack === 'tv' && scene.view.z.length === 16 && scene.view.w1.length === 16, `scene JSON of the chosen h: ${JSON.stringify(scene.settings)}`);
      await page.setViewportSize({ width: 1024, height: 768 });
      await settle(page, 500);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 0, `no horizontal scroll on a tablet (${overflow} px)`);
      await screenshot(page, 'lab-1024');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'lab: the picker changes the digit, the exercises reveal their answers, the story keys leave the lab alone',
    async fn({ browser, url }) {
      const { page, context, errors } = await openLab(browser, url, '#mode=lab&digit=m7&h=128');
      await page.waitForSelector(sel('lab-thumb'));
      const thumbs = await page.$$eval(sel('lab-thumb'), (bs) => bs.map((b) => Number(b.dataset.index)));
      assert(thumbs.length >= 20, `${thumbs.length} thumbnails`);
      const pick = thumbs.find((i) => i !== 7);
      const before = await page.getAttribute('#preview', 'data-ink');
      await page.click(`${sel('lab-thumb')}[data-index="${pick}"]`);
      assert((await hashParams(page)).digit === `m${pick}`, 'the picked digit is in the URL');
      assert((await page.getAttribute(`${sel('lab-thumb')}[data-index="${pick}"]`, 'aria-pressed')) === 'true', 'the picked thumbnail is marked');
      assert((await page.getAttribute('#preview', 'data-ink')) !== before, 'the sample changed');
      assert((await page.textContent('#digit-source')).includes(`#${pick}`), 'the digit panel names it');
      // exercises: five, answers hidden until revealed
      const answers = page.locator(sel('exercise-answer'));
      assert((await answers.count()) === 5, 'five exercises');
      assert(!(await answers.first().locator('p').isVisible()), 'the answer is hidden at first');
      await answers.first().locator('summary').click();
      assert(await answers.first().locator('p').isVisible(), 'the answer is revealed');
      assert(/128 exact equations/.test(await answers.first().locator('p').textContent()), 'the first answer explains the 128 equations');
      assert(/h = 128/.test(await page.textContent(`${sel('lab-exercises')} li:first-child .question`)), 'exercise 1 is the h = 128 drawing');
      // exercise 1's answer, measured: a lattice of lines drawn in the lab is not rebuilt at h = 128 (TV), only at 784
      await page.click(sel('clear'));
      for (let j = 0; j < 6; j++) await drawStroke(page, sel('draw-canvas'), [[0.1, 0.12 + 0.15 * j], [0.9, 0.12 + 0.15 * j]]);
      for (let j = 0; j < 6; j++) await drawStroke(page, sel('draw-canvas'), [[0.12 + 0.15 * j, 0.1], [0.12 + 0.15 * j, 0.9]]);
      await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('digit')?.startsWith('d'));
      for (const a of ['minsum', 'paper', 'stacked', 'gradient']) await page.uncheck(sel(`budget-attack-${a}`));
      await page.click(sel('budget-run'));
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="budget-plot"]').dataset.points) === document.querySelectorAll('#lab-h input').length && !document.querySelector('[data-testid="budget-run"]').disabled, null, { timeout: 120000 });
      const tv = Object.fromEntries(await page.$$eval(`${sel('budget-plot')} g.pt[data-attack="tv"]`, (gs) => gs.map((g) => [g.dataset.h, Number(g.dataset.psnr)])));
      assert(tv[128] < 20 && tv[784] >= 99.95, `a lattice: ${tv[128]} dB at h = 128 (below 20), exact at 784 (${tv[784]})`);
      await screenshot(page, 'lab-1366-drawn-lattice');
      // → and space do not run the hidden stages
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('PageDown');
      await page.waitForTimeout(300);
      assert((await page.getAttribute('body', 'data-busy')) !== 'true' && (await hashParams(page)).stage === undefined, 'no stage ran');
      // back to the full demo and in again
      await page.click(sel('mode-link'));
      await page.waitForFunction(() => !document.body.classList.contains('lab-mode'));
      assert(await page.isVisible('#stage-4'), 'the full demo is back');
      assert((await page.$eval('#stages', (s) => s.firstElementChild.id)) === 'stage-1', 'stage 1 is back in its place');
      await page.click(sel('mode-link'));
      await page.waitForFunction(() => document.body.classList.contains('lab-mode'));
      assert((await hashParams(page)).mode === 'lab', 'mode=lab in the URL');
      noErrors(errors);
      await context.close();
    },
  },
];
