/**
 * What the MNIST view downloads before its first frame, in Chromium against the built app (cold cache): the bytes of
 * every response the page and its worker received until the first sampled frame is drawn (the step readout leaves
 * '—'), at most 5 MB; the shipped weights come quantized (models/mnist-binary/model.json's manifest) and the 10,000
 * test images only after that frame. The list of responses is printed, largest first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

test('the MNIST view needs at most 5 MB before its first frame; the test images load after it', async ({ page }) => {
  const responses: { url: string; bytes: number; at: number }[] = [];
  page.on('requestfinished', (request) => {
    // When the response ended, in ms since the epoch (the request's own timing, not when this event arrived).
    const { startTime, responseEnd } = request.timing();
    void request.sizes().then(
      (s) => responses.push({ url: request.url(), bytes: s.responseBodySize + s.responseHeadersSize, at: startTime + responseEnd }),
      () => undefined,
    );
  });
  // The first frame: the moment the step readout first shows a step, stamped in the page as it changes.
  await page.addInitScript(() => {
    const w = window as unknown as { firstFrameAt: number | null };
    w.firstFrameAt = null;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="mnist-readout-step"]')?.textContent;
      if (w.firstFrameAt === null && text && text !== '—') w.firstFrameAt = Date.now();
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const started = Date.now();
  await page.goto('/?view=mnist&backend=wasm');
  await expect(page.getByTestId('mnist-readout-step')).not.toHaveText('—', { timeout: 120_000 });
  const firstFrame = (await page.evaluate(() => (window as unknown as { firstFrameAt: number | null }).firstFrameAt))!;
  expect(firstFrame).toBeGreaterThan(started);
  await expect(page.getByTestId('mnist-status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await expect.poll(() => responses.some((r) => r.url.includes('t10k-images')), { timeout: 60_000 }).toBe(true);
  const before = responses.filter((r) => r.at <= firstFrame).sort((a, b) => b.bytes - a.bytes);
  const total = before.reduce((s, r) => s + r.bytes, 0);
  const mb = (b: number) => (b / 1e6).toFixed(3);
  console.log(`MNIST view: ${mb(total)} MB in ${before.length} responses before its first frame (${((firstFrame - started) / 1000).toFixed(1)} s after navigation):\n${before.slice(0, 12).map((r) => `  ${mb(r.bytes)} MB  ${new URL(r.url).pathname}`).join('\n')}`);
  const manifest = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'models', 'mnist-binary', 'model.json'), 'utf8')) as { weightsManifest: { weights: { quantization?: { dtype: string } }[] }[] }).weightsManifest[0]!.weights;
  expect(manifest.every((w) => w.quantization?.dtype === 'uint8')).toBe(true);
  expect(before.some((r) => /\/assets\/weights-.*\.bin$/.test(r.url))).toBe(true);
  expect(before.filter((r) => r.url.includes('t10k-images'))).toEqual([]);
  expect(total).toBeLessThanOrEqual(5e6);
});
