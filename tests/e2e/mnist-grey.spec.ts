/**
 * The grey-scale MNIST view in Chromium against the built app: on every backend (wasm, WebGL, WebGPU and cpu) the
 * shipped model samples on first load, every sampled pixel value read back from the page is exactly
 * one of the K = 16 bin centres k_c = (2k + 1)/K - 1 (computed here), and a chosen pixel's K bars sum to 1. On wasm,
 * hovering a pixel changes the bars' pixel, scrubbing to t = 0 shows the prior (mu = 0 everywhere, rho = 1), and
 * screenshots are taken at 1280 x 720 and 390 x 844 (test-results/mnist-grey-*.png).
 */
import { expect, test, type Page } from '@playwright/test';

const K = 16;
/** The bin centres as float32 numbers, as the worker's samples hold them. */
const CENTRES = Array.from({ length: K }, (_, k) => Math.fround((2 * k + 1) / K - 1));

async function sampledValues(page: Page): Promise<number[]> {
  const text = await page.getByTestId('grey-sample-grid').getAttribute('data-values');
  if (!text) throw new Error('the sample grid has no data-values');
  return text.split(',').map(Number);
}

async function barsSum(page: Page): Promise<number> {
  await expect(page.getByTestId('grey-bars')).not.toHaveAttribute('data-sum', '');
  const probs = (await page.getByTestId('grey-bars').getAttribute('data-probs'))!.split(',').map(Number);
  expect(probs).toHaveLength(K);
  for (const p of probs) expect(p).toBeGreaterThanOrEqual(0);
  return probs.reduce((a, b) => a + b, 0);
}

for (const backend of ['wasm', 'webgl', 'webgpu', 'cpu'] as const) {
  test(`the shipped model samples on first load on ${backend}: every pixel at a bin centre, the bars sum to 1`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The default run (16 digits, n = 100) on wasm; small runs on the emulated GPUs (SwiftShader) and plain JS: 4 digits with n = 5.
    const size = backend === 'wasm' ? '' : '&greyImages=4&greySteps=5';
    await page.goto(`/?view=mnist-grey&backend=${backend}${size}`);
    await expect(page.getByTestId('grey-status')).toHaveAttribute('data-state', 'ready', { timeout: 200_000 });
    await expect(page.getByTestId('grey-status')).toContainText(`sampled on ${backend}`);
    const values = await sampledValues(page);
    expect(values).toHaveLength((backend === 'wasm' ? 16 : 4) * 784);
    const off = values.filter((v) => !CENTRES.includes(v));
    expect(off).toEqual([]);
    if (backend === 'wasm') {
      // With n = 100, digits: a dark background and some light strokes (the quantised test digits: about 0.13 of the
      // pixels lie above mid-grey). With n = 5 the shipped model's samples are mostly light, so only the bins are checked there.
      const light = values.filter((v) => v > 0).length / values.length;
      expect(light).toBeGreaterThan(0.05);
      expect(light).toBeLessThan(0.35);
    }
    expect(Math.abs((await barsSum(page)) - 1)).toBeLessThan(1e-4);
    expect(errors).toEqual([]);
  });
}

test('hover and keyboard choose a pixel, scrubbing to t = 0 shows the prior, and the view fits 1280 x 720 and 390 x 844', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?view=mnist-grey&backend=wasm&greyImages=9');
  await expect(page.getByTestId('grey-status')).toHaveAttribute('data-state', 'ready', { timeout: 200_000 });
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 60_000 });
  await expect(page.getByTestId('grey-test-grid')).not.toHaveAttribute('data-mean', '');

  // Keyboard: the pixel fields choose image 2, row 10, column 12.
  await page.getByTestId('grey-pixel-image').fill('2');
  await page.getByTestId('grey-pixel-row').fill('10');
  await page.getByTestId('grey-pixel-column').fill('12');
  await expect(page.getByRole('heading', { name: /image 2, row 10, column 12/ })).toBeVisible();
  expect(Math.abs((await barsSum(page)) - 1)).toBeLessThan(1e-4);
  await page.keyboard.press('Escape');

  // Hover: a pixel of the output grid becomes the bars' pixel.
  const box = (await page.getByTestId('grey-mean-grid').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.05, box.y + box.height * 0.05);
  await expect(page.getByRole('heading', { name: /image 1, row 5, column 5/ })).toBeVisible();
  expect(Math.abs((await barsSum(page)) - 1)).toBeLessThan(1e-4);

  await page.screenshot({ path: 'test-results/mnist-grey-1280.png', fullPage: true });
  await page.getByTestId('t-slider').fill('30');
  await expect(page.getByTestId('grey-mu-grid')).toHaveAttribute('data-frame', '30');
  await page.screenshot({ path: 'test-results/mnist-grey-1280-t03.png' });

  // t = 0: mu is the prior 0 (mid-grey 0.5 in the grid) and rho = 1.
  await page.getByTestId('t-slider').fill('0');
  await expect(page.getByTestId('grey-mu-grid')).toHaveAttribute('data-frame', '0');
  await expect(page.getByTestId('grey-mu-grid')).toHaveAttribute('data-mean', '0.5000');
  await expect(page.getByTestId('grey-readout-rho')).toHaveAttribute('data-rho', '1');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('t-slider').fill('100');
  await page.screenshot({ path: 'test-results/mnist-grey-390.png', fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(errors).toEqual([]);
});
