// Content-Security-Policy: the built page runs under the strict policy below — wasm compiled with
// 'wasm-unsafe-eval' only, module workers from 'self', no inline script or style, no plugin, no
// <base> — with zero violations through a real run (load, a random MNIST digit, encryption,
// server decryption in the workers, the attack). index.html carries the policy as a <meta> tag
// (README, "Threat model"); the test checks it is exactly this policy, and injects it into a page
// that lacks it. A built-in control injects an
// inline script and requires exactly that violation to be seen, so a silent detector fails too.
import { assert, attackResult } from '../harness.mjs';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const META = `<meta http-equiv="Content-Security-Policy" content="${CSP}" />`;

const sel = (id) => `[data-testid="${id}"]`;

async function openWithCsp(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const res = await route.fetch();
    const html = await res.text();
    assert(/<head>/i.test(html), 'the page has a <head>');
    // index.html carries the policy itself; inject it only into a page that lacks it.
    const body = /http-equiv="Content-Security-Policy"/i.test(html) ? html : html.replace(/<head>/i, `<head>\n    ${META}`);
    await route.fulfill({ response: res, body });
  });
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
    );
  });
  const page = await context.newPage();
  const problems = [];
  const onConsole = (where) => (m) => {
    const t = m.text();
    if (m.type() === 'error' || /content security policy/i.test(t)) problems.push(`${where} console: ${t}`);
  };
  page.on('console', onConsole('page'));
  page.on('worker', (w) => w.on('console', onConsole('worker')));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30000 });
  return { page, context, problems };
}

export const tests = [
  {
    name: 'the strict CSP holds through a full run with zero violations (and the detector works)',
    async fn({ browser, url }) {
      const { page, context, problems } = await openWithCsp(browser, `${url}#h=128&attack=tv`);
      const metas = await page.$$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.map((e) => e.content));
      assert(metas.length === 1 && metas[0] === CSP, `the policy is in force, once: ${metas.join(' | ')}`);
      await page.click(sel('random-digit'));
      await page.click(sel('run'));
      const r = await attackResult(page, { timeout: 90000 });
      assert(Number.isFinite(r.psnr), `the attack ran under the CSP: ${JSON.stringify(r)}`);
      const violations = await page.evaluate(() => window.__csp.slice());
      assert(violations.length === 0, `no CSP violation: ${violations.join('; ')}`);
      assert(problems.length === 0, `no console error: ${problems.join('; ')}`);
      // Control: an inline script must be refused and reported.
      const ran = await page.evaluate(() => {
        window.__inline = false;
        const s = document.createElement('script');
        s.textContent = 'window.__inline = true';
        document.head.append(s);
        return window.__inline;
      });
      await page.waitForFunction(() => window.__csp.length > 0, null, { timeout: 5000 });
      const seen = await page.evaluate(() => window.__csp.slice());
      assert(!ran, 'the inline script did not run');
      assert(seen.length === 1 && /script-src/.test(seen[0]), `the control violation was seen: ${seen.join('; ')}`);
      await context.close();
    },
  },
];
