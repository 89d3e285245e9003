/**
 * The closed-form stand-in network of the 2D playground (the 'ideal' model source): it needs no training, so the page
 * can show a flow for a dataset without a shipped model, or for points the user just drew.
 *
 * It is the Bayes-optimal denoiser for a small fixed data set {x_j}: under the Bayesian flow
 * distribution p_F(mu | x; t) = N(gamma x, gamma (1 - gamma) I) with a uniform prior over the x_j, the posterior
 * weight of x_j given mu is softmax_j(-||mu - gamma x_j||^2 / (2 gamma (1 - gamma))) and the optimal prediction is
 * x_hat = sum_j w_j x_j. The network returns the noise prediction eps_hat that the core turns back into x_hat.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ctsEpsFromXHat, ctsGammaT, ctsPosteriorVarianceT, T_MIN, type Network } from '../bfn';

/** The "eight Gaussians" centres: 8 points evenly spaced on a circle, as [x0, y0, x1, y1, ...]. */
export function eightGaussiansCentres(radius = 0.8): Float32Array {
  const out = new Float32Array(16);
  for (let j = 0; j < 8; j++) {
    const angle = (2 * Math.PI * j) / 8;
    out[2 * j] = radius * Math.cos(angle);
    out[2 * j + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** Points along the two-moons curves, scaled into [-0.8, 0.8] x [-0.4, 0.4]: `perMoon` points per moon. */
export function twoMoonsPoints(perMoon = 24): Float32Array {
  const out = new Float32Array(4 * perMoon);
  const scale = 0.8 / 1.5;
  for (let k = 0; k < perMoon; k++) {
    const angle = (Math.PI * k) / (perMoon - 1);
    // Upper moon (cos a, sin a); lower moon (1 - cos a, 0.5 - sin a); centred on (0.5, 0.25).
    out[4 * k] = (Math.cos(angle) - 0.5) * scale;
    out[4 * k + 1] = (Math.sin(angle) - 0.25) * scale;
    out[4 * k + 2] = (1 - Math.cos(angle) - 0.5) * scale;
    out[4 * k + 3] = (0.5 - Math.sin(angle) - 0.25) * scale;
  }
  return out;
}

/**
 * The row-wise maximum of a [batch, J] tensor as [batch, 1], by a tree of elementwise maxima of column slices (halves that
 * may overlap). TF.js's reduction kernels are slow on WebGPU software adapters (one workgroup per row: about 0.4 s
 * for [8000, 2] on SwiftShader), while slices and elementwise ops take a few milliseconds.
 */
export function rowMax(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let current = x;
    let width = x.shape[1]!;
    while (width > 1) {
      const half = Math.ceil(width / 2);
      current = tf.maximum(tf.slice(current, [0, 0], [-1, half]), tf.slice(current, [0, width - half], [-1, half]));
      width = half;
    }
    return current;
  });
}

/**
 * The Bayes-optimal denoiser for the data set `points` (J points, [x0, y0, ...]) at accuracy sigma1, as a
 * {@link Network}: input mu [batch, 2] and t [batch, 1], output eps_hat [batch, 2]. Finite for every t in [0, 1]: t is clamped
 * to 1e-6, gamma comes from the cancellation-free `ctsGammaT` and 1 - gamma from `ctsPosteriorVarianceT`.
 *
 * Dropping ||mu||^2, which is the same for every j and cancels in the softmax, the logits are
 * (mu . x_j - gamma ||x_j||^2 / 2) / (1 - gamma): one matMul and elementwise ops, no reduction kernels; the softmax
 * is exp(logits - rowMax) normalised by a second matMul against [x_j | 1].
 */
export function optimalDenoiser(points: Float32Array, sigma1: number): Network {
  if (points.length === 0 || points.length % 2 !== 0) throw new RangeError('optimalDenoiser: points must be [x0, y0, x1, y1, ...]');
  const J = points.length / 2;
  const halfNorms = new Float32Array(J);
  const augmented = new Float32Array(3 * J); // rows [x_j, y_j, 1]
  for (let j = 0; j < J; j++) {
    const px = points[2 * j]!;
    const py = points[2 * j + 1]!;
    halfNorms[j] = 0.5 * (px * px + py * py);
    augmented.set([px, py, 1], 3 * j);
  }
  return (mu, t) =>
    tf.tidy(() => {
      const dataT = tf.transpose(tf.tensor2d(points, [J, 2])); // [2, J]
      const tc = tf.maximum(t, T_MIN); // [batch, 1]
      const gamma = ctsGammaT(tc, sigma1); // [batch, 1]
      const oneMinusGamma = ctsPosteriorVarianceT(tc, sigma1); // [batch, 1]
      const dots = tf.matMul(mu, dataT); // [batch, J]
      const logits = tf.div(tf.sub(dots, tf.mul(gamma, tf.tensor2d(halfNorms, [1, J]))), oneMinusGamma);
      const weights = tf.exp(tf.sub(logits, rowMax(logits))); // [batch, J], largest is 1
      const sums = tf.matMul(weights, tf.tensor2d(augmented, [J, 3])); // [batch, 3]: sum w x, sum w y, sum w
      const xHat = tf.div(tf.slice(sums, [0, 0], [-1, 2]), tf.slice(sums, [0, 2], [-1, 1]));
      return ctsEpsFromXHat(mu, xHat, t, sigma1);
    });
}
