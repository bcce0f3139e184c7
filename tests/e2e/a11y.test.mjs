// Accessibility and the full demo on a phone: axe-core (npm) finds no serious or critical violation
// in the demo (desktop, presenter mode, phone) and in the story; the demo does not scroll sideways
// at 390 and 320 px, its status line and Next stay on screen; metric boxes explain themselves on
// focus; the ciphertext bytes are not read aloud; glossary words open on click and keyboard focus.
import { openPage, screenshot, assert, settle, axeCheck, drawStroke, attackResult, phoneProblems, afterQueued } from '../harness.mjs';

const sel = (id) => `[data-testid="${id}"]`;
const noErrors = (errors) => assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
const none = (v, where) => assert(v.length === 0, `${where}: ${v.length} serious/critical axe violations:\n       ${v.join('\n       ')}`);
const SEVEN = [[0.22, 0.18], [0.78, 0.18], [0.42, 0.88]];

export const tests = [
  {
    name: 'axe: the demo on a desktop (empty, then after an attack) and in presenter mode',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#h=128`);
      none(await axeCheck(page), 'desktop, empty');
      await drawStroke(page, sel('draw-canvas'), SEVEN);
      await page.click(sel('run')); // at once: Run all waits for the stroke's sample
      await attackResult(page);
      none(await axeCheck(page), 'desktop, after an attack');
      // the ciphertext bytes are not read out: hidden from screen readers, summarised instead
      const ct = await page.evaluate(() => {
        const el = document.querySelector('[data-testid="ciphertext"]');
        return { hidden: el.closest('[aria-hidden="true"]') !== null, summary: document.querySelector('#ct-strip').getAttribute('aria-label') };
      });
      assert(ct.hidden && /random-looking bytes/.test(ct.summary), `ciphertext: ${JSON.stringify(ct)}`);
      // metric boxes take keyboard focus and show their explanation
      await page.focus('.metric:has([data-testid="psnr"])');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      assert(await page.isVisible('.tooltip'), 'the PSNR box explains itself on focus');
      assert(/20 dB/.test(await page.textContent('.tooltip')), 'with the 20 dB line');
      // a glossary word opens on keyboard focus
      const term = page.locator('#stage-4 button.term').first();
      await term.focus();
      assert((await term.getAttribute('aria-expanded')) === 'true' && (await page.isVisible('#glossary-pop')), 'a term opens on focus');
      await page.keyboard.press('p');
      await page.waitForFunction(() => document.body.classList.contains('presenter'));
      none(await axeCheck(page), 'presenter mode');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'phone 390×844 and 320×640: the full demo fits the width, status and Next stay on screen, axe clean',
    async fn({ browser, url }) {
      for (const viewport of [{ width: 390, height: 844 }, { width: 320, height: 640 }]) {
        const tag = viewport.width;
        const { page, context, errors } = await openPage(browser, `${url}#h=128`, { viewport, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
        let p = await phoneProblems(page, [sel('status'), sel('next-stage'), sel('run'), 'h1']);
        assert(p.length === 0, `${tag}: ${p.join('; ')}`);
        assert(await page.isVisible('.tagline'), `${tag}: the tagline says what the page is`);
        const next = await page.evaluate(() => { const b = document.querySelector('#next-stage'); return { cut: b.scrollWidth > b.clientWidth, text: b.innerText.replace(/\s+/g, ' ') }; });
        assert(!next.cut && /Next/.test(next.text), `${tag}: the Next button shows its word whole: “${next.text}”${next.cut ? ' (cut off)' : ''}`);
        await screenshot(page, `phone-demo-${tag}-top`, { touch: true });
        // Next before drawing: the refusal is on screen
        await page.tap(sel('next-stage'));
        // the click that a tap makes may come after tap() returns: wait for its answer, then look
        await page.waitForFunction(() => /draw a digit first/i.test(document.querySelector('[data-testid="status"]').textContent), null, { timeout: 5000 }).catch(() => {});
        assert(/draw a digit first/i.test(await page.textContent(sel('status'))), `asks for a digit: ${await page.textContent(sel('status'))}`);
        p = await phoneProblems(page, [sel('status')]);
        assert(p.length === 0, `${tag}, after Next: ${p.join('; ')}`);
        assert(!/press r\b/i.test(await page.textContent(sel('status'))), 'no key names on a touch screen');
        await page.tap(sel('random-digit'));
        for (let s = 2; s <= 4; s++) {
          await page.tap(sel('next-stage'));
          await page.waitForFunction((n) => document.body.dataset.busy === 'false' && document.body.dataset.stage === String(n), s, { timeout: 30000 });
          await settle(page, 600);
          p = await phoneProblems(page, [sel('status'), sel('next-stage'), sel('run')]);
          assert(p.length === 0, `${tag}, stage ${s}: ${p.join('; ')}`);
        }
        await attackResult(page);
        await screenshot(page, `phone-demo-${tag}-stage4`, { touch: true });
        none(await axeCheck(page), `phone ${tag}`);
        noErrors(errors);
        await context.close();
      }
    },
  },
  {
    name: 'axe: story mode',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#mode=story&digit=m3&stage=4`, { viewport: { width: 390, height: 844 } });
      await page.waitForSelector(`${sel('story-step')}[data-step="rebuild"]`);
      await attackResult(page);
      none(await axeCheck(page), 'story, rebuilt');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'axe: lab mode (1366×768 and a tablet) and embed mode',
    async fn({ browser, url }) {
      for (const viewport of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }]) {
        const { page, context, errors } = await openPage(browser, `${url}#mode=lab&digit=m7&h=128`, { viewport });
        await page.waitForSelector(`${sel('budget-attack-tv')}`, { state: 'attached' });
        none(await axeCheck(page), `lab ${viewport.width}×${viewport.height}`);
        noErrors(errors);
        await context.close();
      }
      const { page, context, errors } = await openPage(browser, `${url}#embed=1&digit=m3&stage=4&h=128`);
      await attackResult(page);
      none(await axeCheck(page), 'embed, stage 4');
      noErrors(errors);
      await context.close();
    },
  },
  {
    name: 'glossary: a word opens on hover and closes when the mouse leaves; a click keeps it open, a second click closes it; a tap opens it; Enter toggles it',
    async fn({ browser, url }) {
      const open = async (page, term) => [await term.getAttribute('aria-expanded'), await page.isVisible('#glossary-pop')].join(' ');
      for (const touch of [false, true]) {
        const how = touch ? 'tap' : 'click';
        const { page, context, errors } = await openPage(browser, `${url}#mode=demo`, touch ? { hasTouch: true } : {});
        const term = page.locator('#stage-4 button.term').first();
        await term.scrollIntoViewIfNeeded();
        await (touch ? term.tap() : term.click());
        await page.waitForFunction(() => document.querySelector('#stage-4 button.term').getAttribute('aria-expanded') === 'true', null, { timeout: 5000 }).catch(() => {});
        await afterQueued(page);
        assert((await open(page, term)) === 'true true', `${how}: the definition opens and stays open (${await open(page, term)})`);
        const word = await term.textContent();
        assert((await page.textContent('#glossary-pop')).startsWith(word.trim().slice(0, 2)), `${how}: the definition of “${word}”`);
        await (touch ? term.tap() : term.click());
        await page.waitForFunction(() => document.querySelector('#stage-4 button.term').getAttribute('aria-expanded') === 'false', null, { timeout: 5000 }).catch(() => {});
        await afterQueued(page);
        assert((await open(page, term)) === 'false false', `${how} again: the definition closes (${await open(page, term)})`);
        if (!touch) {
          // hover: opens while the mouse is over the word, closes when it leaves (unless clicked)
          const away = async () => {
            const box = await page.locator('#stage-1').boundingBox();
            await page.mouse.move(box.x + box.width / 2, box.y + box.height - 4);
          };
          await away();
          await term.hover();
          await afterQueued(page);
          assert((await open(page, term)) === 'true true', `hover opens it (${await open(page, term)})`);
          await away();
          await afterQueued(page);
          assert((await open(page, term)) === 'false false', `leaving closes it (${await open(page, term)})`);
          await term.hover();
          await term.click(); // a click on a word the hover opened keeps it open, also after the mouse leaves
          await away();
          await afterQueued(page);
          assert((await open(page, term)) === 'true true', `hover, click, leave: still open (${await open(page, term)})`);
          await term.click();
          await afterQueued(page);
          assert((await open(page, term)) === 'false false', `a second click closes it (${await open(page, term)})`);
          await away();
          await term.focus(); // keyboard: focus opens, Enter closes, Enter opens again
          assert((await open(page, term)) === 'true true', `focus opens it (${await open(page, term)})`);
          await page.keyboard.press('Enter');
          await afterQueued(page);
          assert((await open(page, term)) === 'false false', `Enter closes it (${await open(page, term)})`);
          await page.keyboard.press('Enter');
          await afterQueued(page);
          assert((await open(page, term)) === 'true true', `Enter again opens it (${await open(page, term)})`);
        }
        noErrors(errors);
        await context.close();
      }
    },
  },
];
