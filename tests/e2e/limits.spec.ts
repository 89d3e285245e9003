/**
 * The discretized edge bins on the GPU backends (a bug: finite stand-ins for infinity): the edge-bin vector file of
 * tests/conformance/edgeBins.ts, mu_x from 1e6 to 3e37 on either side, runs through the conformance checker in the
 * engine worker on webgl and webgpu with CPU forwarding off; all mass must lie in the edge bin on mu_x's side.
 */
import { expect, test } from '@playwright/test';
import type { BackendInfo, CheckResult } from '../../src/engine/protocol';
import type {} from '../../src/engine/selftest-api';
import { edgeBinVectorFile } from '../conformance/edgeBins';

for (const backend of ['webgl', 'webgpu'] as const) {
  test(`edge bins hold all the mass for mu_x far outside [-1, 1] on ${backend}`, async ({ page }) => {
    await page.goto(`/selftest.html?backend=${backend}&cpuForward=0`);
    const info = await page.evaluate<BackendInfo>(() => window.bfnSelfTest.ready);
    expect(info.active).toBe(backend);
    const file = edgeBinVectorFile();
    const results = await page.evaluate<CheckResult[], typeof file>((f) => window.bfnSelfTest.run([f]), file);
    expect(results.length).toBeGreaterThan(5);
    expect(results.filter((r) => !r.ok).map((r) => `${r.check}: ${r.message} (max |err| ${r.maxAbsErr})`)).toEqual([]);
  });
}
