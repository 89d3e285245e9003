/**
 * Training a discrete-data BFN with K = 27 on words (Graves et al. 2023, §6, and the text8 experiment of §7.3): the
 * network of src/nets/wordsNet.ts, the continuous-time loss L^inf (§6, eq. 205; official `DiscreteBayesianFlowLoss.
 * cts_time_loss` through `BFN.forward`) on batches of training words drawn with replacement, and the one trainer of
 * src/train/trainer.ts (AdamW betas (0.9, 0.98), weight decay 0.01, clipping by global norm 5, as the official
 * `configs/text8_discrete.yaml` optimizer, with a larger learning rate for this small network). No DOM, no I/O.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bfnLoss, seededNoise, type BfnSpec } from '../../bfn';
import { createWordsNet, type WordsNet, type WordsNetConfig } from '../../nets/wordsNet';
import { createRng } from '../../data/random';
import { categoricalSampler, encodeWords, WORD_CLASSES } from '../../data/words/words';
import { Trainer, type OptimizerConfig, type StepLoss } from '../../train/trainer';

/**
 * The flow of the words model: K = 27 and beta1 = 0.75^2 = 0.5625, the official text8 setting (`max_sqrt_beta: 0.75`),
 * the paper's choice for K = 27.
 */
export const WORDS_BETA1 = 0.5625;

/** Settings of a words training run. */
export interface TrainWordsConfig {
  net: Partial<WordsNetConfig>;
  beta1: number;
  batch: number;
  /** Peak learning rate. */
  learningRate: number;
  warmupSteps: number;
  /** When set, the rate follows a cosine from the peak to 10 % of it at this step. */
  cosineSteps?: number;
  weightDecay: number;
  clipNorm: number;
  emaDecay: number;
  seed: number;
}

/** How training words are drawn: each equally often, or in proportion to given probabilities (e.g. Zipf weights by rank). */
export type WordDraw = { kind: 'uniform' } | { kind: 'weighted'; probabilities: ArrayLike<number> };

/** Defaults of `npm run train -- words`. */
export const DEFAULT_TRAIN_WORDS: TrainWordsConfig = {
  net: {}, beta1: WORDS_BETA1, batch: 256, learningRate: 1e-3, warmupSteps: 200, weightDecay: 0.01, clipNorm: 5, emaDecay: 0.999, seed: 1,
};

/** The optimizer of words runs: AdamW as torch's (betas (0.9, 0.98), epsilon 1e-8), the cosine ending at 10 %. */
export function optimizerWords(c: TrainWordsConfig): OptimizerConfig {
  return {
    learningRate: c.learningRate, warmupSteps: c.warmupSteps, cosineSteps: c.cosineSteps, cosineFloor: 0.1, beta1Adam: 0.9, beta2Adam: 0.98,
    epsilon: 1e-8, weightDecay: c.weightDecay, clipNorm: c.clipNorm, emaDecay: c.emaDecay,
  };
}

/** A words trainer: the one trainer with word batches and L^inf. Call {@link dispose} when done. */
export class TrainerWords extends Trainer<WordsNet> {
  readonly spec: BfnSpec;
  private readonly encoded: Int32Array;
  private readonly L: number;
  private readonly pick: (u: number) => number;

  /**
   * @param words the training words (a-z, at most the network's length). @param draw how often each is drawn.
   * @throws RangeError for an empty list, a word the encoding refuses, a bad batch size, or probabilities of another length.
   */
  constructor(words: readonly string[], readonly config: TrainWordsConfig, draw: WordDraw = { kind: 'uniform' }) {
    if (!Number.isInteger(config.batch) || config.batch < 1) throw new RangeError(`batch size must be a positive integer, got ${config.batch}`);
    if (words.length < 1) throw new RangeError('there are no training words');
    const net = createWordsNet({ seed: config.seed, ...config.net });
    super({ net, twin: () => createWordsNet(net.config), optimizer: optimizerWords(config) });
    this.L = net.config.length;
    this.encoded = encodeWords(words, this.L);
    if (draw.kind === 'weighted' && draw.probabilities.length !== words.length) throw new RangeError(`${draw.probabilities.length} probabilities for ${words.length} words`);
    this.pick = draw.kind === 'weighted' ? categoricalSampler(draw.probabilities) : (u) => Math.floor(u * words.length);
    this.spec = { kind: 'discrete', K: WORD_CLASSES, beta1: config.beta1 };
  }

  /** The batch of step s (1-based), reproducible from (seed, s): words drawn with replacement as `draw` says. @returns int32 [batch, L]. */
  batchAt(step: number): tf.Tensor2D {
    const { batch, seed } = this.config;
    const rng = createRng(`words-batch:${seed}:${step}`);
    const rows = new Int32Array(batch * this.L);
    for (let r = 0; r < batch; r++) {
      const w = this.pick(rng.uniform());
      rows.set(this.encoded.subarray(w * this.L, (w + 1) * this.L), r * this.L);
    }
    return tf.tensor2d(rows, [batch, this.L], 'int32');
  }

  /** L^inf of step `step`'s batch, nats per position (padding positions included). */
  protected override stepLoss(step: number): StepLoss {
    const x = this.batchAt(step);
    const noise = seededNoise(this.config.seed * 7_919 + step);
    return { loss: () => bfnLoss(this.spec, this.net.net, x, noise, { type: 'inf' }), dispose: () => x.dispose() };
  }
}
