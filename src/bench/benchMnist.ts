/**
 * The MNIST benchmark body shared by Node (`npm run bench`) and the browser worker (selftest.html's
 * `window.bfnSelfTest.benchMnist`): milliseconds per training step at batch 64 (the shipped network size and trainer:
 * L^inf, AdamW, clipping, EMA) and per sampling run of 16 digits with n = 100 steps, and the number of TF.js kernels
 * per training step and per sampling step (src/bench/kernelCount.ts). Untrained weights: the cost does not depend on
 * their values. The training images are synthetic grey images (uniform intensities), so the benchmark needs no
 * download; a step's cost does not depend on the pixel values. With `keep`, the trainer stays between calls, so that
 * a caller can time one block at a time and interleave the blocks with the PyTorch reference
 * (bench/reference/bfn_mnist.py). Also builds the case that checks that the reference computes the same network output
 * and loss as this code ({@link benchMnistAgreementCase}).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedUpdateKind } from '../train/fusedAdamW';
import { binaryBfnLossInf, binaryFlowNetInput, replayNoise, sample, seededNoise, type BfnSpec, type NoiseSource, type StoredDraw } from '../bfn';
import { MNIST_PIXELS, type MnistImages } from '../data/mnist/mnist';
import { createRng } from '../data/random';
import { DEFAULT_TRAIN_MNIST, MNIST_SPEC, TrainerMnist, type TrainMnistConfig } from '../kinds/mnist-binary/trainer';
import { createMnistNet, DEFAULT_MNIST_NET, parameterCount, type MnistNetConfig } from '../nets/mnistNet';
import { countKernels, kernelsPerStep, type KernelCount } from './kernelCount';

/** The benchmark's training batch and sampling run: batch 64; 16 digits with n = 100 steps. */
export const BENCH_MNIST = Object.freeze({ batch: 64, sampleImages: 16, sampleSteps: 100 });

/** What {@link benchMnist} runs. */
export interface MnistBenchRequest {
  /** Timed training steps (default 10; 0 with `kernels` only counts). */
  trainSteps?: number;
  /** Timed sampling runs (default 2; 0 with `kernels` only counts). */
  sampleRepeats?: number;
  /** Count the kernels of one training step and of one sampling step (untimed, before the timed steps). */
  kernels?: boolean;
  /** Keep the trainer (already warmed up) for the next call instead of disposing it; {@link disposeBenchMnist} frees it. */
  keep?: boolean;
}

/** One backend's MNIST results. */
export interface MnistBenchResult {
  backend: string;
  /** Milliseconds to sample 16 digits with n = 100 steps (median of the repeats; NaN without repeats). */
  sampleMs: number;
  /** Training steps per second at batch 64 (L^inf, AdamW, EMA, gradient clipping). */
  trainStepsPerSecond: number;
  /** Median milliseconds per training step (NaN without steps). */
  trainStepMs: number;
  /** Wall milliseconds of all the timed training steps, and of all the timed sampling runs (one block each). */
  trainTotalMs: number;
  sampleTotalMs: number;
  trainSteps: number;
  sampleRepeats: number;
  parameters: number;
  /** With `kernels`: kernels of one training step, and of one sampling step (a run of n + 1 steps less one of n). */
  kernels?: { trainStep: KernelCount; sampleStep: KernelCount };
  /** The loop of the optimizer update (src/train/fusedAdamW.ts fusedUpdateKind): 'wasm-simd', 'js', 'webgpu-wgsl', 'webgl-glsl' or 'composed'. */
  update: ReturnType<typeof fusedUpdateKind>;
}

/** beta1 of the MNIST flow (the accuracy schedule beta(t) = beta1 t^2). */
const { beta1: BETA1 } = MNIST_SPEC as Extract<BfnSpec, { kind: 'discrete' }>;

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);

/** The trainer kept between calls with `keep`, and how many sampling runs it made (each gets its own seed). */
let session: { trainer: TrainerMnist; samples: number } | null = null;

function newSession(): { trainer: TrainerMnist; samples: number } {
  const rng = createRng('bench-mnist');
  const images: MnistImages = { count: 256, pixels: Uint8Array.from({ length: 256 * MNIST_PIXELS }, () => Math.floor(rng.uniform() * 256)) };
  const config: TrainMnistConfig = { ...DEFAULT_TRAIN_MNIST, batch: BENCH_MNIST.batch };
  return { trainer: new TrainerMnist(images, Array.from({ length: 256 }, (_, k) => k), config), samples: 0 };
}

/**
 * Runs the MNIST benchmark on the active backend: a new trainer (or the kept one) warmed up with 3 training steps and
 * a 2-step sampling run when new; with `kernels`, one counted training step and two counted sampling runs (n = 1 and
 * n = 2); then `trainSteps` timed training steps and `sampleRepeats` timed sampling runs of {@link BENCH_MNIST}.
 * @throws RangeError for a negative or fractional count, or for no work at all (both counts 0 without `kernels`).
 */
export async function benchMnist(request: MnistBenchRequest = {}, now: () => number = () => performance.now()): Promise<MnistBenchResult> {
  const { trainSteps = 10, sampleRepeats = 2, kernels = false, keep = false } = request;
  if (!Number.isInteger(trainSteps) || trainSteps < 0 || !Number.isInteger(sampleRepeats) || sampleRepeats < 0) throw new RangeError('benchMnist: trainSteps and sampleRepeats must be non-negative integers');
  if (trainSteps + sampleRepeats === 0 && !kernels) throw new RangeError('benchMnist: nothing to do (no steps, no runs, no kernel count)');
  const fresh = !session;
  session ??= newSession();
  const s = session;
  const { trainer } = s;
  const sampleOnce = (n: number) => sample(MNIST_SPEC, trainer.ema.net, [BENCH_MNIST.sampleImages, MNIST_PIXELS], { n, noise: seededNoise(2 + s.samples++) });
  try {
    if (fresh && trainSteps + sampleRepeats > 0) {
      for (let k = 0; k < 3; k++) await trainer.trainStep();
      await sampleOnce(2);
    }
    const counted = kernels
      ? { trainStep: (await countKernels(async () => (await trainer.trainStep(), []))).count, sampleStep: await kernelsPerStep(sampleOnce, 1) }
      : undefined;
    const stepTimes: number[] = [];
    for (let k = 0; k < trainSteps; k++) {
      const t0 = now();
      await trainer.trainStep();
      stepTimes.push(now() - t0);
    }
    const sampleTimes: number[] = [];
    for (let k = 0; k < sampleRepeats; k++) {
      const t0 = now();
      await sampleOnce(BENCH_MNIST.sampleSteps);
      sampleTimes.push(now() - t0);
    }
    const trainStepMs = median(stepTimes);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return {
      backend: tf.getBackend(), sampleMs: median(sampleTimes), trainStepsPerSecond: 1000 / trainStepMs, trainStepMs,
      trainTotalMs: sum(stepTimes), sampleTotalMs: sum(sampleTimes), trainSteps, sampleRepeats, parameters: parameterCount(trainer.net),
      ...(counted ? { kernels: counted } : {}), update: fusedUpdateKind(),
    };
  } finally {
    if (!keep) disposeBenchMnist();
  }
}

/**
 * The settings bench/reference/bfn_mnist.py's `setup` reads for the benchmark's training and sampling sessions: the
 * shipped network size, the flow's beta1, the trainer's optimizer (the defaults of `npm run train -- mnist-binary`) and
 * {@link BENCH_MNIST}'s batch and sampling run.
 */
export function mnistReferenceConfig(): Record<string, number | boolean> {
  const { width, depth, timeFeatures, convChannels, evidence } = DEFAULT_MNIST_NET;
  const { learningRate, warmupSteps, beta1Adam, beta2Adam, weightDecay, clipNorm, emaDecay, seed } = DEFAULT_TRAIN_MNIST;
  return {
    width, depth, timeFeatures, convChannels, evidence, beta1: BETA1, batch: BENCH_MNIST.batch, learningRate, warmupSteps, beta1Adam, beta2Adam,
    weightDecay, clipNorm, emaDecay, seed, sampleImages: BENCH_MNIST.sampleImages, sampleSteps: BENCH_MNIST.sampleSteps,
  };
}

/** Frees the kept benchmark trainer, if any. */
export function disposeBenchMnist(): void {
  session?.trainer.dispose();
  session = null;
}

/** Float32 values as base64 of their little-endian bytes (exact, and a quarter of the size of JSON numbers). */
function base64Float32(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(Float32Array.from(values).buffer);
  let text = '';
  for (let k = 0; k < bytes.length; k += 0x8000) text += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  return btoa(text);
}

/** The network, data and noise of the agreement check, in the form bench/reference/bfn_mnist.py's `check` reads. */
export interface MnistAgreementRequest {
  cmd: 'check';
  config: MnistNetConfig & { beta1: number };
  /** Every variable of the network in order: [name, shape, base64 float32 row-major]; matrices are [in, out]. */
  weights: [string, number[], string][];
  /** Rows of the loss batch; class indices x [rows, 784] (base64 float32), times t [rows], normals z [rows, 784] (base64). */
  rows: number;
  x: string;
  t: number[];
  z: string;
  /** Sampling: images, n steps, and the noise draws in the order this code made them: [kind, shape, base64]. */
  images: number;
  steps: number;
  draws: ['uniform' | 'normal', number[], string][];
}

/** The agreement case: what to send to the reference, and what this code computes for it. */
export interface MnistAgreementCase {
  request: MnistAgreementRequest;
  /** L^inf (batch mean, nats per pixel) for the request's weights, x, t and z (binaryBfnLossInf). */
  loss: number;
  /** The network's logits [rows * 784] at the flow sample of x, t, z. */
  logits: Float32Array;
  /** Samples (class indices) [images * 784] of `sample` with the recorded draws. */
  samples: Float32Array;
  parameters: number;
}

/** A seeded noise source that also records its draws (kind, shape, values), for replaying them elsewhere. */
function recordingNoise(seed: number): NoiseSource & { draws: StoredDraw[] } {
  const inner = seededNoise(seed);
  const draws: StoredDraw[] = [];
  const keep = (kind: StoredDraw['kind'], x: tf.Tensor) => (draws.push({ kind, shape: [...x.shape], data: x.dataSync().slice() }), x);
  return { draws, normal: (shape) => keep('normal', inner.normal(shape)), uniform: (shape) => keep('uniform', inner.uniform(shape)) };
}

/**
 * Builds the shipped-size network (src/nets/mnistNet.ts defaults, `net` merged over them) with every variable drawn
 * afresh, uniform in +-sqrt(3 / fan-in) for matrices and +-0.5 for vectors (the zero-initialised output layer, skip and
 * evidence weights too, so that every term of the logit matters), a batch of `rows` binarized images with times
 * (t = 0, 1e-12 and 1 included: the uniform-input branch and the clamp at 1 - 1e-6) and normals, and an `images`-digit,
 * n-step sampling run; computes on the active backend the loss (binaryBfnLossInf with that noise replayed), the
 * network's logits at the flow sample, and the samples with the run's draws recorded.
 * @throws RangeError for rows < 3 or a bad network size.
 */
export async function benchMnistAgreementCase(net: Partial<MnistNetConfig> = {}, rows = 8, images = 4, n = 5): Promise<MnistAgreementCase> {
  if (!Number.isInteger(rows) || rows < 3) throw new RangeError(`benchMnistAgreementCase: rows must be an integer >= 3, got ${rows}`);
  const rng = createRng('bench-mnist-agree');
  const model = createMnistNet(net);
  const scratch: tf.Tensor[] = [];
  try {
    const weights: [string, number[], string][] = [];
    model.variables.forEach((v, k) => {
      const scale = v.rank === 2 ? Math.sqrt(3 / v.shape[0]!) : 0.5;
      const values = Float32Array.from({ length: v.size }, () => scale * (2 * rng.uniform() - 1));
      v.assign(tf.tensor(values, v.shape));
      weights.push([model.names[k]!, [...v.shape], base64Float32(values)]);
    });
    const x = Float32Array.from({ length: rows * MNIST_PIXELS }, () => (rng.uniform() < 0.3 ? 1 : 0));
    const t = [0, 1e-12, 1, ...Array.from({ length: rows - 3 }, () => rng.uniform())];
    const z = Float32Array.from({ length: rows * MNIST_PIXELS }, rng.normal);
    const lossDraws = (): StoredDraw[] => [{ kind: 'uniform', shape: [rows, 1], data: t }, { kind: 'normal', shape: [rows, MNIST_PIXELS], data: z }];
    const xT = tf.tensor2d(x, [rows, MNIST_PIXELS]);
    const tT = tf.tensor2d(t, [rows, 1]);
    scratch.push(xT, tT);
    const lossT = binaryBfnLossInf(MNIST_SPEC, model.net, xT, replayNoise(lossDraws()));
    const input = binaryFlowNetInput(xT, tT, BETA1, replayNoise(lossDraws().slice(1)));
    const logitsT = tf.tidy(() => model.net(tf.reshape(input, [rows, MNIST_PIXELS, 1]), tT));
    scratch.push(lossT, input, logitsT);
    const loss = (await lossT.data())[0]!;
    const logits = Float32Array.from(await logitsT.data());
    const noise = recordingNoise(11);
    const { samples } = await sample(MNIST_SPEC, model.net, [images, MNIST_PIXELS], { n, noise });
    return {
      request: {
        cmd: 'check', config: { ...model.config, beta1: BETA1 }, weights, rows, x: base64Float32(x), t, z: base64Float32(z),
        images, steps: n, draws: noise.draws.map((d) => [d.kind, d.shape, base64Float32(d.data)]),
      },
      loss, logits, samples, parameters: parameterCount(model),
    };
  } finally {
    tf.dispose(scratch);
    model.dispose();
  }
}
