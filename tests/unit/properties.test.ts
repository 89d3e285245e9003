/**
 * Property tests of the BFN core beyond the reference vectors: additivity of Bayesian updates, the closed-form
 * moments of the Bayesian flow distributions, normalisation, finite losses and gradients at the ends of [0, 1],
 * overflow-free discrete updates, the Bernoulli tie rule, and tensor-leak freedom of the sampler and a training step.
 * Each runs on the cpu and wasm backends. Monte-Carlo comparisons allow 5 standard errors.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as bfn from '../../src/bfn';
import { toyBernoulliNet, toyCategoricalNet, toyContinuousNet, toyDiscretizedNet } from '../../src/nets/toy';
import { createMlp } from '../../src/nets/mlp';
import { NODE_BACKENDS, useBackend } from '../backends';
import { column, moments } from './stats';

const Z = 5;

function expectWithin(actual: number, expected: number, se: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected} (se ${se})`).toBeLessThanOrEqual(Z * se);
}

async function values(x: tf.Tensor): Promise<Float32Array> {
  const v = Float32Array.from(await x.data());
  x.dispose();
  return v;
}

/** A noise source whose first uniform draw is the constant `t` (the per-row times of a loss), then `inner`. */
function fixedTimeNoise(t: number, inner: bfn.NoiseSource): bfn.NoiseSource {
  let first = true;
  return {
    normal: (shape) => inner.normal(shape),
    uniform: (shape) => {
      if (first) {
        first = false;
        return tf.fill(shape, t);
      }
      return inner.uniform(shape);
    },
  };
}

describe.each(NODE_BACKENDS)('BFN core properties on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  test('continuous: updates with alpha_a then alpha_b equal one update with alpha_a + alpha_b in distribution', async () => {
    const N = 20000;
    const [x, mu0, rho0, aA, aB] = [0.4, -0.3, 2, 1.5, 6];
    const noise = bfn.seededNoise(11);
    const xs = tf.fill([N, 1], x);
    const prior = tf.fill([N, 1], mu0);
    const y1 = bfn.ctsSenderSample(xs, aA, noise);
    const s1 = bfn.ctsBayesianUpdate(prior, rho0, y1, aA);
    const y2 = bfn.ctsSenderSample(xs, aB, noise);
    const s2 = bfn.ctsBayesianUpdate(s1.mu, s1.rho, y2, aB);
    const yOne = bfn.ctsSenderSample(xs, aA + aB, noise);
    const one = bfn.ctsBayesianUpdate(prior, rho0, yOne, aA + aB);
    expect(s2.rho).toBeCloseTo(one.rho, 12);
    const rho = rho0 + aA + aB;
    const mean = (rho0 * mu0 + (aA + aB) * x) / rho;
    const variance = (aA + aB) / (rho * rho);
    for (const [label, mu] of [['two updates', s2.mu], ['one update', one.mu]] as const) {
      const m = moments(await values(tf.clone(mu)));
      expectWithin(m.mean, mean, m.seMean, `${label} mean`);
      expectWithin(m.variance, variance, m.seVariance, `${label} variance`);
    }
    tf.dispose([xs, prior, y1, s1.mu, y2, s2.mu, yOne, one.mu]);
  });

  test('discrete: updates with alpha_a then alpha_b equal one update with alpha_a + alpha_b in distribution', async () => {
    const N = 20000;
    const K = 4;
    const [aA, aB] = [0.3, 0.8];
    const noise = bfn.seededNoise(12);
    const x = tf.fill([N, 1], 2, 'int32');
    const prior = bfn.discretePrior([N, 1], K);
    const ya = bfn.discreteSenderSample(x, aA, K, noise);
    const t1 = bfn.discreteBayesianUpdate(prior, ya);
    const yb = bfn.discreteSenderSample(x, aB, K, noise);
    const two = bfn.discreteBayesianUpdate(t1, yb);
    const y = bfn.discreteSenderSample(x, aA + aB, K, noise);
    const one = bfn.discreteBayesianUpdate(prior, y);
    const a = await values(two);
    const b = await values(one);
    for (let k = 0; k < K; k++) {
      const ma = moments(column(a, K, k));
      const mb = moments(column(b, K, k));
      expectWithin(ma.mean, mb.mean, Math.hypot(ma.seMean, mb.seMean), `theta_${k} mean`);
      expectWithin(ma.variance, mb.variance, Math.hypot(ma.seVariance, mb.seVariance), `theta_${k} variance`);
    }
    tf.dispose([x, prior, ya, t1, yb, y]);
  });

  test('continuous flow: mu ~ N(gamma x, gamma (1 - gamma)) within Monte-Carlo error', async () => {
    const N = 20000;
    const sigma1 = 0.02;
    const xRow = [-0.7, 0.2, 0.9];
    for (const t of [1e-4, 0.3, 0.97]) {
      const x = tf.tile(tf.tensor2d([xRow]), [N, 1]);
      const tt = tf.fill([N, 1], t);
      const mu = await values(bfn.ctsFlowSample(x, tt, sigma1, bfn.seededNoise(13)));
      const gamma = bfn.ctsGamma(t, sigma1);
      xRow.forEach((xv, d) => {
        const m = moments(column(mu, 3, d));
        expectWithin(m.mean, gamma * xv, m.seMean, `t=${t} mean[${d}]`);
        expectWithin(m.variance, gamma * (1 - gamma), m.seVariance, `t=${t} variance[${d}]`);
      });
      tf.dispose([x, tt]);
    }
  });

  test('discrete flow: ln theta_x - ln theta_j has mean beta K and variance 2 beta K', async () => {
    const N = 20000;
    const [K, beta1, t] = [5, 3, 0.6];
    const x = tf.fill([N, 1], 1, 'int32');
    const theta = await values(bfn.discreteFlowSample(x, tf.fill([N, 1], t), K, beta1, bfn.seededNoise(14)));
    const beta = bfn.discreteBeta(t, beta1);
    const diff = Array.from({ length: N }, (_, r) => Math.log(theta[r * K + 1]!) - Math.log(theta[r * K + 3]!));
    const m = moments(diff);
    expectWithin(m.mean, beta * K, m.seMean, 'mean');
    expectWithin(m.variance, 2 * beta * K, m.seVariance, 'variance');
    x.dispose();
  });

  test('discretized probabilities sum to 1 for extreme means and deviations', async () => {
    const mus = [-50, -5, -1, -0.99, -0.3, 0, 0.123, 0.999, 1, 3, 40];
    const sigmas = [1e-3, 2e-3, 0.05, 1, 10];
    const muX = tf.tensor2d(mus.flatMap((m) => sigmas.map(() => m)), [mus.length, sigmas.length]);
    const sigmaX = tf.tensor2d(mus.flatMap(() => sigmas), [mus.length, sigmas.length]);
    for (const K of [2, 16, 256]) {
      const p = await values(bfn.discretizedProbs(muX, sigmaX, K));
      for (let r = 0; r < p.length / K; r++) {
        const row = p.subarray(r * K, (r + 1) * K);
        expect(row.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
        expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(2e-5);
      }
    }
    tf.dispose([muX, sigmaX]);
  });

  const specs: [string, bfn.BfnSpec, number[]][] = [
    ['continuous eps-prediction', { kind: 'continuous', sigma1: 1e-3 }, [4, 3]],
    ['continuous x-prediction', { kind: 'continuous', sigma1: 0.02, prediction: 'x' }, [4, 3]],
    ['discretized K=16', { kind: 'discretized', sigma1: Math.sqrt(1e-3), K: 16 }, [4, 3, 2]],
    ['discretized K=256', { kind: 'discretized', sigma1: 1e-3, K: 256 }, [4, 3, 2]],
    ['discrete K=2', { kind: 'discrete', K: 2, beta1: 9 }, [4, 3, 1]],
    ['discrete K=27', { kind: 'discrete', K: 27, beta1: 0.5625 }, [4, 3, 27]],
  ];
  const losses: [string, bfn.LossType | 'reconstruction'][] = [
    ['L^inf', { type: 'inf' }],
    ['L^n n=10 paper receiver', { type: 'n', n: 10, receiver: 'paper' }],
    ['L^n n=10 factorised receiver', { type: 'n', n: 10, receiver: 'factorised' }],
    ['L^r', 'reconstruction'],
  ];

  test.each(specs)('%s: every loss and its gradient w.r.t. the network output are finite at t = 0, 1e-7, 1', async (_label, spec, outShape) => {
    const data = spec.kind === 'discrete'
      ? tf.tensor2d([[0, 1, 1], [1, 0, 1], [0, 0, 0], [1, 1, 1]].map((r) => r.map((v) => Math.min(v * (spec.K - 1), spec.K - 1))), [4, 3], 'int32')
      : tf.tensor2d([[-1, 0.5, 0.99], [0.01, -0.3, 1], [-0.999, 0, 0.25], [0.7, -0.7, 0.1]]);
    const out = tf.variable(tf.randomNormal(outShape, 0, 3, 'float32', 5));
    const net: bfn.Network = () => tf.mul(out, 1);
    for (const t of [0, 1e-7, 1]) {
      for (const [lossLabel, loss] of losses) {
        const noise = fixedTimeNoise(t, bfn.seededNoise(15));
        const f = () =>
          loss === 'reconstruction'
            ? (tf.mean(bfn.bfnReconstructionPerVariable(spec, net, data, noise)) as tf.Scalar)
            : bfn.bfnLoss(spec, net, data, noise, loss);
        const { value, grads } = tf.variableGrads(f, [out]);
        const v = (await value.data())[0]!;
        const g = await grads[out.name]!.data();
        expect(Number.isFinite(v), `${lossLabel} at t=${t} is ${v}`).toBe(true);
        // L^inf is a weighted square: never negative. L^r and the Monte-Carlo L^n estimate have no such bound.
        if (lossLabel !== 'L^r' && !lossLabel.startsWith('L^n')) expect(v, `${lossLabel} at t=${t}`).toBeGreaterThanOrEqual(0);
        expect(Array.from(g).every(Number.isFinite), `${lossLabel} gradient at t=${t}`).toBe(true);
        tf.dispose([value, ...Object.values(grads)]);
      }
    }
    tf.dispose([data, out]);
  });

  test('discrete update stays finite and normalised: K=27 with beta1=9 in one step, K=256 with beta1=4', async () => {
    for (const [K, beta1] of [[27, 9], [256, 4]] as const) {
      const x = tf.tensor2d([[0, K - 1, 5, 13]], [1, 4], 'int32');
      const alpha = bfn.discreteAlphaI(1, 1, beta1);
      const y = bfn.discreteSenderSample(x, alpha, K, bfn.seededNoise(16));
      const theta = await values(bfn.discreteBayesianUpdate(bfn.discretePrior([1, 4], K), y));
      const xs = [0, K - 1, 5, 13];
      for (let d = 0; d < 4; d++) {
        const row = theta.subarray(d * K, (d + 1) * K);
        expect(row.every(Number.isFinite)).toBe(true);
        expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
        // alpha K = 243 or 1024: the posterior is certain of the sent class.
        expect(row[xs[d]!]).toBeGreaterThan(0.999);
      }
      tf.dispose([x, y]);
      const { samples } = await bfn.sample({ kind: 'discrete', K, beta1 }, toyCategoricalNet, [3, 4], { n: 1, noise: bfn.seededNoise(17) });
      expect(Array.from(samples).every((k) => Number.isInteger(k) && k >= 0 && k < K)).toBe(true);
    }
  });

  test('Bernoulli mode tie rule: p(class 1) = 0.5 exactly gives class 0; above 0.5 gives class 1', async () => {
    const probs = tf.tensor3d([[[0.5, 0.5], [0.4999999, 0.5000001], [0.6, 0.4], [0, 1]]]);
    expect(Array.from(await values(bfn.discreteMode(probs)))).toEqual([0, 1, 0, 1]);
    const fromLogit = bfn.discreteOutputProbs(tf.zeros([1, 1, 1]), 2);
    expect(Array.from(await values(bfn.discreteMode(fromLogit)))).toEqual([0]);
    tf.dispose([probs, fromLogit]);
  });

  test.each([
    ['continuous', { kind: 'continuous', sigma1: 0.02 } as bfn.BfnSpec, toyContinuousNet],
    ['discretized', { kind: 'discretized', sigma1: 0.03, K: 16 } as bfn.BfnSpec, toyDiscretizedNet],
    ['discrete K=27', { kind: 'discrete', K: 27, beta1: 0.5625 } as bfn.BfnSpec, toyCategoricalNet],
    ['discrete K=2', { kind: 'discrete', K: 2, beta1: 9 } as bfn.BfnSpec, toyBernoulliNet],
  ])('a %s sampler run leaves tf.memory().numTensors unchanged and records n steps', async (_label, spec, net) => {
    const before = tf.memory().numTensors;
    const n = 7;
    const { samples, trajectory } = await bfn.sample(spec, net, [5, 3], { n, noise: bfn.seededNoise(18), record: true });
    await bfn.sample(spec, net, [5, 3], { n, noise: bfn.seededNoise(18) });
    expect(tf.memory().numTensors).toBe(before);
    expect(samples.length).toBe(15);
    expect(trajectory!.steps.map((s) => s.t)).toEqual(Array.from({ length: n }, (_, i) => i / n));
    expect(trajectory!.steps.every((s) => Array.from(s.y).every(Number.isFinite))).toBe(true);
  });

  test('a sampler that throws in the network disposes its state', async () => {
    const before = tf.memory().numTensors;
    let calls = 0;
    const failing: bfn.Network = (mu, t) => {
      if (++calls === 3) throw new Error('network failed');
      return toyContinuousNet(mu, t);
    };
    await expect(bfn.sample({ kind: 'continuous', sigma1: 0.02 }, failing, [4, 2], { n: 5, noise: bfn.seededNoise(1) })).rejects.toThrow('network failed');
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a training step leaves tf.memory().numTensors unchanged and lowers the loss on a fixed batch', async () => {
    const spec: bfn.BfnSpec = { kind: 'continuous', sigma1: 0.02 };
    const mlp = createMlp({ inputDim: 2, outputDim: 2, width: 32, depth: 2, seed: 3 });
    const optimizer = tf.train.adam(3e-3);
    // Two clusters at (-0.5, -0.5) and (0.5, 0.5): learnable in a few hundred steps.
    const x = tf.tensor2d(Array.from({ length: 64 }, (_, k) => (k % 2 ? [0.5, 0.5] : [-0.5, -0.5])));
    const step = (seed: number) => {
      const loss = optimizer.minimize(() => bfn.bfnLoss(spec, mlp.net, x, bfn.seededNoise(seed), { type: 'inf' }), true, mlp.variables);
      loss!.dispose();
    };
    step(100); // the first step creates Adam's slot variables
    const before = tf.memory().numTensors;
    step(101);
    expect(tf.memory().numTensors).toBe(before);
    const evalLoss = async () => {
      // The same 16 draws each time: a fixed Monte-Carlo estimate of L^inf.
      let total = 0;
      for (let s = 0; s < 16; s++) {
        const l = bfn.bfnLoss(spec, mlp.net, x, bfn.seededNoise(500 + s), { type: 'inf' });
        total += (await l.data())[0]!;
        l.dispose();
      }
      return total / 16;
    };
    const initial = await evalLoss();
    for (let s = 0; s < 200; s++) step(200 + s);
    const trained = await evalLoss();
    expect(trained).toBeLessThan(0.8 * initial);
    optimizer.dispose();
    mlp.dispose();
    x.dispose();
  });

  test('seeded noise is reproducible and replayed noise is checked for kind and shape', async () => {
    const a = await values(bfn.seededNoise(7).normal([5]));
    const b = await values(bfn.seededNoise(7).normal([5]));
    const c = await values(bfn.seededNoise(8).normal([5]));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const replay = bfn.replayNoise([{ kind: 'normal', shape: [2], data: [1, 2] }]);
    expect(() => replay.uniform([2])).toThrow(/requested uniform/);
    expect(Array.from(await values(replay.normal([2])))).toEqual([1, 2]);
    expect(() => replay.normal([2])).toThrow(/only 1 stored/);
  });

  test('schedules: closed forms, sums and argument checks', () => {
    for (const sigma1 of [1e-3, 0.02, 0.3]) {
      for (const n of [1, 3, 50]) {
        const sum = Array.from({ length: n }, (_, i) => bfn.ctsAlphaI(i + 1, n, sigma1)).reduce((p, q) => p + q, 0);
        expect(sum / bfn.ctsBeta(1, sigma1)).toBeCloseTo(1, 10);
      }
      // gamma at tiny t keeps full relative precision: gamma(t) / (-2 t ln sigma1) -> 1.
      expect(bfn.ctsGamma(1e-12, sigma1) / (-2e-12 * Math.log(sigma1))).toBeCloseTo(1, 9);
      // alpha(t) is the derivative of beta(t).
      const h = 1e-6;
      expect((bfn.ctsBeta(0.5 + h, sigma1) - bfn.ctsBeta(0.5 - h, sigma1)) / (2 * h) / bfn.ctsAlpha(0.5, sigma1)).toBeCloseTo(1, 6);
    }
    expect(() => bfn.ctsBeta(0.5, 1)).toThrow(RangeError);
    expect(() => bfn.ctsAlphaI(0, 10, 0.1)).toThrow(RangeError);
    expect(() => bfn.discreteAlphaI(11, 10, 1)).toThrow(RangeError);
    expect(() => bfn.validateSpec({ kind: 'discrete', K: 1, beta1: 1 })).toThrow(/K must be/);
  });
});
