/**
 * Training a discrete-data BFN with K = 3 on the toy data of src/data/simplexToy.ts (Graves et al. 2023, §6): the network of
 * ./net.ts, the continuous-time loss L^inf (§6, eq. 205; official `DiscreteBayesianFlowLoss.cts_time_loss`) through
 * the generic loss of src/bfn/losses.ts, fresh data each step, and the one trainer of src/train/trainer.ts (Adam,
 * clipping by global norm, a cosine learning rate, a weight average). Shared by the Node script and any worker; no DOM.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bfnLoss, seededNoise, type BfnSpec } from '../../bfn';
import { Trainer, type StepLoss } from '../../train/trainer';
import { createSimplexNet, type SimplexNet, type SimplexNetConfig } from './net';
import { sampleToyData, SIMPLEX_CLASSES, SIMPLEX_D } from '../../data/simplexToy';

/** The shipped model's flow: K = 3, beta1 = 3 (the view's default). */
export const SIMPLEX_SPEC: BfnSpec = { kind: 'discrete', K: SIMPLEX_CLASSES, beta1: 3 };

/** Settings of a simplex training run. */
export interface TrainSimplexConfig {
  net: Partial<SimplexNetConfig>;
  beta1: number;
  batch: number;
  learningRate: number;
  warmupSteps: number;
  /** The cosine ends (at 10 % of the peak) at this step. */
  cosineSteps: number;
  clipNorm: number;
  emaDecay: number;
  seed: number;
}

/** Defaults of `npm run train -- simplex`. */
export const DEFAULT_TRAIN_SIMPLEX: TrainSimplexConfig = {
  net: {}, beta1: 3, batch: 256, learningRate: 3e-3, warmupSteps: 100, cosineSteps: 3000, clipNorm: 5, emaDecay: 0.995, seed: 1,
};

/** A simplex trainer: the one trainer with toy-data batches and L^inf. Call {@link dispose} when done. */
export class TrainerSimplex extends Trainer<SimplexNet> {
  readonly spec: BfnSpec;

  /** @throws RangeError for a bad setting. */
  constructor(readonly config: TrainSimplexConfig) {
    if (!Number.isInteger(config.batch) || config.batch < 1) throw new RangeError(`batch size must be a positive integer, got ${config.batch}`);
    const net = createSimplexNet({ seed: config.seed, ...config.net });
    super({
      net, twin: () => createSimplexNet(net.config),
      optimizer: {
        learningRate: config.learningRate, warmupSteps: config.warmupSteps, cosineSteps: config.cosineSteps, cosineFloor: 0.1,
        beta1Adam: 0.9, beta2Adam: 0.99, epsilon: 1e-8, weightDecay: 0, clipNorm: config.clipNorm, emaDecay: config.emaDecay,
      },
    });
    this.spec = { kind: 'discrete', K: SIMPLEX_CLASSES, beta1: config.beta1 };
  }

  /** The toy batch of step s (1-based), reproducible from (seed, s). @returns class indices [batch, 3] (int32). */
  batchAt(step: number): tf.Tensor2D {
    return tf.tensor2d(sampleToyData(this.config.batch, `${this.config.seed}:${step}`), [this.config.batch, SIMPLEX_D], 'int32');
  }

  /** L^inf of step `step`'s batch, nats per variable. */
  protected override stepLoss(step: number): StepLoss {
    const x = this.batchAt(step);
    const noise = seededNoise(this.config.seed * 7_919 + step);
    return { loss: () => bfnLoss(this.spec, this.net.net, x, noise, { type: 'inf' }), dispose: () => x.dispose() };
  }
}
