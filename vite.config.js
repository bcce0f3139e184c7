// Vite: dev server for `npm start`, static build for `npm run build` (relative paths, so dist/ works
// from any static file server or sub-folder; no CDN, everything bundled). Two pages: the demo
// (index.html) and the benchmark page used by `npm run bench` (bench.html).
import { defineConfig } from 'vite';
import fs from 'node:fs';
import crypto from 'node:crypto';

// www/sw.js (the offline service worker) goes to dist/sw.js, so that its scope is the whole site;
// its cache is named after the emitted files (a new build, a new cache; the old one is dropped).
const serviceWorker = {
  name: 'glasslayer-service-worker',
  apply: 'build',
  generateBundle(_options, bundle) {
    const build = crypto.createHash('sha256').update(Object.keys(bundle).sort().join('\n')).digest('hex').slice(0, 12);
    const source = fs.readFileSync(new URL('./www/sw.js', import.meta.url), 'utf8').replace('__BUILD__', build);
    this.emitFile({ type: 'asset', fileName: 'sw.js', source });
  },
};

export default defineConfig({
  base: './',
  plugins: [serviceWorker],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', watch: { ignored: ['**/target/**'] } },
  clearScreen: false,
});
