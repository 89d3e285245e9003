/**
 * A multilayer perceptron Psi(input, t) with a sinusoidal time embedding, the network of the 2D playground
 * (DESIGN.md, `src/nets/`). Built from matMul, add, sin/cos and relu/gelu-free elementwise ops only, so it trains on
 * every TF.js backend including wasm (PLATFORM.md).
 */
import * as tf from '@tensorflow/tfjs';
import type { Network } from '../bfn/sampler';

/** Shape of an {@link Mlp}. */
export interface MlpConfig {
  /** Features per input row (e.g. 2 for 2D points). */
  inputDim: number;
  /** Outputs per row (e.g. 2 for eps_hat of 2D points). */
  outputDim: number;
  /** Hidden width, 1..1024. */
  width: number;
  /** Number of hidden layers, 1..8. */
  depth: number;
  /** Number of sinusoidal time features (even), default 16. */
  timeFeatures?: number;
  /** Seed of the Glorot-uniform initialisation. */
  seed?: number;
}

/** Documented limits of the adjustable sizes. */
export const MLP_LIMITS = { width: [1, 1024], depth: [1, 8] } as const;

/** A trainable MLP: its network function and its variables (for optimizers, EMA and saving). */
export interface Mlp {
  config: Required<MlpConfig>;
  net: Network;
  variables: tf.Variable[];
  dispose(): void;
}

/**
 * Sinusoidal embedding of t in [0, 1]: [sin(2 pi f_k t), cos(2 pi f_k t)] with frequencies f_k = 2^(k/2), k = 0..F/2-1
 * (a Fourier-feature variant of Vaswani et al.'s positional code, as BFN's networks use for t).
 * @param t [B, 1]. @returns [B, features].
 */
export function timeEmbedding(t: tf.Tensor, features: number): tf.Tensor {
  return tf.tidy(() => {
    const half = features / 2;
    const freqs = tf.tensor2d(Array.from({ length: half }, (_, k) => 2 * Math.PI * Math.pow(2, k / 2)), [1, half]);
    const angles = tf.matMul(tf.reshape(t, [-1, 1]), freqs);
    return tf.concat([tf.sin(angles), tf.cos(angles)], 1);
  });
}

/**
 * Creates an MLP: h_0 = [input, embed(t)], h_{l+1} = swish(h_l W_l + b_l), output = h_L W_out + b_out, with the
 * output layer initialised to zero so an untrained network predicts eps_hat = 0.
 * @throws RangeError when a size is outside {@link MLP_LIMITS} or not an integer.
 */
export function createMlp(config: MlpConfig): Mlp {
  const cfg: Required<MlpConfig> = { timeFeatures: 16, seed: 0, ...config };
  for (const key of ['width', 'depth'] as const) {
    const [lo, hi] = MLP_LIMITS[key];
    if (!Number.isInteger(cfg[key]) || cfg[key] < lo || cfg[key] > hi) throw new RangeError(`MLP ${key} must be an integer in ${lo}..${hi}, got ${cfg[key]}`);
  }
  if (!Number.isInteger(cfg.inputDim) || cfg.inputDim < 1) throw new RangeError(`inputDim must be a positive integer, got ${cfg.inputDim}`);
  if (!Number.isInteger(cfg.outputDim) || cfg.outputDim < 1) throw new RangeError(`outputDim must be a positive integer, got ${cfg.outputDim}`);
  if (cfg.timeFeatures < 2 || cfg.timeFeatures % 2) throw new RangeError(`timeFeatures must be even and >= 2, got ${cfg.timeFeatures}`);
  const variables: tf.Variable[] = [];
  const dense = (fanIn: number, fanOut: number, zero = false) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    // tf.variable keeps its own reference to the data: dispose the initial tensors so nothing leaks.
    const variable = (init: tf.Tensor) => {
      const v = tf.variable(init, true);
      init.dispose();
      return v;
    };
    const W = variable(zero ? tf.zeros([fanIn, fanOut]) : tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', cfg.seed + variables.length));
    const b = variable(tf.zeros([fanOut]));
    variables.push(W, b);
    return { W, b };
  };
  const layers = Array.from({ length: cfg.depth }, (_, l) => dense(l === 0 ? cfg.inputDim + cfg.timeFeatures : cfg.width, cfg.width));
  const out = dense(cfg.width, cfg.outputDim, true);
  const net: Network = (input, t) =>
    tf.tidy(() => {
      let h = tf.concat([input, timeEmbedding(t, cfg.timeFeatures)], 1);
      for (const { W, b } of layers) {
        const z = tf.add(tf.matMul(h, W), b);
        h = tf.mul(z, tf.sigmoid(z));
      }
      return tf.add(tf.matMul(h, out.W), out.b);
    });
  return { config: cfg, net, variables, dispose: () => tf.dispose(variables) };
}
