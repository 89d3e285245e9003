/**
 * The backend chosen by measurement: without ?backend= the engine times the view's workload on each backend that works
 * here after the first frame and ends on the fastest (wasm on this machine: its GPU backends are SwiftShader
 * emulations, passed over, and cpu is far slower), showing the figures; the second visit reads the cached measurement;
 * a ?backend= choice is kept with no measurement. Screenshots of the status line and its details at 1280 x 720 and
 * 390 x 844 go to test-results/backend-measure/.
 */
import { expect, test, type Page } from '@playwright/test';
import { waitForTrajectory, watchConsole } from './helpers';

const SHOTS = 'test-results/backend-measure';

async function openDetails(page: Page): Promise<string> {
  const measured = page.getByTestId('backend-measured');
  await measured.locator('summary').click();
  return (await measured.textContent()) ?? '';
}

test('without ?backend= the 2D view is measured, ends on wasm with the figures shown, and is cached', async ({ page }) => {
  const lines = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForTrajectory(page, lines);
  const measured = page.getByTestId('backend-measured');
  await expect(measured, lines.join('\n')).toHaveAttribute('data-state', 'measured', { timeout: 60_000 });
  await expect(page.getByTestId('active-backend')).toHaveText('wasm');
  await expect(measured.locator('summary')).toContainText(/^wasm chosen: [\d.]+ m?s\/step vs cpu/);
  // The GPU backends here are SwiftShader emulations, passed over as before (the status line's refusals say why).
  await expect(measured.locator('summary')).toContainText('webgpu, webgl skipped: software adapter');
  const text = await openDetails(page);
  expect(text).toMatch(/wasm: [\d.]+ m?s per step = sampling [\d.]+ m?s \+ training [\d.]+ m?s; kernels: \d+ per sampling step, \d+ per training step/);
  expect(text).toMatch(/the measurement took [\d.]+ s/);
  await page.screenshot({ path: `${SHOTS}/2d-1280x720.png` });
  // The next visit reads the measurement back: no timing, same choice.
  await page.reload();
  await waitForTrajectory(page, lines);
  await expect(measured).toHaveAttribute('data-state', 'cached', { timeout: 60_000 });
  await expect(page.getByTestId('active-backend')).toHaveText('wasm');
  await expect(measured.locator('summary')).toContainText('(cached)');
});

test('the MNIST view is measured on its own network at 390 x 844 and still samples on the chosen backend', async ({ page }) => {
  const lines = watchConsole(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/?view=mnist');
  const measured = page.getByTestId('backend-measured');
  await expect(measured, lines.join('\n')).toHaveAttribute('data-state', 'measured', { timeout: 120_000 });
  await expect(page.getByTestId('active-backend')).toHaveText('wasm');
  await expect(measured.locator('summary')).toContainText(/^wasm chosen: /);
  const text = await openDetails(page);
  expect(text).toMatch(/Workload of the mnist view, per step: sampling 16 x 784 \(.+\); training batch \d+/);
  await page.screenshot({ path: `${SHOTS}/mnist-390x844.png`, fullPage: false });
  expect(lines.filter((l) => !l.includes('favicon'))).toEqual([]);
});

test('?backend=cpu stays on cpu and measures nothing', async ({ page }) => {
  const lines = watchConsole(page);
  await page.goto('/?backend=cpu');
  await waitForTrajectory(page, lines, undefined, 200_000);
  // Longer than the measurement's fallback start: still nothing.
  await page.waitForTimeout(6000);
  await expect(page.getByTestId('active-backend')).toHaveText('cpu');
  await expect(page.getByTestId('backend-measured')).toHaveCount(0);
  await expect(page.getByTestId('backend-measuring')).toHaveCount(0);
});
