// Vite: dev server for `npm start`, static build for `npm run build` (relative paths, so dist/ works
// from any static file server or sub-folder; no CDN, everything bundled). Two pages: the demo
// (index.html) and the benchmark page used by `npm run bench` (bench.html).
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
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
