// The Photo scene: a bundled CIFAR-10 photo through the conv layer under CryptoNN comes back from
// the server's 16 feature maps (PSNR ≥ 40 dB); with one filter it does not, and the page says the
// filters do not determine the image; an uploaded picture (a small PNG fixture) is scaled to
// 32×32 and runs; the mitigations leave the server without the filters; the link round-trips.
import path from 'node:path';
import { openPage, screenshot, assert, hashParams, ROOT } from '../harness.mjs';

async function done(page, { timeout = 90000 } = {}) {
  await page.waitForFunction(() => document.querySelector('[data-testid="photo-scene"]').dataset.state === 'done', null, { timeout });
  return page.evaluate(() => {
    const s = document.querySelector('[data-testid="photo-scene"]');
    return {
      psnr: Number(s.dataset.psnr),
      protocol: s.dataset.protocol,
      note: document.querySelector('[data-testid="photo-note"]').textContent,
      maps: document.querySelectorAll('[data-testid="photo-maps"] canvas').length,
      status: document.querySelector('[data-testid="photo-status"]').textContent,
    };
  });
}

/** Wait for a new result after a change (the scene's state leaves 'done' when a run starts). */
async function next(page, change) {
  await page.evaluate(() => (document.querySelector('[data-testid="photo-scene"]').dataset.state = 'stale'));
  await change();
  return done(page);
}

export const tests = [
  {
    name: 'photo: a CIFAR-10 photo at k = 16 comes back (≥ 40 dB); k = 1 does not, and the page says why',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#scene=photo`);
      assert(await page.isVisible('[data-testid="photo-scene"]'), 'the Photo scene is shown');
      assert(!(await page.isVisible('#stages')), 'the digit stages are hidden');
      const r16 = await next(page, () => page.click('[data-testid="photo-pick-3"]'));
      assert(r16.protocol === 'cryptonn' && r16.maps === 16, `16 feature maps under CryptoNN: ${JSON.stringify(r16)}`);
      assert(r16.psnr >= 40, `k = 16 rebuilds the photo: ${r16.psnr} dB`);
      assert((await hashParams(page)).image === 'c3', 'the picked photo is in the link');
      assert(/never leaves this browser/.test(await page.textContent('[data-testid="photo-privacy"]')), 'the page says the picture stays here');
      await screenshot(page, 'photo-desktop');
      const r1 = await next(page, () => page.fill('[data-testid="photo-filters"]', '1'));
      assert(r1.maps === 1, `one feature map: ${r1.maps}`);
      assert(r1.psnr < r16.psnr && r1.psnr < 40, `k = 1 gives less: ${r1.psnr} dB`);
      assert(/do not determine the image/.test(r1.note), `the words say why: ${r1.note}`);
      assert((await hashParams(page)).filters === '1', 'k is in the link');
      await screenshot(page, 'photo-desktop-k1');
      assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
      await context.close();
    },
  },
  {
    name: 'photo: an uploaded PNG runs; the mitigations leave the server without the filters',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#scene=photo&filters=4`, { viewport: { width: 390, height: 844 } });
      await done(page); // the default photo first
      const up = await next(page, () => page.setInputFiles('[data-testid="photo-file"]', path.join(ROOT, 'tests', 'fixtures', 'photo-40x30.png')));
      assert(up.psnr >= 40, `the uploaded picture is rebuilt under CryptoNN at k = 4: ${up.psnr} dB`);
      assert(/your picture/.test(await page.textContent('[data-testid="photo-source"]')), 'the source says it is the user\'s picture');
      assert(!('image' in (await hashParams(page))), 'the uploaded picture is not put in the link');
      await screenshot(page, 'photo-phone');
      const loop = await next(page, () => page.click('[data-testid="photo-protocol-client-loop"]'));
      assert(loop.protocol === 'client-loop' && /not the filters/.test(loop.note), `client in the loop: ${loop.note}`);
      assert(loop.psnr < 20, `without the filters the rebuild fails: ${loop.psnr} dB`);
      await screenshot(page, 'photo-phone-client-loop');
      assert((await hashParams(page)).protocol === 'client-loop', 'the protocol is in the link');
      assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
      await context.close();
    },
  },
  {
    name: 'photo: the link round-trips (scene, filters, image) and the Digit button goes back',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#scene=photo&filters=5&image=c7`);
      const r = await done(page);
      assert(r.maps === 5, `k = 5 from the link: ${r.maps}`);
      const p = await hashParams(page);
      assert(p.scene === 'photo' && p.filters === '5' && p.image === 'c7', `the link is kept: ${JSON.stringify(p)}`);
      assert((await page.getAttribute('[data-testid="photo-pick-7"]', 'aria-pressed')) === 'true', 'photo 7 is the picked one');
      assert((await page.inputValue('[data-testid="photo-filters"]')) === '5', 'the slider shows k = 5');
      // the digit's stage keys do nothing in the Photo scene (the stages are hidden)
      await page.locator('body').focus();
      for (const key of ['ArrowRight', 'PageDown', ' ', 'r']) await page.keyboard.press(key);
      const after = await hashParams(page);
      assert(!after.stage && !after.digit, `stage keys left the hidden digit stages alone: ${JSON.stringify(after)}`);
      await page.click('[data-testid="scene-digit"]');
      assert(!('scene' in (await hashParams(page))), 'back to the digit scene: scene leaves the link');
      assert(await page.isVisible('#stages'), 'the digit stages are back');
      await page.goBack();
      await page.waitForFunction(() => document.body.dataset.scene === 'photo');
      assert(await page.isVisible('[data-testid="photo-scene"]'), 'back button: the Photo scene again');
      assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
      await context.close();
    },
  },
];
