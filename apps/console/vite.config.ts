import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Root is apps/console (run as `vite build apps/console` from the repo root);
// relative paths below are resolved against that root. Three pages: the dispatcher console (/), the
// responder mobile page (/responder, served by the API from responder.html) and the public alert page
// (/alerts, no sign-in).
export default defineConfig({
  base: '/',
  // The libraries by their package names (as in tsconfig.base.json), one file at a time: the console takes
  // only the browser-safe modules it names (`@cad/domain/status`), never a library's whole index.
  resolve: {
    alias: [
      { find: /^@cad\/(domain|routing|contracts)\/(.+)$/, replacement: resolve(__dirname, '../../libs/$1/src/$2') },
      { find: /^@cad\/i18n\/locales\/(.+)$/, replacement: resolve(__dirname, '../../libs/i18n/src/locales/$1') },
      { find: /^@cad\/i18n$/, replacement: resolve(__dirname, '../../libs/i18n/src/index.ts') },
    ],
  },
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      input: {
        console: resolve(__dirname, 'index.html'),
        responder: resolve(__dirname, 'responder.html'),
        alerts: resolve(__dirname, 'alerts.html'),
        report: resolve(__dirname, 'report.html'),
      },
    },
  },
  server: {
    port: 4200,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: true },
      '/public': { target: 'http://127.0.0.1:3000', changeOrigin: true },
      '/socket.io': { target: 'http://127.0.0.1:3000', changeOrigin: true, ws: true },
    },
  },
});
