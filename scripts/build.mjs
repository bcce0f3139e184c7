// `npm run build`: a static site in dist/ that works from any static file server, offline.
import { main, step, run, ROOT } from './lib/run.mjs';
import { ensureNodeDeps, ensureWasmTarget, ensureWasmBindgen } from './lib/tools.mjs';
import { buildWasm } from './lib/wasm.mjs';
import { bundleDigits, bundlePhotos } from './lib/data.mjs';
import { trainModels } from './lib/models.mjs';
import path from 'node:path';

export async function buildSite() {
  await step('install what is missing (npm packages, wasm32 target, wasm-bindgen-cli)', () => {
    ensureNodeDeps();
    ensureWasmTarget();
    ensureWasmBindgen();
  });
  await step('bundle MNIST test digits for the page', () => bundleDigits());
  await step('bundle CIFAR-10 photos for the Photo scene', () => bundlePhotos());
  const size = await step('build the wasm (release)', () => buildWasm());
  console.log(`  wasm: ${(size / 1024).toFixed(0)} KiB`);
  await step('train the demo models (wasm in Node, cached)', () => trainModels());
  await step('vite build → dist/', () =>
    run(path.join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { what: 'vite build' }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main(buildSite);
