/**
 * The binarized-MNIST network Psi(2 theta_0 - 1, t) -> one Bernoulli logit per pixel (paper §6, §7.1; the interface
 * of the official `configs/mnist_discrete.yaml` model). The official model is a 24.8M-parameter U-Net; this one is sized to
 * train on a 2-core CPU in hours: a residual MLP over the whole 784-pixel image (global shape) followed by a small
 * stack of 3 x 3 convolutions over [input, MLP output] (local detail), with the time t entering every layer through
 * a sinusoidal embedding. Convolutions are written as 9 shifted slices concatenated and one matMul, because the wasm
 * backend has no conv2d gradient (Conv2DBackpropFilter, tfjs 4.22); everything else is matMul and elementwise ops, so it trains
 * on every TF.js backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../bfn/sampler';
import { timeEmbedding } from './mlp';
import { denseMatMul } from './dense';
import type { TrainableNet } from './trainable';
import { NamedVariables } from './namedVariables';
import { defaultsOf } from '../settings/setting';
import { MNIST_NET_SIZE_LIMITS, SETTINGS_MNIST_NET } from '../settings/settingsMnist';

/** Size of an {@link MnistNet}. */
export interface MnistNetConfig {
  /** Hidden width of the MLP, 16..4096. */
  width: number;
  /** Number of MLP layers (the first maps pixels to width, the rest are residual), 1..8. */
  depth: number;
  /** Channels of the 3 x 3 convolution stack, 0 (no convolutions) or 4..64. */
  convChannels: number;
  /** Number of 3 x 3 convolution layers when convChannels > 0 (the last maps to one logit), 2..6. */
  convLayers: number;
  /** Sinusoidal time features (even), default 32. */
  timeFeatures: number;
  /** Pass each pixel's own log-odds ln(theta_1 / theta_0) to its logit with a learned weight (default true; channels 1 only). */
  evidence: boolean;
  /**
   * Outputs per pixel (default 1, a Bernoulli logit; 2 for discretized data's (mu_eps, ln sigma_eps), paper §5). A
   * network with 1 channel has exactly the variables and shapes it had before this option existed.
   */
  channels?: number;
  /** Seed of the initialisation. */
  seed: number;
}

let instances = 0;

/** Clamp of the network input x = 2 theta_0 - 1 away from +-1 before taking the input's log-odds. */
const EVIDENCE_EPS = 1e-6;

/** Limits of the adjustable sizes, [min, max], declared with the view's settings (src/settings/settingsMnist.ts). */
export const MNIST_NET_LIMITS = MNIST_NET_SIZE_LIMITS;

/** The default (and shipped) size (width, depth and convolutions declared with the view's settings). */
export const DEFAULT_MNIST_NET: MnistNetConfig = { ...defaultsOf(SETTINGS_MNIST_NET), timeFeatures: 32, evidence: true, seed: 1 };

/** A trainable MNIST network: its function, its variables in a fixed order (for optimizers, EMA, saving) and their names. */
export interface MnistNet extends TrainableNet<MnistNetConfig> {
  config: MnistNetConfig;
  net: Network;
  variables: tf.Variable[];
  names: string[];
  dispose(): void;
}

/**
 * A 3 x 3 'same' convolution (zero padding) built from 9 shifted slices and one matMul.
 * @param x [batch, H, W, C]. @param W [9 C, Cout] (rows ordered by (dy, dx, c)). @returns [batch, H, W, Cout].
 */
export function conv3x3(x: tf.Tensor4D, W: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, H, Wd, C] = x.shape;
    const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
    const taps: tf.Tensor[] = [];
    for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) taps.push(tf.slice(padded, [0, dy, dx, 0], [batch, H, Wd, C]));
    const patches = tf.reshape(tf.concat(taps, 3), [batch * H * Wd, 9 * C]) as tf.Tensor2D;
    return tf.reshape(denseMatMul(patches, W), [batch, H, Wd, W.shape[1]]) as tf.Tensor4D;
  });
}

function checkConfig(cfg: MnistNetConfig): void {
  for (const key of ['width', 'depth', 'convLayers'] as const) {
    const [lo, hi] = MNIST_NET_LIMITS[key];
    if (!Number.isInteger(cfg[key]) || cfg[key] < lo || cfg[key] > hi) throw new RangeError(`MNIST network ${key} must be an integer in ${lo}..${hi}, got ${cfg[key]}`);
  }
  if (!Number.isInteger(cfg.convChannels) || (cfg.convChannels !== 0 && (cfg.convChannels < 4 || cfg.convChannels > MNIST_NET_LIMITS.convChannels[1]))) {
    throw new RangeError(`MNIST network convChannels must be 0 or an integer in 4..${MNIST_NET_LIMITS.convChannels[1]}, got ${cfg.convChannels}`);
  }
  if (!Number.isInteger(cfg.timeFeatures) || cfg.timeFeatures < 2 || cfg.timeFeatures % 2) throw new RangeError(`timeFeatures must be even and >= 2, got ${cfg.timeFeatures}`);
  const channels = cfg.channels ?? 1;
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) throw new RangeError(`MNIST network channels must be an integer in 1..4, got ${channels}`);
  if (channels > 1 && cfg.evidence) throw new RangeError('the log-odds evidence pass-through needs channels 1 (a Bernoulli logit per pixel)');
}

/**
 * Creates the network. Forward pass, with x = 2 theta_0 - 1 [batch, 784] and e = embed(t) [batch, F]:
 *   h_1 = swish(x W_1 + e T_1 + b_1);  h_l = h_l-1 + swish(h_l-1 W_l + e T_l + b_l) for l = 2..depth;
 *   g = h_depth W_out + b_out + a * x + (c + e C) * ln(theta_1 / theta_0)  (per-pixel a and c; the last term lets each
 *   pixel's own accumulated evidence pass straight to its logit, the Bayesian combination of a context prediction
 *   with the pixel's own sender messages);
 *   with convolutions: c_1 = swish(conv([x, g]) + e U_1), ..., logit = g + conv(c_{L-1}) (last layer zero-initialised).
 * An untrained network outputs logit 0 everywhere (p = 1/2).
 * With `channels` C > 1 the output layer, its bias and the per-pixel skip weight a hold C values per pixel, and the
 * convolution stack sees [x, g_1..g_C] and adds to all C.
 * @returns the network: input [batch, 784, 1] (2 theta_0 - 1, or the input means mu for discretized data), t [batch, 1, 1]
 *   -> [batch, 784, C]: logits for class index 1 (pixel on) when C = 1, (mu_eps, ln sigma_eps) when C = 2.
 * @throws RangeError for a size outside {@link MNIST_NET_LIMITS}.
 */
export function createMnistNet(config: Partial<MnistNetConfig> = {}): MnistNet {
  const cfg: MnistNetConfig = { ...DEFAULT_MNIST_NET, ...config };
  checkConfig(cfg);
  const vars = new NamedVariables(`mnistnet${instances++}`, cfg.seed);
  const add = (name: string, init: tf.Tensor) => vars.add(name, init);
  const glorot = (name: string, fanIn: number, fanOut: number) => vars.glorot(name, fanIn, fanOut);
  const P = 784;
  const F = cfg.timeFeatures;
  const O = cfg.channels ?? 1;
  const mlp = Array.from({ length: cfg.depth }, (_, l) => ({
    W: glorot(`mlp${l}.W`, l === 0 ? P : cfg.width, cfg.width),
    T: glorot(`mlp${l}.T`, F, cfg.width),
    b: add(`mlp${l}.b`, tf.zeros([cfg.width])),
  }));
  const outW = add('out.W', tf.zeros([cfg.width, P * O]));
  const outB = add('out.b', tf.zeros([P * O]));
  const skip = add('out.skip', tf.zeros([P * O]));
  // Weight of each pixel's own evidence, the log-odds ln(theta_1 / theta_0) of its input distribution: per pixel plus
  // a function of t. Zero at initialisation (so adding them to a trained network changes nothing).
  const evidence = cfg.evidence ? add('out.evidence', tf.zeros([P])) : null;
  const evidenceT = cfg.evidence ? add('out.evidenceT', tf.zeros([F, 1])) : null;
  const C = cfg.convChannels;
  const convs = C === 0 ? [] : Array.from({ length: cfg.convLayers }, (_, l) => {
    const cin = l === 0 ? 1 + O : C;
    const last = l === cfg.convLayers - 1;
    const cout = last ? O : C;
    return {
      W: last ? add(`conv${l}.W`, tf.zeros([9 * cin, cout])) : glorot(`conv${l}.W`, 9 * cin, cout),
      T: last ? undefined : glorot(`conv${l}.T`, F, cout),
      b: add(`conv${l}.b`, tf.zeros([cout])),
    };
  });
  const net: Network = (input, t) =>
    tf.tidy(() => {
      const batch = input.shape[0]!;
      const x = tf.reshape(input, [batch, P]);
      const e = timeEmbedding(tf.reshape(t, [-1, 1]), F); // [batch, F], or [1, F] for a time shared by every row
      let h: tf.Tensor = x;
      mlp.forEach(({ W, T, b }, l) => {
        const z = tf.add(tf.add(denseMatMul(h as tf.Tensor2D, W as tf.Tensor2D, l > 0), denseMatMul(e as tf.Tensor2D, T as tf.Tensor2D, false)), b);
        const a = tf.mul(z, tf.sigmoid(z));
        h = l === 0 ? a : tf.add(h, a);
      });
      // g [batch, P * O], pixel-major (pixel p's outputs at p O .. p O + O - 1); the skip term a x per output.
      const xPerOutput = O === 1 ? x : tf.reshape(tf.tile(tf.reshape(x, [batch, P, 1]), [1, 1, O]), [batch, P * O]);
      let g = tf.add(tf.add(denseMatMul(h as tf.Tensor2D, outW as tf.Tensor2D), outB), tf.mul(xPerOutput, skip));
      if (evidence && evidenceT) {
        // theta_0 = (1 + x) / 2, theta_1 = (1 - x) / 2: log-odds of "on", clamped (|.| <= 14.5) where theta saturates in float32.
        const xc = tf.clipByValue(x, -1 + EVIDENCE_EPS, 1 - EVIDENCE_EPS);
        const logOdds = tf.log(tf.div(tf.sub(1, xc), tf.add(1, xc)));
        const gate = tf.add(evidence, denseMatMul(e as tf.Tensor2D, evidenceT as tf.Tensor2D, false));
        g = tf.add(g, tf.mul(gate, logOdds));
      }
      if (convs.length) {
        let c: tf.Tensor4D = tf.reshape(O === 1 ? tf.stack([x, g], 2) : tf.concat([tf.reshape(x, [batch, P, 1]), tf.reshape(g, [batch, P, O])], 2), [batch, 28, 28, 1 + O]);
        convs.forEach(({ W, T, b }, l) => {
          const z = tf.add(conv3x3(c, W as tf.Tensor2D), b);
          if (l === convs.length - 1) {
            g = tf.add(g, tf.reshape(z, [batch, P * O]));
          } else {
            const zt = tf.add(z, tf.reshape(denseMatMul(e as tf.Tensor2D, T! as tf.Tensor2D, false), [-1, 1, 1, C]));
            c = tf.mul(zt, tf.sigmoid(zt)) as tf.Tensor4D;
          }
        });
      }
      return tf.reshape(g, [batch, P, O]);
    });
  return vars.trainable(cfg, net);
}

/** Number of trainable parameters of a network. */
export function parameterCount(model: MnistNet): number {
  return model.parameterCount;
}
