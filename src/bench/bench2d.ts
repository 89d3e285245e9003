/**
 * The 2D benchmark body shared by Node (`npm run bench`, scripts/bench.ts) and the browser worker (selftest.html's
 * `window.bfnSelfTest.bench2d`): timed blocks of training steps or sampling runs of the 2D playground's model, on the
 * active backend, with every setting given explicitly ({@link Bench2DConfig}; never the app's defaults, which may
 * change). A caller times one block at a time, so that it can interleave the blocks with another implementation's
 * (the PyTorch reference in bench/reference/bfn2d.py). Also builds the case that checks that the reference computes
 * the same loss and samples as this code ({@link bench2DAgreementCase}).
 */
import * as tf from '@tensorflow/tfjs';
import { bfnLoss, replayNoise, sample, type BfnSpec, type StoredDraw } from '../bfn';
import { sampleDataset } from '../data/toy2d';
import { createRng } from '../data/random';
import { createMlp, type MlpConfig } from '../nets/mlp';
import { Trainer2D } from '../train/trainer2d';

/** Everything a 2D benchmark row depends on. */
export interface Bench2DConfig {
  /** MLP hidden width and number of hidden layers (swish), and sinusoidal time features (even). */
  width: number;
  depth: number;
  timeFeatures: number;
  /** Training batch (rows per step). */
  batch: number;
  /** sigma1 of the continuous-data schedule; the loss is L^inf. */
  sigma1: number;
  /** Adam's learning rate (constant: no cosine decay). */
  learningRate: number;
  /** The trainer's weight-averaging decay; 0 turns the EMA (and its per-step update) off. */
  emaDecay: number;
  /** Seed of the initial weights and of the batches. */
  seed: number;
  /** Sampling: N points, n steps. */
  samplePoints: number;
  sampleSteps: number;
}

/**
 * The reference row `train-ref` / `sample` of `npm run bench`: MLP 128 x 3, 16 time features, batch 256, sigma1 0.02,
 * L^inf, Adam 2e-3 without EMA; 2000 points with n = 100 steps. Fixed on purpose, so that numbers stay comparable
 * across versions whatever the playground's defaults become.
 */
export const BENCH_REF_2D: Readonly<Bench2DConfig> = Object.freeze({
  width: 128, depth: 3, timeFeatures: 16, batch: 256, sigma1: 0.02, learningRate: 2e-3, emaDecay: 0, seed: 1, samplePoints: 2000, sampleSteps: 100,
});

/** What a block times: `train`, training steps (Trainer2D.trainStep); `sample`, full sampling runs (N points, n steps). */
export type Bench2DTask = 'train' | 'sample';

/** One timed block. */
export interface Bench2DBlockRequest {
  config: Bench2DConfig;
  task: Bench2DTask;
  /** Training steps, or sampling runs, in the block (1..10000). */
  count: number;
}

/** The wall time of one block on the active backend. */
export interface Bench2DBlockResult {
  backend: string;
  task: Bench2DTask;
  count: number;
  /** Milliseconds for the whole block (divide by count for one step or one sampling run). */
  ms: number;
}

/** Points in the benchmark's training set. */
export const BENCH_DATA_POINTS = 4096;

/** The benchmark's training data: {@link BENCH_DATA_POINTS} two-moons points (seed 1), [n, 2] row-major in [-1, 1]. */
export function benchData2D(): Float32Array {
  return sampleDataset('two-moons', BENCH_DATA_POINTS, 1);
}

/** The trainer the blocks run on, kept between blocks of the same config; the tasks already warmed up. */
let session: { key: string; trainer: Trainer2D; warm: Set<Bench2DTask>; samples: number } | null = null;

/** The MLP of a config: plain (not residual) hidden layers, as the reference row has always had. */
const mlpConfig = (config: Bench2DConfig): MlpConfig => ({
  inputDim: 2, outputDim: 2, width: config.width, depth: config.depth, timeFeatures: config.timeFeatures, residual: false, seed: config.seed,
});

function trainerFor(config: Bench2DConfig): Trainer2D {
  const mlp = createMlp(mlpConfig(config));
  try {
    return new Trainer2D(benchData2D(), {
      sigma1: config.sigma1, loss: { type: 'inf' }, learningRate: config.learningRate, batch: config.batch,
      width: config.width, depth: config.depth, seed: config.seed, emaDecay: config.emaDecay,
    }, mlp);
  } catch (err) {
    mlp.dispose();
    throw err;
  }
}

/**
 * Times one block on the active backend. The first block of a config builds the trainer (explicit MLP and
 * Trainer2D settings from `config`); the first block of each task runs an untimed warm-up first (5 training steps,
 * or a 2-step sampling run: kernel compilation, wasm start-up). A `train` step is everything Trainer2D.trainStep
 * does (at this writing: draw a batch, L^inf and its gradients, read the loss back with a finiteness check, the
 * Adam update, and the EMA update when `emaDecay` > 0). A `sample` run is Trainer2D.sample(N, n), no trajectory.
 * @throws RangeError for a count outside 1..10000 or an invalid config (from createMlp / Trainer2D).
 */
export async function runBench2DBlock(request: Bench2DBlockRequest, now: () => number = () => performance.now()): Promise<Bench2DBlockResult> {
  const { config, task, count } = request;
  if (!Number.isInteger(count) || count < 1 || count > 10000) throw new RangeError(`bench2d: count must be an integer in 1..10000, got ${count}`);
  if (task !== 'train' && task !== 'sample') throw new RangeError(`bench2d: task must be 'train' or 'sample', got ${String(task)}`);
  const key = JSON.stringify(config);
  if (session?.key !== key) {
    disposeBench2D();
    session = { key, trainer: trainerFor(config), warm: new Set(), samples: 0 };
  }
  const s = session;
  const sampleOnce = (steps: number) => s.trainer.sample(config.samplePoints, steps, 2 + s.samples++);
  if (!s.warm.has(task)) {
    if (task === 'train') for (let k = 0; k < 5; k++) await s.trainer.trainStep();
    else await sampleOnce(2);
    s.warm.add(task);
  }
  const t0 = now();
  for (let k = 0; k < count; k++) {
    if (task === 'train') await s.trainer.trainStep();
    else await sampleOnce(config.sampleSteps);
  }
  return { backend: tf.getBackend(), task, count, ms: now() - t0 };
}

/** Frees the benchmark's trainer, if any (a later block builds a new one). */
export function disposeBench2D(): void {
  session?.trainer.dispose();
  session = null;
}

/** Weights, data and noise for the agreement check, in the form bench/reference/bfn2d.py's `check` command reads. */
export interface Bench2DAgreementRequest {
  cmd: 'check';
  config: Bench2DConfig;
  /** The MLP's weights in the model file's layout [W0, b0, ..., W_out, b_out] as [shape, row-major values]; W is [in, out]. */
  weights: [number[], number[]][];
  /** Data [B, 2], times [B] and flow noise [B, 2] of the loss. */
  x: number[];
  t: number[];
  eps: number[];
  /** Sampling: N points, n steps, and the sender noise [n, N, 2]. */
  points: number;
  steps: number;
  senderNoise: number[];
}

/** The agreement case: what to send to the PyTorch reference, and what this code computes for it. */
export interface Bench2DAgreementCase {
  request: Bench2DAgreementRequest;
  /** L^inf (batch mean, nats per dimension) of this code for the request's weights, x, t and eps. */
  loss: number;
  /** Samples [N * 2] of this code for the request's weights and sender noise. */
  samples: Float32Array;
}

/**
 * Builds a network of `config`'s shape with seeded, non-zero weights everywhere (the output layer too, so eps_hat
 * matters), a batch of B points with times (t = 0, 1e-7 and 1 included, to cover the t < 1e-6 branch) and noise,
 * and sender noise for an N-point, n-step sampling run; computes this code's loss (src/bfn/losses.ts `bfnLoss`,
 * L^inf) and samples (src/bfn/sampler.ts `sample`) on the active backend with that noise replayed.
 * @param B rows of the loss batch (>= 3). @param N points and @param n steps of the sampling run.
 * @throws RangeError for B < 3.
 */
export async function bench2DAgreementCase(config: Bench2DConfig, B = 64, N = 16, n = 10): Promise<Bench2DAgreementCase> {
  if (!Number.isInteger(B) || B < 3) throw new RangeError(`bench2DAgreementCase: B must be an integer >= 3, got ${B}`);
  const rng = createRng(`bench-agree:${config.seed}`);
  const draw = (count: number, f: () => number) => Array.from({ length: count }, f);
  const mlp = createMlp(mlpConfig(config));
  try {
    // Every weight drawn afresh (in the model file's layout, which the reference reads): uniform in +-sqrt(3 / fan-in)
    // keeps activations of order one.
    const shapes = mlp.fileShapes();
    const fresh = shapes.map((shape) => {
      const scale = Math.sqrt(3 / (shape.length === 2 ? shape[0]! : 4));
      return tf.tensor(draw(shape.reduce((a, b) => a * b, 1), () => scale * (2 * rng.uniform() - 1)), shape);
    });
    const weights: [number[], number[]][] = [];
    try {
      mlp.setFileWeights(fresh);
      for (const [k, w] of fresh.entries()) weights.push([shapes[k]!, Array.from(await w.data())]);
    } finally {
      tf.dispose(fresh);
    }
    const x = draw(2 * B, () => 2 * rng.uniform() - 1);
    const t = [0, 1e-7, 1, ...draw(B - 3, () => rng.uniform())];
    const eps = draw(2 * B, rng.normal);
    const senderNoise = draw(n * N * 2, rng.normal);
    const spec: BfnSpec = { kind: 'continuous', sigma1: config.sigma1 };
    const lossNoise: StoredDraw[] = [{ kind: 'uniform', shape: [B, 1], data: t }, { kind: 'normal', shape: [B, 2], data: eps }];
    const xT = tf.tensor2d(x, [B, 2]);
    const lossT = bfnLoss(spec, mlp.net, xT, replayNoise(lossNoise), { type: 'inf' });
    const loss = (await lossT.data())[0]!;
    tf.dispose([xT, lossT]);
    const senderDraws: StoredDraw[] = Array.from({ length: n }, (_, i) => ({ kind: 'normal', shape: [N, 2], data: senderNoise.slice(i * N * 2, (i + 1) * N * 2) }));
    const { samples } = await sample(spec, mlp.net, [N, 2], { n, noise: replayNoise(senderDraws) });
    return { request: { cmd: 'check', config, weights, x, t, eps, points: N, steps: n, senderNoise }, loss, samples };
  } finally {
    mlp.dispose();
  }
}
