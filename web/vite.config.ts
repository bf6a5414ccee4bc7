import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress.js';

// `source` makes @certdesk/shared resolve to shared/src, so the web build never waits for a shared build.
export default defineConfig({
  // precompress: .br and .gz beside each built text file, served as they are by the server (issue 15).
  plugins: [react(), precompress()],
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server's CSP is script-src 'self': no inline module-preload polyfill, no inlined scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // dist/.vite/manifest.json: which chunks each page loads (the startup bench sums the sign-in page's);
    // the server never serves it (dotfiles are ignored).
    manifest: true,
  },
});
