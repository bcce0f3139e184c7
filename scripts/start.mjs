// `npm start`: install what is missing, build the wasm, serve the page on 127.0.0.1 and print the
// URL. Rust sources are watched: a change rebuilds the wasm and the page reloads.
import fs from 'node:fs';
import path from 'node:path';
import { main, step, ROOT } from './lib/run.mjs';
import { ensureNodeDeps, ensureWasmTarget, ensureWasmBindgen } from './lib/tools.mjs';
import { buildWasm } from './lib/wasm.mjs';
import { bundleDigits } from './lib/data.mjs';
import { trainModels } from './lib/models.mjs';

main(async () => {
  await step('install what is missing (npm packages, wasm32 target, wasm-bindgen-cli)', () => {
    ensureNodeDeps();
    ensureWasmTarget();
    ensureWasmBindgen();
  });
  await step('bundle MNIST test digits for the page', () => bundleDigits());
  await step('build the wasm (release)', () => buildWasm());
  await step('train the demo models (wasm in Node, cached)', () => trainModels());
  const { createServer } = await import('vite');
  const port = Number(process.env.PORT ?? 5173);
  const server = await createServer({ root: ROOT, server: { host: '127.0.0.1', port } });
  await server.listen();
  const url = server.resolvedUrls?.local?.[0] ?? `http://127.0.0.1:${port}/`;
  console.log(`\nglasslayer is running at ${url}\n(Ctrl-C to stop; Rust changes rebuild the wasm)`);

  let timer = null;
  let building = false;
  fs.watch(path.join(ROOT, 'crate', 'src'), { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (building) return;
      building = true;
      try {
        await step('rebuild the wasm', () => buildWasm({ optimize: false }));
        server.ws.send({ type: 'full-reload' });
      } catch (e) {
        console.error(`✘ ${e.message}`);
      } finally {
        building = false;
      }
    }, 300);
  });
});
