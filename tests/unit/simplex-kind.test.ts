/**
 * The K = 3 simplex kind: its toy data obey their rule and have the declared marginals, entropy and independent-chance
 * rule share (each computed here another way); a trained network's model file reads back through the one validator to
 * the same function, and files of another kind or a damaged network entry are refused by name; the Bayesian update
 * process of the worker session (the core sender sample and update) has p_F(theta | x; i/n) as the marginal of its
 * i-th step (paper §6), compared with the exact heat map; and the shipped model's card is confirmed by a fresh
 * measurement with another seed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { binSimplexPoints, simplexFlowBeta, simplexFlowHeatmap, simplexGrid } from '../../src/bfn/simplexFlow';
import { configIndex, jointHistogram, obeysRule, ruleShare, sampleToyData, TOY_MARGINALS, toyEntropyBitsPerVariable, toyJoint } from '../../src/data/simplexToy';
import { encodeModelFile, ModelFileError, parseCard, readModelFiles } from '../../src/train/modelFile';
import { SIMPLEX_FILES } from '../../src/kinds/simplex/files';
import { POINTS_FILES } from '../../src/kinds/points2d/files';
import { MODEL_FILE_KINDS } from '../../src/kinds/modelFiles';
import { TrainerSimplex, DEFAULT_TRAIN_SIMPLEX } from '../../src/kinds/simplex/trainer';
import { evaluateSimplex, independentRuleShare } from '../../src/kinds/simplex/evaluate';
import { SimplexSession } from '../../src/kinds/simplex/session';
import { isSampleCancelled } from '../../src/engine/client';
import { createMlp } from '../../src/nets/mlp';
import { useBackend } from '../backends';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('the toy data', () => {
  test('every sample obeys x3 = (x1 + x2) mod 3, and x1, x2 have the declared marginals within 4 standard errors', () => {
    const N = 40_000;
    const data = sampleToyData(N, 7);
    expect(ruleShare(data)).toBe(1);
    for (const [d, probs] of [[0, TOY_MARGINALS[0]], [1, TOY_MARGINALS[1]]] as const) {
      for (let k = 0; k < 3; k++) {
        let count = 0;
        for (let n = 0; n < N; n++) if (data[3 * n + d] === k) count++;
        expect(Math.abs(count / N - probs[k]!)).toBeLessThan(4 * Math.sqrt((probs[k]! * (1 - probs[k]!)) / N));
      }
    }
    expect(obeysRule(2, 2, 1)).toBe(true);
    expect(obeysRule(2, 2, 2)).toBe(false);
  });

  test('the joint has 9 configurations; its entropy is (H(x1) + H(x2)) / 3 bits per variable', () => {
    const joint = toyJoint();
    expect(joint.filter((p) => p > 0).length).toBe(9);
    expect(joint.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    const H = (p: readonly number[]) => -p.reduce((s, q) => s + q * Math.log2(q), 0);
    expect(toyEntropyBitsPerVariable()).toBeCloseTo((H(TOY_MARGINALS[0]) + H(TOY_MARGINALS[1])) / 3, 12);
    // 0.5 0.3 0.2 and 0.2 0.3 0.5: H = 1.4855 bits each.
    expect(toyEntropyBitsPerVariable()).toBeCloseTo(0.99033, 4);
  });

  test('the rule share of independent variables is the sum over the 27 configurations of the marginals\' product where the rule holds', () => {
    const joint = toyJoint();
    const marginal = (d: number) => [0, 1, 2].map((k) => {
      let s = 0;
      for (let c = 0; c < 27; c++) if ([Math.floor(c / 9), Math.floor(c / 3) % 3, c % 3][d] === k) s += joint[c]!;
      return s;
    });
    const [p1, p2, p3] = [marginal(0), marginal(1), marginal(2)];
    let share = 0;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 3; c++) if (obeysRule(a, b, c)) share += p1[a]! * p2[b]! * p3[c]!;
    expect(independentRuleShare()).toBeCloseTo(share, 12);
    expect(jointHistogram(Int32Array.from([0, 1, 1, 2, 2, 1]))[configIndex(2, 2, 1)]).toBe(0.5);
  });
});

describe('the model file', () => {
  test('a trained network reads back through the validator to the same outputs; other kinds and damaged entries are refused by name', async () => {
    const trainer = new TrainerSimplex({ ...DEFAULT_TRAIN_SIMPLEX, batch: 32, net: { width: 16, depth: 2 } });
    for (let s = 0; s < 3; s++) await trainer.trainStep();
    const { modelJson, weights } = await encodeModelFile(SIMPLEX_FILES, trainer.spec, trainer.ema);
    const { net, spec } = readModelFiles(SIMPLEX_FILES, JSON.parse(JSON.stringify(modelJson)), weights, null, MODEL_FILE_KINDS);
    expect(spec).toEqual({ kind: 'discrete', K: 3, beta1: 3 });
    const theta = tf.randomUniform([5, 3, 3], 0, 1, 'float32', 3);
    const t = tf.fill([5, 1], 0.4);
    const [a, b] = [trainer.ema.net(theta, t), net.net(theta, t)];
    expect(a.shape).toEqual([5, 3, 3]);
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([theta, t, a, b]);
    net.dispose();
    trainer.dispose();
    expect(() => readModelFiles(SIMPLEX_FILES, { ...modelJson, network: { ...modelJson.network, D: 4 } }, weights, null, MODEL_FILE_KINDS)).toThrow(/3 variables/);
    const mlp = createMlp({ inputDim: 2, outputDim: 2, width: 8, depth: 1 });
    const points = await encodeModelFile(POINTS_FILES, { kind: 'continuous', sigma1: 0.02 }, mlp);
    mlp.dispose();
    expect(() => readModelFiles(SIMPLEX_FILES, points.modelJson, points.weights, null, MODEL_FILE_KINDS)).toThrow(ModelFileError);
    expect(() => readModelFiles(SIMPLEX_FILES, points.modelJson, points.weights, null, MODEL_FILE_KINDS)).toThrow(/2D-points/);
  });
});

describe('the worker session', () => {
  test('the i-th step of the Bayesian update process with the true class has the flow distribution p_F(. | x; i/n) as its marginal', async () => {
    const session = new SimplexSession(() => tf.getBackend());
    const n = 8;
    const { theta } = await session.flowPaths({ x: 2, beta1: 3, n, paths: 200, seed: 4 });
    // 200 paths is the session's limit: pool 20 runs with other seeds.
    const P = 200 * 20;
    const grid = simplexGrid(20);
    for (const i of [3, 8]) {
      const points = new Float32Array(P * 3);
      for (let r = 0; r < 20; r++) {
        const run = r === 0 ? theta : (await session.flowPaths({ x: 2, beta1: 3, n, paths: 200, seed: 100 + r })).theta;
        points.set(run.subarray(i * 600, (i + 1) * 600), r * 600);
      }
      const sampled = binSimplexPoints(points, grid).masses;
      const exact = simplexFlowHeatmap(2, simplexFlowBeta(i / n, 3), grid).masses;
      let tv = 0;
      let expectedTv = 0;
      exact.forEach((p, k) => {
        tv += 0.5 * Math.abs(sampled[k]! - p);
        expectedTv += 0.5 * Math.sqrt((2 / Math.PI) * (p * (1 - p)) / P);
      });
      expect(tv).toBeLessThan(1.3 * expectedTv + 0.005);
    }
    session.dispose();
  }, 60_000);

  test('a cancel rejects the running and the waiting sampling runs as cancelled; a run asked for after it completes', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'models', 'simplex');
    const session = new SimplexSession(() => tf.getBackend());
    // The worker's queue: each job after the earlier ones.
    let queue: Promise<unknown> = Promise.resolve();
    const api = session.api({
      afterInit: <T,>(job: () => T | Promise<T>) => (queue = queue.then(job, job)) as Promise<T>,
      transfer: <T,>(value: T) => value,
    });
    const bytes = readFileSync(join(dir, 'weights.bin'));
    const weights = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    await api.loadModel({ slot: 'file', modelJson: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), weights, card: null });
    const running = api.sample({ samples: 100, steps: 1000, seed: 1 });
    const waiting = api.sample({ samples: 100, steps: 1000, seed: 2 });
    const started = performance.now();
    await new Promise((r) => setTimeout(r, 50));
    await api.cancelSample();
    const after = api.sample({ samples: 100, steps: 3, seed: 3 });
    for (const p of [running, waiting]) await expect(p).rejects.toSatisfy((e) => isSampleCancelled(e));
    const ok = await after;
    expect(ok.options.steps).toBe(3);
    expect(ok.theta).toHaveLength(4 * 100 * 9);
    // Stopped within a pause of the cancel, not after the 1000 steps (seconds on wasm in Node).
    expect(performance.now() - started).toBeLessThan(1000);
    session.dispose();
  }, 60_000);
});

describe('the shipped model', () => {
  const dir = join(import.meta.dirname, '..', '..', 'models', 'simplex');

  test('its card records how it was trained and evaluated, and a fresh measurement with another seed confirms the rule share and the NLL bound', async () => {
    for (const f of ['model.json', 'weights.bin', 'card.json']) expect(existsSync(join(dir, f)), f).toBe(true);
    const card = parseCard(SIMPLEX_FILES, JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')));
    expect(card.training.command).toMatch(/^npm run train -- simplex/);
    const e = card.evaluation!;
    expect(e.command).toBe('npm run eval -- models/simplex');
    expect(e.continuous.value).toBeGreaterThan(e.dataEntropy - 4 * e.continuous.se);
    const bytes = readFileSync(join(dir, 'weights.bin'));
    const { spec, net } = readModelFiles(SIMPLEX_FILES, JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), card, MODEL_FILE_KINDS);
    const r = await evaluateSimplex(spec, net.net, { dataSamples: 8000, samples: 1000, steps: e.steps, seed: 99 });
    net.dispose();
    expect(Math.abs(r.ruleShare.value - e.ruleShare.value)).toBeLessThan(4 * Math.hypot(r.ruleShare.se, e.ruleShare.se) + 0.005);
    expect(r.ruleShare.value).toBeGreaterThan(0.9);
    // The NLL bound re-measured on fresh data agrees with the card's.
    expect(Math.abs(r.continuous.value - e.continuous.value)).toBeLessThan(4 * Math.hypot(r.continuous.se, e.continuous.se));
  }, 60_000);
});
