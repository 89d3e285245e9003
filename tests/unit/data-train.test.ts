/**
 * The 2D data registry, the point-file parser, the energy distance, the model file format and the 2D trainer's
 * NaN rollback and divergence watch.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DATASETS_2D, getDataset2D, sampleDataset } from '../../src/data/toy2d';
import { parsePoints, PointsError, POINT_LIMITS } from '../../src/data/points';
import { HELD_OUT_SHARE, MIN_POINTS_TO_HOLD_OUT, splitCustomPoints } from '../../src/data/playgroundPoints';
import { METRIC_SETTINGS } from '../../src/engine/protocol';
import { energyDistance } from '../../src/train/metrics';
import { decodePointsModel } from '../../src/kinds/modelFiles';
import { POINTS_FILES } from '../../src/kinds/points2d/files';
import { ModelFileError, encodeModelFile } from '../../src/train/modelFile';
import { createMlp } from '../../src/nets/mlp';
import { pinnedShare, Trainer2D, DEFAULT_TRAIN_2D } from '../../src/kinds/points2d/trainer';
import { DivergedError, DIVERGENCE, NonFiniteLossError } from '../../src/train/halt';
import { useBackend } from '../backends';
import { bfnLoss, ctsFlowBatch, ctsFlowSample, ctsLossInfFromNet, ctsXHatFromEps, sampleTimes, seededNoise, type NoiseSource } from '../../src/bfn';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('2D datasets', () => {
  test('at least eight datasets, unique ids, all inside [-1, 1] and reproducible from the seed', () => {
    expect(DATASETS_2D.length).toBeGreaterThanOrEqual(8);
    expect(new Set(DATASETS_2D.map((d) => d.id)).size).toBe(DATASETS_2D.length);
    for (const d of DATASETS_2D) {
      const a = sampleDataset(d.id, 3000, 7);
      expect(a.length).toBe(6000);
      expect(a.every((v) => Number.isFinite(v))).toBe(true);
      // Uses the box: the extreme coordinate is close to the 0.9 extent.
      expect(a.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeGreaterThan(0.7);
      expect(Array.from(sampleDataset(d.id, 50, 7))).toEqual(Array.from(sampleDataset(d.id, 50, 7)));
      expect(Array.from(sampleDataset(d.id, 50, 7))).not.toEqual(Array.from(sampleDataset(d.id, 50, 8)));
    }
    expect(() => getDataset2D('nope')).toThrow(/known: two-moons/);
  });

  test('the energy distance separates datasets and is near its noise floor between two draws of one', () => {
    const a = sampleDataset('two-moons', 800, 1);
    const b = sampleDataset('two-moons', 800, 2);
    const c = sampleDataset('circles', 800, 3);
    const same = energyDistance(a, b);
    const different = energyDistance(a, c);
    expect(same).toBeGreaterThan(0);
    expect(different).toBeGreaterThan(20 * same);
    // Closed form for point masses: D({0}, {1}) = 2 |0 - 1| - 0 - 0.
    expect(energyDistance(new Float32Array([0, 0, 0, 0]), new Float32Array([1, 0, 1, 0]))).toBeCloseTo(2, 12);
  });
});

describe('point files', () => {
  test('CSV with and without a header, JSON pairs and objects', () => {
    const withHeader = parsePoints('x,y\n0.1,0.2\n-0.5,0.5\n');
    expect(Array.from(withHeader.points)).toEqual([0.1, 0.2, -0.5, 0.5].map(Math.fround));
    // No row is dropped without saying so.
    expect(withHeader.notes).toEqual(["Row 1 ('x', 'y') was read as a header, not a point."]);
    expect(parsePoints('0.1,0.2\n-0.5,0.5\n').notes).toEqual([]);
    expect(parsePoints('0.1\t0.2\n0.3\t0.4', 'p.tsv').points.length).toBe(4);
    expect(parsePoints('[[0.1, 0.2], [0.3, 0.4], [0, 0]]', 'p.json').points.length).toBe(6);
    expect(parsePoints('{"points": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]}', 'p.json').points.length).toBe(4);
  });

  test('coordinates beyond [-1, 1] are centred and scaled, with a note', () => {
    const { points, notes } = parsePoints('10,20\n30,40\n20,30');
    expect(Math.max(...Array.from(points, Math.abs))).toBeCloseTo(0.9, 5);
    expect(notes[0]).toMatch(/scaled/);
  });

  test.each([
    ['', 'points.csv', /empty/],
    ['x,y\n0.1,abc\n', 'points.csv', /Row 2, column 2: 'abc' is not a number/],
    ['0.1,0.2\n0.1,0.2,0.3\n', 'points.csv', /Row 2 has 3 columns; expected 2/],
    ['0.1,0.2\n', 'points.csv', /at least 2/],
    // A bad first row is a bad point, not a header: it is named like row 2 would be.
    ['0.1,\n0.2,0.3\n0.4,0.5\n0.6,0.7\n', 'points.csv', /Row 1, column 2: '' is not a number/],
    ['O.1,0.2\n0.2,0.3\n0.4,0.5\n0.6,0.7\n', 'points.csv', /Row 1, column 1: 'O.1' is not a number/],
    ['NaN,0.2\n0.2,0.3\n0.4,0.5\n0.6,0.7\n', 'points.csv', /Row 1, column 1: 'NaN' is not a number/],
    ['x\n0.2,0.3\n0.4,0.5\n', 'points.csv', /CSV problem on row 1/],
    ['[[0.1, "a"]]', 'p.json', /Expected a JSON array/],
    ['{"x": 1', 'p.json', /not valid JSON/],
  ])('%j (%s) is refused with a clear message', (text, name, message) => {
    expect(() => parsePoints(text, name)).toThrow(PointsError);
    expect(() => parsePoints(text, name)).toThrow(message);
  });

  test('oversized files and too many points are refused', () => {
    expect(() => parsePoints('0,0\n1,1', 'big.csv', POINT_LIMITS.maxBytes + 1)).toThrow(/limit is 5 MB/);
    const many = Array.from({ length: POINT_LIMITS.maxPoints + 1 }, () => '0.1,0.1').join('\n');
    expect(() => parsePoints(many, 'many.csv', 100)).toThrow(/limit is 50000/);
  });
});

describe('model files', () => {
  test('encode then decode reproduces the network outputs exactly', async () => {
    const mlp = createMlp({ inputDim: 2, outputDim: 2, width: 16, depth: 2, seed: 4 });
    mlp.variables.forEach((v) => v.assign(tf.randomNormal(v.shape, 0, 0.3, 'float32', 9)));
    const { modelJson, weights } = await encodeModelFile(POINTS_FILES, { kind: 'continuous', sigma1: 0.02 }, mlp);
    const round = decodePointsModel(JSON.parse(JSON.stringify(modelJson)), weights);
    const x = tf.tensor2d([[0.1, -0.4], [0.9, 0.2]]);
    const t = tf.tensor2d([[0.3], [0.8]]);
    expect(Array.from(await round.mlp.net(x, t).data())).toEqual(Array.from(await mlp.net(x, t).data()));
    expect(round.spec).toEqual({ kind: 'continuous', sigma1: 0.02 });
    round.mlp.dispose();
    mlp.dispose();
    tf.dispose([x, t]);
  });

  test('malformed or mismatched files raise ModelFileError and leak nothing', async () => {
    const withValue = (bytes: ArrayBuffer, index: number, value: number) => {
      const copy = new Float32Array(bytes.slice(0));
      copy[index] = value;
      return copy.buffer;
    };
    const mlp = createMlp({ inputDim: 2, outputDim: 2, width: 8, depth: 1 });
    const { modelJson, weights } = await encodeModelFile(POINTS_FILES, { kind: 'continuous', sigma1: 0.02 }, mlp);
    const before = tf.memory().numTensors;
    const cases: [unknown, ArrayBuffer, RegExp][] = [
      [{ hello: 1 }, weights, /not a BFN Playground model/],
      [{ ...modelJson, network: { ...modelJson.network, width: 9 } }, weights, /has shape \[18, 8\]; the network needs \[18, 9\]/],
      [modelJson, weights.slice(4), /bytes/],
      [{ ...modelJson, spec: { kind: 'continuous', sigma1: 3 } }, weights, /sigma1/],
      [modelJson, withValue(weights, 3, NaN), /weights.bin holds NaN at float 3/],
      [modelJson, withValue(weights, 0, -Infinity), /weights.bin holds -Infinity at float 0/],
    ];
    for (const [raw, w, message] of cases) {
      expect(() => decodePointsModel(raw, w)).toThrow(ModelFileError);
      expect(() => decodePointsModel(raw, w)).toThrow(message);
    }
    expect(() => decodePointsModel({ ...modelJson, spec: { kind: 'discrete', K: 2, beta1: 3 } }, weights)).toThrow(/This model is for discrete data; the 2D playground needs continuous data/);
    expect(tf.memory().numTensors).toBe(before);
    mlp.dispose();
  });
});

describe('2D trainer', () => {
  test('a step with a non-finite loss is not applied: the weights stay those of the last good step, and it says why', async () => {
    const data = sampleDataset('two-moons', 200, 1);
    const base = createMlp({ inputDim: 2, outputDim: 2, width: 16, depth: 1, seed: 2 });
    let poison = false;
    const mlp = { ...base, net: (x: tf.Tensor, t: tf.Tensor) => (poison ? tf.mul(base.net(x, t), NaN) : base.net(x, t)) };
    const trainer = new Trainer2D(data, { ...DEFAULT_TRAIN_2D, batch: 32, emaDecay: 0 }, mlp);
    await trainer.trainStep();
    await trainer.trainStep();
    const good = await Promise.all(base.variables.map(async (v) => Array.from(await v.data())));
    poison = true;
    await expect(trainer.trainStep()).rejects.toThrow(NonFiniteLossError);
    await expect(trainer.trainStep()).rejects.toThrow(/not applied: the weights are still those of step 2/);
    expect(trainer.step).toBe(2);
    const after = await Promise.all(base.variables.map(async (v) => Array.from(await v.data())));
    expect(after).toEqual(good);
    poison = false;
    expect(Number.isFinite((await trainer.trainStep()).loss)).toBe(true);
    trainer.dispose();
  });

  // Divergence with finite losses (lr 10, sigma1 0.001 on two moons): before the watch, 300 steps ended with the loss
  // near 5.6e5 nats per dimension, every sample at a corner, and no word from the trainer.
  test('a run that diverges with finite losses halts within 100 steps and puts back the weights of its last good checkpoint', async () => {
    const data = sampleDataset('two-moons', 2000, 1);
    const trainer = new Trainer2D(data, { ...DEFAULT_TRAIN_2D, learningRate: 10, sigma1: 0.001, width: 32, depth: 2 });
    const weightsOf = (m: typeof trainer.net) => m.variables.flatMap((v) => Array.from(v.dataSync()));
    const snapshots = new Map<number, number[]>([[0, weightsOf(trainer.net)]]);
    let halt: DivergedError | null = null;
    const losses: number[] = [];
    for (let k = 0; k < 300 && !halt; k++) {
      try {
        losses.push((await trainer.trainStep()).loss);
        if (trainer.step % DIVERGENCE.checkpointEvery === 0) snapshots.set(trainer.step, weightsOf(trainer.net));
      } catch (err) {
        if (!(err instanceof DivergedError)) throw err;
        halt = err;
      }
    }
    expect(halt, `losses ${losses.slice(-3).join(', ')}`).not.toBeNull();
    expect(halt!.step).toBeLessThanOrEqual(100);
    expect(halt!.message).toMatch(/Training diverged at step \d+: the loss .* has stayed over 100 times its best .* weights of step \d+ .* were restored/);
    // Finite losses all the way: the non-finite check could not have caught this.
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(Math.max(...losses)).toBeGreaterThan(1000 * Math.min(...losses.slice(0, 5)));
    expect(trainer.step).toBe(halt!.restoredStep);
    expect(weightsOf(trainer.net)).toEqual(snapshots.get(halt!.restoredStep));
    // The restored network's samples are not pinned at the clip.
    const { samples } = await trainer.sample(300, 20, 3);
    expect(pinnedShare(samples)).toBeLessThan(DIVERGENCE.pinnedShare);
    trainer.dispose();
  });

  test('samples pinned at the clip halt the run and restore the checkpoint; a pinned share the data also have does not', async () => {
    const data = sampleDataset('two-moons', 500, 1);
    const trainer = new Trainer2D(data, { ...DEFAULT_TRAIN_2D, width: 16, depth: 1, batch: 32 });
    const weightsOf = (m: typeof trainer.net) => m.variables.flatMap((v) => Array.from(v.dataSync()));
    const start = weightsOf(trainer.net);
    for (let k = 0; k < 3; k++) await trainer.trainStep();
    const corners = Float32Array.from({ length: 200 }, (_, k) => (k % 2 ? 1 : -1));
    const mixed = corners.map((v, k) => (k < 30 ? 0.5 : v)); // 85 % pinned: below the 90 % line
    expect(pinnedShare(mixed)).toBeCloseTo(0.85, 10);
    expect(() => trainer.checkSamples(mixed, 0)).not.toThrow();
    expect(() => trainer.checkSamples(corners, 0.6)).not.toThrow();
    expect(trainer.step).toBe(3);
    expect(() => trainer.checkSamples(corners, 0)).toThrow(/100 % of the samples sit at the edge .* weights of step 0/);
    expect(trainer.step).toBe(0);
    expect(weightsOf(trainer.net)).toEqual(start);
    expect(weightsOf(trainer.ema)).toEqual(start);
    trainer.dispose();
  });

  test('the default settings never trip the divergence watch in 300 steps', async () => {
    const trainer = new Trainer2D(sampleDataset('spirals', 2000, 1), { ...DEFAULT_TRAIN_2D, width: 32, depth: 2 });
    for (let k = 0; k < 300; k++) await trainer.trainStep();
    expect(trainer.step).toBe(300);
    trainer.dispose();
  });
});

describe('the continuous L^inf fast path', () => {
  test('ctsFlowBatch + ctsLossInfFromNet, as the trainer calls them, give bfnLoss\'s value and gradients for every weight, t near 0 and clipped x_hat included', async () => {
    const spec = { kind: 'continuous' as const, sigma1: 0.02 };
    const mlp = createMlp({ inputDim: 2, outputDim: 2, width: 16, depth: 2, fourierFeatures: 2, seed: 3 });
    tf.tidy(() => mlp.variables.forEach((v, k) => v.assign(tf.randomNormal(v.shape, 0, 0.8, 'float32', 30 + k))));
    // Times drawn so that some rows have t < 1e-6 (x_hat = 0) and large weights push some x_hat past the clip.
    const draws = (): NoiseSource => {
      const inner = seededNoise(5);
      let first = true;
      return {
        normal: (shape) => inner.normal(shape),
        uniform: (shape) => {
          if (!first) return inner.uniform(shape);
          first = false;
          return tf.tidy(() => tf.concat([tf.tensor2d([[0], [5e-7], [1]]), inner.uniform([shape[0]! - 3, 1])]));
        },
      };
    };
    const x = tf.tensor2d(sampleDataset('spirals', 64, 2), [64, 2]);
    // As Trainer2D.trainStep: the flow sample outside the gradient scope, the loss inside.
    const flow = ctsFlowBatch(spec, x, draws());
    const fast = tf.variableGrads(() => ctsLossInfFromNet(spec, mlp.net, x, flow.t, flow.mu), mlp.variables);
    const generic = tf.variableGrads(() => bfnLoss(spec, mlp.net, x, draws(), { type: 'inf' }), mlp.variables);
    expect((await fast.value.data())[0]).toBe((await generic.value.data())[0]);
    let clipped = 0;
    for (const v of mlp.variables) {
      const a = await fast.grads[v.name]!.data();
      const b = await generic.grads[v.name]!.data();
      const scale = Math.max(...Array.from(b, Math.abs));
      expect(scale).toBeGreaterThan(0);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-5 * scale);
    }
    // The case really reaches the clip: some x_hat sit at -1 or 1.
    const xHat = tf.tidy(() => {
      const noise = draws();
      const { t } = sampleTimes(64, 2, { type: 'inf' }, noise);
      const mu = ctsFlowSample(x, t, 0.02, noise);
      return ctsXHatFromEps(mu, mlp.net(mu, t), t, 0.02);
    });
    for (const v of await xHat.data()) if (Math.abs(v) === 1) clipped++;
    expect(clipped).toBeGreaterThan(0);
    tf.dispose([x, xHat, flow.t, flow.mu, fast.value, generic.value, ...Object.values(fast.grads), ...Object.values(generic.grads)]);
    mlp.dispose();
  });
});


describe('your points: a real held-out split', () => {
  const ring = (n: number) => Float32Array.from({ length: 2 * n }, (_, k) => Math.fround(0.7 * (k % 2 ? Math.sin : Math.cos)((2 * Math.PI * Math.floor(k / 2)) / n)));
  const rows = (a: Float32Array) => Array.from({ length: a.length / 2 }, (_, j) => `${a[2 * j]},${a[2 * j + 1]}`);

  // Before: the "held-out" points of drawn or uploaded data were a subset of the training points.
  test('from 50 points on, about a fifth is held out and never trained on; together they are all the points', () => {
    const points = ring(300);
    const { train, metric } = splitCustomPoints(points);
    const held = rows(metric!.heldOut);
    expect(metric!.heldOutFromTraining).toBe(false);
    expect(held.length).toBeGreaterThan(300 * HELD_OUT_SHARE * 0.6);
    expect(held.length).toBeLessThan(300 * HELD_OUT_SHARE * 1.4);
    const trained = new Set(rows(train));
    expect(held.filter((r) => trained.has(r))).toEqual([]);
    expect([...rows(train), ...held].sort()).toEqual(rows(points).sort());
    // The data-vs-data reference resamples the training points only.
    expect(rows(metric!.reference).every((r) => trained.has(r))).toBe(true);
  });

  test('adding points never turns a training point into a held-out one; large sets hold out about 500 spread over all of them', () => {
    const grow = (n: number, m: number) => {
      const g = new Float32Array(2 * (n + m));
      g.set(ring(n));
      g.set(ring(m).map((v) => v * 0.5), 2 * n);
      return g;
    };
    for (const [n, m] of [[300, 100], [2000, 1000], [3000, 4000]] as const) {
      const trainedBefore = rows(splitCustomPoints(ring(n)).train);
      const heldAfter = new Set(rows(splitCustomPoints(grow(n, m)).metric!.heldOut));
      expect(trainedBefore.filter((r) => heldAfter.has(r)), `${n} + ${m} points`).toEqual([]);
    }
    // Two blobs of 2,500 points one after the other: both halves are held out about equally (before: only the first).
    const blobs = Float32Array.from({ length: 10_000 }, (_, k) => (k % 2 === 0 ? (k < 5000 ? -0.5 : 0.5) + 0.1 * Math.sin(k) : 0.1 * Math.cos(k)));
    const held = splitCustomPoints(blobs).metric!.heldOut;
    const right = Array.from({ length: held.length / 2 }, (_, j) => held[2 * j]!).filter((x) => x > 0).length;
    expect(held.length / 2).toBeGreaterThan(0.8 * METRIC_SETTINGS.heldOut);
    expect(held.length / 2).toBeLessThan(1.2 * METRIC_SETTINGS.heldOut);
    expect(right / (held.length / 2)).toBeGreaterThan(0.4);
    expect(right / (held.length / 2)).toBeLessThan(0.6);
  });

  test(`below ${MIN_POINTS_TO_HOLD_OUT} points nothing is held out, and the metric says it uses the training points`, () => {
    const points = ring(MIN_POINTS_TO_HOLD_OUT - 1);
    const { train, metric } = splitCustomPoints(points);
    expect(train).toBe(points);
    expect(metric!.heldOutFromTraining).toBe(true);
    expect(rows(metric!.heldOut)).toEqual(rows(points));
    expect(splitCustomPoints(ring(1)).metric).toBeNull();
  });
});
