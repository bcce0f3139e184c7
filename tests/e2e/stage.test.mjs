// Stage mode for talks, end to end in headless Chromium at 1366×768: keys keep working after a
// mouse action on the slider or a switch (what a clicker sends: → ← PageDown PageUp, and space),
// `?` opens the keyboard help and Esc closes it, presenter mode shows one stage that fills the
// screen with every label ≥ 24 px and the original and the rebuild ≥ 40 % of the height, a fresh
// FHIPE link asks before it runs and shows the stage that runs, and the embed mode (#embed=1) works
// in an iframe. Sizes are measured (getComputedStyle, bounding boxes); no timing is asserted.
import { openPage, screenshot, assert, attackResult, hashParams, settle } from '../harness.mjs';

const sel = (id) => `[data-testid="${id}"]`;
const noErrors = (errors) => assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
const idle = (page) => page.waitForFunction(() => document.body.dataset.busy === 'false', null, { timeout: 60000 });

/** Every rendered text on screen smaller than `min` px (SVG text scaled by its chart's transform). */
function smallLabels(page, min) {
  return page.evaluate((min) => {
    const out = [];
    let seen = 0;
    let svg = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const t = walker.currentNode;
      if (!t.textContent.trim()) continue;
      const el = t.parentElement;
      if (!el || el.closest('.tip, .visually-hidden, title, dialog:not([open]), .tooltip')) continue;
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(t);
      const r = range.getBoundingClientRect();
      if (r.width < 2 || r.height < 2 || r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) continue;
      seen++;
      let px = parseFloat(getComputedStyle(el).fontSize);
      if (el instanceof SVGElement) {
        px *= el.getScreenCTM()?.a ?? 1;
        svg++;
      }
      if (px < min - 0.01) out.push(`"${t.textContent.trim().slice(0, 30)}" ${px.toFixed(1)}px`);
    }
    return { seen, svg, small: out };
  }, min);
}

/** The stages on screen, with their boxes. */
const shownStages = (page) =>
  page.$$eval('.stage', (ss) => ss.filter((s) => getComputedStyle(s).display !== 'none').map((s) => ({ id: s.id, ...s.getBoundingClientRect().toJSON() })));

async function checkPresenterStage(page, n) {
  const shown = await shownStages(page);
  assert(shown.length === 1 && shown[0].id === `stage-${n}`, `one stage on screen, stage ${n}: ${JSON.stringify(shown.map((s) => s.id))}`);
  const vp = page.viewportSize();
  assert(shown[0].width >= 0.9 * vp.width && shown[0].height >= 0.6 * vp.height, `stage ${n} fills the screen: ${Math.round(shown[0].width)}×${Math.round(shown[0].height)}`);
  if (n === 3 || n === 5) {
    // the chart's labels are on screen before they are measured (a redraw may be under way)
    const ok = await page
      .waitForFunction((n) => [...document.querySelectorAll(`#stage-${n} svg text`)].filter((t) => t.getBBox().width > 0).length >= 2, n, { timeout: 10000 })
      .then(() => true, () => false);
    assert(ok, `stage ${n}: chart labels are on screen`);
  }
  const { seen, svg, small } = await smallLabels(page, 24);
  assert(seen >= 8, `stage ${n}: labels measured (${seen})`);
  if (n === 3 || n === 5) assert(svg >= 2, `stage ${n}: the chart's labels measured (${svg})`);
  assert(small.length === 0, `stage ${n}: every label ≥ 24 px; smaller: ${small.join(', ')}`);
}

export const tests = [
  {
    name: 'stage: after a mouse click on the h slider or a protocol switch, → ← PageDown PageUp and space move the stage',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#h=128&digit=m7&stage=3`);
      await page.waitForSelector('#server-z path.bars');
      await idle(page);
      // a click on the slider, at h = 256 (the 5th of the 7 sizes)
      const slider = page.locator(sel('hidden-units'));
      const box = await slider.boundingBox();
      const max = Number(await slider.getAttribute('max'));
      await page.mouse.click(box.x + 8 + ((box.width - 16) * 4) / max, box.y + box.height / 2);
      await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('h') === '256');
      await page.waitForFunction(() => document.activeElement?.id !== 'hidden-units');
      await page.keyboard.press('ArrowRight');
      let p = await hashParams(page);
      assert(p.stage === '4' && p.h === '256', `→ after the slider click: stage 4, h unchanged (${JSON.stringify(p)})`);
      await attackResult(page);
      await page.keyboard.press('PageUp');
      p = await hashParams(page);
      assert(p.stage === '3' && p.h === '256', `PageUp: stage 3 (${JSON.stringify(p)})`);
      await page.keyboard.press('PageDown');
      assert((await hashParams(page)).stage === '4', 'PageDown: stage 4');
      await attackResult(page);
      // a click on a protocol switch, then the clicker's keys
      await page.click(`label:has(${sel('toggle-client-loop')})`);
      await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('protocol') === 'client-loop');
      await page.waitForFunction(() => !document.activeElement?.matches('input'));
      await page.keyboard.press('ArrowLeft');
      p = await hashParams(page);
      assert(p.stage === '3' && p.protocol === 'client-loop', `← after the switch: stage 3, the protocol kept (${JSON.stringify(p)})`);
      await page.keyboard.press(' ');
      p = await hashParams(page);
      assert(p.stage === '4' && p.protocol === 'client-loop', `space after the switch: the next stage, the switch not flipped (${JSON.stringify(p)})`);
      await attackResult(page, { protocol: 'client-loop' });
      // a keyboard user keeps the focus on the slider (its arrows move it)
      await page.focus(sel('hidden-units'));
      await page.keyboard.press('ArrowLeft');
      assert((await hashParams(page)).stage === '4', 'with keyboard focus the slider keeps its arrows');
      assert(await page.evaluate(() => document.activeElement?.id === 'hidden-units'), 'and the focus');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'stage: ? opens the keyboard help (it lists PageDown and ?), Esc closes it; space after a mouse click on a button moves the stage',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#h=128&digit=m7`);
      await page.locator('body').click({ position: { x: 5, y: 760 } });
      assert(!(await page.isVisible('#shortcuts')), 'closed at first');
      await page.keyboard.press('?');
      assert(await page.isVisible('#shortcuts'), '? opens the help');
      const text = await page.textContent('#shortcuts');
      assert(/PgDn/.test(text) && /\?/.test(text), 'the help lists PageDown and ?');
      assert((await page.getAttribute('#help', 'aria-expanded')) === 'true', 'the ? button says it is open');
      await page.keyboard.press('Escape');
      assert(!(await page.isVisible('#shortcuts')), 'Esc closes it');
      assert(!/cancel/i.test(await page.textContent(sel('status'))), 'nothing was cancelled');
      // a mouse click on a button gives the keys back too: space moves on, it does not press the button again
      await page.click(sel('random-digit'));
      const digit = (await hashParams(page)).digit;
      await page.keyboard.press(' ');
      const p = await hashParams(page);
      assert(p.stage === '2' && p.digit === digit, `space after clicking Random MNIST: stage 2, the same digit (${JSON.stringify(p)} vs ${digit})`);
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'stage: presenter at 1366×768 shows one stage filling the screen, every label ≥ 24 px, original and rebuild ≥ 40 % of the height',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#h=128&digit=m7&stage=4&presenter=1`);
      await attackResult(page);
      await settle(page, 900);
      await checkPresenterStage(page, 4);
      for (const id of ['original', 'reconstruction']) {
        const b = await page.locator(sel(id)).boundingBox();
        assert(b.height >= 0.4 * 768 && b.width >= 0.4 * 768, `${id}: ${Math.round(b.width)}×${Math.round(b.height)} ≥ 40 % of 768 px`);
      }
      await screenshot(page, 'presenter-1366-stage-4');
      for (const n of [3, 2, 1]) {
        await page.keyboard.press('ArrowLeft');
        await idle(page);
        await settle(page, 300);
        await checkPresenterStage(page, n);
        await screenshot(page, `presenter-1366-stage-${n}`);
      }
      // with a mitigation, three images side by side, each ≥ 40 % of the height
      await page.goto(`${url}#protocol=client-loop&h=128&digit=m7&stage=4&presenter=1`);
      await attackResult(page, { protocol: 'client-loop' });
      await page.waitForFunction(() => document.querySelector('[data-testid="compare-reconstruction"]').dataset.psnr);
      await settle(page, 900);
      await checkPresenterStage(page, 4);
      for (const id of ['original', 'compare-reconstruction', 'reconstruction']) {
        const b = await page.locator(sel(id)).boundingBox();
        assert(b.height >= 0.4 * 768 && b.x + b.width <= 1366, `${id}: ${Math.round(b.height)} px high, on screen`);
      }
      await screenshot(page, 'presenter-1366-stage-4-compare');
      // stage 5 while it trains (the chart's labels are there from the start), then cancelled
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => getComputedStyle(document.querySelector('#stage-5')).display !== 'none' && [...document.querySelectorAll('#learn-chart text')].filter((t) => t.getBBox().width > 0).length >= 5);
      await settle(page, 500);
      await checkPresenterStage(page, 5);
      await screenshot(page, 'presenter-1366-stage-5');
      await page.keyboard.press('Escape');
      await idle(page);
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'stage: a fresh protocol=fhipe&h=128 link in presenter mode asks first (on screen), then shows each stage as it runs',
    async fn({ browser, url }) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      await context.addInitScript(() => {
        window.__shown = [];
        document.addEventListener('DOMContentLoaded', () =>
          new MutationObserver(() => {
            const running = document.body.dataset.running;
            const shown = [...document.querySelectorAll('.stage')].filter((s) => getComputedStyle(s).display !== 'none').map((s) => s.id);
            const bars = document.querySelector('#server-z path.bars') ? 1 : 0;
            window.__shown.push({ running, shown, bars });
          }).observe(document.body, { attributes: true, attributeFilter: ['data-running'] }),
        );
      });
      const page = await context.newPage();
      const errors = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`${url}#protocol=fhipe&h=128&attack=tv&digit=m2&stage=4&presenter=1`);
      const run = page.locator(sel('estimate-run'));
      await run.waitFor();
      const b = await run.boundingBox();
      assert(b.y >= 0 && b.y + b.height <= 768 && b.x + b.width <= 1366, 'the question is on the screen');
      const fs = await run.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      assert(fs >= 24, `its buttons are ≥ 24 px (${fs})`);
      assert(await page.$eval('#progress', (p) => p.hidden), 'nothing runs before the answer');
      await screenshot(page, 'presenter-1366-fhipe-ask');
      await page.click(sel('estimate-lower'));
      await attackResult(page, { protocol: 'fhipe', timeout: 240000 });
      const log = await page.evaluate(() => window.__shown);
      const during = log.filter((e) => e.running);
      assert(during.some((e) => e.running === '3'), `stage 3 ran: ${JSON.stringify(log)}`);
      for (const e of during) assert(e.shown.length === 1 && e.shown[0] === `stage-${e.running}`, `while stage ${e.running} runs, it is the one on screen: ${JSON.stringify(e)}`);
      assert((await shownStages(page)).map((s) => s.id).join() === 'stage-4', 'then stage 4');
      assert((await hashParams(page)).h === '16', 'at the h the speaker chose');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'stage: #embed=1&stage=4 shows one stage and no chrome, also inside an iframe',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#embed=1&stage=4&digit=m7&h=128`);
      await attackResult(page);
      await settle(page, 900);
      const chrome = await page.evaluate(() => ['.topbar', '.pipeline', '.statusbar'].map((s) => getComputedStyle(document.querySelector(s)).display));
      assert(chrome.every((d) => d === 'none'), `no chrome once done: ${chrome}`);
      assert((await shownStages(page)).map((s) => s.id).join() === 'stage-4', 'only stage 4');
      await screenshot(page, 'embed-1366-stage-4');
      // inside an iframe of a slide
      const slide = await context.newPage();
      await slide.setViewportSize({ width: 1366, height: 768 });
      await slide.setContent(`<body style="margin:0;background:#333"><h1 style="color:#fff;font:32px sans-serif;margin:16px">A slide</h1><iframe title="glasslayer" src="${url}#embed=1&stage=4&digit=m3&h=256" width="960" height="540" style="border:0;margin-left:16px"></iframe></body>`);
      const frame = await (await slide.waitForSelector('iframe')).contentFrame();
      await frame.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30000 });
      await frame.waitForFunction(() => document.body.dataset.busy === 'false' && document.querySelector('[data-testid="psnr"]').dataset.value, null, { timeout: 60000 });
      const inFrame = await frame.evaluate(() => ({
        stages: [...document.querySelectorAll('.stage')].filter((s) => getComputedStyle(s).display !== 'none').map((s) => s.id),
        topbar: getComputedStyle(document.querySelector('.topbar')).display,
        psnr: Number(document.querySelector('[data-testid="psnr"]').dataset.value),
      }));
      assert(inFrame.stages.join() === 'stage-4' && inFrame.topbar === 'none', `one stage in the iframe: ${JSON.stringify(inFrame)}`);
      assert(inFrame.psnr >= 20, `the attack ran in the iframe (${inFrame.psnr} dB)`);
      await settle(slide, 900);
      await screenshot(slide, 'embed-iframe-960x540');
      noErrors(errors);
      await context.close();
    },
  },
];
