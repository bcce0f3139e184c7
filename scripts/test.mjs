// `npm test`: everything, in order, failing fast with a clear message.
//   fmt → clippy → native tests (+ FHIPE on the 32-bit field path) → wasm tests (node + headless Chromium) → build → end-to-end tests.
import path from 'node:path';
import { main, step, run, ROOT } from './lib/run.mjs';
import { ensureNodeDeps, ensureWasmTarget, ensureWasmBindgen, ensureChromium, CHROMEDRIVER } from './lib/tools.mjs';
import { buildSite } from './build.mjs';

main(async () => {
  const t0 = Date.now();
  await step('install what is missing (npm packages, wasm32 target, wasm-bindgen-cli, Chromium)', () => {
    ensureNodeDeps();
    ensureWasmTarget();
    ensureWasmBindgen();
    ensureChromium();
  });
  await step('cargo fmt --check', () => run('cargo', ['fmt', '--all', '--check'], { what: 'cargo fmt --check (run `cargo fmt --all`)' }));
  await step('cargo clippy -D warnings', () =>
    run('cargo', ['clippy', '--workspace', '--all-targets', '--', '-D', 'warnings'], { what: 'cargo clippy' }),
  );
  await step('native tests (cargo test)', () => run('cargo', ['test', '--workspace'], { what: 'native tests' }));
  await step('FHIPE on the 32-bit BLS12-381 field path, natively (--features force_mont32)', () =>
    run('cargo', ['test', '-p', 'glasslayer', '--features', 'force_mont32', '--test', 'fe_fhipe'], {
      what: 'FHIPE tests with force_mont32',
    }),
  );
  await step('wasm tests (cargo test --target wasm32-unknown-unknown: node + headless Chromium)', () =>
    // `replay` (seeded parties) and `lab-api` (the raw attacker API) are test-only features.
    run('cargo', ['test', '-p', 'glasslayer', '--target', 'wasm32-unknown-unknown', '--features', 'replay,lab-api'], {
      what: 'wasm tests',
      env: {
        CHROMEDRIVER,
        WASM_BINDGEN_TEST_WEBDRIVER_JSON: path.join(ROOT, 'webdriver.json'),
        WASM_BINDGEN_TEST_TIMEOUT: '300',
      },
    }),
  );
  await buildSite();
  await step('end-to-end tests (Playwright, headless Chromium, dist/)', () =>
    run('node', [path.join(ROOT, 'tests', 'run.mjs')], { what: 'end-to-end tests' }),
  );
  console.log(`\nall checks passed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
});
