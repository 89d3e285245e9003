/**
 * The words network Psi(theta, t) -> 27 logits per letter position (paper §6: the network of discrete data outputs
 * the output distribution's logits; the text8 model of §7.3 is a transformer). This one is sized to train on one CPU
 * core in minutes: a residual MLP over the whole flattened word (L positions x K = 27 probabilities, read as
 * 2 theta - 1 as the official `TextInputAdapter` does) with the time t entering every layer through a sinusoidal
 * embedding, plus each position's own evidence ln theta passed to its logits with a learned, t-dependent weight (the
 * Bayesian combination of the context's prediction with the position's own sender messages). Built from matMul and
 * elementwise ops only (src/nets/dense.ts), so it trains on every TF.js backend, wasm included.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../bfn/sampler';
import { timeEmbedding } from './mlp';
import { denseMatMul } from './dense';
import type { TrainableNet } from './trainable';
import { NamedVariables } from './namedVariables';

/** Size of a {@link WordsNet}. */
export interface WordsNetConfig {
  /** L, letter positions per word, 2..32. */
  length: number;
  /** K, classes per position (27: padding and a-z), 2..64. */
  classes: number;
  /** Hidden width, 16..2048. */
  width: number;
  /** Layers (the first maps the word to width, the rest are residual), 1..8. */
  depth: number;
  /** Sinusoidal time features (even). */
  timeFeatures: number;
  /** Seed of the initialisation. */
  seed: number;
}

/** Limits of the adjustable sizes, [min, max]. */
export const WORDS_NET_LIMITS = { length: [2, 32], classes: [2, 64], width: [16, 2048], depth: [1, 8], timeFeatures: [2, 128] } as const;

/** The shipped size. */
export const DEFAULT_WORDS_NET: WordsNetConfig = { length: 8, classes: 27, width: 512, depth: 3, timeFeatures: 32, seed: 1 };

/** A trainable words network. */
export type WordsNet = TrainableNet<WordsNetConfig>;

/** Clamp of theta before its logarithm. */
const THETA_EPS = 1e-6;

let instances = 0;

function checkConfig(cfg: WordsNetConfig): void {
  for (const key of ['length', 'classes', 'width', 'depth', 'timeFeatures'] as const) {
    const [lo, hi] = WORDS_NET_LIMITS[key];
    if (!Number.isInteger(cfg[key]) || cfg[key] < lo || cfg[key] > hi) throw new RangeError(`words network ${key} must be an integer in ${lo}..${hi}, got ${cfg[key]}`);
  }
  if (cfg.timeFeatures % 2) throw new RangeError(`timeFeatures must be even, got ${cfg.timeFeatures}`);
}

/**
 * Creates the network. With x = 2 theta - 1 flattened to [batch, L K] and e = embed(t) [batch, F]:
 *   h_1 = swish(x W_1 + e T_1 + b_1);  h_l = h_{l-1} + swish(h_{l-1} W_l + e T_l + b_l) for l = 2..depth;
 *   logits = h_depth W_out + b_out + (g + e G) * ln max(theta, 1e-6)   (g per position and class, G [F, 1]).
 * W_out, b_out, g and G start at zero, so an untrained network gives uniform output probabilities 1/K.
 * @returns input theta [batch, L, K], t [batch, 1, 1] (or [1, 1, 1]) -> logits [batch, L, K].
 * @throws RangeError for a size outside {@link WORDS_NET_LIMITS}.
 */
export function createWordsNet(config: Partial<WordsNetConfig> = {}): WordsNet {
  const cfg: WordsNetConfig = { ...DEFAULT_WORDS_NET, ...config };
  checkConfig(cfg);
  const vars = new NamedVariables(`wordsnet${instances++}`, cfg.seed);
  const add = (name: string, init: tf.Tensor) => vars.add(name, init) as tf.Variable & tf.Tensor2D;
  const glorot = (name: string, fanIn: number, fanOut: number) => vars.glorot(name, fanIn, fanOut) as tf.Variable & tf.Tensor2D;
  const { length: L, classes: K, width, timeFeatures: F } = cfg;
  const D = L * K;
  const layers = Array.from({ length: cfg.depth }, (_, l) => ({
    W: glorot(`mlp${l}.W`, l === 0 ? D : width, width),
    T: glorot(`mlp${l}.T`, F, width),
    b: add(`mlp${l}.b`, tf.zeros([width])),
  }));
  const outW = add('out.W', tf.zeros([width, D]));
  const outB = add('out.b', tf.zeros([D]));
  const evidence = add('out.evidence', tf.zeros([D]));
  const evidenceT = add('out.evidenceT', tf.zeros([F, 1]));
  const net: Network = (input, t) =>
    tf.tidy(() => {
      const batch = input.shape[0]!;
      const theta = tf.reshape(input, [batch, D]);
      const x = tf.sub(tf.mul(theta, 2), 1);
      const e = timeEmbedding(tf.reshape(t, [-1, 1]), F) as tf.Tensor2D;
      let h = x as tf.Tensor2D;
      layers.forEach(({ W, T, b }, l) => {
        const z = tf.add(tf.add(denseMatMul(h, W, l > 0), denseMatMul(e, T, false)), b);
        const a = tf.mul(z, tf.sigmoid(z)) as tf.Tensor2D;
        h = l === 0 ? a : tf.add(h, a);
      });
      const gate = tf.add(evidence, denseMatMul(e, evidenceT, false));
      const logits = tf.add(tf.add(denseMatMul(h, outW), outB), tf.mul(gate, tf.log(tf.maximum(theta, THETA_EPS))));
      return tf.reshape(logits, [batch, L, K]);
    });
  return vars.trainable(cfg, net);
}
