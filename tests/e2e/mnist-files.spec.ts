/**
 * The MNIST view's model files in Chromium against the built app. What it downloads before its first frame (cold
 * cache): the bytes of every response the page and its worker received until the first sampled frame is drawn (the
 * step readout leaves '—'), at most 5 MB; the shipped weights come quantized (models/mnist-binary/model.json's
 * manifest) and the 10,000 test images only after that frame; the list of responses is printed, largest first. And a
 * float32 model file, as every download was before quantization and still is, loads and samples digits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const MODEL_DIR = join(import.meta.dirname, '..', '..', 'models', 'mnist-binary');

/** A manifest entry of model.json. */
interface Entry {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: { dtype: 'uint8'; scale: number; min: number };
}

test('the MNIST view needs at most 5 MB before its first live frame (its recorded opening far less before its first frame); the test images load after it', async ({ page }) => {
  const responses: { url: string; bytes: number; at: number }[] = [];
  page.on('requestfinished', (request) => {
    // When the response ended, in ms since the epoch (the request's own timing, not when this event arrived).
    const { startTime, responseEnd } = request.timing();
    void request.sizes().then(
      (s) => responses.push({ url: request.url(), bytes: s.responseBodySize + s.responseHeadersSize, at: startTime + responseEnd }),
      () => undefined,
    );
  });
  // The first frame: the moment the step readout first shows a step; the first live frame: the first time it does
  // while the status line no longer says that the recorded opening plays. Stamped in the page as they change.
  await page.addInitScript(() => {
    const w = window as unknown as { firstFrameAt: number | null; firstLiveAt: number | null };
    w.firstFrameAt = null;
    w.firstLiveAt = null;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="mnist-readout-step"]')?.textContent;
      if (!text || text === '—') return;
      w.firstFrameAt ??= Date.now();
      if (!document.querySelector('[data-testid="mnist-status"]')?.textContent?.startsWith('Recorded:')) w.firstLiveAt ??= Date.now();
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const started = Date.now();
  await page.goto('/?view=mnist&backend=wasm');
  await expect(page.getByTestId('mnist-readout-step')).not.toHaveText('—', { timeout: 120_000 });
  await expect(page.getByTestId('mnist-status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  const { firstFrameAt, firstLiveAt } = await page.evaluate(() => {
    const w = window as unknown as { firstFrameAt: number; firstLiveAt: number };
    return { firstFrameAt: w.firstFrameAt, firstLiveAt: w.firstLiveAt };
  });
  expect(firstFrameAt).toBeGreaterThan(started);
  expect(firstLiveAt).toBeGreaterThanOrEqual(firstFrameAt);
  await expect.poll(() => responses.some((r) => r.url.includes('t10k-images')), { timeout: 60_000 }).toBe(true);
  // The first frame is the recorded opening's (src/engine/opening.ts), which came before it.
  expect(responses.some((r) => r.at <= firstFrameAt && /\/assets\/opening-.*\.bin$/.test(r.url))).toBe(true);
  const firstFrame = firstLiveAt;
  const before = responses.filter((r) => r.at <= firstFrame).sort((a, b) => b.bytes - a.bytes);
  const total = before.reduce((s, r) => s + r.bytes, 0);
  const mb = (b: number) => (b / 1e6).toFixed(3);
  console.log(`MNIST view: ${mb(total)} MB in ${before.length} responses before its first frame (${((firstFrame - started) / 1000).toFixed(1)} s after navigation):\n${before.slice(0, 12).map((r) => `  ${mb(r.bytes)} MB  ${new URL(r.url).pathname}`).join('\n')}`);
  const manifest = (JSON.parse(readFileSync(join(MODEL_DIR, 'model.json'), 'utf8')) as { weightsManifest: { weights: Entry[] }[] }).weightsManifest[0]!.weights;
  expect(manifest.every((w) => w.quantization?.dtype === 'uint8')).toBe(true);
  expect(before.some((r) => /\/assets\/weights-.*\.bin$/.test(r.url))).toBe(true);
  expect(before.filter((r) => r.url.includes('t10k-images'))).toEqual([]);
  expect(total).toBeLessThanOrEqual(5e6);
  // The model panel says how the weights are stored, and that its NLL was measured on them.
  await expect(page.getByTestId('mnist-card-weights')).toContainText('uint8 codes (per-tensor scale and offset), 3.81 MB; the test NLL above was measured on these weights');
});

test('a float32 model file (model.json, weights.bin, card.json as downloads are written) loads and samples digits like the data', async ({ page }) => {
  // The shipped weights decoded to float32 by TF.js's rule (code * scale + min) and written as TF.js writes float32.
  const modelJson = JSON.parse(readFileSync(join(MODEL_DIR, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[]; weights: Entry[] }[] };
  const codes = readFileSync(join(MODEL_DIR, 'weights.bin'));
  const entries = modelJson.weightsManifest[0]!.weights;
  const floats = new Float32Array(codes.length);
  let offset = 0;
  for (const entry of entries) {
    const { scale, min } = entry.quantization!;
    const size = entry.shape.reduce((a, b) => a * b, 1);
    for (let k = offset; k < offset + size; k++) floats[k] = codes[k]! * scale + min;
    offset += size;
    delete entry.quantization;
  }
  expect(offset).toBe(codes.length);
  const card = JSON.parse(readFileSync(join(MODEL_DIR, 'card.json'), 'utf8')) as Record<string, unknown>;
  delete card.weights;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?view=mnist&backend=wasm');
  await expect(page.getByTestId('mnist-status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await page.getByTestId('mnist-load-model').setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(modelJson)) },
    { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(floats.buffer) },
    { name: 'card.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(card)) },
  ]);
  await expect(page.getByTestId('mnist-source-select')).toHaveValue('file', { timeout: 60_000 });
  await expect(page.getByTestId('mnist-model-error')).toHaveCount(0);
  await expect(page.getByTestId('mnist-status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  const attr = async (name: string) => Number(await page.getByTestId('mnist-mean-pixel').getAttribute(name));
  await expect.poll(() => attr('data-data'), { timeout: 60_000 }).toBeGreaterThan(0.12);
  expect(Math.abs((await attr('data-samples')) - (await attr('data-data')))).toBeLessThan(0.05);
  expect(errors).toEqual([]);
});
