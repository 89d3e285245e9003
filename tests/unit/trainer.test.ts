/**
 * The one trainer (src/train/trainer.ts) on its own, with a tiny network whose loss is a known quadratic:
 * - `learningRateAt` and `emaDecayAt` against their closed forms;
 * - AdamW, Adam (weight decay 0), clipping by global norm and the weight average against PyTorch in float64
 *   (torch.optim.AdamW / torch.optim.Adam and torch.nn.utils.clip_grad_norm_, the optimizer and clipping the official
 *   BFN code trains with: `train.py` `setup` and `train`), to 1e-6 relative;
 * - a non-finite step changes nothing; the divergence watch restores its checkpoint; state()/loadState round trips
 *   and refuses a bad checkpoint without changing anything; copyWeightsFrom.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { emaDecayAt, learningRateAt, Trainer, type OptimizerConfig, type StepLoss } from '../../src/train/trainer';
import { DIVERGENCE, DivergedError, NonFiniteLossError } from '../../src/train/halt';
import type { NamedTensor, TensorSpec, TrainableNet } from '../../src/nets/trainable';
import type { TorchRun } from '../../src/conformance/optimizerChecks';
import { useBackend } from '../backends';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('learningRateAt', () => {
  const peak = 0.01;

  test('warm-up is linear: peak x step / warmup, then the peak without a cosine', () => {
    const c = { learningRate: peak, warmupSteps: 8, cosineFloor: 0 };
    for (const step of [1, 2, 4, 7]) expect(learningRateAt(c, step)).toBeCloseTo((peak * step) / 8, 15);
    for (const step of [8, 9, 100, 1e6]) expect(learningRateAt(c, step)).toBe(peak);
    expect(learningRateAt({ learningRate: peak, warmupSteps: 0, cosineFloor: 0 }, 1)).toBe(peak);
  });

  test.each([0, 0.1])('the cosine with floor %s: (floor + (1 - floor)(1 + cos(pi p)) / 2) x peak, then constant', (floor) => {
    const c = { learningRate: peak, warmupSteps: 0, cosineSteps: 400, cosineFloor: floor };
    // p = 0, 1/4, 1/2, 3/4, 1: (1 + cos(pi p)) / 2 = 1, (2 + sqrt 2) / 4, 1/2, (2 - sqrt 2) / 4, 0.
    const closed = [1, (2 + Math.SQRT2) / 4, 0.5, (2 - Math.SQRT2) / 4, 0];
    [0, 100, 200, 300, 400].forEach((step, k) => {
      expect(learningRateAt(c, step)).toBeCloseTo(peak * (floor + (1 - floor) * closed[k]!), 15);
    });
    for (const step of [401, 800, 1e6]) expect(learningRateAt(c, step)).toBeCloseTo(peak * floor, 15);
  });

  test('warm-up and cosine multiply', () => {
    const c = { learningRate: peak, warmupSteps: 100, cosineSteps: 400, cosineFloor: 0.1 };
    expect(learningRateAt(c, 50)).toBeCloseTo(peak * 0.5 * (0.1 + 0.9 * (1 + Math.cos(Math.PI / 8)) / 2), 15);
    expect(learningRateAt(c, 200)).toBeCloseTo(peak * (0.1 + 0.9 * 0.5), 15);
  });
});

test('emaDecayAt: min(decay, (1 + step) / (10 + step))', () => {
  expect(emaDecayAt(0.999, 1)).toBeCloseTo(2 / 11, 15);
  expect(emaDecayAt(0.999, 10)).toBeCloseTo(11 / 20, 15);
  expect(emaDecayAt(0.999, 8990)).toBeCloseTo(8991 / 9000, 15);
  expect(emaDecayAt(0.999, 8991)).toBe(0.999); // (1 + s) / (10 + s) >= 0.999 from s = 8991 on
  expect(emaDecayAt(0.9, 1e6)).toBe(0.9);
  expect(emaDecayAt(0, 5)).toBe(0);
});

// The tiny network: x [3] and y [2, 2], loss sum(A (x - TX)^2) + sum(B (y - TY)^2) + 0.3 x_0 y_11.
const X0 = [0.5, -1.0, 2.0];
const Y0 = [1.0, -0.5, 0.25, 3.0];
const A = [1.0, 2.0, 0.5];
const TX = [0.3, 0.1, -0.2];
const B = [0.7, 1.5, 3.0, 0.2];
const TY = [-1.0, 0.5, 0.0, 1.0];

let nets = 0;
/** A TrainableNet of two variables, x [3] and y [2, 2], starting at X0 and Y0 (or `start`). */
function tinyNet(start: { x: number[]; y: number[] } = { x: X0, y: Y0 }): TrainableNet {
  const id = nets++;
  const variables: tf.Variable[] = [tf.variable(tf.tensor1d(start.x), true, `tiny${id}/x`), tf.variable(tf.tensor2d(start.y, [2, 2]), true, `tiny${id}/y`)];
  const names = ['x', 'y'];
  const fileSpecs = (): TensorSpec[] => variables.map((v, k) => ({ name: names[k]!, shape: [...v.shape] }));
  return {
    config: { id },
    net: (input) => tf.clone(input),
    variables,
    names,
    parameterCount: 7,
    fileSpecs,
    fileTensors: (): NamedTensor[] => variables.map((v, k) => ({ name: names[k]!, tensor: tf.clone(v) })),
    setFileTensors: (byName) => names.forEach((n, k) => variables[k]!.assign(byName[n]!)),
    dispose: () => tf.dispose(variables),
  };
}

/** The quadratic loss of the tiny network, times `scale` plus `offset`. */
function quadratic(net: TrainableNet, scale = 1, offset = 0): tf.Scalar {
  return tf.tidy(() => {
    const [x, y] = net.variables as [tf.Variable, tf.Variable];
    const q = tf.addN([
      tf.sum(tf.mul(tf.tensor1d(A), tf.square(tf.sub(x, tf.tensor1d(TX))))),
      tf.sum(tf.mul(tf.tensor2d(B, [2, 2]), tf.square(tf.sub(y, tf.tensor2d(TY, [2, 2]))))),
      tf.mul(0.3, tf.mul(tf.slice(x, [0], [1]), tf.slice(tf.reshape(y, [4]), [3], [1]))).sum(),
    ]);
    return tf.add(tf.mul(q, scale), offset) as tf.Scalar;
  });
}

const stepOf = (loss: () => tf.Scalar): StepLoss => ({ loss, dispose: () => undefined });

const BASE: OptimizerConfig = {
  learningRate: 0.1, warmupSteps: 2, cosineSteps: 5, cosineFloor: 0.1, beta1Adam: 0.9, beta2Adam: 0.99, epsilon: 1e-8,
  weightDecay: 0.1, clipNorm: 0, emaDecay: 0.9,
};

function tinyTrainer(optimizer: OptimizerConfig, stepLoss: (net: TrainableNet, step: number) => StepLoss = (net) => stepOf(() => quadratic(net)), watch = false, fusedUpdate = true): Trainer<TrainableNet> {
  return new Trainer({ net: tinyNet(), twin: () => tinyNet(), optimizer, stepLoss, fusedUpdate, ...(watch ? { watch: { unit: 'nats' } } : {}) });
}

const valuesOf = (vars: tf.Tensor[]) => vars.map((v) => Array.from(v.dataSync()));

/**
 * PyTorch (1.13) in float64 on the same problem, 6 steps, betas (0.9, 0.99), learning rate set per step to learningRateAt
 * (`lr_at` below), generated by this script (/usr/bin/python3 with torch 1.13):
 *
 *   import json, math, torch
 *   torch.set_default_dtype(torch.float64)
 *   A = torch.tensor([1.0, 2.0, 0.5]); TX = torch.tensor([0.3, 0.1, -0.2])
 *   B = torch.tensor([[0.7, 1.5], [3.0, 0.2]]); TY = torch.tensor([[-1.0, 0.5], [0.0, 1.0]])
 *   def loss_of(x, y): return (A * (x - TX) ** 2).sum() + (B * (y - TY) ** 2).sum() + 0.3 * x[0] * y[1, 1]
 *   def lr_at(c, s):
 *       warm = min(1, s / c['warmup']) if c['warmup'] > 0 else 1
 *       if not c['cosine']: return c['lr'] * warm
 *       p = min(1, s / c['cosine'])
 *       return c['lr'] * warm * (c['floor'] + (1 - c['floor']) * 0.5 * (1 + math.cos(math.pi * p)))
 *   def run(c, steps=6):
 *       x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True); y = torch.tensor([[1.0, -0.5], [0.25, 3.0]], requires_grad=True)
 *       opt = (torch.optim.AdamW if c['wd'] > 0 else torch.optim.Adam)([x, y], lr=c['lr'], betas=(0.9, 0.99), eps=c['eps'], weight_decay=c['wd'])
 *       ema = [x.detach().clone(), y.detach().clone()]; losses = []; norms = []
 *       for s in range(1, steps + 1):
 *           for g in opt.param_groups: g['lr'] = lr_at(c, s)
 *           opt.zero_grad(); loss = loss_of(x, y); loss.backward(); losses.append(loss.item())
 *           norms.append(torch.nn.utils.clip_grad_norm_([x, y], c['clip'] if c['clip'] > 0 else float('inf')).item())
 *           opt.step()
 *           d = min(c['ema'], (1 + s) / (10 + s))
 *           ema = [d * e + (1 - d) * w.detach() for e, w in zip(ema, [x, y])]
 *       return dict(losses=losses, gradNorms=norms, x=x.tolist(), y=sum(y.tolist(), []), emaX=ema[0].tolist(), emaY=sum(ema[1].tolist(), []))
 *   base = dict(lr=0.1, warmup=2, cosine=5, floor=0.1, eps=1e-8, wd=0.1, clip=0, ema=0.9)
 *   print(json.dumps({
 *       'adamw': run(base),
 *       'adam': run({**base, 'wd': 0}),
 *       'clipped': run({**base, 'warmup': 0, 'cosine': 0, 'eps': 0.5, 'clip': 1.0, 'ema': 0}),
 *       'unclipped': run({**base, 'warmup': 0, 'cosine': 0, 'eps': 0.5, 'clip': 0, 'ema': 0}),
 *   }))
 *
 * (The numbers are stored in tests/vectors/optimizer_adamw.json, which the conformance checks also run on the GPU
 * backends. torch.optim.Adam with weight_decay 0 is the same update as AdamW with weight_decay 0. clip_grad_norm_
 * divides by norm + 1e-6, which moves these weights by under 1e-7 relative.)
 */
const TORCH_FILE = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'vectors', 'optimizer_adamw.json'), 'utf8')) as { cases: (TorchRun & { name: string })[] };
/** The runs of tests/vectors/optimizer_adamw.json (printed by the script above), by case name. */
const torchCase = (name: string): TorchRun => TORCH_FILE.cases.find((c) => c.name === name)!;
const TORCH = { adamw: torchCase('adamw'), adam: torchCase('adam'), clipped: torchCase('clipped'), unclipped: torchCase('unclipped') };

/** |actual - expected| <= tol x max(1, |expected|) for every entry. */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string, tol = 1e-6): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((e, k) => {
    const err = Math.abs(actual[k]! - e) / Math.max(1, Math.abs(e));
    expect(err, `${what}[${k}]: ${actual[k]} vs ${e}`).toBeLessThanOrEqual(tol);
  });
}

/** Runs 6 steps and compares losses, gradient norms, weights and (when kept) the average with a PyTorch run. */
async function compareWithTorch(optimizer: OptimizerConfig, ref: TorchRun, fusedUpdate = true): Promise<void> {
  const trainer = tinyTrainer(optimizer, undefined, false, fusedUpdate);
  const reports = [];
  for (let s = 0; s < 6; s++) reports.push(await trainer.trainStep());
  expect(reports.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
  expectClose(reports.map((r) => r.learningRate), [1, 2, 3, 4, 5, 6].map((s) => learningRateAt(optimizer, s)), 'learning rate', 1e-15);
  expectClose(reports.map((r) => r.loss), ref.losses, 'loss');
  expectClose(reports.map((r) => r.gradNorm), ref.gradNorms, 'gradient norm');
  const [x, y] = valuesOf(trainer.net.variables);
  expectClose(x!, ref.x, 'x');
  expectClose(y!, ref.y, 'y');
  if (ref.emaX && ref.emaY) {
    expect(trainer.ema).not.toBe(trainer.net);
    const [ex, ey] = valuesOf(trainer.ema.variables);
    expectClose(ex!, ref.emaX, 'EMA x');
    expectClose(ey!, ref.emaY, 'EMA y');
  } else {
    expect(trainer.ema).toBe(trainer.net);
  }
  trainer.dispose();
}

// The fused one-kernel update (wasm, cpu) and the composed one (the GPU backends' form), on both Node backends.
for (const [backend, fusedUpdate] of [['cpu', true], ['wasm', true], ['cpu', false], ['wasm', false]] as const) describe(`the optimizer against PyTorch (float64), ${backend}, ${fusedUpdate ? 'fused' : 'composed'} update`, () => {
  beforeAll(async () => {
    await useBackend(backend);
  });
  afterAll(async () => {
    await useBackend('cpu');
  });

  test('AdamW with warm-up, a cosine with a floor and the weight average = torch.optim.AdamW', async () => {
    await compareWithTorch(BASE, TORCH.adamw, fusedUpdate);
  });

  test('weight decay 0 = torch.optim.Adam, and the decay matters', async () => {
    await compareWithTorch({ ...BASE, weightDecay: 0 }, TORCH.adam, fusedUpdate);
    // The two references differ by far more than the tolerance, so each comparison can tell AdamW from Adam.
    expect(Math.abs(TORCH.adam.x[2]! - TORCH.adamw.x[2]!)).toBeGreaterThan(0.03);
  });

  test('clipping by global norm (clip_grad_norm_) scales the update when the norm exceeds clipNorm', async () => {
    const constant: OptimizerConfig = { ...BASE, warmupSteps: 0, cosineSteps: undefined, epsilon: 0.5, emaDecay: 0 };
    // The gradient norm (5.1 to 6.8) exceeds 1 at every step: clipped.
    await compareWithTorch({ ...constant, clipNorm: 1 }, TORCH.clipped, fusedUpdate);
    // Above every norm: no clipping, the same as none at all.
    await compareWithTorch({ ...constant, clipNorm: 7 }, TORCH.unclipped, fusedUpdate);
    await compareWithTorch({ ...constant, clipNorm: 0 }, TORCH.unclipped, fusedUpdate);
    expect(Math.abs(TORCH.clipped.x[0]! - TORCH.unclipped.x[0]!)).toBeGreaterThan(0.2);
  });
});

describe('a non-finite step', () => {
  const snapshot = (t: Trainer<TrainableNet>) => ({ step: t.step, tensors: t.state().tensors.map(({ name, tensor }) => [name, Array.from(tensor.dataSync())]) });

  test.each([
    ['a NaN loss', (net: TrainableNet) => tf.mul(quadratic(net), NaN) as tf.Scalar, /The loss became NaN at step 3;/],
    // sqrt(|x_0 - x_0|) = 0 is finite, its gradient is not: the message names the gradient norm, not the loss.
    ['a finite loss with a non-finite gradient', (net: TrainableNet) => tf.tidy(() => {
      const x0 = tf.slice(net.variables[0]!, [0], [1]);
      return tf.add(quadratic(net), tf.sum(tf.sqrt(tf.abs(tf.sub(x0, tf.tensor1d(Array.from(x0.dataSync()))))))) as tf.Scalar;
    }), /The gradient norm became (NaN|Infinity) at step 3;/],
  ])('%s changes nothing and names the step', async (_what, bad, message) => {
    let spoilt = true;
    const trainer = tinyTrainer(BASE, (net, step) => stepOf(() => (step === 3 && spoilt ? bad(net) : quadratic(net))));
    await trainer.trainStep();
    await trainer.trainStep();
    const before = snapshot(trainer);
    const tensors = tf.memory().numTensors;
    const err = await trainer.trainStep().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as NonFiniteLossError).step).toBe(3);
    expect((err as NonFiniteLossError).restoredStep).toBe(2);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain('the weights are still those of step 2');
    expect(snapshot(trainer)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    // The next (finite) step is step 3 again.
    spoilt = false;
    expect((await trainer.trainStep()).step).toBe(3);
    trainer.dispose();
  });
});

describe('the divergence watch', () => {
  test('a loss far above its best for the patience restores the checkpoint and raises DivergedError', async () => {
    const jumpAt = 61;
    // Loss 1 + q until step 60, then 1e6 (1 + q): finite, far above its best.
    const trainer = tinyTrainer({ ...BASE, learningRate: 1e-3, cosineSteps: undefined }, (net, step) => stepOf(() => quadratic(net, step >= jumpAt ? 1e6 : 1, step >= jumpAt ? 1e6 : 1)), true);
    let checkpoint: number[][] = [];
    let error: unknown = null;
    for (let s = 1; s < 200 && !error; s++) {
      try {
        await trainer.trainStep();
      } catch (e) {
        error = e;
      }
      if (trainer.step === DIVERGENCE.checkpointEvery) checkpoint = trainer.state().tensors.map(({ tensor }) => Array.from(tensor.dataSync()));
    }
    expect(error).toBeInstanceOf(DivergedError);
    const d = error as DivergedError;
    expect(d.restoredStep).toBe(DIVERGENCE.checkpointEvery);
    // The smoothed ln(loss) passes ln(100) above its best within a few steps of the jump, then `patience` more.
    expect(d.step).toBeGreaterThanOrEqual(jumpAt + DIVERGENCE.patience - 1);
    expect(d.step).toBeLessThan(jumpAt + DIVERGENCE.patience + 10);
    expect(d.value).toBeGreaterThan(1e6);
    expect(d.message).toContain(`Training diverged at step ${d.step}`);
    expect(d.message).toContain(`the weights of step ${DIVERGENCE.checkpointEvery} (the last good ones) were restored`);
    expect(trainer.step).toBe(DIVERGENCE.checkpointEvery);
    // Weights, average and moments are the checkpoint's, exactly.
    expect(checkpoint.length).toBe(8);
    expect(trainer.state().tensors.map(({ tensor }) => Array.from(tensor.dataSync()))).toEqual(checkpoint);
    trainer.dispose();
  });

  test('diverged() without a watch throws a plain Error', async () => {
    const trainer = tinyTrainer(BASE);
    await trainer.trainStep();
    const err = (() => {
      try {
        trainer.diverged(1, 'pinned');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(DivergedError);
    expect((err as Error).message).toMatch(/no checkpoint/);
    expect(trainer.step).toBe(1);
    trainer.dispose();
  });

  test('diverged() with a watch restores and raises DivergedError', async () => {
    const trainer = tinyTrainer(BASE, undefined, true);
    const start = valuesOf(trainer.net.variables);
    await trainer.trainStep();
    expect(() => trainer.diverged(0.5, 'the samples are pinned')).toThrow(DivergedError);
    expect(trainer.step).toBe(0);
    expect(valuesOf(trainer.net.variables)).toEqual(start);
    trainer.dispose();
  });
});

describe('state() and loadState', () => {
  const cloneState = (t: Trainer<TrainableNet>) => Object.fromEntries(t.state().tensors.map(({ name, tensor }) => [name, tf.clone(tensor)]));

  test('a round trip continues with identical losses and weights', async () => {
    const a = tinyTrainer(BASE);
    for (let s = 0; s < 3; s++) await a.trainStep();
    const saved = cloneState(a);
    expect(Object.keys(saved)).toEqual(['model/x', 'model/y', 'ema/x', 'ema/y', 'adam_m/x', 'adam_m/y', 'adam_v/x', 'adam_v/y']);
    const lossesA = [];
    for (let s = 0; s < 3; s++) lossesA.push((await a.trainStep()).loss);
    const b = new Trainer({ net: tinyNet({ x: [9, 9, 9], y: [9, 9, 9, 9] }), twin: () => tinyNet(), optimizer: BASE, stepLoss: (net) => stepOf(() => quadratic(net)) });
    expect(b.loadState(3, saved)).toEqual([]);
    expect(b.step).toBe(3);
    const lossesB = [];
    for (let s = 0; s < 3; s++) lossesB.push((await b.trainStep()).loss);
    expect(lossesB).toEqual(lossesA);
    expect(valuesOf(b.state().tensors.map((t) => t.tensor))).toEqual(valuesOf(a.state().tensors.map((t) => t.tensor)));
    tf.dispose(Object.values(saved));
    a.dispose();
    b.dispose();
  });

  test.each([
    ['a missing tensor', (s: Record<string, tf.Tensor>) => { delete s['adam_v/y']; }, /checkpoint has no tensor adam_v\/y/],
    ['a wrong shape', (s: Record<string, tf.Tensor>) => { s['ema/x'] = tf.zeros([4]); }, /checkpoint tensor ema\/x has shape \[4\], expected \[3\]/],
  ])('%s throws and changes nothing', async (_what, spoil, message) => {
    const a = tinyTrainer(BASE);
    for (let s = 0; s < 2; s++) await a.trainStep();
    const saved = cloneState(a);
    spoil(saved);
    const b = tinyTrainer(BASE);
    await b.trainStep();
    const before = valuesOf(b.state().tensors.map((t) => t.tensor));
    expect(() => b.loadState(2, saved)).toThrow(message);
    expect(b.step).toBe(1);
    expect(valuesOf(b.state().tensors.map((t) => t.tensor))).toEqual(before);
    // With allowNew a missing tensor keeps its value and is named.
    if (!saved['adam_v/y']) {
      expect(b.loadState(2, saved, true)).toEqual(['adam_v/y']);
      expect(b.step).toBe(2);
    }
    tf.dispose(Object.values(saved));
    a.dispose();
    b.dispose();
  });
});

test('copyWeightsFrom copies the weights, the average and the step count; the moments start afresh', async () => {
  const a = tinyTrainer(BASE);
  for (let s = 0; s < 4; s++) await a.trainStep();
  const b = tinyTrainer({ ...BASE, learningRate: 0.01 });
  b.copyWeightsFrom(a);
  expect(b.step).toBe(4);
  expect(valuesOf(b.net.variables)).toEqual(valuesOf(a.net.variables));
  expect(valuesOf(b.ema.variables)).toEqual(valuesOf(a.ema.variables));
  expect(valuesOf(b.ema.variables)).not.toEqual(valuesOf(b.net.variables));
  const moments = b.state().tensors.filter(({ name }) => name.startsWith('adam_'));
  expect(moments.length).toBe(4);
  for (const { tensor } of moments) expect(Array.from(tensor.dataSync()).every((v) => v === 0)).toBe(true);
  // A source without an average gives its weights as the average.
  const c = tinyTrainer({ ...BASE, emaDecay: 0 });
  await c.trainStep();
  b.copyWeightsFrom(c);
  expect(b.step).toBe(1);
  expect(valuesOf(b.ema.variables)).toEqual(valuesOf(c.net.variables));
  a.dispose();
  b.dispose();
  c.dispose();
});
