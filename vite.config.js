// Vite: dev server for `npm start`, static build for `npm run build` (relative paths, so dist/ works
// from any static file server or sub-folder; no CDN, everything bundled). Two pages: the demo
// (index.html) and the benchmark page used by `npm run bench` (bench.html).
import { defineConfig } from 'vite';
import fs from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import zlib from 'node:zlib';

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

// `vite preview` serves dist/ uncompressed and uncached: the content-hashed files under assets/ go
// gzipped (the wasm 1.4 MB → 0.6 MB, the models 2.8 → 1.8 MB) and cacheable for a year, as a
// static host would send them.
const COMPRESSIBLE = /\.(js|css|wasm|bin|json|svg)$/;
const previewCompression = {
  name: 'glasslayer-preview-compression',
  configurePreviewServer(server) {
    const dist = path.resolve(server.config.root, server.config.build.outDir);
    const gz = new Map();
    server.middlewares.use((req, res, next) => {
      const url = new URL(req.url, 'http://x');
      const file = path.join(dist, decodeURIComponent(url.pathname));
      if (!file.startsWith(dist) || !url.pathname.includes('/assets/') || !COMPRESSIBLE.test(file)) return next();
      if (!/\bgzip\b/.test(req.headers['accept-encoding'] ?? '') || !fs.existsSync(file)) return next();
      if (!gz.has(file)) gz.set(file, zlib.gzipSync(fs.readFileSync(file)));
      const body = gz.get(file);
      const types = { '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };
      res.writeHead(200, {
        'content-type': types[path.extname(file)] ?? 'application/octet-stream',
        'content-encoding': 'gzip',
        vary: 'accept-encoding',
        'cache-control': 'public, max-age=31536000, immutable',
        'content-length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  },
};

export default defineConfig({
  base: './',
  plugins: [serviceWorker, previewCompression],
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
