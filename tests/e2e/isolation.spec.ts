/**
 * Cross-origin isolation and compressed wasm (vite.config.ts, public/_headers), against `vite preview` of the build:
 * the page is cross-origin isolated, loads nothing from another origin, and its engine runs tfjs-backend-wasm's
 * threaded SIMD build, downloaded brotli-compressed, with the thread count on the status line; without the headers
 * the status line says why it runs one thread; every .wasm is served compressed when the client accepts it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page, type Request } from '@playwright/test';

const ASSETS = 'dist/assets';
const WASM_FILES = readdirSync(ASSETS).filter((f) => f.endsWith('.wasm'));

/** Every request of the context (the page, its engine worker and the wasm threads), and console problems. */
function watch(context: BrowserContext, page: Page): { requests: Request[]; problems: string[] } {
  const requests: Request[] = [];
  const problems: string[] = [];
  context.on('request', (r) => requests.push(r));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /worker sent an error|ReferenceError/.test(msg.text())) problems.push(`[console.${msg.type()}] ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`[pageerror] ${err.message}`));
  return { requests, problems };
}

/** The wasm binary a request fetched: 'threaded-simd', 'simd' or 'plain' (null for other requests). */
function wasmBuild(r: Request): string | null {
  const name = new URL(r.url()).pathname.split('/').pop() ?? '';
  if (!name.endsWith('.wasm')) return null;
  return name.startsWith('tfjs-backend-wasm-threaded-simd') ? 'threaded-simd' : name.startsWith('tfjs-backend-wasm-simd') ? 'simd' : 'plain';
}

test('the page is cross-origin isolated and runs the SIMD wasm build (threaded from 4 cores), fetched compressed; the status line gives the thread count', async ({ page, context, baseURL }) => {
  const { requests, problems } = watch(context, page);
  const response = await page.goto('/?backend=wasm&samples=100&steps=10');
  expect(response!.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response!.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  await expect(page.getByTestId('active-backend')).toHaveText('wasm', { timeout: 60_000 });
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  // tfjs-backend-wasm (backend.cc) computes on half the logical cores, at most 8: one thread on a 2-core machine.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = Math.max(1, Math.min(8, Math.floor(cores / 2)));
  const expected = threads > 1 ? `, ${threads} threads (SIMD)` : `, 1 thread (SIMD): TF.js uses half of the ${cores} logical core${cores === 1 ? '' : 's'}`;
  await expect(page.getByTestId('wasm-threads')).toHaveText(expected);

  // The shipped model samples (with the threaded build, its 8 pre-started thread workers loaded without error).
  await expect(page.getByTestId('run-info')).toHaveAttribute('data-ready', 'yes', { timeout: 120_000 });
  await expect(page.getByTestId('error-box')).toHaveCount(0);
  expect(problems).toEqual([]);

  // Below 4 logical cores TF.js would compute on one thread anyway: the worker loads the build without threads
  // (src/engine/backend.ts chooseWasmBuild), sparing the first frame the thread pool's start.
  const wasm = requests.filter((r) => wasmBuild(r));
  expect(wasm.map(wasmBuild)).toEqual([cores >= 4 ? 'threaded-simd' : 'simd']);
  const wasmResponse = await wasm[0]!.response();
  expect(wasmResponse!.headers()['content-encoding']).toBe('br');
  expect(wasmResponse!.headers()['content-type']).toBe('application/wasm');

  // Nothing from another origin (COEP require-corp would block it): only this origin, blob: and data: URLs.
  const origin = new URL(baseURL!).origin;
  const foreign = requests.map((r) => r.url()).filter((u) => !u.startsWith(`${origin}/`) && !/^(blob|data):/.test(u));
  expect(foreign).toEqual([]);
});

test('without the isolation headers the status line says why wasm runs one thread', async ({ page, context }) => {
  // Serve every response without COOP/COEP: the page as an ordinary host would send it.
  await context.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    for (const name of ['cross-origin-opener-policy', 'cross-origin-embedder-policy', 'content-encoding', 'content-length']) delete headers[name];
    await route.fulfill({ response, headers });
  });
  const { requests, problems } = watch(context, page);
  await page.goto('/?backend=wasm&samples=100&steps=10');
  await expect(page.getByTestId('wasm-threads')).toHaveText(', 1 thread (SIMD): the page is not cross-origin isolated', { timeout: 60_000 });
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(page.getByTestId('run-info')).toHaveAttribute('data-ready', 'yes', { timeout: 120_000 });
  expect(requests.map(wasmBuild).filter((b) => b)).toEqual(['simd']);
  expect(problems).toEqual([]);
});

test('every .wasm is served brotli- or gzip-compressed by what the client accepts, and plain otherwise', async ({ request }) => {
  expect(WASM_FILES.length).toBe(3);
  for (const file of WASM_FILES) {
    const plain = readFileSync(join(ASSETS, file));
    for (const [accept, encoding] of [['br', 'br'], ['gzip', 'gzip'], ['gzip, deflate, br', 'br'], ['identity', undefined]] as const) {
      const response = await request.get(`/assets/${file}`, { headers: { 'Accept-Encoding': accept } });
      expect(response.status()).toBe(200);
      const headers = response.headers();
      expect(headers['content-type'], `${file} (${accept})`).toBe('application/wasm');
      expect(headers['content-encoding'], `${file} (${accept})`).toBe(encoding);
      expect(headers['vary']).toBe('Accept-Encoding');
      expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
      const sent = encoding ? statSync(join(ASSETS, `${file}.${encoding === 'br' ? 'br' : 'gz'}`)).size : plain.length;
      expect(Number(headers['content-length']), `${file} (${accept})`).toBe(sent);
      if (encoding) expect(sent).toBeLessThan(0.4 * plain.length);
      // Playwright decodes the body: the bytes are the binary's.
      expect(Buffer.compare(await response.body(), plain), `${file} (${accept})`).toBe(0);
    }
  }
  // The built site carries the same isolation headers for hosts that read _headers.
  const headersFile = readFileSync('dist/_headers', 'utf8');
  expect(headersFile).toMatch(/^\/\*\n {2}Cross-Origin-Opener-Policy: same-origin\n {2}Cross-Origin-Embedder-Policy: require-corp$/m);
});
