import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { mnistData } from './scripts/lib/vite-mnist';

const root = import.meta.dirname;

// Two pages: the app (index.html) and the browser-test harness (selftest.html). The engine runs in a module
// worker, so workers are built as ES modules.
export default defineConfig({
  plugins: [react(), mnistData()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // TF.js is large by nature; it lives in the worker chunk, never in the page's own bundle.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      input: {
        main: resolve(root, 'index.html'),
        selftest: resolve(root, 'selftest.html'),
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
