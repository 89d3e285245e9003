/**
 * Conformance of src/bfn against the official reference vectors (tests/vectors, and the BFN-Solver vectors of
 * tests/solver-vectors) on the GPU backends of headless Chromium
 * (WebGL2 and WebGPU, both on SwiftShader; and wasm, as built by Vite), run inside the engine worker with CPU forwarding off so that even
 * tiny tensors take the GPU path. The backend must be exactly the one asked for: no skipping, no fallback.
 */
import { expect, test, type Page } from '@playwright/test';
import type { BackendInfo, CheckResult, VectorFile } from '../../src/engine/protocol';
import type {} from '../../src/engine/selftest-api';
import { loadVectorFiles, SOLVER_VECTORS_DIR, VECTORS_DIR } from '../../scripts/lib/vectors';

const files = loadVectorFiles();
const solverFiles = loadVectorFiles(SOLVER_VECTORS_DIR);

function collectConsole(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') lines.push(`[${msg.type()}] ${msg.text()}`);
  });
  page.on('pageerror', (err) => lines.push(`[pageerror] ${err.message}`));
  return lines;
}

/** Runs one directory's vector files in the page's worker on `backend` and expects every check to pass. */
async function expectVectorsPass(page: Page, backend: string, files: VectorFile[]): Promise<void> {
  const consoleLines = collectConsole(page);
  await page.goto(`/selftest.html?backend=${backend}&cpuForward=0`);
  const info = await page.evaluate<BackendInfo>(() => window.bfnSelfTest.ready);
  expect(info.active, `backend selection: ${JSON.stringify(info)}\n${consoleLines.join('\n')}`).toBe(backend);
  expect(info.cpuForward).toBe(false);
  await expect(page.getByTestId('active-backend')).toHaveText(backend);

  const before = await page.evaluate(() => window.bfnSelfTest.memory());
  const started = Date.now();
  const results = await page.evaluate<CheckResult[], typeof files>((f) => window.bfnSelfTest.run(f), files);
  test.info().annotations.push({ type: 'timing', description: `${results.length} checks on ${backend} in ${((Date.now() - started) / 1000).toFixed(1)} s` });

  const filesWithResults = new Set(results.map((r) => r.file));
  expect(files.map((f) => f.name).filter((name) => !filesWithResults.has(name)), 'vector files without any result').toEqual([]);
  const failures = results.filter((r) => !r.ok).map((r) => `${r.file} :: ${r.check} :: ${r.message} (max |err| ${r.maxAbsErr})`);
  expect(failures, `${failures.length} of ${results.length} checks failed on ${backend}:\n${failures.join('\n')}`).toEqual([]);

  // The checks dispose everything they create (engine scopes), on the GPU backends as in Node.
  const memory = await page.evaluate(() => window.bfnSelfTest.memory());
  expect(memory.numTensors - before.numTensors, 'tensors left in the worker by the checks').toBe(0);
}

for (const backend of ['webgl', 'webgpu', 'wasm'] as const) {
  const label = backend === 'wasm' ? 'wasm' : `${backend} (GPU path, cpuForward=0)`;
  test(`reference vectors of ${VECTORS_DIR} pass on ${label}`, async ({ page }) => {
    test.setTimeout(360_000);
    await expectVectorsPass(page, backend, files);
  });

  // The BFN-Solver vectors of the official solver code (src/conformance/solverChecks.ts), on the same backends.
  test(`BFN-Solver vectors of ${SOLVER_VECTORS_DIR} pass on ${label}`, async ({ page }) => {
    test.setTimeout(360_000);
    await expectVectorsPass(page, backend, solverFiles);
  });
}
