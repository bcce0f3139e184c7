// The demo, end to end in headless Chromium against the built dist/: drawing with real pointer
// events, the five stages, the attack's quality, the protocol selector, the URL, the keyboard,
// cancellation, presenter mode and a tablet. Screenshots of each stage go to test-results/.
// Timings are not asserted here (they belong to `npm run bench`).
import {
  openPage, drawStroke, screenshot, assert, attackResult, hashParams, settle,
} from '../harness.mjs';

const sel = (id) => `[data-testid="${id}"]`;
const status = (page) => page.textContent(sel('status'));
const noErrors = (errors) => assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);

export const tests = [
  {
    name: 'empty canvas: run and next say "draw a digit first", nothing is solved',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, url);
      await page.click(sel('run'));
      assert(/draw a digit first/i.test(await status(page)), `status: ${await status(page)}`);
      await page.click(sel('next-stage'));
      assert(/draw a digit first/i.test(await status(page)), 'next-stage refuses too');
      const shown = await page.getAttribute(sel('psnr'), 'data-value');
      assert(shown === null, 'no PSNR for an empty canvas');
      assert((await page.getAttribute('body', 'data-stage')) === '1', 'still at stage 1');
      await screenshot(page, 'stage-1-empty');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'a digit drawn with pointer events is rebuilt from the server view (h=256, TV, PSNR ≥ 20 dB)',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#h=256&attack=tv`);
      // a "2": top arc, diagonal, base
      await drawStroke(page, sel('draw-canvas'), [[0.3, 0.3], [0.45, 0.18], [0.62, 0.2], [0.68, 0.35], [0.55, 0.55], [0.3, 0.8], [0.72, 0.8]]);
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="preview"]').dataset.ink) > 10);
      await page.click(sel('run'));
      const r = await attackResult(page);
      assert(r.psnr >= 20, `PSNR ${r.psnr.toFixed(1)} dB ≥ 20 dB`);
      assert(r.psnr > r.baseline + 1, 'better than the mean digit');
      assert(/reconstruction, PSNR \d+ dB/.test(r.label), `text alternative: ${r.label}`);
      assert((await page.textContent(sel('ciphertext'))).length > 10, 'ciphertext shown');
      assert((await page.getAttribute('#ct-strip', 'data-bytes')) === '25129', 'ristretto255 ciphertext is 9 + 785·32 bytes');
      const bars = await page.$eval(sel('server-z'), (s) => s.querySelector('path.bars')?.getAttribute('d')?.split('M').length - 1);
      assert(bars === 256, `256 bars of z: ${bars}`);
      assert((await hashParams(page)).digit?.startsWith('d'), 'the drawing is in the URL');
      await settle(page);
      await screenshot(page, 'stage-4-drawn-h256');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'random MNIST digits (5, seeded), h=128, TV → median PSNR ≥ 22 dB, each leaks',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#h=128&attack=tv`, { seed: 42 });
      const runs = [];
      for (let k = 0; k < 5; k++) {
        await page.click(sel('random-digit'));
        const digit = (await hashParams(page)).digit;
        assert(/^m\d+$/.test(digit), `an MNIST digit in the URL: ${digit}`);
        await page.click(sel('run'));
        const r = await attackResult(page);
        assert(r.psnr > r.baseline + 1, `digit ${digit} leaks: ${r.psnr.toFixed(1)} dB vs mean digit ${r.baseline.toFixed(1)} dB`);
        runs.push([digit, r.psnr]);
      }
      const sorted = runs.map((r) => r[1]).sort((a, b) => a - b);
      assert(sorted[2] >= 22, `median PSNR ${sorted[2].toFixed(1)} dB ≥ 22 dB: ${JSON.stringify(runs)}`);
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'keyboard walk through the five stages, presenter mode, client loop makes the attack fail',
    async fn({ browser, url }) {
      const foreign = [];
      const { page, context, errors } = await openPage(browser, `${url}#h=128&attack=tv&digit=m7`);
      const origin = new URL(url).origin;
      page.on('request', (r) => !r.url().startsWith(origin) && !/^(data|blob):/.test(r.url()) && foreign.push(r.url()));
      await page.locator('body').click({ position: { x: 5, y: 760 } });
      assert((await page.getAttribute('body', 'data-stage')) === '1', 'starts at stage 1');
      await screenshot(page, 'stage-1-draw');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => document.body.dataset.busy === 'false' && document.querySelector('#ct-strip').dataset.bytes !== '0');
      assert((await hashParams(page)).stage === '2', 'stage 2 in the URL');
      await screenshot(page, 'stage-2-encrypt');
      await page.keyboard.press(' ');
      await page.waitForFunction(() => document.body.dataset.busy === 'false' && document.querySelector('#server-z path.bars'));
      await screenshot(page, 'stage-3-decrypt');
      await page.keyboard.press('ArrowRight');
      const r = await attackResult(page);
      assert(r.psnr >= 20, `stage 4 leaks: ${r.psnr}`);
      await settle(page);
      await screenshot(page, 'stage-4-attack');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => document.body.dataset.busy === 'false' && document.body.dataset.stage === '5', null, { timeout: 90000 });
      const lines = await page.$$eval('#learn-chart path.line', (p) => p.length);
      assert(lines === 3, `three training curves: ${lines}`);
      assert(/still learns/i.test(await status(page)), `status: ${await status(page)}`);
      const accs = [...(await status(page)).matchAll(/(\d+)%/g)].map((m) => Number(m[1]));
      assert(accs.length === 3 && accs.every((a) => a >= 50), `every protocol learns (≥ 50% after 2 short epochs): ${accs}`);
      await screenshot(page, 'stage-5-mitigations');

      await page.keyboard.press('p');
      assert(await page.$eval('body', (b) => b.classList.contains('presenter')), 'p: presenter mode');
      assert((await hashParams(page)).presenter === '1', 'presenter in the URL');
      await screenshot(page, 'presenter-stage-5');
      await page.keyboard.press('ArrowLeft');
      assert((await page.getAttribute('body', 'data-stage')) === '4', '←: back to stage 4');
      await page.keyboard.press('l');
      assert(await page.isChecked(sel('toggle-client-loop')), 'l: client loop on');
      assert((await hashParams(page)).protocol === 'client-loop', 'protocol=client-loop in the URL');
      assert((await hashParams(page)).h === '128', 'h unchanged');
      const safe = await attackResult(page, { protocol: 'client-loop' });
      assert(safe.psnr < safe.baseline + 1, `client loop: attack ${safe.psnr.toFixed(1)} dB < mean digit ${safe.baseline.toFixed(1)} + 1 dB`);
      assert(/never held W1/.test(safe.status), `status explains why: ${safe.status}`);
      await settle(page);
      await screenshot(page, 'presenter-client-loop');
      await page.keyboard.press('p');
      await page.keyboard.press('l');
      assert(!(await page.isChecked(sel('toggle-client-loop'))), 'l again: off');
      assert(await page.isChecked(sel('protocol-cryptonn')), 'l again: back to CryptoNN');
      await page.keyboard.press('c');
      assert(/draw a digit/i.test(await status(page)), 'c: cleared');
      assert(!(await hashParams(page)).digit, 'no digit in the URL after clear');
      await page.keyboard.press('r');
      assert(/^m\d+$/.test((await hashParams(page)).digit), 'r: a random MNIST digit');
      assert(foreign.length === 0, `only the page's own files are requested (offline-ready): ${foreign.join(', ')}`);
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'FHIPE: the page asks before a long step, "Use h = 16" says so; real pairings with progress; the attack fails beside CryptoNN at the same h',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#attack=tv&digit=m3&stage=1`);
      await page.click(sel('toggle-fhipe'));
      let p = await hashParams(page);
      assert(p.protocol === 'fhipe' && p.h === '128', `FHIPE on, h unchanged: ${JSON.stringify(p)}`);
      const progress = [];
      await page.exposeFunction('__progress', (t) => progress.push(t));
      await page.evaluate(() => {
        const el = document.querySelector('[data-testid="progress"]');
        new MutationObserver(() => window.__progress(el.getAttribute('aria-valuetext') ?? '')).observe(el, { attributes: true });
      });
      await page.click(sel('run'));
      await page.waitForSelector(sel('estimate-lower'));
      const asked = await page.textContent('#ask-text');
      assert(/FHIPE at h = 128: about \d+ s on \d+ cores?/.test(asked), `the estimate is shown: ${asked}`);
      assert((await page.textContent(sel('estimate-lower'))).includes('h = 16'), 'offers h = 16');
      assert((await page.textContent(sel('ciphertext'))) === '—', 'nothing ran while asking');
      await page.click(sel('estimate-lower'));
      p = await hashParams(page);
      assert(p.h === '16', `h = 16 after the choice: ${JSON.stringify(p)}`);
      assert(/h changed from 128 to 16/.test(await status(page)), `the change is said: ${await status(page)}`);
      const r = await attackResult(page, { protocol: 'fhipe', timeout: 240000 });
      assert(r.psnr < r.baseline + 1, `FHIPE: attack ${r.psnr.toFixed(1)} dB < mean digit ${r.baseline.toFixed(1)} + 1 dB`);
      assert(/FHIPE/.test(r.status) && /W1/.test(r.status), `status explains why: ${r.status}`);
      assert(/h changed from 128 to 16/.test(r.status), `the summary repeats the change: ${r.status}`);
      assert(progress.some((t) => /rows · [\d,]+ pairings/.test(t)), `pairing progress shown: ${progress.slice(-3).join(' | ')}`);
      assert(progress.some((t) => /issued \d+\/16 keys/.test(t)), 'key progress shown');
      assert(/16 × 785 G1/.test(await page.textContent('#encrypt-facts')), 'the client issued 16 FHIPE keys');
      const cap = await page.textContent(sel('compare-caption'));
      assert(/Both at h = 16/.test(cap) && /CryptoNN/.test(cap) && /FHIPE/.test(cap), `equal-h comparison: ${cap}`);
      assert(Number(await page.getAttribute(sel('compare-reconstruction'), 'data-psnr')) > 0, 'CryptoNN rebuild at h = 16 shown');
      await settle(page);
      await screenshot(page, 'fhipe-h16');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'URL state round-trips (load, protocol selector, back/forward, drawn digit)',
    async fn({ browser, url }) {
      const hash = '#protocol=client-loop&h=64&attack=minsum&group=ffdhe2048&digit=m5';
      const { page, context, errors } = await openPage(browser, url + hash);
      assert((await page.inputValue(sel('hidden-units'))) === '2', 'h = 64 is slider position 2');
      assert((await page.inputValue(sel('attack-method'))) === 'minsum', 'attack from the URL');
      assert(await page.isChecked(sel('toggle-client-loop')), 'protocol from the URL');
      assert((await page.$$('input[name="protocol"]:checked')).length === 1, 'exactly one protocol');
      assert((await page.inputValue(sel('fe-group'))) === 'none', 'client loop: nothing is encrypted');
      await page.click(sel('protocol-cryptonn'));
      assert((await hashParams(page)).protocol === 'cryptonn', 'the selector writes protocol= to the URL');
      assert((await page.inputValue(sel('fe-group'))) === 'ffdhe2048', 'group from the URL');
      await page.click(sel('protocol-fenet'));
      assert((await hashParams(page)).protocol === 'fenet', 'protocol=fenet');
      await page.goBack();
      await page.waitForFunction(() => document.querySelector('[data-testid="protocol-cryptonn"]').checked);
      await page.goBack();
      await page.waitForFunction(() => document.querySelector('[data-testid="toggle-client-loop"]').checked);
      assert(!(await page.isChecked(sel('toggle-fhipe'))), 'fhipe from the URL');
      assert(Number(await page.getAttribute(sel('preview'), 'data-ink')) > 10, 'digit 5 shown');
      assert((await page.evaluate(() => location.hash)) === hash, `the hash is stable: ${await page.evaluate(() => location.hash)}`);
      await page.selectOption(sel('attack-method'), 'tv');
      assert((await hashParams(page)).attack === 'tv', 'a control writes the URL');
      await page.goBack();
      await page.waitForFunction(() => document.querySelector('[data-testid="attack-method"]').value === 'minsum');
      await page.goForward();
      await page.waitForFunction(() => document.querySelector('[data-testid="attack-method"]').value === 'tv');
      // keyboard: arrows move the radio group like any other
      await page.focus(sel('toggle-client-loop'));
      await page.keyboard.press('ArrowDown');
      assert((await hashParams(page)).protocol === 'fhipe', `arrow keys move the selection: ${(await hashParams(page)).protocol}`);
      // a drawing survives a reload through the URL
      await page.click(sel('clear'));
      await drawStroke(page, sel('draw-canvas'), [[0.5, 0.15], [0.5, 0.85]]);
      await page.waitForFunction(() => location.hash.includes('digit=d'));
      const ink = await page.getAttribute(sel('preview'), 'data-ink');
      const drawn = await page.evaluate(() => location.href);
      const again = await openPage(browser, drawn);
      assert((await again.page.getAttribute(sel('preview'), 'data-ink')) === ink, 'the same sample after reload');
      assert(await again.page.isHidden(sel('link-note')), 'a good link raises no note');
      noErrors(errors);
      noErrors(again.errors);
      await again.context.close();
      await context.close();
    },
  },
  {
    name: 'cancel: Esc terminates a slow ffdhe2048 encryption; the page keeps working',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#h=32&group=ffdhe2048&digit=m1`);
      await page.click(sel('run'));
      await page.waitForSelector(`${sel('progress')}:not([hidden])`);
      await page.waitForTimeout(300);
      await page.keyboard.press('Escape');
      assert(/cancelled/i.test(await status(page)), `status: ${await status(page)}`);
      assert((await page.getAttribute('body', 'data-busy')) === 'false', 'nothing runs');
      await page.selectOption(sel('fe-group'), 'ristretto255');
      await page.click(sel('run'));
      const r = await attackResult(page);
      assert(Number.isFinite(r.psnr), 'a fresh run completes after the cancel');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'tablet in portrait (768×1024): touch drawing works and every stage is reachable',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#h=128`, {
        viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2,
      });
      const box = await page.locator(sel('draw-canvas')).boundingBox();
      const cdp = await context.newCDPSession(page);
      const pt = (x, y) => [{ x: box.x + x * box.width, y: box.y + y * box.height }];
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: pt(0.5, 0.15) });
      for (let i = 1; i <= 12; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: pt(0.5 - i * 0.005, 0.15 + i * 0.06) });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="preview"]').dataset.ink) > 10);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(width <= 768, `no horizontal scrolling: ${width}px`);
      await page.waitForTimeout(500); // a finger leaves the canvas before it taps Run (Chrome drops a tap right after a drag)
      await page.tap(sel('run'));
      const r = await attackResult(page);
      assert(Number.isFinite(r.psnr), 'attack ran');
      await settle(page);
      await screenshot(page, 'tablet-portrait');
      await page.screenshot({ path: 'test-results/tablet-portrait-full.png', fullPage: true });
      noErrors(errors);
      await context.close();
    },
  },
];
