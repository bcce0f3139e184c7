// Runs every tests/e2e/*.test.mjs against the built dist/ in headless Chromium. Each file exports
// `tests`: [{ name, fn({ browser, url, requests, log }) }]. Prints one line per test and the closing line
// `e2e: N passed, N failed`. Filter with a substring: `node tests/run.mjs draw`.
// The unit tests of the page's pure modules (tests/unit/*.test.mjs, node's test runner) run first,
// as the test "unit › node --test tests/unit" (filter "unit").
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, DIST, serve, launch } from './harness.mjs';

const filter = process.argv[2] ?? '';
let passed = 0;
let failed = 0;
const UNIT = 'unit › node --test tests/unit';
if (!filter || UNIT.includes(filter)) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--test', path.join(ROOT, 'tests', 'unit')], { encoding: 'utf8' });
  if (r.status === 0) {
    passed++;
    console.log(`ok   ${UNIT} (${Date.now() - t0} ms)`);
  } else {
    failed++;
    console.log(`FAIL ${UNIT}\n${r.stdout}${r.stderr}`);
  }
}
if (!fs.existsSync(path.join(DIST, 'index.html'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const dir = path.join(ROOT, 'tests', 'e2e');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort();
const { url, server, requests, log } = await serve();
const browser = await launch();
for (const file of files) {
  const { tests } = await import(path.join(dir, file));
  for (const t of tests) {
    const name = `${file.replace('.test.mjs', '')} › ${t.name}`;
    if (filter && !name.includes(filter)) continue;
    const t0 = Date.now();
    try {
      await t.fn({ browser, url, requests, log });
      passed++;
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name} (${Date.now() - t0} ms)\n     ${String(e.stack ?? e).split('\n').join('\n     ')}`);
    }
  }
}
await browser.close();
server.close();
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed || passed === 0 ? 1 : 0);
