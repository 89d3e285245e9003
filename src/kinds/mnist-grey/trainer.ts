/**
 * Training a discretized-data BFN with K bins on grey-scale MNIST (Graves et al. 2023, §5, the setting of the
 * discretized CIFAR-10 experiments, sigma1^2 = 1e-3; official `configs/cifar10_discretized_16bins.yaml`): the network
 * of src/nets/mnistNet.ts with two outputs per pixel (mu_eps, ln sigma_eps), the continuous-time loss L^inf (§5;
 * official `CtsBayesianFlowLoss.cts_time_loss` with the discretized output distribution's mean), and the one trainer
 * of src/train/trainer.ts with the MNIST runs' optimizer. Shared by the Node script and the browser worker; no DOM, no I/O.
 */
import * as tf from '@tensorflow/tfjs-core';
import { seededNoise, type BfnSpec } from '../../bfn';
import { discretizedFlowBatch, discretizedLossInfFromNet } from '../../bfn/discretizedTrain';
import { createMnistNet, type MnistNet, type MnistNetConfig } from '../../nets/mnistNet';
import { MNIST_PIXELS, type MnistImages } from '../../data/mnist/mnist';
import { greyTrainingBatch } from '../../data/mnist/grey';
import { Trainer, type StepLoss } from '../../train/trainer';
import { optimizerMnist, type TrainMnistConfig } from '../mnist-binary/trainer';
import { MNIST_TRAIN_DEFAULTS } from '../../settings/settingsMnist';

/** sigma1 of the paper's discretized runs: sigma1^2 = 1e-3 (official `min_variance: 1e-3`). */
export const GREY_SIGMA1 = Math.sqrt(1e-3);
/** The default number of bins (the paper's 16-bin CIFAR-10 setting). */
export const GREY_DEFAULT_K = 16;

/** The discretized spec for K bins. @throws nothing; the spec is validated where it is used. */
export function greySpec(K = GREY_DEFAULT_K): BfnSpec & { kind: 'discretized' } {
  return { kind: 'discretized', sigma1: GREY_SIGMA1, K };
}

/** Settings of a grey-scale MNIST run: those of a binarized one plus the number of bins. */
export interface TrainGreyConfig extends TrainMnistConfig {
  K: number;
}

/** The shipped network's size: a residual MLP 512 x 3 without convolutions (sized for ~30 min on one CPU core). */
export const DEFAULT_GREY_NET: Partial<MnistNetConfig> = { width: 512, depth: 3, convChannels: 0 };

/** Defaults of `npm run train -- mnist-grey`. */
export const DEFAULT_TRAIN_GREY: TrainGreyConfig = { ...MNIST_TRAIN_DEFAULTS, net: DEFAULT_GREY_NET, K: GREY_DEFAULT_K };

/** The grey-scale network for a size: two outputs per pixel and no log-odds pass-through. */
export function createGreyNet(net: Partial<MnistNetConfig>, seed: number): MnistNet {
  return createMnistNet({ seed, ...net, channels: 2, evidence: false });
}

/** A grey-scale MNIST trainer: the one trainer with the quantised batch and the discretized L^inf. Call {@link dispose} when done. */
export class TrainerMnistGrey extends Trainer<MnistNet> {
  readonly spec: BfnSpec & { kind: 'discretized' };

  /**
   * @param images the training images. @param pool indices of the images to train on (the training split).
   * @throws RangeError for a bad setting or an empty pool.
   */
  constructor(private readonly images: MnistImages, private readonly pool: ArrayLike<number>, readonly config: TrainGreyConfig) {
    if (!Number.isInteger(config.batch) || config.batch < 1) throw new RangeError(`batch size must be a positive integer, got ${config.batch}`);
    if (pool.length < 1) throw new RangeError('the training pool is empty');
    const net = createGreyNet(config.net, config.seed);
    super({ net, twin: () => createMnistNet(net.config), optimizer: optimizerMnist(config) });
    this.spec = greySpec(config.K);
  }

  /** The quantised batch of step s (1-based), reproducible from (seed, s). @returns bin centres [batch, 784]. */
  batchAt(step: number): tf.Tensor2D {
    return tf.tensor2d(greyTrainingBatch(this.images, this.pool, this.config.batch, this.config.K, this.config.seed, step), [this.config.batch, MNIST_PIXELS]);
  }

  /**
   * L^inf of step `step`'s batch, nats per dimension: the draws and value of bfnLoss with `{ type: 'inf' }`, through
   * the fast path of src/bfn/discretizedTrain.ts, its flow sample drawn outside the gradient scope.
   */
  protected override stepLoss(step: number): StepLoss {
    const x = this.batchAt(step);
    const flow = discretizedFlowBatch(this.spec, x, seededNoise(this.config.seed * 7_919 + step));
    return { loss: () => discretizedLossInfFromNet(this.spec, this.net.net, x, flow.t, flow.mu), dispose: () => tf.dispose([x, flow.t, flow.mu]) };
  }
}
