import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Root is apps/console (run as `vite build apps/console` from the repo root);
// relative paths below are resolved against that root. Three pages: the dispatcher console (/), the
// responder mobile page (/responder, served by the API from responder.html) and the public alert page
// (/alerts, no sign-in).
export default defineConfig({
  base: '/',
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
