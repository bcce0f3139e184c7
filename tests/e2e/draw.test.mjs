// The first vertical slice: the page loads the wasm core, a digit drawn with real pointer events shows
// up in the 28×28 preview, centred, and Clear empties it.
import { openPage, drawStroke, screenshot, assert } from '../harness.mjs';

async function previewStats(page) {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid="preview"]');
    const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
    let mass = 0, mx = 0, my = 0, lit = 0;
    for (let i = 0; i < 784; i++) {
      const v = d[i * 4] / 255;
      mass += v; mx += v * ((i % 28) + 0.5); my += v * (Math.floor(i / 28) + 0.5);
      if (v > 0.5) lit++;
    }
    return { mass, cx: mx / mass, cy: my / mass, lit };
  });
}

export const tests = [
  {
    name: 'page loads the wasm core without console errors',
    async fn({ browser, url, requests }) {
      const { page, context, errors } = await openPage(browser, url);
      const version = await page.textContent('#version');
      assert(/glasslayer core \d+\.\d+\.\d+/.test(version), `version shown: ${version}`);
      assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
      assert(requests.every((p) => !p.startsWith('http')), 'only own files requested');
      await context.close();
    },
  },
  {
    name: 'drawing a "7" with pointer events fills a centred preview',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, url);
      await drawStroke(page, '[data-testid="draw-canvas"]', [[0.2, 0.15], [0.75, 0.15], [0.45, 0.9]]);
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="preview"]').dataset.ink) > 10);
      const s = await previewStats(page);
      assert(s.lit > 30 && s.lit < 400, `a stroke-sized number of lit pixels: ${s.lit}`);
      assert(Math.abs(s.cx - 14) < 1 && Math.abs(s.cy - 14) < 1, `centred by mass: (${s.cx}, ${s.cy})`);
      await screenshot(page, 'draw');
      await page.click('[data-testid="clear"]');
      const after = await previewStats(page);
      assert(after.lit === 0, 'Clear empties the preview');
      assert(/draw a digit/i.test(await page.textContent('[data-testid="status"]')), 'status asks to draw');
      assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
      await context.close();
    },
  },
];
