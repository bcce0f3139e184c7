// Story mode (#mode=story) on phones: a first visit on a phone lands in it; six steps through the
// real computation; the drawing is rebuilt in ≤ 4 taps after drawing; no sideways scrolling, the
// sentence and the forward control on screen at every step, text ≥ 16 px. Screenshots of each step.
import { openPage, screenshot, assert, settle, touchStroke, phoneProblems, attackResult, afterQueued } from '../harness.mjs';

const sel = (id) => `[data-testid="${id}"]`;
const noErrors = (errors) => assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
const PHONE = { hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

/** Visible text smaller than 16 px inside the story (and the status line). */
function smallText(page) {
  return page.evaluate(() => {
    const out = [];
    const roots = [document.querySelector('#story'), document.querySelector('.statusbar'), document.querySelector('.topbar')];
    for (const root of roots) {
      const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        if (!n.textContent.trim()) continue;
        const el = n.parentElement;
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height || el.closest('.visually-hidden, .tip, [hidden]')) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 16) out.push(`${el.tagName.toLowerCase()}.${el.className} "${n.textContent.trim().slice(0, 30)}" ${size}px`);
      }
    }
    return out;
  });
}

async function checkStep(page, name) {
  const problems = await phoneProblems(page, [`${sel('story-step')} h2`, sel('story-next'), sel('story-exit')]);
  assert(problems.length === 0, `${name}: ${problems.join('; ')}`);
  const exit = await page.locator(sel('story-exit')).boundingBox();
  assert(exit.y < 80, `${name}: the way to the full demo is at the top (y = ${exit.y})`);
  const small = await smallText(page);
  assert(small.length === 0, `${name}: text under 16 px: ${small.join('; ')}`);
}

async function idle(page) {
  try {
    await page.waitForFunction(() => document.body.dataset.busy !== 'true' && document.querySelector('#story-result')?.textContent.length > 0, null, { timeout: 60000 });
  } catch {
    const seen = await page.evaluate(() => `step ${document.querySelector('[data-testid="story-step"]')?.dataset.step}, busy ${document.body.dataset.busy}, status "${document.querySelector('#status').textContent}"`);
    throw new Error(`the story step never finished: ${seen}`);
  }
}

async function walk(browser, url, viewport, tag) {
  const { page, context, errors } = await openPage(browser, url, { viewport, ...PHONE });
  // a first visit on a phone (no link state) opens the story
  await page.waitForSelector(sel('story-step'));
  assert(/mode=story/.test(await page.evaluate(() => location.hash)), 'the story has its own URL');
  assert((await page.locator(sel('draw-canvas')).count()) === 1, 'one drawing canvas');
  await settle(page, 300);
  await screenshot(page, `story-${tag}-1-draw-empty`, { touch: true });
  await checkStep(page, 'step 1 (empty)');
  // a "7" with a finger
  await touchStroke(page, context, sel('draw-canvas'), [[0.22, 0.18], [0.78, 0.18], [0.42, 0.88]]);
  await page.waitForFunction(() => location.hash.includes('digit=d')); // the stroke is the sample
  await idle(page);
  await screenshot(page, `story-${tag}-1-draw`, { touch: true });
  await checkStep(page, 'step 1');
  let taps = 0;
  const titles = [];
  for (const want of ['encrypt', 'server', 'rebuild']) {
    await page.waitForTimeout(400); // a finger leaves the canvas before it taps
    await page.tap(sel('story-next'));
    taps++;
    await page.waitForSelector(`${sel('story-step')}[data-step="${want}"]`, { timeout: 5000 }).catch(async (e) => {
      throw new Error(`no step "${want}": status "${await page.textContent(sel('status'))}", step ${await page.getAttribute(sel('story-step'), 'data-step')}`);
    });
    await idle(page);
    titles.push(await page.textContent(`${sel('story-step')} h2`));
    await settle(page, 400);
    await screenshot(page, `story-${tag}-${taps + 1}-${want}`, { touch: true });
    await checkStep(page, want);
  }
  // "your drawing rebuilt": the real attack's result on the page, in ≤ 4 taps after drawing
  const r = await attackResult(page);
  assert(taps <= 4 && Number.isFinite(r.psnr), `rebuilt after ${taps} taps: PSNR ${r.psnr}`);
  assert(await page.isVisible(sel('reconstruction')), 'the rebuild is on screen');
  assert(await page.isVisible(sel('psnr')), 'its PSNR is on screen');
  assert((await page.locator(sel('reconstruction')).count()) === 1 && (await page.locator(sel('psnr')).count()) === 1, 'one rebuild, one PSNR');
  const result = await page.textContent('#story-result');
  assert(result.includes(r.psnr >= 99.95 ? 'exact' : r.psnr.toFixed(1)), `the sentence names the measured PSNR: ${result}`);
  // the fixes: client in the loop, really run, beside CryptoNN at the same h
  await page.tap(sel('story-next'));
  await page.waitForSelector(`${sel('story-step')}[data-step="fixes"]`);
  const fixed = await attackResult(page, { protocol: 'client-loop' });
  await idle(page);
  assert(fixed.psnr < r.psnr, `the fix rebuilds less: ${fixed.psnr} < ${r.psnr}`);
  await settle(page, 400);
  await screenshot(page, `story-${tag}-5-fixes`, { touch: true });
  await checkStep(page, 'fixes');
  await page.tap(sel('story-next'));
  await page.waitForSelector(`${sel('story-step')}[data-step="leaks"]`);
  const leaks = await page.textContent('#story-result');
  assert(/labels/.test(leaks) && /inner products/.test(leaks), `what still leaks is said: ${leaks}`);
  assert((await page.getAttribute(sel('story-paper'), 'href')).includes('2509.21497'), 'a link to the paper');
  const last = await phoneProblems(page, [`${sel('story-step')} h2`, sel('story-demo')]);
  assert(last.length === 0, `last step: ${last.join('; ')}`);
  await screenshot(page, `story-${tag}-6-leaks`, { touch: true });
  assert(titles.length === 3 && (await page.locator(sel('story-step')).count()) === 1, 'one step at a time');
  // a glossary word opens on tap
  const term = page.locator('#story-result button.term').first();
  await term.tap();
  await page.waitForFunction(() => document.querySelector('#story-result button.term')?.getAttribute('aria-expanded') === 'true', null, { timeout: 5000 }).catch(() => {});
  await afterQueued(page); // what the tap queued has run: it stays open
  assert((await term.getAttribute('aria-expanded')) === 'true' && (await page.isVisible('#glossary-pop')), 'a term opens its definition on tap');
  await screenshot(page, `story-${tag}-6-glossary`, { touch: true });
  // and the full demo is one tap away, the same digit in it
  await page.tap(sel('story-demo'));
  await page.waitForFunction(() => document.body.dataset.mode === 'demo');
  assert(!(await page.evaluate(() => location.hash)).includes('mode=story'), 'the demo has its own URL');
  assert((await page.locator(sel('draw-canvas')).count()) === 1 && (await page.isVisible(sel('draw-canvas'))), 'the canvas is back in the demo');
  noErrors(errors);
  await context.close();
}

export const tests = [
  {
    name: 'phone 390×844: a first visit opens the story; drawn digit rebuilt in 3 taps; every step fits',
    fn: ({ browser, url }) => walk(browser, url, { width: 390, height: 844 }, '390'),
  },
  {
    name: 'phone 320×640: the same story fits, no sideways scrolling, text ≥ 16 px',
    fn: ({ browser, url }) => walk(browser, url, { width: 320, height: 640 }, '320'),
  },
  {
    name: 'desktop: the story is one click away (and back), the demo stays the default',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, url);
      assert((await page.evaluate(() => document.body.dataset.mode)) !== 'story', 'the demo on a desktop');
      assert(await page.isVisible(sel('open-story')), 'a visible Story button');
      await page.click(sel('open-story'));
      await page.waitForSelector(sel('story-step'));
      assert(/mode=story/.test(await page.evaluate(() => location.hash)), 'story in the URL');
      await screenshot(page, 'story-desktop');
      await page.keyboard.press('ArrowRight');
      assert(/draw a digit first/i.test(await page.textContent(sel('status'))), 'the story asks for a drawing first');
      await page.click(sel('story-exit'));
      await page.waitForFunction(() => document.body.dataset.mode === 'demo');
      noErrors(errors);
      await context.close();
    },
  },
];
