/**
 * The sender / receiver KL of src/bfn/senderReceiver.ts and the diffusion forward process of src/bfn/diffusion.ts
 * against computations that share nothing with them: the continuous KL by trapezoid quadrature of the two Gaussian
 * densities; the K = 2 discrete KL by quadrature over y_x - y_other (a 1-D normal); the class marginals integrate to
 * 1 with the mixture's mean; the cosine schedule at s = 0 equals cos^2(pi t / 2) at known angles; and the sample
 * variance of z - sqrt(abar) x is 1 - abar within its sampling error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { seededNoise } from '../../src/bfn';
import { ctsSenderReceiverKl, discreteClassMarginals, discreteSenderReceiverKl } from '../../src/bfn/senderReceiver';
import { diffusionAlphaBarAtBfnTime, diffusionSample, vpCosineAlphaBar } from '../../src/bfn/diffusion';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Trapezoid rule of f on [a, b] with m intervals. */
function trapezoid(f: (u: number) => number, a: number, b: number, m = 20000): number {
  const h = (b - a) / m;
  let s = 0.5 * (f(a) + f(b));
  for (let k = 1; k < m; k++) s += f(a + k * h);
  return s * h;
}
const normalPdf = (u: number, mean: number, v: number) => Math.exp(-((u - mean) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);

describe('continuous sender / receiver KL', () => {
  it('equals the quadrature of p_S ln(p_S / p_R) for N(x, 1/alpha) and N(x_hat, 1/alpha)', () => {
    for (const [x, xHat, alpha] of [[0.3, -0.2, 4], [0.9, 0.85, 120], [-0.5, 0.4, 0.7]] as const) {
      const got = tf.tidy(() => ctsSenderReceiverKl(tf.tensor1d([x]), tf.tensor1d([xHat]), alpha).dataSync()[0]!);
      const sd = 1 / Math.sqrt(alpha);
      const ref = trapezoid((u) => {
        const p = normalPdf(u, x, 1 / alpha);
        return p > 0 ? p * (Math.log(p) - Math.log(normalPdf(u, xHat, 1 / alpha))) : 0;
      }, x - 12 * sd, x + 12 * sd);
      expect(Math.abs(got - ref)).toBeLessThan(1e-5 * Math.max(1, ref));
    }
  });
  it('rejects a non-positive accuracy', () => {
    expect(() => ctsSenderReceiverKl(tf.tensor1d([0]), tf.tensor1d([0]), 0)).toThrow(/alpha/);
  });
});

describe('discrete sender / receiver KL (Monte Carlo)', () => {
  it('K = 2: agrees with the exact KL by quadrature within 4 standard errors, and the SE is sqrt(Var / S) with Var by quadrature', () => {
    for (const [alpha, p1] of [[0.8, 0.3], [3, 0.05], [0.2, 0.6]] as const) {
      // x = 0: ln p_S - ln p_R = -ln(p0 + p1 e^d), d = y_1 - y_0 ~ N(-2 alpha, 4 alpha).
      const lo = -2 * alpha - 14 * Math.sqrt(4 * alpha);
      const hi = -2 * alpha + 14 * Math.sqrt(4 * alpha);
      const r = (d: number) => -Math.log(1 - p1 + p1 * Math.exp(d));
      const exact = trapezoid((d) => r(d) * normalPdf(d, -2 * alpha, 4 * alpha), lo, hi);
      const variance = trapezoid((d) => r(d) ** 2 * normalPdf(d, -2 * alpha, 4 * alpha), lo, hi) - exact ** 2;
      const run = (S: number, seed: number) => tf.tidy(() => {
        const logProbs = tf.log(tf.tensor2d([[1 - p1, p1]]));
        const z = seededNoise(seed).normal([S, 1, 2]);
        const { kl, se } = discreteSenderReceiverKl(tf.tensor1d([0], 'int32'), logProbs, alpha, z);
        return { kl: kl.dataSync()[0]!, se: se.dataSync()[0]! };
      });
      const small = run(4000, 7);
      const large = run(16000, 8);
      expect(Math.abs(large.kl - exact)).toBeLessThan(4 * large.se);
      expect(Math.abs(small.kl - exact)).toBeLessThan(4 * small.se);
      // The SE against sqrt(Var / S) with Var by quadrature (a sample sd is within ~2 % of the truth at this S).
      expect(Math.abs(large.se / Math.sqrt(variance / 16000) - 1)).toBeLessThan(0.1);
      expect(Math.abs(small.se / Math.sqrt(variance / 4000) - 1)).toBeLessThan(0.1);
    }
  });
  it('is exactly 0 (with SE 0) when p_O puts all its mass on the true class', () => {
    const { kl, se } = tf.tidy(() => {
      const r = discreteSenderReceiverKl(tf.tensor1d([2], 'int32'), tf.log(tf.tensor2d([[1e-30, 1e-30, 1, 1e-30]])), 1.5, seededNoise(3).normal([50, 1, 4]));
      return { kl: r.kl.dataSync()[0]!, se: r.se.dataSync()[0]! };
    });
    expect(Math.abs(kl)).toBeLessThan(1e-5);
    expect(se).toBeLessThan(1e-5);
  });
  it('class marginals: both integrate to 1 and the receiver has the mixture mean', () => {
    const K = 27;
    const alpha = 0.05;
    const pX = 0.35;
    const sd = Math.sqrt(alpha * K);
    const lo = -alpha - 10 * sd;
    const hi = alpha * (K - 1) + 10 * sd;
    const m = 4001;
    const grid = Array.from({ length: m }, (_, k) => lo + ((hi - lo) * k) / (m - 1));
    const { s, r } = tf.tidy(() => {
      const d = discreteClassMarginals(tf.tensor1d(grid), pX, alpha, K);
      return { s: Array.from(d.sender.dataSync()), r: Array.from(d.receiver.dataSync()) };
    });
    const h = (hi - lo) / (m - 1);
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0) * h;
    expect(Math.abs(sum(s) - 1)).toBeLessThan(1e-3);
    expect(Math.abs(sum(r) - 1)).toBeLessThan(1e-3);
    const mean = r.reduce((a, v, k) => a + v * grid[k]!, 0) * h;
    expect(Math.abs(mean - (pX * alpha * (K - 1) - (1 - pX) * alpha))).toBeLessThan(1e-3);
  });
});

describe('diffusion forward process', () => {
  it('cosine schedule: 1 at t = 0, 0 at t = 1, cos^2(pi t / 2) when s = 0, decreasing', () => {
    expect(vpCosineAlphaBar(0)).toBeCloseTo(1, 12);
    expect(vpCosineAlphaBar(1)).toBeLessThan(1e-12);
    expect(vpCosineAlphaBar(0.5, 0)).toBeCloseTo(0.5, 12);
    expect(vpCosineAlphaBar(1 / 3, 0)).toBeCloseTo(0.75, 12);
    for (let k = 0; k < 20; k++) expect(vpCosineAlphaBar((k + 1) / 20)).toBeLessThan(vpCosineAlphaBar(k / 20));
    expect(() => vpCosineAlphaBar(1.2)).toThrow(RangeError);
  });
  it('at BFN time t: the cosine schedule runs backwards; the matched one is 1 - sigma1^(2t)', () => {
    expect(diffusionAlphaBarAtBfnTime(0.25, 'cosine', 0.02)).toBeCloseTo(vpCosineAlphaBar(0.75), 12);
    expect(diffusionAlphaBarAtBfnTime(0.5, 'matched', 0.1)).toBeCloseTo(0.9, 12);
    expect(diffusionAlphaBarAtBfnTime(0, 'matched', 0.1)).toBe(0);
  });
  it('z - sqrt(abar) x has variance 1 - abar (within 4 SE of a sample variance)', () => {
    const N = 20000;
    const abar = 0.3;
    const v = tf.tidy(() => {
      const x = tf.linspace(-1, 1, N);
      const z = diffusionSample(x, abar, seededNoise(11));
      return tf.moments(tf.sub(z, tf.mul(x, Math.sqrt(abar)))).variance.dataSync()[0]!;
    });
    const expected = 1 - abar;
    expect(Math.abs(v - expected)).toBeLessThan(4 * expected * Math.sqrt(2 / (N - 1)));
  });
});
