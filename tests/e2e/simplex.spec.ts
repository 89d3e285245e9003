/**
 * The K = 3 simplex view in Chromium against the built app, on each backend: the heat map of p_F(theta | x; t) read from
 * the page sums to 1 within its stated tolerance (1e-3) and its mean matches E[theta] by Gauss-Hermite quadrature
 * (tests/lib/simplexQuadrature.ts) at that t; the sampled heat map (the core flow sampler on that backend) agrees with
 * the exact one within its sampling noise; the t scrubber moves the heat map and the paths; the colour legend is there;
 * and the shipped toy model's samples obey x_3 = (x_1 + x_2) mod 3 at a rate consistent with its card.
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
    await expect(page.getByTestId('simplex-heatmap')).toHaveAttribute('data-method', 'sampled', { timeout: 60_000 });
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
