/**
 * Training a discrete-data BFN with K = 2 on dynamically binarized MNIST (Graves et al. 2023, §6 and the binarized
 * MNIST experiment of §7.2): the network of src/nets/mnistNet.ts, the continuous-time loss L^inf (§6, eq. 205; the
 * official `DiscreteBFN.forward`), batches binarized afresh at each step, and the one trainer of src/train/trainer.ts
 * with the official MNIST settings (AdamW, betas (0.9, 0.98), weight decay 0.01, clipping by global norm 5; the
 * official `configs/mnist_discrete.yaml`). Shared by the Node script and the browser worker; no DOM, no I/O.
 */
import * as tf from '@tensorflow/tfjs-core';
import { binaryBfnLossInf, seededNoise, type BfnSpec } from '../../bfn';
import { createMnistNet, type MnistNet, type MnistNetConfig } from '../../nets/mnistNet';
import { MNIST_PIXELS, trainingBatch, type MnistImages } from '../../data/mnist/mnist';
import { Trainer, type OptimizerConfig, type StepLoss } from '../../train/trainer';
import { MNIST_TRAIN_DEFAULTS } from '../../settings/settingsMnist';

/** The flow of the paper's MNIST model (§7.2: beta1 = 3^2, the official max_sqrt_beta 3). */
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

/** The optimizer of MNIST runs: AdamW as torch's (epsilon 1e-8), the cosine ending at 10 % of the peak. */
export function optimizerMnist(config: TrainMnistConfig): OptimizerConfig {
  const { learningRate, warmupSteps, cosineSteps, beta1Adam, beta2Adam, weightDecay, clipNorm, emaDecay } = config;
  return { learningRate, warmupSteps, cosineSteps, cosineFloor: 0.1, beta1Adam, beta2Adam, epsilon: 1e-8, weightDecay, clipNorm, emaDecay };
}

/** An MNIST trainer: the one trainer with the binarized-MNIST batch and loss. Call {@link dispose} when done. */
export class TrainerMnist extends Trainer<MnistNet> {
  readonly spec = MNIST_SPEC;

  /**
   * @param images the training images. @param pool indices of the images to train on (the training split).
   * @throws RangeError for a bad setting or an empty pool.
   */
  constructor(private images: MnistImages, private pool: ArrayLike<number>, readonly config: TrainMnistConfig) {
    if (!Number.isInteger(config.batch) || config.batch < 1) throw new RangeError(`batch size must be a positive integer, got ${config.batch}`);
    if (pool.length < 1) throw new RangeError('the training pool is empty');
    const net = createMnistNet({ seed: config.seed, ...config.net });
    super({ net, twin: () => createMnistNet(net.config), optimizer: optimizerMnist(config) });
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

  /** L^inf of step `step`'s batch, nats per pixel. */
  protected override stepLoss(step: number): StepLoss {
    const x = this.batchAt(step);
    const noise = seededNoise(this.config.seed * 7_919 + step);
    return { loss: () => binaryBfnLossInf(this.spec, this.net.net, x, noise), dispose: () => x.dispose() };
  }
}
