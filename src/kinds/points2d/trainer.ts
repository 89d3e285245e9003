/**
 * Training a continuous-data BFN on 2D points (Graves et al. 2023, §4): the MLP Psi(mu, t) of src/nets/mlp.ts
 * predicting the noise, mini-batches drawn from the data with a seeded RNG, the loss L^inf (§4, eq. 101; the official
 * `CtsBFN.forward`) or L^n, and the one trainer of src/train/trainer.ts (Adam, the weight average, the divergence
 * watch). No DOM: used by the worker and the Node training script alike.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bfnLoss, ctsFlowBatch, ctsLossInfFromNet, sample, seededNoise, type BfnSpec, type LossType, type SampleResult } from '../../bfn';
import { createMlp, type Mlp } from '../../nets/mlp';
import { createRng, type Rng } from '../../data/random';
import { Trainer, type OptimizerConfig, type StepLoss } from '../../train/trainer';
import { DIVERGENCE } from '../../train/halt';
import { DEFAULT_TRAIN_2D_SETTINGS } from '../../settings/settings2d';

/** Settings of a 2D training run. */
export interface Train2DConfig {
  /** sigma1 of the continuous-data schedule, in (0, 1). */
  sigma1: number;
  /** L^inf, or L^n with n steps. */
  loss: { type: 'inf' } | { type: 'n'; n: number };
  learningRate: number;
  batch: number;
  width: number;
  depth: number;
  /** Residual hidden layers (see MlpConfig.residual); default false. */
  residual?: boolean;
  /** Fourier features of the input per dimension (see MlpConfig.fourierFeatures); default 0. */
  fourierFeatures?: number;
  seed: number;
  /** Decay of the exponential moving average of the weights used for sampling; 0 turns it off. */
  emaDecay?: number;
  /** When set, the learning rate follows a cosine from learningRate to 0 over this many steps. */
  cosineSteps?: number;
}

/** Defaults of the playground and of the shipped models. */
export const DEFAULT_TRAIN_2D: Train2DConfig = DEFAULT_TRAIN_2D_SETTINGS;

/**
 * The optimizer of 2D runs: Adam with TF.js's defaults (betas 0.9 / 0.999, epsilon 1e-7, which `tf.train.adam` used
 * for the shipped models), no weight decay, no clipping, no warm-up, an optional cosine down to 0.
 */
export function optimizer2D(config: Train2DConfig): OptimizerConfig {
  return {
    learningRate: config.learningRate, warmupSteps: 0, cosineSteps: config.cosineSteps, cosineFloor: 0,
    beta1Adam: 0.9, beta2Adam: 0.999, epsilon: 1e-7, weightDecay: 0, clipNorm: 0, emaDecay: config.emaDecay ?? 0,
  };
}

/** The share of points ([n, 2] row-major) with a coordinate at or beyond +-1, the clip of x_hat. */
export function pinnedShare(points: Float32Array): number {
  let pinned = 0;
  for (let k = 0; k + 1 < points.length; k += 2) if (Math.abs(points[k]!) >= 1 || Math.abs(points[k + 1]!) >= 1) pinned++;
  return points.length >= 2 ? pinned / Math.floor(points.length / 2) : 0;
}

/** Checks training points. @throws RangeError for fewer than 2 points or a length that is not [n, 2]. */
function checkData(data: Float32Array): void {
  if (data.length < 4 || data.length % 2) throw new RangeError(`training data must hold at least 2 points as [n, 2], got length ${data.length}`);
}

/** A 2D trainer: the one trainer with the 2D batch and loss. Call {@link dispose} when done. */
export class Trainer2D extends Trainer<Mlp> {
  readonly spec: BfnSpec;
  private rng: Rng;
  private data: Float32Array;

  /**
   * @param data training points [n, 2] row-major in [-1, 1]. @param mlp a network to train (default: a fresh one
   * from the config; the trainer owns it). @throws RangeError for a bad setting or fewer than 2 points.
   */
  constructor(data: Float32Array, readonly config: Train2DConfig, mlp?: Mlp) {
    checkData(data);
    if (!Number.isInteger(config.batch) || config.batch < 1) throw new RangeError(`batch size must be a positive integer, got ${config.batch}`);
    const spec: BfnSpec = { kind: 'continuous', sigma1: config.sigma1 };
    const net = mlp ?? createMlp({ inputDim: 2, outputDim: 2, width: config.width, depth: config.depth, residual: config.residual ?? false, fourierFeatures: config.fourierFeatures ?? 0, seed: config.seed });
    super({ net, twin: () => createMlp(net.config), optimizer: optimizer2D(config), watch: { unit: 'nats per dimension' } });
    this.spec = spec;
    this.data = data;
    this.rng = createRng(`train:${config.seed}`);
  }

  /** Replaces the training points (e.g. the user drew more); the model and optimizer are kept. */
  setData(data: Float32Array): void {
    checkData(data);
    this.data = data;
  }

  /** A mini-batch of `config.batch` points drawn with replacement. @returns [batch, 2]. */
  private drawBatch(): tf.Tensor2D {
    const n = this.data.length / 2;
    const size = this.config.batch;
    const rows = new Float32Array(2 * size);
    for (let k = 0; k < size; k++) {
      const r = Math.floor(this.rng.uniform() * n);
      rows[2 * k] = this.data[2 * r]!;
      rows[2 * k + 1] = this.data[2 * r + 1]!;
    }
    return tf.tensor2d(rows, [size, 2]);
  }

  /**
   * The loss of step `step` (1-based). L^inf takes the fast path with the hand-written gradient (same draws, same
   * values as bfnLoss), its flow sample drawn outside the gradient scope so the tape records none of it; L^n the
   * generic loss.
   */
  protected override stepLoss(step: number): StepLoss {
    const mlp = this.net;
    const x = this.drawBatch();
    const noise = seededNoise(this.config.seed * 1_000_003 + step - 1);
    const lossType: LossType = this.config.loss;
    const flow = lossType.type === 'inf' ? ctsFlowBatch(this.spec, x, noise) : null;
    return {
      loss: flow ? () => ctsLossInfFromNet(this.spec, mlp.net, x, flow.t, flow.mu) : () => bfnLoss(this.spec, mlp.net, x, noise, lossType),
      dispose: () => tf.dispose([x, ...(flow ? [flow.t, flow.mu] : [])]),
    };
  }

  /**
   * Checks samples of the network ([n, 2], e.g. the live metric's) for the other sign of divergence: nearly all of
   * them pinned at the clip of x_hat while the data are not. Restores the last good checkpoint when they are.
   * @param dataPinned the data's own {@link pinnedShare}.
   * @throws DivergedError (after restoring) when the samples are pinned.
   */
  checkSamples(samples: Float32Array, dataPinned: number): void {
    const share = pinnedShare(samples);
    if (share < DIVERGENCE.pinnedShare || dataPinned >= 0.5) return;
    this.diverged(NaN, `${(100 * share).toFixed(0)} % of the samples sit at the edge of [−1, 1] (the clip of the prediction x̂), against ${(100 * dataPinned).toFixed(0)} % of the data`);
  }

  /**
   * Samples points with the weight average. @param points N. @param n steps. @param record keep the trajectory.
   * @returns the sampler's result (samples [N, 2]).
   */
  sample(points: number, n: number, seed: number, record = false, onStep?: (i: number, n: number) => void | Promise<void>): Promise<SampleResult> {
    return sample(this.spec, this.ema.net, [points, 2], { n, noise: seededNoise(seed), record, onStep });
  }
}
