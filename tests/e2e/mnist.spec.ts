/**
 * The MNIST view in Chromium against the built app: the shipped model samples 16 digits with n = 20 that
 * are neither blank nor uniform (their mean pixel is within 0.05 of the test data's), scrubbing t changes what the
 * input grid shows, a pixel's chart appears on hover, and a short training run on wasm lowers the loss.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

async function numberAttr(page: Page, testId: string, name: string): Promise<number> {
  const value = await page.getByTestId(testId).getAttribute(name);
  if (value === null) throw new Error(`${testId} has no ${name} attribute`);
  return Number(value);
}

test('the shipped model samples 16 digits with n = 20 whose mean pixel matches the data, and scrubbing t changes theta', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?view=mnist&backend=wasm');
  await expect(page.getByTestId('mnist-status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });

  await page.getByTestId('mnist-images-select').selectOption('16');
  await page.getByTestId('mnist-steps-input').fill('20');
  await page.getByTestId('mnist-steps-input').press('Enter');
  await page.getByTestId('mnist-sample-button').click();
  await expect(page.getByTestId('mnist-status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  // The run just finished with n = 20: the grids show frames of it.
  await expect(page.getByTestId('t-slider')).toHaveAttribute('max', '20');

  const samples = await numberAttr(page, 'mnist-mean-pixel', 'data-samples');
  const data = await numberAttr(page, 'mnist-mean-pixel', 'data-data');
  expect(data).toBeGreaterThan(0.12);
  expect(data).toBeLessThan(0.14);
  // Not blank (0), not uniform (every pixel on, or 1/2): the fraction of "on" pixels is the data's.
  expect(Math.abs(samples - data)).toBeLessThan(0.05);

  // The new run plays once from t = 0 to 1; scrub when it has stopped. Scrub to t = 0: theta is the prior 1/2 everywhere; at the end it is the sample's black and white.
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 30_000 });
  const slider = page.getByTestId('t-slider');
  await slider.fill('0');
  await expect(page.getByTestId('mnist-theta-grid')).toHaveAttribute('data-frame', '0');
  const thetaAtZero = await numberAttr(page, 'mnist-theta-grid', 'data-mean');
  expect(thetaAtZero).toBeCloseTo(0.5, 3);
  await slider.fill('20');
  await expect(page.getByTestId('mnist-theta-grid')).toHaveAttribute('data-frame', '20');
  const thetaAtEnd = await numberAttr(page, 'mnist-theta-grid', 'data-mean');
  expect(Math.abs(thetaAtEnd - thetaAtZero)).toBeGreaterThan(0.2);
  expect(Math.abs(thetaAtEnd - samples)).toBeLessThan(0.05);
  const sampleMean = await numberAttr(page, 'mnist-sample-grid', 'data-mean');
  expect(sampleMean).toBeCloseTo(samples, 3);

  // Hovering a pixel of the output grid draws its theta and p_O over t.
  const box = (await page.getByTestId('mnist-output-grid').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.12, box.y + box.height * 0.12);
  await expect(page.getByTestId('mnist-pixel-chart').locator('path')).not.toHaveCount(0);

  // The model panel shows the shipped model's own measured test NLL (from its card, written by npm run eval), with its SE.
  const { continuous } = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'models', 'mnist-binary', 'card.json'), 'utf8')) as { evaluation: { continuous: { value: number; se: number } } }).evaluation;
  await expect(page.getByTestId('mnist-nll-value')).toHaveText(`${continuous.value.toFixed(2)} ± ${continuous.se.toFixed(2)}`);
  expect(errors).toEqual([]);
});

test('training on wasm in the browser lowers the loss', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?view=mnist&backend=wasm');
  await expect(page.getByTestId('mnist-status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await page.getByTestId('mnist-train-start').click();
  // The training images arrive first (about 10 MB), then steps run until stopped.
  await expect.poll(() => numberAttr(page, 'mnist-train-loss', 'data-count'), { timeout: 180_000, intervals: [1000] }).toBeGreaterThanOrEqual(60);
  await page.getByTestId('mnist-train-stop').click();
  const first = await numberAttr(page, 'mnist-train-loss', 'data-early');
  const last = await numberAttr(page, 'mnist-train-loss', 'data-late');
  test.info().annotations.push({ type: 'loss', description: `first 10 steps ${first.toFixed(1)}, last 10 steps ${last.toFixed(1)} nats/image` });
  expect(Number.isFinite(first) && Number.isFinite(last)).toBe(true);
  expect(last).toBeLessThan(first * 0.8);
  await expect(page.getByTestId('mnist-train-preview')).toBeVisible({ timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('a link with invalid MNIST settings opens with the defaults and a note that names each reset setting', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?view=mnist&backend=wasm&mnistImages=17&mnistSeed=-1&mnistSampler=euler&mnistSteps=30');
  const note = page.getByTestId('mnist-url-note');
  await expect(note).toContainText('3 settings in this link were invalid and were reset');
  await expect(note).toContainText('Images (mnistImages=17) is not one of 16, 25, 36, 49, 64; reset to 16.');
  await expect(note).toContainText('Seed (mnistSeed=-1) is below the minimum 0; reset to 1.');
  await expect(note).toContainText('Sampler (mnistSampler=euler) is not one of original,');
  await expect(page.getByTestId('mnist-images-select')).toHaveValue('16');
  await expect(page.getByTestId('mnist-steps-input')).toHaveValue('30');
  await expect(page.getByTestId('mnist-seed-input')).toHaveValue('1');
  await page.getByTestId('mnist-url-note-dismiss').click();
  await expect(note).toHaveCount(0);
  expect(errors).toEqual([]);
});
