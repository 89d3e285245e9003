/**
 * Training a discrete-data BFN (K = 2, beta1 = 9) on dynamically binarized MNIST (SPEC §4-§6; issue 4): continuous-time
 * loss L^inf, AdamW with decoupled weight decay (official config: betas (0.9, 0.98), weight decay 0.01), gradient
 * clipping by global norm (5.0), an exponential moving average of the weights for sampling and evaluation, and a
 * state that can be saved and restored exactly (checkpoints and resume). A non-finite loss or gradient skips the step
 * and raises {@link NonFiniteLossError}; the weights are never touched by it. Shared by the Node script and the
 * browser worker; no DOM, no I/O.
 */
import * as tf from '@tensorflow/tfjs';
import { binaryBfnLossInf, seededNoise, type BfnSpec } from '../bfn';
import { createMnistNet, type MnistNet, type MnistNetConfig } from '../nets/mnistNet';
import { MNIST_PIXELS, trainingBatch, type MnistImages } from '../data/mnist/mnist';
import { NonFiniteLossError } from './halt';
import { MNIST_TRAIN_DEFAULTS } from '../settings/settingsMnist';

export { NonFiniteLossError };

/** The flow of the paper's MNIST model (SPEC §6: max_sqrt_beta 3, so beta1 = 9). */
export const MNIST_SPEC: BfnSpec = { kind: 'discrete', K: 2, beta1: 9 };

/** Settings of an MNIST training run. */
export interface TrainMnistConfig {
  net: Partial<MnistNetConfig>;
  batch: number;
  /** Peak learning rate. */
  learningRate: number;
  /** Linear warm-up steps from 0 to the peak. */
  warmupSteps: number;
  /** When set, the rate follows a cosine from the peak to 10 % of it at this step, then stays there. */
  cosineSteps?: number;
  beta1Adam: number;
  beta2Adam: number;
  weightDecay: number;
  /** Gradient clipping by global L2 norm; 0 turns it off. */
  clipNorm: number;
  /** EMA decay of the weights used for sampling (with warm-up (1 + s) / (10 + s)). */
  emaDecay: number;
  seed: number;
}

/** Defaults of `npm run train -- mnist-binary` and of the in-browser trainer. */
export const DEFAULT_TRAIN_MNIST: TrainMnistConfig = {
  net: {}, ...MNIST_TRAIN_DEFAULTS,
};

/** The learning rate at a step (1-based) under a config's warm-up and cosine schedule. */
export function learningRateAt(config: TrainMnistConfig, step: number): number {
  const warm = config.warmupSteps > 0 ? Math.min(1, step / config.warmupSteps) : 1;
  if (!config.cosineSteps) return config.learningRate * warm;
  const progress = Math.min(1, step / config.cosineSteps);
  return config.learningRate * warm * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/** One training step's report. */
export interface MnistStepReport {
  step: number;
  /** L^inf of the batch, nats per pixel (multiply by 784 for nats per image). */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  learningRate: number;
}

/** A named tensor list: the trainer's whole state (weights, EMA weights, Adam moments) for a checkpoint. */
export interface MnistTrainerState {
  step: number;
  tensors: { name: string; tensor: tf.Tensor }[];
}

/** An MNIST trainer. It owns its networks and moments; call {@link dispose} when done. */
export class TrainerMnist {
  readonly spec = MNIST_SPEC;
  readonly model: MnistNet;
  /** The EMA copy that sampling and evaluation use. */
  readonly ema: MnistNet;
  private m: tf.Variable[];
  private v: tf.Variable[];
  /** Completed steps. */
  step = 0;

  /**
   * @param images the training images. @param pool indices of the images to train on (the training split).
   * @throws RangeError for a bad setting or an empty pool.
   */
  constructor(private images: MnistImages, private pool: ArrayLike<number>, readonly config: TrainMnistConfig) {
    if (!(config.learningRate > 0)) throw new RangeError(`learning rate must be positive, got ${config.learningRate}`);
    if (!Number.isInteger(config.batch) || config.batch < 1) throw new RangeError(`batch size must be a positive integer, got ${config.batch}`);
    if (pool.length < 1) throw new RangeError('the training pool is empty');
    this.model = createMnistNet({ seed: config.seed, ...config.net });
    this.ema = createMnistNet(this.model.config);
    this.ema.variables.forEach((e, k) => e.assign(this.model.variables[k]!));
    this.m = this.model.variables.map((w) => tf.variable(tf.zerosLike(w), false));
    this.v = this.model.variables.map((w) => tf.variable(tf.zerosLike(w), false));
  }

  /** Replaces the images trained on (e.g. the browser finished downloading more); weights and moments are kept. */
  setData(images: MnistImages, pool: ArrayLike<number>): void {
    if (pool.length < 1) throw new RangeError('the training pool is empty');
    this.images = images;
    this.pool = pool;
  }

  /** The binarized batch of step s (1-based), reproducible from (seed, s). @returns class indices [batch, 784]. */
  batchAt(step: number): tf.Tensor2D {
    return tf.tensor2d(trainingBatch(this.images, this.pool, this.config.batch, this.config.seed, step), [this.config.batch, MNIST_PIXELS]);
  }

  /**
   * One AdamW step on the next batch with L^inf (nats per pixel).
   * @throws NonFiniteLossError when the loss or the gradient norm is not finite; nothing is updated then.
   */
  async trainStep(): Promise<MnistStepReport> {
    const next = this.step + 1;
    const x = this.batchAt(next);
    const noise = seededNoise(this.config.seed * 7_919 + next);
    const lr = learningRateAt(this.config, next);
    const { value, grads } = tf.variableGrads(() => binaryBfnLossInf(this.spec, this.model.net, x, noise), this.model.variables);
    x.dispose();
    const gradList = this.model.variables.map((w) => grads[w.name]!);
    const normT = tf.tidy(() => tf.sqrt(gradList.map((g) => tf.sum(tf.square(g))).reduce((a, b) => tf.add(a, b))));
    const [loss, gradNorm] = [(await value.data())[0]!, (await normT.data())[0]!];
    value.dispose();
    normT.dispose();
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      tf.dispose(gradList);
      throw new NonFiniteLossError(next, Number.isFinite(loss) ? gradNorm : loss);
    }
    const { beta1Adam: b1, beta2Adam: b2, weightDecay, clipNorm, emaDecay } = this.config;
    const scale = clipNorm > 0 && gradNorm > clipNorm ? clipNorm / gradNorm : 1;
    const c1 = 1 - Math.pow(b1, next);
    const c2 = 1 - Math.pow(b2, next);
    const decay = Math.min(emaDecay, (1 + next) / (10 + next));
    tf.tidy(() => {
      this.model.variables.forEach((w, k) => {
        const g = tf.mul(gradList[k]!, scale);
        const m = tf.add(tf.mul(this.m[k]!, b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(this.v[k]!, b2), tf.mul(tf.square(g), 1 - b2));
        this.m[k]!.assign(m);
        this.v[k]!.assign(v);
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), 1e-8));
        // AdamW (Loshchilov & Hutter): decoupled decay w <- w - lr (update + wd w), as torch.optim.AdamW.
        const updated = tf.sub(w, tf.mul(tf.add(update, tf.mul(w, weightDecay)), lr));
        w.assign(updated);
        const e = this.ema.variables[k]!;
        e.assign(tf.add(tf.mul(e, decay), tf.mul(updated, 1 - decay)));
      });
    });
    tf.dispose(gradList);
    this.step = next;
    return { step: next, loss, gradNorm, learningRate: lr };
  }

  /** The whole state, for a checkpoint (the tensors are the live variables: encode them before training on). */
  state(): MnistTrainerState {
    const named = (prefix: string, list: tf.Tensor[]) => list.map((tensor, k) => ({ name: `${prefix}/${this.model.names[k]}`, tensor }));
    return { step: this.step, tensors: [...named('model', this.model.variables), ...named('ema', this.ema.variables), ...named('adam_m', this.m), ...named('adam_v', this.v)] };
  }

  /**
   * Restores a state saved by {@link state} (same network size). With `allowNew`, tensors the checkpoint lacks (weights
   * added to the network since, all zero-initialised) keep their initial values and zero moments.
   * @throws Error naming a missing tensor (unless allowNew) or a shape mismatch; nothing is changed then.
   * @returns the names of the tensors that kept their initial values.
   */
  loadState(step: number, tensors: Record<string, tf.Tensor>, allowNew = false): string[] {
    const targets = this.state().tensors;
    const kept: string[] = [];
    for (const { name, tensor } of targets) {
      const source = tensors[name];
      if (!source && allowNew) {
        kept.push(name);
        continue;
      }
      if (!source) throw new Error(`checkpoint has no tensor ${name}`);
      if (source.shape.join(',') !== tensor.shape.join(',')) throw new Error(`checkpoint tensor ${name} has shape [${source.shape.join(', ')}], expected [${tensor.shape.join(', ')}]`);
    }
    for (const { name, tensor } of targets) if (tensors[name]) (tensor as tf.Variable).assign(tensors[name]!);
    this.step = step;
    return kept;
  }

  /** Frees the networks and moments. */
  dispose(): void {
    this.model.dispose();
    this.ema.dispose();
    tf.dispose([...this.m, ...this.v]);
  }
}
