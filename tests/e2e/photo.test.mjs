// The Photo scene: a bundled CIFAR-10 photo through the conv layer under CryptoNN comes back from
// the server's 16 feature maps (PSNR ≥ 40 dB); with one filter it does not, and the page says the
// filters do not determine the image; an uploaded picture (a small PNG fixture) is scaled to
// 32×32 and runs; a dropped picture too, and a dropped non-picture gets words, not an error; the
// camera (Chromium's fake device) gives a colour 32×32 frame and its stream is stopped after; a
// refused camera is said in words; the mitigations leave the server without the filters; the link
// round-trips.
import path from 'node:path';
import { openPage, screenshot, assert, hashParams, launch, FAKE_CAMERA, ROOT } from '../harness.mjs';

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

/** The 32×32 RGBA pixels of a canvas of the scene. */
function pixels(page, id) {
  return page.evaluate((id) => {
    const c = document.querySelector(`[data-testid="${id}"]`);
    return { w: c.width, h: c.height, rgba: Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data) };
  }, id);
}
const at = (img, x, y) => img.rgba.slice(4 * (y * img.w + x), 4 * (y * img.w + x) + 3);

/** A DataTransfer in the page holding one file: a 64×48 PNG drawn there (left half red, right half
 *  blue), or bytes of any type. */
function dataTransfer(page, file) {
  return page.evaluateHandle(async ({ name, type, text }) => {
    let blob;
    if (text == null) {
      const c = document.createElement('canvas');
      c.width = 64;
      c.height = 48;
      const x = c.getContext('2d');
      x.fillStyle = 'rgb(220, 30, 30)';
      x.fillRect(0, 0, 32, 48);
      x.fillStyle = 'rgb(30, 30, 220)';
      x.fillRect(32, 0, 32, 48);
      blob = await new Promise((r) => c.toBlob(r, 'image/png'));
    } else blob = new Blob([text], { type });
    const dt = new DataTransfer();
    dt.items.add(new File([blob], name, { type }));
    return dt;
  }, file);
}

/** The words beside the picture input (a refused file or camera). */
const inputNote = (page) =>
  page.evaluate(() => {
    const s = document.querySelector('[data-testid="photo-input-note"]');
    return { text: s.textContent, kind: s.dataset.kind, shown: !s.hidden };
  });

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
  {
    name: 'photo: a picture dropped on the card is scaled to 32×32 and rebuilt; a dropped non-picture is said in words',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#scene=photo&filters=4`);
      await done(page); // the default photo first
      const zone = '[data-testid="photo-drop"]';
      const png = await dataTransfer(page, { name: 'two-colours.png', type: 'image/png' });
      await page.dispatchEvent(zone, 'dragover', { dataTransfer: png });
      assert((await page.getAttribute(zone, 'data-over')) === 'true', 'the card lights up under a dragged file');
      await screenshot(page, 'photo-desktop-drop-over');
      const r = await next(page, () => page.dispatchEvent(zone, 'drop', { dataTransfer: png }));
      assert((await page.getAttribute(zone, 'data-over')) === null, 'the highlight goes after the drop');
      assert(/your picture \(drop\)/.test(await page.textContent('[data-testid="photo-source"]')), 'the source says it is the dropped picture');
      const shown = await pixels(page, 'photo-original');
      assert(shown.w === 32 && shown.h === 32, `scaled to 32×32: ${shown.w}×${shown.h}`);
      // the central 48×48 square of the 64×48 picture: red on the left, blue on the right
      const [left, right] = [at(shown, 4, 16), at(shown, 27, 16)];
      assert(left[0] > 180 && left[2] < 70 && right[2] > 180 && right[0] < 70, `red | blue, centre-cropped: left ${left}, right ${right}`);
      const truth = await pixels(page, 'photo-truth');
      assert(JSON.stringify(truth.rgba) === JSON.stringify(shown.rgba), 'the round ran on the dropped picture (its "photo" is the one shown)');
      assert(r.maps === 4 && r.psnr >= 40, `the dropped picture is rebuilt under CryptoNN at k = 4: ${r.maps} maps, ${r.psnr} dB`);
      assert(!('image' in (await hashParams(page))), 'the dropped picture is not put in the link');
      await screenshot(page, 'photo-desktop-dropped');
      // not a picture, and a "PNG" that is not one: words in the status, the picture stays
      for (const [file, words] of [
        [{ name: 'notes.txt', type: 'text/plain', text: 'not a picture' }, /not a picture/],
        [{ name: 'broken.png', type: 'image/png', text: 'PNG? no' }, /could not be decoded|cannot be decoded|decode/i],
      ]) {
        await page.dispatchEvent(zone, 'drop', { dataTransfer: await dataTransfer(page, file) });
        await page.waitForFunction(() => document.querySelector('[data-testid="photo-input-note"]').dataset.kind === 'error');
        const s = await inputNote(page);
        assert(s.shown && /Could not read .*that picture/.test(s.text) && words.test(s.text), `${file.name}: the words beside the input say why: ${s.text}`);
        assert(JSON.stringify((await pixels(page, 'photo-original')).rgba) === JSON.stringify(shown.rgba), `${file.name}: the dropped picture stays`);
        await screenshot(page, 'photo-desktop-drop-refused');
        await page.evaluate(() => delete document.querySelector('[data-testid="photo-input-note"]').dataset.kind);
      }
      assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
      await context.close();
    },
  },
  {
    name: 'photo: the camera (a fake device) gives a colour 32×32 frame that is rebuilt, and is released after; a refused camera is said in words',
    async fn({ url }) {
      const browser = await launch({ args: FAKE_CAMERA });
      try {
        const { page, context, errors } = await openPage(browser, `${url}#scene=photo&filters=4`, { viewport: { width: 390, height: 844 } });
        await context.grantPermissions(['camera']);
        // the page's streams, to see them stopped (the page keeps its own only in a closure)
        await page.evaluate(() => {
          const md = navigator.mediaDevices;
          const get = md.getUserMedia.bind(md);
          window.__streams = [];
          md.getUserMedia = async (c) => {
            const s = await get(c);
            window.__streams.push(s);
            return s;
          };
        });
        const tracks = () => page.evaluate(() => window.__streams.flatMap((s) => s.getTracks()).map((t) => t.readyState));
        const video = '[data-testid="photo-video"]';
        // open, then close without a picture: the stream is stopped
        await page.click('[data-testid="photo-camera"]');
        await page.waitForFunction((v) => document.querySelector(v).videoWidth > 0, video);
        assert(await page.isVisible(video), 'the preview is shown');
        assert((await tracks()).join() === 'live', `one live camera track: ${await tracks()}`);
        await page.click('[data-testid="photo-camera"]');
        assert((await tracks()).join() === 'ended', `closing the camera stops its track: ${await tracks()}`);
        assert(!(await page.isVisible(video)), 'the preview is gone');
        // open again and take a picture
        await page.click('[data-testid="photo-camera"]');
        await page.waitForFunction((v) => document.querySelector(v).videoWidth > 0, video);
        await done(page); // the default photo's round, so that the next result is the camera's
        await screenshot(page, 'photo-phone-camera');
        const r = await next(page, () => page.click('[data-testid="photo-snap"]'));
        assert((await tracks()).join() === 'ended,ended', `taking the picture stops the camera: ${await tracks()}`);
        assert(!(await page.isVisible(video)) && !(await page.isVisible('[data-testid="photo-snap"]')), 'no preview, no "Take picture" after');
        assert(/your camera picture/.test(await page.textContent('[data-testid="photo-source"]')), 'the source says it is the camera picture');
        const shown = await pixels(page, 'photo-original');
        assert(shown.w === 32 && shown.h === 32, `scaled to 32×32: ${shown.w}×${shown.h}`);
        // the fake device's frame is mostly green: colour, not grey
        const colour = Array.from({ length: 1024 }, (_, p) => at(shown, p % 32, p >> 5)).filter(([R, G, B]) => G - Math.max(R, B) > 60).length;
        assert(colour > 256, `a colour picture (green test pattern): ${colour} of 1024 pixels clearly green`);
        const truth = await pixels(page, 'photo-truth');
        assert(JSON.stringify(truth.rgba) === JSON.stringify(shown.rgba), 'the round ran on the camera picture');
        assert(r.maps === 4 && r.psnr >= 40, `the camera picture is rebuilt under CryptoNN at k = 4: ${r.maps} maps, ${r.psnr} dB`);
        assert(!('image' in (await hashParams(page))), 'the camera picture is not put in the link');
        await screenshot(page, 'photo-phone-camera-taken');
        // the permission taken back: refused, in words
        await context.clearPermissions();
        await page.click('[data-testid="photo-camera"]');
        await page.waitForFunction(() => document.querySelector('[data-testid="photo-input-note"]').dataset.kind === 'warn');
        const s = await inputNote(page);
        assert(s.shown && /camera/i.test(s.text) && /not allowed|permission|refused/i.test(s.text), `the refusal is said in words: ${s.text}`);
        assert(!(await page.isVisible(video)) && (await tracks()).length === 2, 'no preview, no new stream when refused');
        await screenshot(page, 'photo-phone-camera-refused');
        assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
        await context.close();
      } finally {
        await browser.close();
      }
    },
  },
];
