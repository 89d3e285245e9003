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
  console.log(`2d: ${/the measurement took [\d.]+ s, [\d.]+ s of it its own steps/.exec(text)?.[0]}`);
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
  await page.screenshot({ path: `${SHOTS}/mnist-390x844-folded.png` });
  const text = await openDetails(page);
  expect(text).toMatch(/Workload of the mnist view, per step: sampling 16 x 784 \(.+\); training batch \d+/);
  await page.screenshot({ path: `${SHOTS}/mnist-390x844.png`, fullPage: false });
  console.log(`mnist: ${/the measurement took [\d.]+ s, [\d.]+ s of it its own steps/.exec(text)?.[0]}`);
  expect(lines.filter((l) => !l.includes('favicon'))).toEqual([]);
});

test('the grey-scale MNIST, words and simplex views each measure their own workload and end on wasm; Learn measures nothing', async ({ page }) => {
  const lines = watchConsole(page);
  const measured = page.getByTestId('backend-measured');
  for (const view of ['mnist-grey', 'words', 'simplex']) {
    await page.goto(`/?view=${view}`);
    await expect(measured, `${view}\n${lines.join('\n')}`).toHaveAttribute('data-state', 'measured', { timeout: 120_000 });
    await expect(page.getByTestId('active-backend')).toHaveText('wasm');
    await expect(measured.locator('summary')).toContainText(/^wasm chosen: [\d.]+ m?s\/step vs cpu/);
    const text = await openDetails(page);
    expect(text).toContain(`Workload of the ${view} view, per step:`);
    // How long each view's measurement takes here, in the test's output.
    console.log(`${view}: ${/the measurement took [\d.]+ s, [\d.]+ s of it its own steps/.exec(text)?.[0]}; ${/wasm: [^;]+/.exec(text)?.[0]}`);
  }
  await page.goto('/?view=learn');
  await expect(measured).toHaveAttribute('data-state', 'none', { timeout: 60_000 });
  await expect(measured.locator('summary')).toHaveText('wasm kept: the learn view runs no network to measure');
});

test('a cached measurement that favours another backend switches the running engine to it, weights and all', async ({ page }) => {
  const lines = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?samples=200&steps=20');
  const measured = page.getByTestId('backend-measured');
  await expect(measured, lines.join('\n')).toHaveAttribute('data-state', 'measured', { timeout: 60_000 });
  // Rewrite this device's cached 2D measurement as if cpu had been the fastest.
  const rewritten = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('bfn-backend');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('measurements', 'readwrite');
          const store = tx.objectStore('measurements');
          let count = 0;
          const cursor = store.openCursor();
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (!c) return;
            if (String(c.key).includes('|2d|')) {
              const m = c.value as { timings: { name: string; sampleMs: number | null; trainMs: number | null; estimateMs: number | null; note: string | null }[] };
              for (const t of m.timings) if (t.name === 'cpu') Object.assign(t, { sampleMs: 0.1, trainMs: 0.1, estimateMs: null, note: null });
              c.update(m);
              count++;
            }
            c.continue();
          };
          tx.oncomplete = () => resolve(count);
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  expect(rewritten).toBe(1);
  await page.reload();
  await expect(measured).toHaveAttribute('data-state', 'cached', { timeout: 60_000 });
  await expect(page.getByTestId('active-backend')).toHaveText('cpu');
  await expect(measured.locator('summary')).toContainText(/^cpu chosen: 0\.2 ms\/step vs wasm [\d.]+ m?s\/step, measured .* \(cached\)/);
  expect(await openDetails(page)).toContain('Switched from wasm; the loaded networks\' weights moved with it.');
  // The shipped network, moved to cpu, samples there.
  await page.getByTestId('sample-button').click();
  await expect(page.getByTestId('run-info')).toContainText('sampled on cpu', { timeout: 120_000 });
  await expect(page.getByTestId('error-box'), lines.join('\n')).toHaveCount(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/2d-switched-to-cpu-1280x720.png` });
});

test('?backend=cpu stays on cpu and measures nothing', async ({ page }) => {
  const lines = watchConsole(page);
  await page.goto('/?backend=cpu&samples=200&steps=20');
  await waitForTrajectory(page, lines, undefined, 200_000);
  // Longer than the measurement's fallback start (10 s after the engine started): no measurement begins.
  const began = await page.getByTestId('backend-measuring').waitFor({ timeout: 13_000 }).then(() => true, () => false);
  expect(began).toBe(false);
  await expect(page.getByTestId('active-backend')).toHaveText('cpu');
  await expect(page.getByTestId('backend-measured')).toHaveCount(0);
  await expect(page.getByTestId('backend-measuring')).toHaveCount(0);
});
