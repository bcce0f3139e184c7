// `npm run bench`: builds the release wasm through the same path as `npm run build`, then runs the
// benchmarks. (Placeholder until the benchmark harness lands: it builds and reports the wasm size.)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { main, step, ROOT } from './lib/run.mjs';
import { buildSite } from './build.mjs';

main(async () => {
  await buildSite();
  await step('wasm size', () => {
    const wasm = fs.readFileSync(path.join(ROOT, 'www', 'pkg', 'glasslayer_bg.wasm'));
    const gz = zlib.gzipSync(wasm, { level: 9 });
    console.log(`| workload | value |\n|---|---|\n| wasm size raw | ${(wasm.length / 1e6).toFixed(2)} MB |\n| wasm size gzip | ${(gz.length / 1e6).toFixed(2)} MB |`);
  });
});
