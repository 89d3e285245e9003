/**
 * Training a continuous-data BFN on 2D points (the 2D playground's model, issue 3): an MLP Psi(mu, t) predicting the
 * noise (SPEC §2), Adam, mini-batches drawn from the data with a seeded RNG, L^inf or L^n. A step whose loss
 * or gradient is not finite is not applied and raises {@link NonFiniteLossError}; a run that diverges with finite
 * losses (the loss far above its best, or the samples pinned at the clip of x_hat) is rolled back to its last good
 * checkpoint and raises {@link DivergedError}. Used by the worker and by the Node training script alike; no DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { bfnLoss, ctsFlowBatch, ctsLossInfFromNet, sample, seededNoise, type BfnSpec, type LossType, type SampleResult } from '../bfn';
import { createMlp, type Mlp } from '../nets/mlp';
import { createRng, type Rng } from '../data/random';
import { DEFAULT_TRAIN_2D_SETTINGS } from '../settings/settings2d';
import { DIVERGENCE, divergenceWords, DivergedError, LossWatch, NonFiniteLossError, type LossWatchState } from './halt';

export { DIVERGENCE, DivergedError, NonFiniteLossError };

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

/** The share of points ([n, 2] row-major) with a coordinate at or beyond +-1, the clip of x_hat. */
export function pinnedShare(points: Float32Array): number {
  let pinned = 0;
  for (let k = 0; k + 1 < points.length; k += 2) if (Math.abs(points[k]!) >= 1 || Math.abs(points[k + 1]!) >= 1) pinned++;
  return points.length >= 2 ? pinned / Math.floor(points.length / 2) : 0;
}

interface Checkpoint {
  step: number;
  weights: tf.Tensor[];
  ema: tf.Tensor[];
  watch: LossWatchState;
}

/** A 2D trainer: owns its MLP, its weight average and the optimizer. Call {@link dispose} when done. */
export class Trainer2D {
  readonly spec: BfnSpec;
  readonly mlp: Mlp;
  /** The EMA copy of the network that {@link sample} uses (the training network itself when EMA is off). */
  readonly emaMlp: Mlp;
  private optimizer: tf.Optimizer;
  private rng: Rng;
  private data: Float32Array;
  private completed = 0;
  private watch = new LossWatch();
  private checkpoint: Checkpoint | null = null;

  /**
   * @param data training points [n, 2] row-major in [-1, 1]. @throws RangeError for a bad setting or fewer than 2 points.
   */
  constructor(data: Float32Array, readonly config: Train2DConfig, mlp?: Mlp) {
    if (data.length < 4 || data.length % 2) throw new RangeError(`training data must hold at least 2 points as [n, 2], got length ${data.length}`);
    if (!(config.learningRate > 0)) throw new RangeError(`learning rate must be positive, got ${config.learningRate}`);
    if (!Number.isInteger(config.batch) || config.batch < 1) throw new RangeError(`batch size must be a positive integer, got ${config.batch}`);
    this.spec = { kind: 'continuous', sigma1: config.sigma1 };
    this.data = data;
    this.mlp = mlp ?? createMlp({ inputDim: 2, outputDim: 2, width: config.width, depth: config.depth, residual: config.residual ?? false, fourierFeatures: config.fourierFeatures ?? 0, seed: config.seed });
    this.optimizer = tf.train.adam(config.learningRate);
    this.rng = createRng(`train:${config.seed}`);
    this.emaMlp = config.emaDecay ? createMlp(this.mlp.config) : this.mlp;
    if (this.emaMlp !== this.mlp) this.emaMlp.variables.forEach((v, k) => v.assign(this.mlp.variables[k]!));
    this.saveCheckpoint();
  }

  /** Number of completed (good) steps. */
  get step(): number {
    return this.completed;
  }

  /**
   * Counts the steps from `step` on (a network that already trained that many steps elsewhere, or the one of a
   * trainer this one replaces); its current weights become the last good checkpoint.
   */
  continueFrom(step: number): void {
    this.completed = step;
    this.saveCheckpoint();
  }

  /** Keeps copies of the weights and their average as the last good state (replacing the one before). */
  private saveCheckpoint(): void {
    if (this.checkpoint) tf.dispose([...this.checkpoint.weights, ...this.checkpoint.ema]);
    const copy = (m: Mlp) => m.variables.map((v) => tf.clone(v));
    this.checkpoint = { step: this.step, weights: copy(this.mlp), ema: this.emaMlp === this.mlp ? [] : copy(this.emaMlp), watch: this.watch.save() };
  }

  /** Puts back the last good weights, weight average and step count, with a fresh optimizer. @returns that step. */
  private restoreCheckpoint(): number {
    const c = this.checkpoint!;
    this.mlp.variables.forEach((v, k) => v.assign(c.weights[k]!));
    this.emaMlp.variables.forEach((v, k) => v.assign((this.emaMlp === this.mlp ? c.weights : c.ema)[k]!));
    this.optimizer.dispose();
    this.optimizer = tf.train.adam(this.config.learningRate);
    this.completed = c.step;
    this.watch.restore(c.watch);
    return c.step;
  }

  /** Feeds one step's loss to the divergence watch. @throws DivergedError (after restoring) when the run diverged. */
  private watchLoss(loss: number): void {
    const verdict = this.watch.observe(loss);
    if (verdict.diverged) {
      const at = this.step;
      const restored = this.restoreCheckpoint();
      throw new DivergedError(at, loss, divergenceWords(loss, verdict.best, 'nats per dimension'), restored);
    }
    if (this.step % DIVERGENCE.checkpointEvery === 0 && verdict.healthy) this.saveCheckpoint();
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
    const at = this.step;
    const restored = this.restoreCheckpoint();
    throw new DivergedError(at, NaN, `${(100 * share).toFixed(0)} % of the samples sit at the edge of [−1, 1] (the clip of the prediction x̂), against ${(100 * dataPinned).toFixed(0)} % of the data`, restored);
  }

  /** Replaces the training points (e.g. the user drew more); the model and optimizer are kept. */
  setData(data: Float32Array): void {
    if (data.length < 4 || data.length % 2) throw new RangeError(`training data must hold at least 2 points, got length ${data.length / 2}`);
    this.data = data;
  }

  private batch(): tf.Tensor2D {
    const n = this.data.length / 2;
    const rows = new Float32Array(2 * this.config.batch);
    for (let k = 0; k < this.config.batch; k++) {
      const r = Math.floor(this.rng.uniform() * n);
      rows[2 * k] = this.data[2 * r]!;
      rows[2 * k + 1] = this.data[2 * r + 1]!;
    }
    return tf.tensor2d(rows, [this.config.batch, 2]);
  }

  /**
   * Runs one Adam step on a fresh mini-batch. The loss and a finiteness check of every gradient come back in one
   * read-back; a non-finite step is not applied, so the weights, the optimizer's moments and the weight average stay
   * those of the last good step. @returns the batch loss (nats per dimension).
   * @throws NonFiniteLossError when the loss or a gradient is not finite (nothing is changed then).
   * @throws DivergedError when the loss has stayed far above its best ({@link DIVERGENCE}); the last good checkpoint
   *   was restored (weights, their average, the step count, a fresh optimizer).
   */
  async trainStep(): Promise<number> {
    if (!this.checkpoint) throw new Error('this trainer was disposed');
    const x = this.batch();
    const noise = seededNoise(this.config.seed * 1_000_003 + this.step);
    const lossType: LossType = this.config.loss;
    if (this.config.cosineSteps) {
      const progress = Math.min(this.step / this.config.cosineSteps, 1);
      // AdamOptimizer reads its (protected) learningRate on every step.
      (this.optimizer as unknown as { learningRate: number }).learningRate = this.config.learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    // L^inf takes the fast path with the hand-written gradient (same draws, same values as bfnLoss), its flow
    // sample drawn outside the gradient scope so the tape records none of it; L^n the generic loss.
    const flow = lossType.type === 'inf' ? ctsFlowBatch(this.spec, x, noise) : null;
    const loss = flow ? () => ctsLossInfFromNet(this.spec, this.mlp.net, x, flow.t, flow.mu) : () => bfnLoss(this.spec, this.mlp.net, x, noise, lossType);
    const { value: lossTensor, grads } = tf.variableGrads(loss, this.mlp.variables);
    tf.dispose([x, ...(flow ? [flow.t, flow.mu] : [])]);
    // [loss, loss + 0 * (sum of every gradient)]: the second is NaN when any gradient holds a NaN or an infinity.
    const check = tf.tidy(() => {
      const gradSum = tf.sum(tf.stack(Object.values(grads).map((g) => tf.sum(g))));
      return tf.stack([lossTensor, tf.add(lossTensor, tf.mul(gradSum, 0))]);
    });
    const [value, checked] = await check.data();
    check.dispose();
    lossTensor.dispose();
    if (!Number.isFinite(checked)) {
      tf.dispose(grads);
      throw new NonFiniteLossError(this.step + 1, Number.isFinite(value) ? NaN : value!);
    }
    this.optimizer.applyGradients(grads);
    tf.dispose(grads);
    this.completed += 1;
    if (this.emaMlp !== this.mlp) {
      // Warm-up as in common EMA practice: the effective decay grows from 0 towards emaDecay.
      const decay = Math.min(this.config.emaDecay!, (1 + this.step) / (10 + this.step));
      tf.tidy(() => this.emaMlp.variables.forEach((e, k) => e.assign(tf.add(tf.mul(e, decay), tf.mul(this.mlp.variables[k]!, 1 - decay)))));
    }
    this.watchLoss(value!);
    return value!;
  }

  /**
   * Samples points with the trained network. @param points N. @param n steps. @param record keep the trajectory.
   * @returns the sampler's result (samples [N, 2]).
   */
  sample(points: number, n: number, seed: number, record = false, onStep?: (i: number, n: number) => void | Promise<void>): Promise<SampleResult> {
    return sample(this.spec, this.emaMlp.net, [points, 2], { n, noise: seededNoise(seed), record, onStep });
  }

  /** Frees the networks and the optimizer. */
  dispose(): void {
    if (this.checkpoint) tf.dispose([...this.checkpoint.weights, ...this.checkpoint.ema]);
    this.checkpoint = null;
    this.optimizer.dispose();
    if (this.emaMlp !== this.mlp) this.emaMlp.dispose();
    this.mlp.dispose();
  }
}
