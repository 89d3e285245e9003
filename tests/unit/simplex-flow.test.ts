/**
 * The K = 3 Bayesian flow distribution on the simplex (src/bfn/simplexFlow.ts) against computations that share nothing
 * with it: the density integrates to 1 in other coordinates (stick-breaking with logistic axes, so its Jacobian is
 * not the one the density uses), its mean matches E[softmax(y)] by Gauss-Hermite quadrature over the three independent
 * normals of y, the heat map's cells sum to 1 and have that mean, and a heat map binned from the core's own flow
 * sampler (src/bfn/discrete.ts discreteFlowSample) agrees with the exact one within its sampling noise.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { discreteFlowSample, seededNoise } from '../../src/bfn';
import {
  binSimplexPoints, heatmapMean, simplexFlowBeta, simplexFlowDensity, simplexFlowHeatmap, simplexGrid,
} from '../../src/bfn/simplexFlow';
import { meanByGaussHermite } from '../lib/simplexQuadrature';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * The integral of the density and its mean in stick-breaking coordinates with logistic axes: theta_0 = a,
 * theta_1 = (1 - a) b, a = sigmoid(s), b = sigmoid(r), d theta = (1 - a) a (1 - a) b (1 - b) ds dr; a trapezoid rule
 * on s, r in [-L, L] (spectrally accurate for integrands that decay at both ends).
 */
function integrateDensity(x: number, beta: number, L = 90, h = 0.06): { total: number; mean: number[] } {
  let total = 0;
  const mean = [0, 0, 0];
  for (let s = -L; s <= L; s += h) {
    // 1 - sigmoid(s) = sigmoid(-s), without the cancellation that would lose the far tails.
    const a = 1 / (1 + Math.exp(-s));
    const notA = 1 / (1 + Math.exp(s));
    const ja = notA * a * notA;
    for (let r = -L; r <= L; r += h) {
      const b = 1 / (1 + Math.exp(-r));
      const notB = 1 / (1 + Math.exp(r));
      const t0 = a;
      const t1 = notA * b;
      const t2 = notA * notB;
      if (!(t0 > 0 && t1 > 0 && t2 > 0)) continue;
      const w = simplexFlowDensity(t0, t1, t2, x, beta) * ja * b * notB * h * h;
      total += w;
      mean[0]! += w * t0;
      mean[1]! += w * t1;
      mean[2]! += w * t2;
    }
  }
  return { total, mean: mean.map((m) => m / total) };
}

// (x, beta1, t): t near 0, middle, near 1, with the paper's text8 beta1 (0.5625), a moderate and a large one.
const CASES: [number, number, number][] = [[0, 3, 0.05], [1, 0.5625, 0.5], [2, 3, 0.5], [0, 3, 0.99], [1, 9, 0.95]];

describe('the exact density of p_F on the K = 3 simplex', () => {
  it.each(CASES)('x = %i, beta1 = %f, t = %f: integrates to 1 within 1e-6 and its mean is E[softmax(y)] within 1e-6', (x, beta1, t) => {
    const beta = simplexFlowBeta(t, beta1);
    const { total, mean } = integrateDensity(x, beta);
    expect(Math.abs(total - 1)).toBeLessThan(1e-6);
    const gh = meanByGaussHermite(x, beta);
    for (let k = 0; k < 3; k++) expect(Math.abs(mean[k]! - gh[k]!)).toBeLessThan(1e-6);
    // The class x gains probability on average, the others lose it.
    expect(gh[x]!).toBeGreaterThan(1 / 3);
  });

  it('the Gauss-Hermite mean itself agrees with a seeded Monte-Carlo estimate of E[softmax(y)] within 4 standard errors', () => {
    const beta = simplexFlowBeta(0.7, 3);
    const gh = meanByGaussHermite(1, beta);
    const theta = tf.tidy(() => discreteFlowSample(tf.fill([200_000], 1, 'int32'), tf.fill([200_000], 0.7), 3, 3, seededNoise(5)));
    const values = theta.dataSync();
    theta.dispose();
    for (let k = 0; k < 3; k++) {
      let s = 0;
      let s2 = 0;
      for (let p = 0; p < 200_000; p++) {
        s += values[3 * p + k]!;
        s2 += values[3 * p + k]! ** 2;
      }
      const m = s / 200_000;
      const se = Math.sqrt((s2 / 200_000 - m * m) / 200_000);
      expect(Math.abs(m - gh[k]!)).toBeLessThan(4 * se);
    }
  });

  it('beta follows beta1 t^2 with the official clamp and uniform fallback', () => {
    expect(simplexFlowBeta(0.5, 3)).toBeCloseTo(0.75, 14);
    expect(simplexFlowBeta(1, 4)).toBeCloseTo(4 * (1 - 1e-6) ** 2, 14);
    expect(simplexFlowBeta(1e-12, 1)).toBe(0);
    expect(() => simplexFlowBeta(1.5, 1)).toThrow(RangeError);
  });
});

describe('the heat map of p_F', () => {
  const grid = simplexGrid(40);

  it('the grid has G^2 cells of equal area whose centroids it maps back to themselves', () => {
    expect(grid.cells).toBe(1600);
    for (let k = 0; k < grid.cells; k++) expect(grid.cellOf(grid.centroids[2 * k]!, grid.centroids[2 * k + 1]!)).toBe(k);
  });

  it.each([...CASES, [2, 1, 0] as [number, number, number]])('x = %i, beta1 = %f, t = %f: cells sum to 1 within 1e-3 and their mean is E[theta] within 1e-3', (x, beta1, t) => {
    const beta = simplexFlowBeta(t, beta1);
    const { mean, total } = heatmapMean(simplexFlowHeatmap(x, beta, grid));
    expect(Math.abs(total - 1)).toBeLessThan(1e-3);
    const expected = meanByGaussHermite(x, beta, 40);
    for (let k = 0; k < 3; k++) expect(Math.abs(mean[k]! - expected[k]!)).toBeLessThan(1e-3);
  });

  it.each([[0, 3, 0.3], [2, 3, 0.8], [1, 9, 0.98]])('x = %i, beta1 = %f, t = %f: 100,000 samples of the core flow sampler bin to the exact heat map within their sampling noise', (x, beta1, t) => {
    const P = 100_000;
    const theta = tf.tidy(() => discreteFlowSample(tf.fill([P], x, 'int32'), tf.fill([P], t), 3, beta1, seededNoise(11)));
    const sampled = binSimplexPoints(theta.dataSync(), grid).masses;
    theta.dispose();
    const exact = simplexFlowHeatmap(x, simplexFlowBeta(t, beta1), grid).masses;
    let tv = 0;
    // E|f - p| ~ sqrt(2 / pi) sqrt(p (1 - p) / P) for a multinomial frequency f: the expected total variation.
    let expectedTv = 0;
    for (let k = 0; k < grid.cells; k++) {
      tv += 0.5 * Math.abs(sampled[k]! - exact[k]!);
      expectedTv += 0.5 * Math.sqrt((2 / Math.PI) * (exact[k]! * (1 - exact[k]!)) / P);
    }
    expect(tv).toBeLessThan(1.3 * expectedTv + 0.002);
  });
});
