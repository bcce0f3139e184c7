// Page weight and offline: before the first interaction the page costs ≤ 2 MB on the wire (the
// trained models wait for the first stroke, the Photo scene's photos for the first interaction), a
// whole session fetches every file once, and a page loaded once works after a reload with no
// network (www/sw.js) — the digit, and the Photo scene's bundled photos.
import { openPage, assert, drawStroke, attackResult, screenshot, weightBeforeInteraction } from '../harness.mjs';

const sel = (id) => `[data-testid="${id}"]`;
const noErrors = (errors) => assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
const SEVEN = [[0.22, 0.18], [0.78, 0.18], [0.42, 0.88]];
const BUDGET = 2 * 1024 * 1024;
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;

export const tests = [
  {
    name: 'page weight: ≤ 2 MB on the wire before the first interaction; a full session fetches every file once',
    async fn({ browser, url, log }) {
      const { page, context, errors, from, bytes, responses: before } = await weightBeforeInteraction(browser, `${url}#h=128`, log);
      const list = before.map((r) => `${r.path.split('/').pop() || '/'} ${kib(r.bytes)}`).join(', ');
      console.log(`     before the first interaction: ${kib(bytes)} in ${before.length} responses (${list})`);
      assert(bytes <= BUDGET, `${kib(bytes)} ≤ 2 MiB before the first interaction: ${list}`);
      assert(!before.some((r) => /models-/.test(r.path)), 'the trained models wait for the first interaction');
      assert(!before.some((r) => /cifar-photos-/.test(r.path)), 'the Photo scene\'s photos wait for the first interaction');
      // a whole session: draw, run to the attack, a mitigation beside CryptoNN
      await drawStroke(page, sel('draw-canvas'), SEVEN);
      await page.waitForFunction(() => location.hash.includes('digit=d')); // the stroke is the sample
      await page.click(sel('run'));
      await attackResult(page);
      await page.click(sel('toggle-client-loop'));
      await attackResult(page, { protocol: 'client-loop' });
      await page.waitForSelector('[data-testid="photo-scene"][data-photos="loaded"]', { state: 'attached' }); // fetched at idle
      const all = log.slice(from).map((r) => r.path);
      // allowed twice, both a few KiB: the page itself (the service worker keeps a copy of the page
      // that was opened before it existed) and sw.js (the browser re-checks it, by design)
      const twice = [...new Set(all.filter((p, i) => all.indexOf(p) !== i))].filter((p) => p !== '/' && p !== '/sw.js');
      const total = log.slice(from).reduce((a, r) => a + r.bytes, 0);
      console.log(`     whole session: ${kib(total)} in ${all.length} responses`);
      assert(twice.length === 0, `every file fetched once; twice: ${twice.join(', ')}`);
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'offline: a page loaded once reloads with no network, draw → run still rebuilds the digit, and the Photo scene has its photos',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#h=128`);
      await drawStroke(page, sel('draw-canvas'), SEVEN); // the first stroke fetches the models
      await page.waitForFunction(() => location.hash.includes('digit=d')); // the stroke is the sample
      await page.click(sel('run'));
      await attackResult(page);
      await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 10000 });
      // the first interaction fetched the Photo scene's photos at idle, for a visit offline later
      await page.waitForSelector('[data-testid="photo-scene"][data-photos="loaded"]', { state: 'attached' });
      await context.setOffline(true);
      await page.goto(`${url}#h=128`, { waitUntil: 'load' }).catch(() => {});
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 20000 });
      await drawStroke(page, sel('draw-canvas'), SEVEN);
      await page.waitForFunction(() => location.hash.includes('digit=d')); // the stroke is the sample
      await page.click(sel('run'));
      const r = await attackResult(page);
      assert(Number.isFinite(r.psnr) && r.psnr > r.baseline + 1, `rebuilt offline: PSNR ${r.psnr} (baseline ${r.baseline})`);
      await screenshot(page, 'offline-rebuilt');
      // the Photo scene offline: its photos come from what the first visit kept
      await page.click(sel('scene-photo'));
      await page.waitForSelector('[data-testid="photo-scene"][data-photos="loaded"]', { state: 'attached', timeout: 10000 });
      assert((await page.locator('[data-testid^="photo-pick-"]').count()) === 48, 'the 48 bundled photos, offline');
      // the fetches that failed with the network off are not errors of the page
      noErrors(errors.filter((e) => !/request failed|ERR_INTERNET_DISCONNECTED/.test(e)));
      await context.close();
    },
  },
];
