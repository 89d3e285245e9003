/**
 * The K = 3 simplex view in Chromium against the built app, on each backend: the heat map of p_F(theta | x; t) read from
 * the page sums to 1 within its stated tolerance (1e-3) and its mean matches E[theta] by Gauss-Hermite quadrature
 * (tests/lib/simplexQuadrature.ts) at that t; the sampled heat map (the core flow sampler on that backend) agrees with
 * the exact one within its sampling noise; the t scrubber moves the heat map and the paths; the colour legend is there;
 * and the shipped toy model's samples obey x_3 = (x_1 + x_2) mod 3 at a rate consistent with its card. On wasm: a link
 * over the worker's limit on samples x (n + 1) starts no run and says what to lower; typing a multi-digit n starts one run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { meanByGaussHermite } from '../lib/simplexQuadrature';

const card = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'models', 'simplex', 'card.json'), 'utf8')) as {
  evaluation: { ruleShare: { value: number; se: number }; steps: number };
};

interface Heat {
  masses: number[];
  moments: number[];
  t: number;
  x: number;
  beta1: number;
  method: string;
}

async function readHeat(page: Page): Promise<Heat> {
  const fig = page.getByTestId('simplex-heatmap');
  await expect(fig).toHaveAttribute('data-ready', 'yes', { timeout: 120_000 });
  const attr = async (name: string) => (await fig.getAttribute(name))!;
  return {
    masses: JSON.parse(await attr('data-masses')) as number[], moments: JSON.parse(await attr('data-moments')) as number[],
    t: Number(await attr('data-t')), x: Number(await attr('data-x')), beta1: Number(await attr('data-beta1')), method: await attr('data-method'),
  };
}

function checkExact(heat: Heat): void {
  const total = heat.masses.reduce((a, b) => a + b, 0);
  expect(Math.abs(total - 1)).toBeLessThan(1e-3);
  let m0 = 0;
  let m1 = 0;
  heat.moments.forEach((v, k) => (k % 2 ? (m1 += v) : (m0 += v)));
  const mean = [m0 / total, m1 / total, 1 - (m0 + m1) / total];
  const tc = Math.min(heat.t, 1 - 1e-6);
  const expected = meanByGaussHermite(heat.x, heat.beta1 * tc * tc, 40);
  for (let k = 0; k < 3; k++) expect(Math.abs(mean[k]! - expected[k]!)).toBeLessThan(1e-3);
}

for (const backend of ['wasm', 'webgl', 'webgpu', 'cpu'] as const) {
  test(`simplex view on ${backend}: exact and sampled heat maps of p_F, the t scrubber, and the toy model's rule share`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`/?view=simplex&backend=${backend}&sxClass=1&sxBeta1=3&sxT=0.6&sxModelSteps=${card.evaluation.steps}&sxModelSamples=500`);
    await expect(page.getByText(`Engine running on ${backend}`, { exact: false })).toBeVisible({ timeout: 60_000 });

    const exact = await readHeat(page);
    expect([exact.x, exact.beta1, exact.t, exact.method]).toEqual([1, 3, 0.6, 'exact']);
    checkExact(exact);
    await expect(page.getByTestId('simplex-legend')).toBeVisible();

    // Scrub t to 0.95: the heat map follows (mass moves to class 2's corner), the paths are drawn to step round(0.95 n).
    await page.getByTestId('simplex-t').fill('0.95');
    await expect(page.getByTestId('simplex-heatmap')).toHaveAttribute('data-t', '0.95', { timeout: 60_000 });
    await expect(page.getByTestId('simplex-heatmap')).toHaveAttribute('data-frame', String(Math.round(0.95 * 50)));
    const late = await readHeat(page);
    checkExact(late);

    // The sampled heat map (the core flow sampler on this backend) against the exact one at t = 0.95.
    await page.getByTestId('simplex-method').selectOption('sampled');
    await page.getByTestId('simplex-samples').selectOption('200000');
    // 200,000 flow samples take 20-40 s on SwiftShader's webgpu alone, more beside another browser test: 150 s.
    await expect(page.getByTestId('simplex-heatmap')).toHaveAttribute('data-method', 'sampled', { timeout: 150_000 });
    const sampled = await readHeat(page);
    expect(sampled.t).toBe(0.95);
    let tv = 0;
    let expectedTv = 0;
    late.masses.forEach((p, k) => {
      tv += 0.5 * Math.abs(sampled.masses[k]! - p);
      expectedTv += 0.5 * Math.sqrt((2 / Math.PI) * (p * (1 - p)) / 200_000);
    });
    expect(tv).toBeLessThan(1.3 * expectedTv + 0.005);

    // The toy model: n as on the card, 500 samples; the share obeying the rule within 4 standard errors of the card's.
    await expect(page.getByTestId('simplex-model-status')).toHaveAttribute('data-state', 'ready', { timeout: 180_000 });
    const rule = page.getByTestId('simplex-rule');
    const share = Number(await rule.getAttribute('data-rule-share'));
    expect(Number(await rule.getAttribute('data-samples'))).toBe(500);
    const p = card.evaluation.ruleShare.value;
    expect(Math.abs(share - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 500) + 2 * card.evaluation.ruleShare.se);
    await expect(page.getByTestId('error-box')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
}

test('wasm: a link with model samples x (n + 1) over the worker limit samples nothing, says which value to lower and keeps both values', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // 2000 samples x 501 frames = 1,002,000 > 202,000 (SIMPLEX_LIMITS.sampleFrames): both values are valid alone.
  await page.goto('/?view=simplex&backend=wasm&sxModelSamples=2000&sxModelSteps=500');
  await expect(page.getByTestId('simplex-model-status'), errors.join('\n')).toHaveAttribute('data-state', 'idle', { timeout: 120_000 });
  const limit = page.getByTestId('simplex-model-limit');
  await expect(limit).toContainText('2,000 samples × 501 frames (n + 1) = 1,002,000');
  await expect(limit).toContainText('at most 202,000: lower the model samples or n');
  await expect(page.getByTestId('simplex-model-samples')).toHaveValue('2000');
  await expect(page.getByTestId('simplex-model-steps')).toHaveValue('500');
  await expect(page.getByTestId('error-box')).toHaveCount(0);
  // 100 samples x 501 frames fit: the message goes and the run starts.
  await page.getByTestId('simplex-model-samples').selectOption('100');
  await expect(limit).toHaveCount(0);
  await expect(page.getByTestId('simplex-model-status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('simplex-model-status')).toContainText('100 samples, n = 500');
  await expect(page.getByTestId('error-box')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('wasm: typing a multi-digit model n starts one run, for the final value', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?view=simplex&backend=wasm&sxModelSteps=5&sxModelSamples=100');
  const status = page.getByTestId('simplex-model-status');
  await expect(status, errors.join('\n')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await expect(status).toContainText('100 samples, n = 5,');
  // Every text the status shows from now on (a run that starts says 'Sampling ... with n = ...').
  await status.evaluate((el) => {
    const seen: string[] = [];
    (window as unknown as { statusSeen: string[] }).statusSeen = seen;
    new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { subtree: true, childList: true, characterData: true });
  });
  const field = page.getByTestId('simplex-model-steps');
  await field.fill('');
  await field.pressSequentially('200', { delay: 60 });
  await expect(status).toContainText('100 samples, n = 200,', { timeout: 120_000 });
  await expect(status).toHaveAttribute('data-state', 'ready');
  const seen = await page.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen);
  const started = [...new Set(seen.filter((s) => s.startsWith('Sampling')))];
  expect(started).toEqual(['Sampling 100 samples with n = 200…']);
  await expect(page.getByTestId('error-box')).toHaveCount(0);
  expect(errors).toEqual([]);
});
