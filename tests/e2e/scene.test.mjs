// The scenario engine as a user meets it: links (old, new, malformed), the equal-h comparison, an
// attack that does not apply, the question before a long step, the scene export, where the heavy
// work runs, and a phone.
import fs from 'node:fs';
import path from 'node:path';
import { openPage, screenshot, assert, attackResult, hashParams, settle } from '../harness.mjs';
import { DIST } from '../harness.mjs';

const sel = (id) => `[data-testid="${id}"]`;
const status = (page) => page.textContent(sel('status'));
const noErrors = (errors) => assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
const isInt = (v) => Number.isInteger(v);

/** Click an export button and read the download. */
async function download(page, testid) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(sel(testid))]);
  const file = await d.path();
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(file) };
}

export const tests = [
  {
    name: 'old links: fhipe=1 and loop=1 select the protocol and are rewritten as protocol=',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#h=64&attack=tv&fhipe=1&loop=0&digit=m5`);
      assert(await page.isChecked(sel('toggle-fhipe')), 'fhipe=1 → FHIPE');
      assert((await page.evaluate(() => location.hash)) === '#protocol=fhipe&h=64&attack=tv&digit=m5', `rewritten: ${await page.evaluate(() => location.hash)}`);
      assert(await page.isHidden(sel('link-note')), 'an old link is understood: no note');
      const again = await openPage(browser, `${url}#h=128&attack=tv&fhipe=0&loop=1&digit=m5`);
      assert(await again.page.isChecked(sel('toggle-client-loop')), 'loop=1 → client in the loop');
      assert((await hashParams(again.page)).protocol === 'client-loop', 'protocol=client-loop in the URL');
      assert(!('loop' in (await hashParams(again.page))), 'the old key is gone');
      noErrors(errors);
      noErrors(again.errors);
      await again.context.close();
      await context.close();
    },
  },
  {
    name: 'a malformed link is reported on screen, key and value named, and replaced in the address bar',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=quantum&h=100&attack=tv&zoom=2&digit=m5`);
      await page.waitForSelector(`${sel('link-note')}:not([hidden])`);
      const note = await page.textContent(sel('link-note'));
      assert(/Link not understood/.test(note), `reported: ${note}`);
      for (const part of ['protocol=quantum', 'h=100', 'zoom=2']) assert(note.includes(part), `names ${part}: ${note}`);
      assert(/using h = 128/.test(note), `says what it uses instead: ${note}`);
      const hash = await page.evaluate(() => location.hash);
      assert(hash === '#protocol=cryptonn&h=128&attack=tv&digit=m5', `replaced: ${hash}`);
      const good = await openPage(browser, `${url}#protocol=cryptonn&h=128&attack=tv&digit=m5`);
      const entries = await good.page.evaluate(() => history.length);
      await good.context.close();
      assert((await page.evaluate(() => history.length)) === entries, 'replaced, not pushed: as many history entries as a good link');
      await screenshot(page, 'link-not-understood');
      await page.click('#link-note-close');
      assert(await page.isHidden(sel('link-note')), 'dismissed');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'a link to FHIPE at h = 128 does not start minutes of work: it asks first (Esc withdraws)',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=fhipe&h=128&attack=tv&digit=m2&stage=4`);
      await page.waitForSelector(sel('estimate-run'));
      const asked = await page.textContent('#ask-text');
      assert(/h = 128: about \d+ s/.test(asked), `estimate: ${asked}`);
      assert((await page.textContent(sel('ciphertext'))) === '—', 'no encryption yet');
      await page.waitForTimeout(500);
      assert((await page.textContent(sel('ciphertext'))) === '—', 'still nothing ran');
      await page.keyboard.press('Escape');
      assert(/cancelled/i.test(await status(page)), `status: ${await status(page)}`);
      assert(await page.isHidden('#ask'), 'the question is withdrawn');
      assert((await hashParams(page)).h === '128', 'h untouched');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'equal-h comparison: client in the loop beside unprotected CryptoNN, both at h = 128',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=client-loop&h=128&attack=tv&digit=m7&stage=4`);
      const r = await attackResult(page, { protocol: 'client-loop' });
      assert(r.psnr < r.baseline + 1, `client loop: ${r.psnr.toFixed(1)} dB, no better than the mean digit ${r.baseline.toFixed(1)} dB`);
      const cmp = Number(await page.getAttribute(sel('compare-reconstruction'), 'data-psnr'));
      assert(cmp > r.baseline + 1, `CryptoNN at the same h leaks: ${cmp.toFixed(1)} dB`);
      assert(await page.isVisible(sel('compare')), 'both rebuilds on screen');
      const cap = await page.textContent(sel('compare-caption'));
      assert(/Both at h = 128/.test(cap) && /CryptoNN/.test(cap) && /Client in the loop/.test(cap), `caption: ${cap}`);
      const verdict = await page.textContent(sel('verdict'));
      assert(/no better than the average digit/i.test(verdict) && !/recognisable/i.test(verdict), `verdict from the numbers: ${verdict}`);
      assert(/Ran: /.test(await page.textContent('#attack-notes')), 'the method that ran is named');
      assert(/still sees: z \(128 values\)/.test(await page.textContent(sel('server-sees'))), `what the server still sees: ${await page.textContent(sel('server-sees'))}`);
      await settle(page);
      await screenshot(page, 'compare-client-loop-h128');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'FENet: asks first, then leaks exactly as CryptoNN does at the same h (the server holds W1)',
    async fn({ browser, url }) {
      // h = 32: 32 keys × 785 pairings, over the 3 s the page runs without asking (h = 16 is under it).
      const { page, context, errors } = await openPage(browser, `${url}#protocol=fenet&h=32&attack=tv&digit=m3&stage=4`);
      await page.waitForSelector(sel('estimate-run'));
      assert(/FENet at h = 32: about \d+ s/.test(await page.textContent('#ask-text')), 'estimate shown');
      assert(/h = 16/.test(await page.textContent(sel('estimate-lower'))), 'the quicker h offered is 16');
      await page.click(sel('estimate-run'));
      const r = await attackResult(page, { protocol: 'fenet', timeout: 240000 });
      assert((await hashParams(page)).h === '32', 'h unchanged');
      const cmp = Number(await page.getAttribute(sel('compare-reconstruction'), 'data-psnr'));
      assert(Math.abs(cmp - r.psnr) < 0.1, `same W1, same z, same rebuild: FENet ${r.psnr.toFixed(2)} dB, CryptoNN ${cmp.toFixed(2)} dB`);
      assert(/W1 the server knows/.test(await page.textContent('#w1-caption')), 'the server holds W1 under FENet');
      const f = JSON.parse((await download(page, 'export-scene')).bytes.toString('utf8'));
      assert(f.settings.protocol === 'fenet' && Array.isArray(f.view.w1) && f.view.w1.length === 32, 'the exported view holds the server’s W1');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'the attack menu does not pretend: stacked epochs says it ran, and with which solver',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=cryptonn&h=64&attack=stacked&digit=m7&stage=4`);
      const r = await attackResult(page, { timeout: 120000 });
      const notes = await page.getAttribute('#attack-notes', 'title');
      assert(/^Ran: Stacked epochs( — solved by the [^·]+)? · solved/.test(notes), `the attack that ran is named: ${notes}`);
      assert(r.psnr > r.baseline + 1, `stacked epochs leak at h = 64: ${r.psnr.toFixed(1)} dB`);
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'gradient under client in the loop: "not applicable" in words, no image',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=client-loop&h=128&attack=gradient&digit=m4&stage=4`);
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="psnr"]');
        return document.body.dataset.busy === 'false' && el.dataset.applicable === 'false' && el.dataset.protocol === 'client-loop';
      }, null, { timeout: 60000 });
      const verdict = await page.textContent(sel('verdict'));
      assert(/^Not applicable: /.test(verdict) && verdict.length > 40, `a sentence: ${verdict}`);
      assert((await page.getAttribute(sel('reconstruction'), 'data-state')) === 'not-applicable', 'no rebuild');
      assert(Number(await page.getAttribute(sel('reconstruction'), 'data-ink')) === 0, 'no fake image');
      assert(await page.isDisabled(sel('export-scene')), 'nothing to export');
      assert((await page.inputValue(sel('attack-method'))) === 'gradient', 'the menu still says what was asked');
      assert(/^Not run: Gradient leak/.test(await page.textContent('#attack-notes')), 'and nothing else ran in its place');
      await settle(page);
      await screenshot(page, 'gradient-not-applicable');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'export: glasslayer-scene.json holds the server view (W1 under CryptoNN, none under a mitigation) and a PNG',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=cryptonn&h=64&attack=tv&digit=m5&stage=4`);
      assert(await page.isDisabled(sel('export-scene')), 'disabled before an attack ran');
      const r = await attackResult(page);
      assert(await page.isEnabled(sel('export-scene')), 'enabled after the attack');
      const json = await download(page, 'export-scene');
      assert(json.name === 'glasslayer-scene.json', `file name: ${json.name}`);
      const f = JSON.parse(json.bytes.toString('utf8'));
      fs.mkdirSync('test-results', { recursive: true });
      fs.writeFileSync(path.join('test-results', 'glasslayer-scene-cryptonn.json'), json.bytes); // for `glasslayer attack --view`
      assert(f.format === 'glasslayer-scene' && f.version === 1, `format/version: ${f.format} ${f.version}`);
      for (const k of ['protocol', 'h', 'attack', 'group', 'digit']) assert(k in f.settings, `settings.${k}`);
      assert(f.settings.protocol === 'cryptonn' && f.settings.h === 64 && f.settings.attack === 'tv' && f.settings.digit === 'm5', JSON.stringify(f.settings));
      assert(Array.isArray(f.view.w1) && f.view.w1.length === 64 && f.view.w1.every((row) => row.length === 784 && row.every(isInt)), 'view.w1: 64 rows of 784 integers');
      assert(f.view.z.length === 64 && f.view.z.every(isInt), 'view.z: 64 integers');
      assert(f.truth.length === 784 && f.truth.every((v) => isInt(v) && v >= 0 && v <= 255), 'truth: 784 integers 0..255');
      assert(f.reconstruction.length === 784 && f.reconstruction.every((v) => typeof v === 'number' && v >= 0 && v <= 1), 'reconstruction: 784 numbers in 0..1');
      for (const k of ['psnr', 'ssim', 'baseline_psnr']) assert(typeof f.metrics[k] === 'number', `metrics.${k}`);
      assert(Math.abs(f.metrics.psnr - r.psnr) < 0.1, `the file's PSNR is the page's: ${f.metrics.psnr} vs ${r.psnr}`);
      const png = await download(page, 'export-png');
      assert(png.name === 'glasslayer-scene.png', `picture name: ${png.name}`);
      assert(png.bytes.subarray(1, 4).toString() === 'PNG', 'a PNG');
      fs.writeFileSync(path.join('test-results', 'export-cryptonn.png'), png.bytes);
      // a mitigation: the server never held W1, so the file has none
      await page.keyboard.press('l');
      await attackResult(page, { protocol: 'client-loop' });
      const safeFile = await download(page, 'export-scene');
      fs.writeFileSync(path.join('test-results', 'glasslayer-scene-client-loop.json'), safeFile.bytes);
      const safe = JSON.parse(safeFile.bytes.toString('utf8'));
      assert(safe.settings.protocol === 'client-loop', 'settings follow the page');
      assert(safe.view.w1 === null, 'view.w1 is null under client in the loop');
      assert(safe.view.z.length === 64 && safe.view.z.every(isInt), 'view.z: 64 integers');
      const [byKey] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('e')]);
      assert(byKey.suggestedFilename() === 'glasslayer-scene.json', 'the key e exports too');
      const png2 = await download(page, 'export-png');
      fs.writeFileSync(path.join('test-results', 'export-client-loop.png'), png2.bytes);
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'the heavy work runs in workers: the main thread never instantiates WebAssembly nor loads the core',
    async fn({ browser, url }) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      await context.addInitScript(() => {
        window.__wasm = [];
        for (const k of ['instantiate', 'instantiateStreaming', 'compile', 'compileStreaming']) {
          const f = WebAssembly[k];
          WebAssembly[k] = function (...a) {
            window.__wasm.push(k);
            return f.apply(this, a);
          };
        }
        const M = WebAssembly.Module;
        WebAssembly.Module = function (...a) {
          window.__wasm.push('Module');
          return new M(...a);
        };
      });
      const page = await context.newPage();
      await page.goto(`${url}#protocol=cryptonn&h=128&attack=tv&digit=m1&stage=4`);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 20000 });
      await attackResult(page);
      const calls = await page.evaluate(() => window.__wasm);
      assert(calls.length === 0, `no WebAssembly on the main thread: ${calls.join(', ')}`);
      const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
      assert(!loaded.some((p) => p.endsWith('.wasm')), `the main thread fetched no wasm: ${loaded.join(', ')}`);
      // the page's own module graph (the entry chunk and what it imports) holds no wasm-bindgen glue
      const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
      const entry = html.match(/src="\.\/(assets\/[^"]+\.js)"/)?.[1];
      assert(entry, 'an entry chunk');
      const seen = new Set();
      const visit = (file) => {
        if (seen.has(file)) return;
        seen.add(file);
        const code = fs.readFileSync(path.join(DIST, file), 'utf8');
        assert(!/__wbindgen|__wbg_|glasslayer_bg/.test(code), `${file} holds no wasm-bindgen glue`);
        for (const m of code.matchAll(/(?:import|from)\s*\(?\s*["']\.\/([^"']+\.js)["']/g)) visit(path.posix.join(path.posix.dirname(file), m[1]));
      };
      visit(entry);
      await context.close();
    },
  },
  {
    name: 'the protocol selector is one labelled radio group for screen readers and the keyboard',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=cryptonn&h=128&digit=m1`);
      const group = page.getByRole('group', { name: /Protocol/ });
      const radios = group.getByRole('radio');
      assert((await radios.count()) === 4, `four protocols: ${await radios.count()}`);
      for (const [name, tag] of [['CryptoNN', 'server has W1'], ['FENet', 'server has W1'], ['Client in the loop', 'W1 hidden'], ['FHIPE', 'W1 hidden']]) {
        const r = group.getByRole('radio', { name: new RegExp(`^${name} ${tag}$`) });
        assert((await r.count()) === 1, `radio "${name} ${tag}"`);
        const tip = await r.getAttribute('aria-describedby');
        assert(tip && (await page.textContent(`#${tip}`)).length > 20, `${name} is described`);
      }
      assert(await group.getByRole('radio', { name: /^CryptoNN/ }).isChecked(), 'CryptoNN checked');
      // Tab reaches the checked radio; arrows move; a letter key still works from there
      await group.getByRole('radio', { name: /^CryptoNN/ }).focus();
      await page.keyboard.press('ArrowRight');
      assert((await hashParams(page)).protocol === 'fenet', 'arrow → FENet');
      await page.keyboard.press('f');
      assert((await hashParams(page)).protocol === 'fhipe', 'f from a focused radio: FHIPE');
      await page.keyboard.press('f');
      assert((await hashParams(page)).protocol === 'cryptonn', 'f again: back to CryptoNN');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'laptop and projector widths: the Digit/Photo switch stays whole beside the stepper, the ciphertext bytes clear the timings',
    async fn({ browser, url }) {
      for (const [width, height] of [[1366, 768], [1280, 720]]) {
        const { page, context, errors } = await openPage(browser, `${url}#protocol=cryptonn&h=128&attack=tv&digit=m1&stage=2`, { viewport: { width, height } });
        await page.waitForFunction(() => /[0-9a-f]{8}/.test(document.querySelector('#ciphertext').textContent));
        const m = await page.evaluate(() => {
          const box = (s) => document.querySelector(s).getBoundingClientRect();
          const sw = document.querySelector('.scene-switch');
          return {
            clipped: [...sw.querySelectorAll('button')].some((b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().width < 30),
            switchRight: box('.scene-switch').right, stepperLeft: box('.stepper').left,
            hexBottom: box('#ciphertext').bottom, factsTop: box('#stage-2 .facts').top,
          };
        });
        assert(!m.clipped && m.switchRight <= m.stepperLeft, `${width}×${height}: the switch is whole and clear of the stepper: ${JSON.stringify(m)}`);
        assert(m.hexBottom <= m.factsTop + 1, `${width}×${height}: the bytes end above the timings: ${JSON.stringify(m)}`);
        noErrors(errors);
        await context.close();
      }
    },
  },
  {
    name: 'phone (390×844): the protocol selector works by touch, the comparison and verdict fit',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=client-loop&h=128&attack=tv&digit=m7&stage=4`, {
        viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2,
      });
      await attackResult(page, { protocol: 'client-loop' });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(width <= 390, `no horizontal scrolling: ${width}px`);
      await page.locator(sel('compare')).scrollIntoViewIfNeeded();
      await settle(page);
      await page.screenshot({ path: 'test-results/phone-compare.png' });
      await page.locator(sel('protocol-picker')).scrollIntoViewIfNeeded();
      await page.tap('.proto:has([data-testid="protocol-cryptonn"])');
      await page.waitForFunction(() => location.hash.includes('protocol=cryptonn'));
      await attackResult(page, { protocol: 'cryptonn' });
      await page.locator(sel('protocol-picker')).scrollIntoViewIfNeeded();
      await settle(page, 500);
      await page.screenshot({ path: 'test-results/phone-picker.png' });
      await page.screenshot({ path: 'test-results/phone-full.png', fullPage: true });
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'phone: a link to a later stage opens at that stage, still at the top once the stages above have filled in; a hand scroll is left alone',
    async fn({ browser, url }) {
      const at = (page, n) => page.evaluate((k) => {
        const el = document.querySelector(`#stage-${k}`);
        return Math.round(el.getBoundingClientRect().top - parseFloat(getComputedStyle(el).scrollMarginTop));
      }, n);
      for (const n of [3, 4]) {
        const { page, context, errors } = await openPage(browser, `${url}#h=128&digit=m3&stage=${n}`, {
          viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2,
        });
        await page.waitForFunction((k) => document.body.dataset.busy === 'false' && document.body.dataset.stage === String(k) && document.querySelector('[data-testid="z-chart"], #server-z'), n, { timeout: 60000 });
        if (n === 4) await attackResult(page);
        // the smooth scroll and the last redraw are over when the stage stops moving
        let last = null;
        for (let i = 0; i < 40; i++) {
          const now = await at(page, n);
          if (now === last) break;
          last = now;
          await page.waitForTimeout(100);
        }
        await screenshot(page, `phone-link-stage-${n}`, { touch: true });
        assert(Math.abs(await at(page, n)) <= 1, `stage ${n} is at the top of the screen: ${await at(page, n)} px off`);
        if (n === 4) {
          // the reader scrolls up by hand; a later change of size above does not pull the page back
          await page.mouse.wheel(0, -400);
          await page.waitForFunction(() => scrollY > 0);
          await page.waitForTimeout(300);
          const off = await at(page, n);
          await page.evaluate(() => (document.querySelector('#stage-1').style.paddingBottom = '60px'));
          await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
          assert(Math.abs((await at(page, n)) - off) <= 61 && (await at(page, n)) > 100, `the hand scroll stays: ${off} → ${await at(page, n)} px`);
        }
        noErrors(errors);
        await context.close();
      }
    },
  },
];
