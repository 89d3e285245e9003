/**
 * The K = 2 discrete sampler on [batch, ...D] tensors (src/bfn/sampler.ts `sample`, which keeps the log-odds of theta)
 * against the shape-generic sampler on theta [batch, ...D, 2] (`sampleGeneric`, the path K > 2 takes): with the same
 * seeded noise and a small random network, the same draws are consumed, the samples are equal and every recorded
 * theta, p_O, class and sender sample y agrees to float32 rounding. A large beta1 drives |ln(theta_1/theta_0)| past
 * 69.08, where the generic update floors theta at 1e-30 (paper eq. 171-172; official `DiscreteBayesianFlow`). The
 * BFN-Solvers' K = 2 shortcuts (network input tanh((x_0 - x_1)/2), p = sigmoid(l [-1, 1])) against
 * `discreteNetInputs(softmax(x))` and softmax([0, l]) on the recorded states.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  discreteNetInputs, sample, sampleGeneric, seededNoise, solverSample, type BfnSpec, type Network, type NoiseSource, type SampleResult,
} from '../../src/bfn';
import { NODE_BACKENDS, useBackend } from '../backends';

/** A small random network [batch, ...D, 1] -> [batch, ...D, 1]: a tanh hidden layer of the whole input and t, plus a skip term. */
function randomNet(D: number, hidden: number, seed: number): { net: Network; dispose: () => void } {
  const W1 = tf.randomNormal([D, hidden], 0, 1 / Math.sqrt(D), 'float32', seed);
  const v = tf.randomNormal([1, hidden], 0, 1, 'float32', seed + 1);
  const W2 = tf.randomNormal([hidden, D], 0, 2 / Math.sqrt(hidden), 'float32', seed + 2);
  const net: Network = (input, t) =>
    tf.tidy(() => {
      const x = tf.reshape(input, [input.shape[0]!, D]);
      const h = tf.tanh(tf.add(tf.matMul(x, W1), tf.mul(tf.reshape(t, [-1, 1]), v)));
      return tf.reshape(tf.add(tf.matMul(h, W2), tf.mul(x, -1.5)), input.shape);
    });
  return { net, dispose: () => tf.dispose([W1, v, W2]) };
}

/** Counts the draws a sampler takes and records their kinds and shapes, passing them through. */
function countingNoise(inner: NoiseSource): NoiseSource & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    normal: (shape) => (log.push(`normal ${shape.join('x')}`), inner.normal(shape)),
    uniform: (shape) => (log.push(`uniform ${shape.join('x')}`), inner.uniform(shape)),
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

/** Every recorded array of the two trajectories agrees within `tol`, classes exactly; returns the largest theta_0 ratio seen. */
function expectSameTrajectory(fast: SampleResult, generic: SampleResult, tol: number): void {
  const a = fast.trajectory!;
  const b = generic.trajectory!;
  expect(a.steps.length).toBe(b.steps.length);
  a.steps.forEach((s, i) => {
    const g = b.steps[i]!;
    expect([s.t, s.alpha]).toEqual([g.t, g.alpha]);
    expect(Array.from(s.sample), `step ${i + 1} classes`).toEqual(Array.from(g.sample));
    expect(maxAbsDiff(s.theta.theta!, g.theta.theta!), `step ${i + 1} theta`).toBeLessThan(tol);
    expect(maxAbsDiff(s.output.probs!, g.output.probs!), `step ${i + 1} p_O`).toBeLessThan(tol);
    // y is of order alpha; compare relative to its scale.
    expect(maxAbsDiff(s.y, g.y) / (1 + s.alpha), `step ${i + 1} y`).toBeLessThan(tol);
  });
  expect(maxAbsDiff(a.final.theta.theta!, b.final.theta.theta!)).toBeLessThan(tol);
  expect(maxAbsDiff(a.final.output.probs!, b.final.output.probs!)).toBeLessThan(tol);
  expect(Array.from(fast.samples)).toEqual(Array.from(generic.samples));
}

describe.each(NODE_BACKENDS)('the K = 2 sampler on [batch, D] tensors (%s)', (backend) => {
  let model: ReturnType<typeof randomNet>;
  beforeAll(async () => {
    await useBackend(backend);
    model = randomNet(20, 16, 11);
  });
  afterAll(() => model.dispose());

  const run = async (spec: BfnSpec, dataShape: number[], n: number, seed: number, record: boolean) => {
    const before = tf.memory().numTensors;
    const fastNoise = countingNoise(seededNoise(seed));
    const genericNoise = countingNoise(seededNoise(seed));
    const fast = await sample(spec, model.net, dataShape, { n, noise: fastNoise, record });
    const generic = await sampleGeneric(spec, model.net, dataShape, { n, noise: genericNoise, record });
    expect(tf.memory().numTensors).toBe(before);
    // The same draws in the same order: per step a uniform [batch, ...D], then normals [batch, ...D, 2].
    expect(fastNoise.log).toEqual(genericNoise.log);
    expect(fastNoise.log.length).toBe(2 * n);
    return { fast, generic };
  };

  test('beta1 = 3, n = 30: the same samples and trajectory as the generic path', async () => {
    const spec: BfnSpec = { kind: 'discrete', K: 2, beta1: 3 };
    const { fast, generic } = await run(spec, [6, 20], 30, 5, true);
    expectSameTrajectory(fast, generic, 2e-5);
    // Not a degenerate run: both classes are drawn and the final theta is far from the prior.
    const ones = fast.samples.reduce((s, v) => s + v, 0);
    expect(ones).toBeGreaterThan(10);
    expect(ones).toBeLessThan(110);
    const final = generic.trajectory!.final.theta.theta!;
    expect(Math.max(...final)).toBeGreaterThan(0.99);
    // Without a trajectory: the same samples.
    const plain = await run(spec, [6, 20], 30, 5, false);
    expect(Array.from(plain.fast.samples)).toEqual(Array.from(fast.samples));
    expect(Array.from(plain.generic.samples)).toEqual(Array.from(fast.samples));
  });

  test('data of rank 3 ([batch, 4, 5]) takes the same path', async () => {
    const { fast, generic } = await run({ kind: 'discrete', K: 2, beta1: 3 }, [3, 4, 5], 8, 9, true);
    expectSameTrajectory(fast, generic, 2e-5);
  });

  test('beta1 = 400: log-odds past the 1e-30 floor of the generic update give the same theta', async () => {
    const { fast, generic } = await run({ kind: 'discrete', K: 2, beta1: 400 }, [4, 20], 4, 3, true);
    // The floor is reached: some theta_k below 1e-30 before the last update (|ln(theta_1 / theta_0)| > 69.08).
    const smallest = Math.min(...generic.trajectory!.steps.slice(1).map((s) => Math.min(...s.theta.theta!)));
    expect(smallest).toBeLessThan(1e-30);
    expectSameTrajectory(fast, generic, 2e-5);
  });

  test('a recorded run hands step i\'s record to onStep as it goes (the page streams those frames), both paths', async () => {
    for (const run of [sample, sampleGeneric]) {
      const seen: unknown[] = [];
      const result = await run({ kind: 'discrete', K: 2, beta1: 3 }, model.net, [2, 20], {
        n: 4, noise: seededNoise(5), record: true, onStep: (i, _n, step) => void seen.push([i, step]),
      });
      expect(seen).toEqual(result.trajectory!.steps.map((step, k) => [k + 1, step]));
    }
  });

  test('an error in onStep leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const failing = () => {
      throw new Error('stop');
    };
    await expect(sample({ kind: 'discrete', K: 2, beta1: 3 }, model.net, [2, 20], { n: 5, noise: seededNoise(1), record: true, onStep: failing })).rejects.toThrow('stop');
    expect(tf.memory().numTensors).toBe(before);
    await expect(sample({ kind: 'discrete', K: 2, beta1: -1 }, model.net, [2, 20], { n: 5, noise: seededNoise(1) })).rejects.toThrow(RangeError);
    await expect(sample({ kind: 'discrete', K: 2, beta1: 3 }, model.net, [2, 20], { n: 0, noise: seededNoise(1) })).rejects.toThrow(RangeError);
  });

  test('BFN-Solvers with K = 2: the network sees discreteNetInputs(softmax(x)) and p is softmax([0, l])', async () => {
    const inputs: tf.Tensor[] = [];
    const outputs: tf.Tensor[] = [];
    const watched: Network = (input, t) => {
      const out = model.net(input, t);
      inputs.push(tf.keep(tf.clone(input)));
      outputs.push(tf.keep(tf.clone(out)));
      return out;
    };
    const n = 6;
    const r = await solverSample({ kind: 'discrete', K: 2, beta1: 3 }, watched, [3, 20], { algorithm: 'sde_bfnsolver2_multi_step', n, noise: seededNoise(4), record: true });
    const traj = r.trajectory!;
    const states = [traj.init, ...traj.steps.slice(0, -1).map((s) => s.state)];
    expect(inputs.length).toBe(n);
    for (const [i, state] of states.entries()) {
      const expected = tf.tidy(() => discreteNetInputs(tf.softmax(tf.tensor(state, traj.stateShape))));
      expect(maxAbsDiff(await inputs[i]!.data(), await expected.data()), `step ${i} network input`).toBeLessThan(1e-6);
      const p = tf.tidy(() => tf.softmax(tf.concat([tf.zerosLike(outputs[i]!), outputs[i]!], -1)));
      expect(maxAbsDiff(traj.steps[i]!.dataPrediction, await p.data()), `step ${i} p`).toBeLessThan(1e-6);
      tf.dispose([expected, p]);
    }
    // Not the prior: the last states are far from theta = 1/2.
    expect(Math.max(...(await inputs[n - 1]!.data()).map(Math.abs))).toBeGreaterThan(0.5);
    tf.dispose([...inputs, ...outputs]);
  });
});
