// Vite: dev server for `npm start`, static build for `npm run build` (relative paths, so dist/ works
// from any static file server or sub-folder; no CDN, everything bundled).
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', watch: { ignored: ['**/target/**'] } },
  clearScreen: false,
});
