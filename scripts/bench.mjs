// `npm run bench`: builds the release wasm and site (same path as `npm run build`), then times the
// standard workloads (crate/src/bench.rs) in headless Chromium inside Web Workers and natively
// (`glasslayer bench all --json`), plus page cold load to interactive, the page weight on the wire
// before the first interaction (digit scene, and a link to the Photo scene) and the wasm size. Prints
// a markdown table and writes bench/results.json (not committed).
//   npm run bench -- --runs 5 --only attack --skip-native
//   npm run bench -- --skip-build   (bench dist/ as it is, e.g. after `npx vite build`)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { main, step, run, ROOT } from './lib/run.mjs';
import { ensureChromium } from './lib/tools.mjs';
import { buildSite } from './build.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const RUNS = Number(opt('runs', 5));
const ONLY = opt('only', '');
const SKIP_NATIVE = argv.includes('--skip-native');
const SKIP_BUILD = argv.includes('--skip-build');
const LOAD_RUNS = 5;

const fmt = (ms) => (ms == null ? '–' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);

main(async () => {
  if (SKIP_BUILD) console.log('--skip-build: benching dist/ as it is');
  else await buildSite();
  ensureChromium();
  const { serve, launch, openPage, weightBeforeInteraction } = await import('../tests/harness.mjs');

  const native = new Map();
  if (!SKIP_NATIVE) {
    await step('native workloads (glasslayer bench all --json, release)', () => {
      const out = run('cargo', ['run', '--release', '-q', '-p', 'glasslayer-cli', '--', 'bench', 'all', '--json', '--runs', String(RUNS), '--only', ONLY], {
        what: 'native bench',
        quiet: true,
      });
      for (const line of out.split('\n').filter((l) => l.startsWith('{'))) {
        const m = JSON.parse(line);
        native.set(m.name, m);
      }
    });
  }

  const { url, server, log } = await serve();
  const browser = await launch();
  const browserRows = await step(`browser workloads (headless Chromium, Web Workers, ${RUNS} runs after a warm-up)`, async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${url}bench.html`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    return page.evaluate(([runs, only]) => window.runBench(runs, only), [RUNS, ONLY]);
  });

  const loads = await step(`page cold load to interactive (${LOAD_RUNS} fresh contexts)`, async () => {
    const times = [];
    for (let i = 0; i < LOAD_RUNS; i++) {
      const t0 = performance.now();
      const { context } = await openPage(browser, url);
      times.push(performance.now() - t0);
      await context.close();
    }
    return times.sort((a, b) => a - b);
  });
  // Bytes on the wire (gzip where the browser accepts it, as a static host sends them) before the
  // visitor touches the page: the default link (digit scene) and a link to the Photo scene.
  const weights = await step('page weight on the wire before the first interaction (fresh contexts)', async () => {
    const out = {};
    for (const [name, hash] of [['digit', ''], ['photo', '#scene=photo']]) {
      const w = await weightBeforeInteraction(browser, `${url}${hash}`, log);
      await w.context.close();
      out[name] = { bytes: w.bytes, responses: w.responses.map((r) => ({ file: r.path.split('/').pop() || '/', bytes: r.bytes })) };
    }
    return out;
  });
  // Was an e2e assertion (timing is not a test): the longest main-thread task while the page runs
  // a digit to the attack (CryptoNN, h = 128); 0 when no task exceeded the 50 ms long-task floor.
  const longTasks = await step(`page main-thread long tasks, digit → attack (${LOAD_RUNS} fresh contexts)`, async () => {
    const worst = [];
    const { attackResult } = await import('../tests/harness.mjs');
    for (let i = 0; i < LOAD_RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      await context.addInitScript(() => {
        window.__long = [];
        new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask', buffered: true });
      });
      const page = await context.newPage();
      await page.goto(`${url}#protocol=cryptonn&h=128&attack=tv&digit=m${i}&stage=4`);
      await attackResult(page);
      worst.push(Math.max(0, ...(await page.evaluate(() => window.__long))));
      await context.close();
    }
    return worst.sort((a, b) => a - b);
  });
  await browser.close();
  server.close();

  const wasmFile = fs.readdirSync(path.join(ROOT, 'dist', 'assets')).find((f) => f.endsWith('.wasm'));
  const wasm = fs.readFileSync(path.join(ROOT, 'dist', 'assets', wasmFile));
  const gzip = zlib.gzipSync(wasm, { level: 9 }).length;

  const rows = browserRows.map((b) => {
    const n = native.get(b.name);
    return {
      name: b.name, what: b.what, target_ms: b.target_ms ?? null,
      browser_median_ms: b.median_ms, browser_min_ms: b.min_ms,
      native_median_ms: n?.median_ms ?? null, native_min_ms: n?.min_ms ?? null,
      ratio: n ? b.median_ms / n.median_ms : null,
      meets_target: b.target_ms == null ? null : b.median_ms <= b.target_ms,
      estimate_ms: b.estimate_ms ?? null,
      last_ms: b.last_ms ?? null,
      note: b.note ?? null,
      per_op: b.per_op ?? null,
      floor_ns: b.floor_ns ?? null,
      unit_ns: b.per_op ? (b.median_ms * 1e6) / b.per_op : null,
      native_unit_ns: b.per_op && n ? (n.median_ms * 1e6) / b.per_op : null,
    };
  });
  const fmtNs = (ns) => (ns == null ? '–' : ns >= 1e6 ? `${(ns / 1e6).toFixed(3)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(1)} µs` : `${ns.toFixed(0)} ns`);
  const prims = rows.filter((r) => r.per_op);
  const load = { median_ms: loads[Math.floor(loads.length / 2)], min_ms: loads[0], target_ms: 1500 };
  const longest = { median_ms: longTasks[Math.floor(longTasks.length / 2)], max_ms: longTasks[longTasks.length - 1], target_ms: 50 };
  const size = { raw_bytes: wasm.length, gzip_bytes: gzip, target_gzip_bytes: 1.5e6 };
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`;

  const lines = [
    `Machine: ${machine}; Chromium (headless, Debian); ${RUNS} runs after a warm-up; ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| workload | browser median | browser min | native median | wasm/native | target (browser) |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) =>
      `| ${r.name} | ${fmt(r.browser_median_ms)} | ${fmt(r.browser_min_ms)} | ${fmt(r.native_median_ms)} | ${r.ratio ? r.ratio.toFixed(2) + '×' : '–'} | ${r.target_ms == null ? '' : `≤ ${fmt(r.target_ms)} ${r.meets_target ? '✔' : '✘'}`} |`,
    ),
    `| page cold load to interactive | ${fmt(load.median_ms)} | ${fmt(load.min_ms)} | | | ≤ 1.5 s ${load.median_ms <= 1500 ? '✔' : '✘'} |`,
    `| page: longest main-thread task, digit → attack (median / max of ${LOAD_RUNS}) | ${fmt(longest.median_ms)} | ${fmt(longest.max_ms)} (max) | | | ≤ 50 ms ${longest.median_ms <= 50 ? '✔' : '✘'} |`,
    ...Object.entries(weights).map(([name, w]) => {
      const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
      const files = w.responses.filter((r) => r.bytes >= 10 * 1024).map((r) => `${r.file} ${kib(r.bytes)}`).join(', ');
      return `| page weight on the wire before the first interaction, ${name === 'digit' ? 'digit scene (the default link)' : 'a link to the Photo scene'} (${w.responses.length} responses; ≥ 10 KiB: ${files}) | ${kib(w.bytes)} | | | | ≤ 2 MiB ${w.bytes <= 2 * 1024 * 1024 ? '✔' : '✘'} |`;
    }),
    `| wasm size (raw / gzip -9) | ${(wasm.length / 1e6).toFixed(2)} MB / ${(gzip / 1e6).toFixed(2)} MB | | | | ≤ 1.5 MB gzip ${gzip <= 1.5e6 ? '✔' : '✘'} |`,
  ];
  for (const r of rows.filter((r) => r.estimate_ms != null)) {
    lines.push('', `${r.name}: the page's estimate before the last round (estimateFhipeRound, from the round before): ${fmt(r.estimate_ms)}; that round took ${fmt(r.last_ms)}.`);
  }
  for (const r of rows.filter((r) => r.note)) lines.push('', `${r.name}: ${r.note}.`);
  if (prims.length) {
    lines.push(
      '',
      'Primitives (per item; floor = the published wasm figure the issue quotes):',
      '',
      '| primitive | browser per item | native per item | browser / floor |',
      '|---|---:|---:|---:|',
      ...prims.map((r) => `| ${r.name} | ${fmtNs(r.unit_ns)} | ${fmtNs(r.native_unit_ns)} | ${r.floor_ns ? (r.unit_ns / r.floor_ns).toFixed(2) + '×' : '–'} |`),
    );
  }
  console.log(`\n${lines.join('\n')}`);
  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  fs.writeFileSync(
    path.join(ROOT, 'bench', 'results.json'),
    JSON.stringify({ date: new Date().toISOString(), machine, runs: RUNS, rows, page_load: load, page_long_tasks: longest, page_weight_before_interaction: weights, wasm_size: size }, null, 2),
  );
  console.log('\nwrote bench/results.json');
});
