import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/lib/browser';

/**
 * Browser tests: Debian's Chromium, headless, against the built app served by `vite preview`
 * (`npm run test:browser` builds first). WebGPU comes from `--enable-unsafe-webgpu` (SwiftShader, a CPU
 * emulation here), WebGL2 from ANGLE on SwiftShader. A missing browser is an error, never a skip.
 */
const chromiumPath = CHROMIUM_PATH;
if (!existsSync(chromiumPath)) {
  throw new Error(`Chromium not found at ${chromiumPath}; install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
}
if (!existsSync('dist/index.html') || !existsSync('dist/selftest.html')) {
  throw new Error('dist/ is not built: run `npx vite build` first (or `npm run test:browser`, which builds and tests)');
}

const port = Number(process.env.BFN_E2E_PORT || 4179);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  // Two workers (files run side by side, tests within a file in order): on this 2-core machine the 88 browser tests
  // took 14.9 min with one worker and 9.8 min with two (`npx playwright test --workers=N`, same build, same machine),
  // all passing both ways; each page computes on one wasm thread, so two pages keep both cores busy.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // WebGPU on SwiftShader is slow (first step 3-4 s of shader compilation): generous per-test limit.
  timeout: 240_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } } }],
  webServer: {
    command: `npx vite preview --strictPort --host 127.0.0.1 --port ${port}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
