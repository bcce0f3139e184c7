// Stage 5 under a mitigation: the "What still leaks" panel (www/stages/leak.js over
// crate/src/leak/panel.rs). It must compute from the client's run what the server can: the labels,
// the Gram estimate, and a rebuild of the sample from its inner products with the k digits the
// server knows — and its switches (S, re-keying, k) must change what it shows, through the URL.
import { openPage, screenshot, assert, hashParams, axeCheck } from '../harness.mjs';

const sel = (id) => `[data-testid="${id}"]`;

/** Wait until the panel has a result for the current settings and nothing runs. */
async function panelDone(page, timeout = 180000) {
  // a long FHIPE round asks first: say yes
  const deadline = Date.now() + timeout;
  for (;;) {
    const state = await page.evaluate(() => ({
      done: document.body.dataset.busy === 'false' && document.querySelector('[data-testid="leak-panel"]')?.dataset.state === 'done',
      asking: document.body.dataset.asking === 'true',
    }));
    if (state.done) break;
    if (state.asking) await page.click('#ask-buttons button:first-child');
    if (Date.now() > deadline) {
      const status = await page.textContent(sel('status'));
      throw new Error(`the leak panel never finished: status "${status}"`);
    }
    await page.waitForTimeout(250);
  }
  return page.evaluate(() => {
    const p = document.querySelector('[data-testid="leak-psnr"]');
    return {
      psnr: p.dataset.value === undefined ? null : Number(p.dataset.value),
      baseline: Number(p.dataset.baseline),
      verdict: document.querySelector('[data-testid="leak-verdict"]').textContent,
      kind: document.querySelector('[data-testid="leak-verdict"]').dataset.kind,
      labels: document.querySelector('[data-testid="leak-labels"]').textContent,
      cost: document.querySelector('[data-testid="leak-cost"]').textContent,
      gramWidth: document.querySelector('[data-testid="leak-gram"]').width,
    };
  });
}

export const tests = [
  {
    name: 'leak panel: only under a mitigation; under client in the loop it lists the labels, says the FHIPE switches do not apply, and rebuilds from k known digits',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=cryptonn&h=128&digit=m5&stage=5`);
      await page.waitForFunction(() => document.body.dataset.busy === 'false' && document.querySelector('[data-testid="psnr"]')?.dataset.value, null, { timeout: 120000 });
      assert(await page.isHidden(sel('leak-panel')), 'no panel under CryptoNN: the server holds W1 and x leaks directly');
      await page.click('[data-testid="protocol-picker"] input[value="client-loop"]');
      const r = await panelDone(page);
      assert(/Labels the server saw in the clear: all 1024/.test(r.labels), `labels: ${r.labels}`);
      assert(await page.isDisabled(sel('leak-precision')), 'no key precision under client in the loop');
      assert(/no keys/.test(await page.textContent('#leak-na')), 'says why');
      assert(r.gramWidth === 32, `the last batch's 32×32 block is drawn (${r.gramWidth})`);
      assert(/Client in the loop/.test(r.cost), `cost line: ${r.cost}`);
      // client in the loop sees each sample once per epoch: little to rebuild from
      assert(r.psnr === null || r.psnr < r.baseline + 3, `client in the loop leaks little: ${r.psnr} vs ${r.baseline}`);
      await screenshot(page, 'leak-client-loop');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'leak-client-loop-phone');
      const axe = await axeCheck(page, { include: sel('leak-panel') });
      assert(axe.length === 0, `axe: ${JSON.stringify(axe)}`);
      assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
      await context.close();
    },
  },
  {
    name: 'leak panel: FHIPE with one master key at S = 10^6 rebuilds the digit from k = 256 known digits; a fresh key per step closes it; the URL carries S, k and rekey',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=fhipe&h=64&digit=m5&precision=6&known=256&stage=5`);
      const one = await panelDone(page, 300000);
      assert(one.psnr !== null && one.psnr >= one.baseline + 3, `one master key: ${one.psnr} dB vs the average digit ${one.baseline}`);
      assert(/Still leaked|Partly leaked/.test(one.verdict), `verdict: ${one.verdict}`);
      assert(/One master key/.test(one.cost), `cost: ${one.cost}`);
      console.log(`      one key: ${one.psnr} dB (average digit ${one.baseline})`);
      await screenshot(page, 'leak-fhipe-one-key');
      await page.check(sel('leak-rekey'));
      const fresh = await panelDone(page, 300000);
      const p = await hashParams(page);
      assert(p.rekey === '1' && p.precision === '6' && p.known === '256', `URL: ${JSON.stringify(p)}`);
      assert(fresh.psnr === null || fresh.psnr < one.psnr - 3, `a fresh key per step: ${fresh.psnr} dB against ${one.psnr}`);
      assert(/fresh master key every step costs/.test(fresh.cost), `cost: ${fresh.cost}`);
      console.log(`      fresh key per step: ${fresh.psnr} dB`);
      await screenshot(page, 'leak-fhipe-rekey');
      assert(errors.length === 0, `no console errors: ${errors.join('; ')}`);
      await context.close();
    },
  },
];
