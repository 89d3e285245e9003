/**
 * The scalar schedule quantities and expected input entropies that the Learn view plots (src/bfn/schedules.ts,
 * src/bfn/inputEntropy.ts), against closed forms worked out by hand and a float64 quadrature.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ctsFlowMoments, ctsInputPrecision, ctsLossInfWeight, discreteLossInfWeight } from '../../src/bfn/schedules';
import { ctsInputEntropy, discreteInputEntropy } from '../../src/bfn/inputEntropy';
import { seededNoise } from '../../src/bfn/noise';
import { NODE_BACKENDS, useBackend } from '../backends';

describe('continuous schedule quantities', () => {
  it('rho(t) = sigma1^(-2t): 0.02^(-1) = 50 at t = 1/2, 1 at t = 0', () => {
    expect(ctsInputPrecision(0.5, 0.02)).toBeCloseTo(50, 10);
    expect(ctsInputPrecision(0, 0.02)).toBe(1);
  });

  it('p_F(mu | x; t) has mean gamma x and variance gamma (1 - gamma), gamma = 1 - sigma1^(2t)', () => {
    // sigma1 = 0.1, t = 0.5: gamma = 1 - 0.1 = 0.9, mean 0.9 x, sd sqrt(0.9 * 0.1) = 0.3.
    const m = ctsFlowMoments(0.5, 0.5, 0.1);
    expect(m.gamma).toBeCloseTo(0.9, 12);
    expect(m.mean).toBeCloseTo(0.45, 12);
    expect(m.std).toBeCloseTo(0.3, 12);
    // Near t = 1 with a small sigma1 the variance keeps its relative precision: gamma sigma1^2 = (1 - 1e-6) 1e-6.
    expect(ctsFlowMoments(1, 1, 1e-3).std / Math.sqrt((1 - 1e-6) * 1e-6) - 1).toBeLessThan(1e-12);
    const start = ctsFlowMoments(1, 0, 0.02);
    expect([Math.abs(start.gamma), Math.abs(start.mean), start.std]).toEqual([0, 0, 0]);
  });

  it('the L^inf weight is -ln(sigma1) sigma1^(-2t) (eq. 101)', () => {
    // sigma1 = e^-1: -ln sigma1 = 1 and sigma1^(-2t) = e^(2t).
    expect(ctsLossInfWeight(0.25, Math.exp(-1))).toBeCloseTo(Math.exp(0.5), 12);
    expect(ctsLossInfWeight(0, 0.02)).toBeCloseTo(-Math.log(0.02), 12);
  });

  it('the input entropy is ln(2 pi e) / 2 + t ln sigma1', () => {
    // 0.5 ln(2 pi e) = 1.4189385332046727; 0.5 ln 0.02 = -1.9560115027140728.
    expect(ctsInputEntropy(0.5, 0.02)).toBeCloseTo(1.4189385332046727 - 1.9560115027140728, 12);
    expect(ctsInputEntropy(0, 0.3)).toBeCloseTo(1.4189385332046727, 12);
  });
});

describe('discrete schedule quantities', () => {
  it('the L^inf weight is K beta1 t (eq. 205)', () => {
    expect(discreteLossInfWeight(0.5, 3, 4)).toBeCloseTo(6, 12);
    expect(() => discreteLossInfWeight(0.5, 3, 1)).toThrow(RangeError);
  });
});

/**
 * E[H] for K = 2 by quadrature: theta_0 = sigmoid(d) with d = y_0 - y_1 ~ N(2 beta, 4 beta) for x = 0
 * (y ~ N(beta (K e_x - 1), beta K I)), H = binary entropy. Trapezoid rule over mean +- 12 sd, 20001 points, float64.
 */
function binaryEntropyByQuadrature(beta: number): number {
  const mean = 2 * beta;
  const sd = Math.sqrt(4 * beta);
  const N = 20001;
  let sum = 0;
  for (let k = 0; k < N; k++) {
    const d = mean - 12 * sd + (24 * sd * k) / (N - 1);
    const p = 1 / (1 + Math.exp(-d));
    const h = (p > 0 ? -p * Math.log(p) : 0) + (p < 1 ? -(1 - p) * Math.log(1 - p) : 0);
    const w = Math.exp(-0.5 * ((d - mean) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
    sum += (k === 0 || k === N - 1 ? 0.5 : 1) * h * w;
  }
  return (sum * 24 * sd) / (N - 1);
}

for (const backend of NODE_BACKENDS) {
  describe(`discrete expected input entropy on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    it('is ln K at t = 0 and agrees with a quadrature for K = 2 within 4 standard errors', async () => {
      const beta1 = 3;
      const ts = [0, 0.3, 0.6, 1];
      const est = discreteInputEntropy(ts, 2, beta1, 4000, seededNoise(11));
      const mean = await est.mean.data();
      const se = await est.se.data();
      tf.dispose([est.mean, est.se]);
      // float32 sums of 4000 values: within 5e-5 of ln 2.
      expect(mean[0]).toBeCloseTo(Math.log(2), 4);
      for (let k = 1; k < ts.length; k++) {
        const t = Math.min(ts[k]!, 1 - 1e-6);
        const ref = binaryEntropyByQuadrature(beta1 * t * t);
        expect(se[k]!).toBeGreaterThan(0);
        expect(Math.abs(mean[k]! - ref)).toBeLessThan(4 * se[k]!);
      }
    });

    it('is ln K at t = 0 for K = 27 and falls with t', async () => {
      const est = discreteInputEntropy([0, 0.5, 1], 27, 0.5625, 500, seededNoise(3));
      const mean = await est.mean.data();
      tf.dispose([est.mean, est.se]);
      expect(mean[0]).toBeCloseTo(Math.log(27), 4);
      expect(mean[1]!).toBeLessThan(mean[0]!);
      expect(mean[2]!).toBeLessThan(mean[1]!);
    });
  });
}
