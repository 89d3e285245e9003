/**
 * Training a continuous-data BFN on 2D points (the 2D playground's model, issue 3): an MLP Psi(mu, t) predicting the
 * noise (SPEC §2), Adam, mini-batches drawn from the data with a seeded RNG, L^inf or L^n. A non-finite loss rolls
 * the weights back to the last good step and raises {@link NonFiniteLossError}. Used by the worker and by the Node
 * training script alike; no DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { bfnLoss, sample, seededNoise, type BfnSpec, type LossType, type SampleResult } from '../bfn';
import { createMlp, type Mlp } from '../nets/mlp';
import { createRng, type Rng } from '../data/random';

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
  seed: number;
  /** Decay of the exponential moving average of the weights used for sampling; 0 turns it off. */
  emaDecay?: number;
  /** When set, the learning rate follows a cosine from learningRate to 0 over this many steps. */
  cosineSteps?: number;
}

/** Defaults of the playground and of the shipped models. */
export const DEFAULT_TRAIN_2D: Train2DConfig = { sigma1: 0.02, loss: { type: 'inf' }, learningRate: 2e-3, batch: 256, width: 128, depth: 3, seed: 1, emaDecay: 0.99 };

/** Raised when a training step's loss is NaN or infinite; the weights are already rolled back. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  constructor(readonly step: number, readonly value: number) {
    super(`The loss became ${value} at step ${step}; training paused, the weights were rolled back to step ${step - 1} and the optimizer was reset. Try a lower learning rate or a larger sigma1.`);
  }
}

/** A 2D trainer: owns its MLP, optimizer and a snapshot of the last good weights. Call {@link dispose} when done. */
export class Trainer2D {
  readonly spec: BfnSpec;
  readonly mlp: Mlp;
  /** The EMA copy of the network that {@link sample} uses (the training network itself when EMA is off). */
  readonly emaMlp: Mlp;
  private optimizer: tf.Optimizer;
  private rng: Rng;
  private good: tf.Tensor[];
  private data: Float32Array;
  /** Number of completed (good) steps. */
  step = 0;

  /**
   * @param data training points [n, 2] row-major in [-1, 1]. @throws RangeError for a bad setting or fewer than 2 points.
   */
  constructor(data: Float32Array, readonly config: Train2DConfig, mlp?: Mlp) {
    if (data.length < 4 || data.length % 2) throw new RangeError(`training data must hold at least 2 points as [n, 2], got length ${data.length}`);
    if (!(config.learningRate > 0)) throw new RangeError(`learning rate must be positive, got ${config.learningRate}`);
    if (!Number.isInteger(config.batch) || config.batch < 1) throw new RangeError(`batch size must be a positive integer, got ${config.batch}`);
    this.spec = { kind: 'continuous', sigma1: config.sigma1 };
    this.data = data;
    this.mlp = mlp ?? createMlp({ inputDim: 2, outputDim: 2, width: config.width, depth: config.depth, seed: config.seed });
    this.optimizer = tf.train.adam(config.learningRate);
    this.rng = createRng(`train:${config.seed}`);
    this.good = this.mlp.variables.map((v) => tf.clone(v));
    this.emaMlp = config.emaDecay ? createMlp(this.mlp.config) : this.mlp;
    if (this.emaMlp !== this.mlp) this.emaMlp.variables.forEach((v, k) => v.assign(this.mlp.variables[k]!));
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
   * Runs one Adam step on a fresh mini-batch. @returns the batch loss (nats per dimension).
   * @throws NonFiniteLossError after restoring the last good weights when the loss is not finite.
   */
  async trainStep(): Promise<number> {
    const x = this.batch();
    const noise = seededNoise(this.config.seed * 1_000_003 + this.step);
    const lossType: LossType = this.config.loss;
    if (this.config.cosineSteps) {
      const progress = Math.min(this.step / this.config.cosineSteps, 1);
      // AdamOptimizer reads its (protected) learningRate on every step.
      (this.optimizer as unknown as { learningRate: number }).learningRate = this.config.learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    const lossTensor = this.optimizer.minimize(() => bfnLoss(this.spec, this.mlp.net, x, noise, lossType), true, this.mlp.variables)!;
    x.dispose();
    const value = (await lossTensor.data())[0]!;
    lossTensor.dispose();
    if (!Number.isFinite(value) || !(await this.weightsFinite())) {
      this.mlp.variables.forEach((v, k) => v.assign(this.good[k]!));
      // Adam's moments absorbed the bad gradients too: start the optimizer afresh.
      this.optimizer.dispose();
      this.optimizer = tf.train.adam(this.config.learningRate);
      throw new NonFiniteLossError(this.step + 1, value);
    }
    this.step += 1;
    this.mlp.variables.forEach((v, k) => {
      this.good[k]!.dispose();
      this.good[k] = tf.clone(v);
    });
    if (this.emaMlp !== this.mlp) {
      // Warm-up as in common EMA practice: the effective decay grows from 0 towards emaDecay.
      const decay = Math.min(this.config.emaDecay!, (1 + this.step) / (10 + this.step));
      tf.tidy(() => this.emaMlp.variables.forEach((e, k) => e.assign(tf.add(tf.mul(e, decay), tf.mul(this.mlp.variables[k]!, 1 - decay)))));
    }
    return value;
  }

  private async weightsFinite(): Promise<boolean> {
    // Pairwise adds, not tf.addN: the WebGPU AddN kernel of tfjs 4.22 exceeds the 8-storage-buffer limit with 8+ inputs.
    const bad = tf.tidy(() => this.mlp.variables.map((v) => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(v)), 'float32'))).reduce((a, b) => tf.add(a, b)));
    const count = (await bad.data())[0]!;
    bad.dispose();
    return count === 0;
  }

  /**
   * Samples points with the trained network. @param points N. @param n steps. @param record keep the trajectory.
   * @returns the sampler's result (samples [N, 2]).
   */
  sample(points: number, n: number, seed: number, record = false, onStep?: (i: number, n: number) => void | Promise<void>): Promise<SampleResult> {
    return sample(this.spec, this.emaMlp.net, [points, 2], { n, noise: seededNoise(seed), record, onStep });
  }

  /** Frees the network, the optimizer and the snapshot. */
  dispose(): void {
    this.optimizer.dispose();
    tf.dispose(this.good);
    if (this.emaMlp !== this.mlp) this.emaMlp.dispose();
    this.mlp.dispose();
  }
}
