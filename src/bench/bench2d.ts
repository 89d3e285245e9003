/**
 * The 2D benchmark body shared by Node (`npm run bench`, scripts/bench.ts) and the browser worker (selftest.html's
 * `window.bfnSelfTest.bench2d`): timed blocks of training steps or sampling runs of the 2D playground's model, on the
 * active backend, with every setting given explicitly ({@link Bench2DConfig}; never the app's defaults, which may
 * change). A caller times one block at a time, so that it can interleave the blocks with another implementation's
 * (the PyTorch reference in bench/reference/bfn2d.py). Also builds the case that checks that the reference computes
 * the same loss and samples as this code ({@link bench2DAgreementCase}, and {@link bench2DSolverAgreementCase} for the
 * BFN-Solvers).
 */
import * as tf from '@tensorflow/tfjs-core';
import { bfnLoss, replayNoise, sample, seededNoise, type BfnSpec, type SamplerId, type StoredDraw } from '../bfn';
import { sampleDataset } from '../data/toy2d';
import { createRng } from '../data/random';
import { createMlp, type MlpConfig } from '../nets/mlp';
import { sampleWith, samplerIds } from '../train/samplers';
import { Trainer2D } from '../kinds/points2d/trainer';
import { countKernels, kernelsPerStep, type KernelCount } from './kernelCount';

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
  /**
   * `sample` only: the sampler (src/train/samplers.ts sampleWith; default 'original', the sampler the `sample` row has
   * always timed). n = config.sampleSteps for every sampler: n + 1 network calls for the original, n for a solver.
   */
  sampler?: SamplerId;
  /**
   * Also count the kernels of one training step, or of one sampling step (a run of 2 steps less a run of 1), untimed,
   * after the warm-up and before the timed block (src/bench/kernelCount.ts).
   */
  kernels?: boolean;
}

/** The wall time of one block on the active backend. */
export interface Bench2DBlockResult {
  backend: string;
  task: Bench2DTask;
  count: number;
  /** Milliseconds for the whole block (divide by count for one step or one sampling run). */
  ms: number;
  /** With `kernels`: the kernels of one training step or of one sampling step. */
  kernels?: KernelCount;
}

/** Points in the benchmark's training set. */
export const BENCH_DATA_POINTS = 4096;

/** The benchmark's training data: {@link BENCH_DATA_POINTS} two-moons points (seed 1), [n, 2] row-major in [-1, 1]. */
export function benchData2D(): Float32Array {
  return sampleDataset('two-moons', BENCH_DATA_POINTS, 1);
}

/** The trainer the blocks run on, kept between blocks of the same config but N and n; the tasks (and samplers) already warmed up. */
let session: { key: string; trainer: Trainer2D; warm: Set<string>; samples: number } | null = null;

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
 * Trainer2D settings from `config`); the first block of each task (and of each sampler) runs an untimed warm-up
 * first (5 training steps, or a 2-step sampling run: kernel compilation, wasm start-up). A `train` step is everything
 * Trainer2D.trainStep does (at this writing: draw a batch, L^inf and its gradients, read the loss back with a
 * finiteness check, the Adam update, and the EMA update when `emaDecay` > 0). A `sample` run is N points with n
 * steps of the request's sampler on the trainer's (EMA) network, no trajectory: Trainer2D.sample(N, n) for the
 * original sampler, sampleWith() with the same network and a seeded noise source for a BFN-Solver.
 * @throws RangeError for a count outside 1..10000, a sampler continuous data does not offer, or an invalid config
 *   (from createMlp / Trainer2D).
 */
export async function runBench2DBlock(request: Bench2DBlockRequest, now: () => number = () => performance.now()): Promise<Bench2DBlockResult> {
  const { config, task, count } = request;
  if (!Number.isInteger(count) || count < 1 || count > 10000) throw new RangeError(`bench2d: count must be an integer in 1..10000, got ${count}`);
  if (task !== 'train' && task !== 'sample') throw new RangeError(`bench2d: task must be 'train' or 'sample', got ${String(task)}`);
  const sampler = request.sampler ?? 'original';
  if (!samplerIds('continuous').includes(sampler)) throw new RangeError(`bench2d: unknown sampler '${String(sampler)}'; known: ${samplerIds('continuous').join(', ')}`);
  // The trainer does not depend on the sampling run's size: blocks that differ only in N or n share it.
  const key = JSON.stringify({ ...config, samplePoints: 0, sampleSteps: 0 });
  if (session?.key !== key) {
    disposeBench2D();
    session = { key, trainer: trainerFor(config), warm: new Set(), samples: 0 };
  }
  const s = session;
  const sampleOnce = (steps: number) => sampler === 'original'
    ? s.trainer.sample(config.samplePoints, steps, 2 + s.samples++)
    : sampleWith(sampler, s.trainer.spec, s.trainer.ema.net, [config.samplePoints, 2], { n: steps, noise: seededNoise(2 + s.samples++) });
  const warmKey = task === 'train' ? task : `${task}:${sampler}`;
  if (!s.warm.has(warmKey)) {
    if (task === 'train') for (let k = 0; k < 5; k++) await s.trainer.trainStep();
    else await sampleOnce(2);
    s.warm.add(warmKey);
  }
  const kernels = !request.kernels ? undefined
    : task === 'train' ? (await countKernels(async () => (await s.trainer.trainStep(), []))).count : await kernelsPerStep(sampleOnce, 1);
  const t0 = now();
  for (let k = 0; k < count; k++) {
    if (task === 'train') await s.trainer.trainStep();
    else await sampleOnce(config.sampleSteps);
  }
  const ms = now() - t0;
  return { backend: tf.getBackend(), task, count, ms, ...(kernels ? { kernels } : {}) };
}

/** Frees the benchmark's trainer, if any (a later block builds a new one). */
export function disposeBench2D(): void {
  session?.trainer.dispose();
  session = null;
}

/**
 * A network of `config`'s shape with every weight drawn afresh from `rng` (in the model file's layout, which the
 * reference reads): uniform in +-sqrt(3 / fan-in), which keeps activations of order one, the output layer included
 * (so eps_hat matters). @returns the network (the caller disposes it) and its weights as [shape, row-major values].
 */
async function agreementNetwork(config: Bench2DConfig, rng: ReturnType<typeof createRng>): Promise<{ mlp: ReturnType<typeof createMlp>; weights: [number[], number[]][] }> {
  const mlp = createMlp(mlpConfig(config));
  try {
    const shapes = mlp.fileShapes();
    const fresh = shapes.map((shape) => {
      const scale = Math.sqrt(3 / (shape.length === 2 ? shape[0]! : 4));
      return tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * (2 * rng.uniform() - 1)), shape);
    });
    const weights: [number[], number[]][] = [];
    try {
      mlp.setFileWeights(fresh);
      for (const [k, w] of fresh.entries()) weights.push([shapes[k]!, Array.from(await w.data())]);
    } finally {
      tf.dispose(fresh);
    }
    return { mlp, weights };
  } catch (err) {
    mlp.dispose();
    throw err;
  }
}

/** Weights, data and noise for the agreement check, in the form bench/reference/bfn2d.py's `check` command reads. */
export interface Bench2DAgreementRequest {
  cmd: 'check';
  config: Bench2DConfig;
  /** The MLP's weights in the model file's layout [W0, b0, ..., W_out, b_out] as [shape, row-major values]; W is [in, out]. */
  weights: [number[], number[]][];
  /** Data [batch, 2], times [batch] and flow noise [batch, 2] of the loss. */
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
 * matters), a batch of batch points with times (t = 0, 1e-7 and 1 included, to cover the t < 1e-6 branch) and noise,
 * and sender noise for an N-point, n-step sampling run; computes this code's loss (src/bfn/losses.ts `bfnLoss`,
 * L^inf) and samples (src/bfn/sampler.ts `sample`) on the active backend with that noise replayed.
 * @param batch rows of the loss batch (>= 3). @param N points and @param n steps of the sampling run.
 * @throws RangeError for batch < 3.
 */
export async function bench2DAgreementCase(config: Bench2DConfig, batch = 64, N = 16, n = 10): Promise<Bench2DAgreementCase> {
  if (!Number.isInteger(batch) || batch < 3) throw new RangeError(`bench2DAgreementCase: batch must be an integer >= 3, got ${batch}`);
  const rng = createRng(`bench-agree:${config.seed}`);
  const draw = (count: number, f: () => number) => Array.from({ length: count }, f);
  const { mlp, weights } = await agreementNetwork(config, rng);
  try {
    const x = draw(2 * batch, () => 2 * rng.uniform() - 1);
    const t = [0, 1e-7, 1, ...draw(batch - 3, () => rng.uniform())];
    const eps = draw(2 * batch, rng.normal);
    const senderNoise = draw(n * N * 2, rng.normal);
    const spec: BfnSpec = { kind: 'continuous', sigma1: config.sigma1 };
    const lossNoise: StoredDraw[] = [{ kind: 'uniform', shape: [batch, 1], data: t }, { kind: 'normal', shape: [batch, 2], data: eps }];
    const xT = tf.tensor2d(x, [batch, 2]);
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

/** A BFN-Solver agreement case: bench/reference/bfn2d.py's `check_solver` request and this code's samples for it. */
export interface Bench2DSolverAgreementCase {
  request: {
    cmd: 'check_solver';
    config: Bench2DConfig;
    weights: [number[], number[]][];
    algorithm: Exclude<SamplerId, 'original'>;
    points: number;
    steps: number;
    /** [(1 + n) * N * 2]: the initial state's standard normals [N, 2], then step i's z [N, 2] (SDE solvers only). */
    noise: number[];
  };
  /** Samples [N * 2] of sampleWith(algorithm) for the request's weights and noise. */
  samples: Float32Array;
}

/**
 * Builds a network of `config`'s shape with seeded non-zero weights (as {@link bench2DAgreementCase}) and the noise
 * of an N-point, n-step run of a BFN-Solver (Xue et al. 2024; src/bfn/solversContinuous.ts ctsSolverSample, eta 0.01,
 * last_drop), and computes this code's samples on the active backend with that noise replayed: the initial state's
 * draw, then one draw per step for the SDE solvers (the ODE solvers use only the first).
 * @param algorithm a BFN-Solver id. @param N points (>= 1) and @param n steps (>= 1).
 * @throws RangeError for a bad algorithm, N or n (from sampleWith).
 */
export async function bench2DSolverAgreementCase(config: Bench2DConfig, algorithm: Exclude<SamplerId, 'original'>, N = 16, n = 10): Promise<Bench2DSolverAgreementCase> {
  const rng = createRng(`bench-agree-solver:${config.seed}:${algorithm}`);
  const { mlp, weights } = await agreementNetwork(config, rng);
  try {
    const noise = Array.from({ length: (1 + n) * N * 2 }, rng.normal);
    const draws: StoredDraw[] = Array.from({ length: 1 + n }, (_, k) => ({ kind: 'normal', shape: [N, 2], data: noise.slice(k * N * 2, (k + 1) * N * 2) }));
    const spec: BfnSpec = { kind: 'continuous', sigma1: config.sigma1 };
    const { samples } = await sampleWith(algorithm, spec, mlp.net, [N, 2], { n, noise: replayNoise(draws) });
    return { request: { cmd: 'check_solver', config, weights, algorithm, points: N, steps: n, noise }, samples };
  } finally {
    mlp.dispose();
  }
}
