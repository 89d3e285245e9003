import { defineConfig } from 'vitest/config';

// Vitest runs the Node suites only (unit, property and conformance tests on the cpu and wasm backends);
// the Playwright specs in tests/e2e run in headless Chromium through `npm run test:browser`.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/conformance/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // One worker process: tfjs keeps global backend state, and the machine has two cores.
    fileParallelism: false,
  },
});
