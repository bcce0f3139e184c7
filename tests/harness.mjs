// End-to-end harness: a static file server for dist/ (node:http, in this process, so nothing is left
// running), Debian's Chromium driven by playwright-core, console-error capture, and screenshots saved
// to test-results/ (not committed).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
export const ARTIFACTS = path.join(ROOT, 'test-results');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.bin': 'application/octet-stream', '.woff2': 'font/woff2',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.svg', '.bin']);
const gzipped = new Map(); // file → gzip bytes (compressed once per run)

/** Serve `dir` on 127.0.0.1 (random port), as a static host would: gzip for compressible files
 *  when the browser accepts it, hashed assets cacheable for a year, pages revalidated. Records every
 *  request path in `requests`, and every response in `log` ({path, bytes}: the bytes on the wire). */
export function serve(dir = DIST) {
  const requests = [];
  const log = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) return res.writeHead(404).end('not found');
    const ext = path.extname(file);
    const headers = {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': url.pathname.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    let body = fs.readFileSync(file);
    if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      if (!gzipped.has(file)) gzipped.set(file, zlib.gzipSync(body));
      body = gzipped.get(file);
      headers['content-encoding'] = 'gzip';
      headers.vary = 'accept-encoding';
    }
    headers['content-length'] = body.length;
    log.push({ path: url.pathname, bytes: body.length });
    res.writeHead(200, headers);
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, server, requests, log })),
  );
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** What a fresh visitor's browser fetches before touching the page: open `url` in a new context,
 *  wait for the network to go quiet, and sum the bytes on the wire from the server's `log` (see
 *  serve). Returns openPage's {page, context, errors} (the caller closes the context), `from` (the
 *  log's length before), `bytes` and `responses` ([{path, bytes}]). */
export async function weightBeforeInteraction(browser, url, log) {
  const from = log.length;
  const opened = await openPage(browser, url);
  await opened.page.waitForLoadState('networkidle');
  await opened.page.waitForTimeout(300);
  const responses = log.slice(from);
  return { ...opened, from, bytes: responses.reduce((a, r) => a + r.bytes, 0), responses };
}

/** Headless Chromium; `args`: extra flags for one test's own browser (e.g. FAKE_CAMERA). */
export function launch({ args = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
  });
}

/** Chromium's built-in fake camera (a moving test pattern): getUserMedia gets it in a context
 *  that was granted the 'camera' permission, and is refused (NotAllowedError) in one that was not. */
export const FAKE_CAMERA = ['--use-fake-device-for-media-stream'];

/** A fresh page that records console errors and page errors into `errors` (`seed`: a
 *  deterministic Math.random, see seedRandom). */
export async function openPage(browser, url, { viewport = { width: 1366, height: 768 }, seed, ...opts } = {}) {
  const context = await browser.newContext({ viewport, ...opts });
  if (seed !== undefined) await seedRandom(context, seed);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(url);
  try {
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 20000 });
  } catch (e) {
    const status = await page.textContent('[data-testid="status"]').catch(() => '?');
    throw new Error(`page never became ready; status: "${status}"; errors: ${errors.join('; ') || 'none'}`);
  }
  return { page, context, errors };
}

export async function screenshot(page, name, { touch = false } = {}) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // no hover tooltip in the picture (not on a touch screen: a mouse event there swallows the next tap)
  if (!touch) await page.mouse.move(1, 1);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Draw a polyline on a canvas with real pointer (mouse) events; points in 0..1 of the canvas box. */
export async function drawStroke(page, selector, points) {
  const box = await page.locator(selector).boundingBox();
  const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

/** Make Math.random deterministic in every page of `context` (a small LCG from `seed`). */
export async function seedRandom(context, seed = 42) {
  await context.addInitScript((s) => {
    let state = s >>> 0;
    Math.random = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }, seed);
}

/** Wait until the attack result for `protocol` is shown and nothing runs; returns the numbers. */
export async function attackResult(page, { protocol = 'cryptonn', timeout = 60000 } = {}) {
  try {
    await page.waitForFunction(
      (p) => {
        const el = document.querySelector('[data-testid="psnr"]');
        return document.body.dataset.busy === 'false' && el?.dataset.value && el.dataset.protocol === p;
      },
      protocol,
      { timeout },
    );
  } catch (e) {
    // say what the page showed instead (a slow machine, an error, a question waiting for an answer)
    const seen = await page
      .evaluate(() => `status "${document.querySelector('[data-testid="status"]').textContent}", busy ${document.body.dataset.busy}, running ${document.body.dataset.running}, asking ${document.body.dataset.asking ?? 'false'}, progress "${document.querySelector('[data-testid="progress"]').getAttribute('aria-valuetext') ?? ''}"`)
      .catch(() => 'the page is gone');
    throw new Error(`no ${protocol} attack result within ${timeout} ms: ${seen} (${e.message.split('\n')[0]})`);
  }
  return page.evaluate(() => {
    const v = (id) => Number(document.querySelector(`[data-testid="${id}"]`).dataset.value);
    return {
      psnr: v('psnr'),
      ssim: v('ssim'),
      baseline: v('baseline'),
      status: document.querySelector('[data-testid="status"]').textContent,
      label: document.querySelector('[data-testid="reconstruction"]').getAttribute('aria-label'),
    };
  });
}

/** The page state as the URL hash says it. */
export function hashParams(page) {
  return page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.slice(1))));
}

/** Every task the page had queued so far (a timer, a focus hand-back) has run: timers fire in order,
 *  so a 50 ms timer set now fires after them. What is true after this is not about to change. */
export function afterQueued(page) {
  return page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
}

/** Wait for the reveal animation etc. to settle before a screenshot. */
export async function settle(page, ms = 1000) {
  await page.waitForTimeout(ms);
}

/** Draw with a finger (CDP touch events: a real touch pointer); points in 0..1 of the element's box.
 *  Every event carries its own timestamp: the finger moves at screen rate and rests 100 ms before
 *  it lifts, whatever the load. Without them Chromium stamps each event when it arrives; on a busy
 *  machine the moves arrive bunched, the lift looks like a flick, Chromium starts a fling, and the
 *  next tap only stops that fling: no click (5 taps lost in 40 under load, 0 in 40 with stamps). */
export async function touchStroke(page, context, selector, points) {
  const box = await page.locator(selector).boundingBox();
  const cdp = await context.newCDPSession(page);
  const pt = ([x, y]) => [{ x: box.x + x * box.width, y: box.y + y * box.height }];
  let t = Date.now() / 1000; // seconds since the epoch, as CDP's `timestamp`
  const send = (type, touchPoints) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints, timestamp: t });
  await send('touchStart', pt(points[0]));
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    for (let k = 1; k <= 4; k++) {
      const p = [a[0] + ((b[0] - a[0]) * k) / 4, a[1] + ((b[1] - a[1]) * k) / 4];
      t += 0.016;
      await send('touchMove', pt(p));
      await new Promise((r) => setTimeout(r, 16));
    }
  }
  await new Promise((r) => setTimeout(r, 100));
  t = Math.max(t + 0.1, Date.now() / 1000); // at rest: the lift comes after the last move, never before now
  await send('touchEnd', []);
  await cdp.detach();
}

/** What a phone user sees: the document no wider than the viewport, and `selectors` fully on
 *  screen without scrolling. Returns a list of problems (empty when all is well). */
export async function phoneProblems(page, selectors) {
  return page.evaluate((sels) => {
    const out = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const dw = document.documentElement.scrollWidth;
    if (dw > vw) out.push(`document ${dw}px wide in a ${vw}px viewport`);
    for (const s of sels) {
      const el = document.querySelector(s);
      if (!el) {
        out.push(`${s}: missing`);
        continue;
      }
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > vh + 0.5 || r.right > vw + 0.5) {
        out.push(`${s}: not fully on screen (${Math.round(r.left)},${Math.round(r.top)} – ${Math.round(r.right)},${Math.round(r.bottom)} in ${vw}×${vh})`);
      }
    }
    return out;
  }, selectors);
}

let axeSource = null;
/** Run axe-core (npm, from node_modules — never a CDN) on the page; returns the serious and critical
 *  violations as readable lines ([] when there are none). `include`: a CSS selector to limit it to. */
export async function axeCheck(page, { include } = {}) {
  axeSource ??= fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // evaluated through the devtools protocol: the page's strict CSP (no inline script) stays on
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (inc) => {
    const r = await window.axe.run(inc ? { include: [inc] } : document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}${v.nodes.length > 4 ? ` (+${v.nodes.length - 4})` : ''}`);
  }, include ?? null);
  return violations;
}
