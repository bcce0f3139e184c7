// Installs what the build and tests need when it is missing, so a fresh clone works with
// `npm start` / `npm test`: npm packages, the wasm32 target, wasm-bindgen-cli at the exact version
// in Cargo.lock, and (for tests) Debian's Chromium + chromedriver.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, run, capture, StepError } from './run.mjs';

export function ensureNodeDeps() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  const pkg = path.join(ROOT, 'package.json');
  const stale =
    !fs.existsSync(marker) ||
    fs.statSync(pkg).mtimeMs > fs.statSync(marker).mtimeMs ||
    (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs);
  if (!stale) return;
  const useCi = fs.existsSync(lock);
  run('npm', [useCi ? 'ci' : 'install', '--no-audit', '--no-fund'], { what: 'npm install' });
}

export function ensureWasmTarget() {
  const installed = capture('rustup', ['target', 'list', '--installed']);
  if (installed === null) {
    throw new StepError('rustup not found: install Rust with rustup (https://rustup.rs), then re-run');
  }
  if (!installed.split('\n').includes('wasm32-unknown-unknown')) {
    run('rustup', ['target', 'add', 'wasm32-unknown-unknown'], { what: 'rustup target add wasm32-unknown-unknown' });
  }
}

/** The wasm-bindgen version pinned in Cargo.lock (the CLI must match it exactly). */
export function lockedWasmBindgenVersion() {
  const lock = fs.readFileSync(path.join(ROOT, 'Cargo.lock'), 'utf8');
  const m = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/);
  if (!m) throw new StepError('Cargo.lock has no wasm-bindgen entry');
  return m[1];
}

export function ensureWasmBindgen() {
  const want = lockedWasmBindgenVersion();
  const have = capture('wasm-bindgen', ['--version'])?.trim().split(/\s+/)[1];
  if (have === want) return;
  console.log(`installing wasm-bindgen-cli ${want} (found ${have ?? 'none'}) — about a minute`);
  // --debug: same output, a quarter of the build time. No --locked: its lock names a yanked crate.
  run('cargo', ['install', 'wasm-bindgen-cli', '--version', want, '--debug', '--force'], {
    what: `cargo install wasm-bindgen-cli ${want}`,
  });
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMEDRIVER = process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver';

export function ensureChromium() {
  if (fs.existsSync(CHROMIUM) && fs.existsSync(CHROMEDRIVER)) return;
  const cmd = 'apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver';
  if (process.getuid?.() !== 0) {
    throw new StepError(`Chromium and chromedriver are missing: install them with\n    sudo sh -c '${cmd}'\n  (or set CHROMIUM_PATH and CHROMEDRIVER)`);
  }
  console.log('installing Debian chromium + chromium-driver');
  run('sh', ['-c', `DEBIAN_FRONTEND=noninteractive ${cmd}`], { what: 'apt-get install chromium chromium-driver' });
}
