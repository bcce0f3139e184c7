// Builds the release wasm for the page: cargo (wasm32) → wasm-bindgen --target web → wasm-opt (npm's
// binaryen; Debian's binaryen 108 breaks wasm-bindgen 0.2.13x output).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, run } from './run.mjs';

export const PKG_DIR = path.join(ROOT, 'www', 'pkg');

export function buildWasm({ optimize = true } = {}) {
  run('cargo', ['build', '-p', 'glasslayer', '--lib', '--release', '--target', 'wasm32-unknown-unknown'], {
    what: 'cargo build (wasm32, release)',
  });
  // Cargo honours CARGO_TARGET_DIR: read the wasm from where it was built, never a stale copy.
  const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
  const wasm = path.join(targetDir, 'wasm32-unknown-unknown', 'release', 'glasslayer.wasm');
  run('wasm-bindgen', ['--target', 'web', '--out-dir', PKG_DIR, '--out-name', 'glasslayer', wasm], {
    what: 'wasm-bindgen',
  });
  if (optimize) {
    const out = path.join(PKG_DIR, 'glasslayer_bg.wasm');
    run(path.join(ROOT, 'node_modules', '.bin', 'wasm-opt'), ['-O3', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', out, '-o', out], {
      what: 'wasm-opt',
    });
  }
  return fs.statSync(path.join(PKG_DIR, 'glasslayer_bg.wasm')).size;
}
