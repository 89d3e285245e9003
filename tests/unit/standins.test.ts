/**
 * The closed-form stand-in network of the first page: the Bayes-optimal denoiser for a fixed point set must match a
 * float64 reference of E[x | mu] under p_F(mu | x; t) = N(gamma x, gamma (1 - gamma) I), and the sampler driven by it
 * must put every sample on one of the points.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as bfn from '../../src/bfn';
import { eightGaussiansCentres, optimalDenoiser, twoMoonsPoints } from '../../src/nets/standins';
import { NODE_BACKENDS, useBackend } from '../backends';

function referenceXHat(mu: [number, number], t: number, points: Float32Array, sigma1: number): [number, number] {
  const tc = Math.max(t, 1e-6);
  const gamma = bfn.ctsGamma(tc, sigma1);
  const J = points.length / 2;
  const logits = Array.from({ length: J }, (_, j) => -((mu[0] - gamma * points[2 * j]!) ** 2 + (mu[1] - gamma * points[2 * j + 1]!) ** 2) / (2 * gamma * (1 - gamma)));
  const m = Math.max(...logits);
  const w = logits.map((l) => Math.exp(l - m));
  const z = w.reduce((a, b) => a + b, 0);
  return [0, 1].map((d) => w.reduce((s, wj, j) => s + wj * points[2 * j + d]!, 0) / z) as [number, number];
}

describe.each(NODE_BACKENDS)('optimal denoiser stand-in on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  test.each([
    ['eight Gaussians', eightGaussiansCentres()],
    ['two moons', twoMoonsPoints()],
  ])('%s: x_hat matches the float64 posterior mean', async (_name, points) => {
    const sigma1 = 0.02;
    const net = optimalDenoiser(points, sigma1);
    const mus: [number, number][] = [[0, 0], [0.3, -0.2], [-0.7, 0.6], [0.05, 0.01]];
    for (const t of [1e-6, 1e-3, 0.05, 0.3, 0.7, 0.95]) {
      const mu = tf.tensor2d(mus);
      const tt = tf.fill([mus.length, 1], t);
      const xHat = bfn.ctsXHatFromEps(mu, net(mu, tt), tt, sigma1, false);
      const got = await xHat.data();
      mus.forEach((m, r) => {
        const ref = referenceXHat(m, t, points, sigma1);
        // x_hat = mu/gamma - B eps_hat: at tiny t the float32 round trip through eps_hat costs ~1e-7 |mu| / gamma.
        const tol = 5e-4 + 1e-6 * Math.max(Math.abs(m[0]), Math.abs(m[1])) / bfn.ctsGamma(Math.max(t, 1e-6), sigma1);
        expect(Math.abs(got[2 * r]! - ref[0]), `t=${t} mu=${m} x`).toBeLessThan(tol);
        expect(Math.abs(got[2 * r + 1]! - ref[1]), `t=${t} mu=${m} y`).toBeLessThan(tol);
      });
      tf.dispose([mu, tt, xHat]);
    }
  });

  test('sampling with it lands every point within 0.05 of a data point, and leaks nothing', async () => {
    const points = eightGaussiansCentres();
    const before = tf.memory().numTensors;
    const { samples } = await bfn.sample({ kind: 'continuous', sigma1: 0.02 }, optimalDenoiser(points, 0.02), [300, 2], { n: 50, noise: bfn.seededNoise(3) });
    expect(tf.memory().numTensors).toBe(before);
    for (let k = 0; k < 300; k++) {
      let best = Infinity;
      for (let j = 0; j < 8; j++) best = Math.min(best, Math.hypot(samples[2 * k]! - points[2 * j]!, samples[2 * k + 1]! - points[2 * j + 1]!));
      expect(best).toBeLessThan(0.05);
    }
  });
});
