/**
 * Continuous data (paper §4; official `CtsBayesianFlow`): Gaussian input distribution N(mu, 1/rho), prior mu = 0,
 * rho = 1, sender N(x, 1/alpha), schedule beta(t) = sigma1^(-2t) - 1, output distribution a delta at x_hat.
 *
 * Shapes: data tensors x, mu, x_hat are [...D] (any shape, typically [batch, D]); t and alpha broadcast to it
 * (a scalar, one value per row [batch, 1], or one per element). All losses are in nats per data dimension.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NoiseSource } from './noise';
import { ctsAlphaIT, ctsGammaT, ctsPrecisionT, noiseScale } from './schedules';
import { discretizedLogProb } from './discretized';
import { T_MIN, X_CLIP } from './constants';


/**
 * Bayesian update of a Gaussian input distribution with a sender sample (paper eq. 49-50; `update_input_params`):
 * rho' = rho + alpha, mu' = (rho mu + alpha y) / rho'.
 * @param mu input means, [...D]. @param rho input precision, a number (the sampler's float64) or a tensor
 *   broadcastable to mu. @param y sender sample, mu's shape. @param alpha accuracy (> 0), number or tensor.
 * @returns the posterior { mu, rho }; rho is a number when rho and alpha are numbers.
 */
export function ctsBayesianUpdate(mu: tf.Tensor, rho: number, y: tf.Tensor, alpha: number): { mu: tf.Tensor; rho: number };
export function ctsBayesianUpdate(
  mu: tf.Tensor, rho: number | tf.Tensor, y: tf.Tensor, alpha: number | tf.Tensor,
): { mu: tf.Tensor; rho: tf.Tensor };
export function ctsBayesianUpdate(
  mu: tf.Tensor, rho: number | tf.Tensor, y: tf.Tensor, alpha: number | tf.Tensor,
): { mu: tf.Tensor; rho: number | tf.Tensor } {
  if (typeof rho === 'number' && typeof alpha === 'number') {
    const rhoNew = rho + alpha;
    return { mu: tf.tidy(() => tf.div(tf.add(tf.mul(mu, rho), tf.mul(y, alpha)), rhoNew)), rho: rhoNew };
  }
  return tf.tidy(() => {
    const rhoNew = tf.add(rho, alpha);
    return { mu: tf.div(tf.add(tf.mul(mu, rho), tf.mul(y, alpha)), rhoNew), rho: rhoNew };
  });
}

/**
 * Samples the Bayesian flow distribution p_F(mu | x; t) = N(gamma x, gamma (1 - gamma)) with gamma = 1 - sigma1^(2t)
 * (paper eq. 77, 80; official `CtsBayesianFlow.forward`). Draws one standard normal per element of x from `noise`.
 * @param x data in [-1, 1], [...D]. @param t times in [0, 1], broadcastable to x.
 * @returns mu, x's shape. The precision is rho(t) = sigma1^(-2t) ({@link ctsPrecisionT}).
 */
export function ctsFlowSample(x: tf.Tensor, t: tf.Tensor, sigma1: number, noise: NoiseSource): tf.Tensor {
  const eps = noise.normal(x.shape);
  try {
    return tf.tidy(() => {
      const gamma = ctsGammaT(tf.broadcastTo(t, x.shape), sigma1);
      const std = tf.sqrt(tf.mul(gamma, tf.sub(1, gamma)));
      return tf.add(tf.mul(gamma, x), tf.mul(std, eps));
    });
  } finally {
    eps.dispose();
  }
}

/**
 * The continuous output distribution's point x_hat(theta, t) from the network's noise prediction eps_hat
 * (paper eq. 84, official `noise_pred_params_to_data_pred_params` + `DeltaFactory`):
 * x_hat = 0 if t < 1e-6 (float32 comparison), else x_hat = mu / gamma - sqrt(sigma1^(2t) / gamma) eps_hat with t and
 * gamma evaluated at max(t, 1e-6); then clipped to [-1, 1] unless `clip` is false. Both branches stay finite, so the
 * gradient with respect to eps_hat is finite for every t in [0, 1] (a masked 1/0 would give 0 * inf = NaN there).
 * @param mu input means [...D]. @param epsHat network output, mu's shape. @param t broadcastable to mu.
 * @returns x_hat, mu's shape.
 */
export function ctsXHatFromEps(mu: tf.Tensor, epsHat: tf.Tensor, t: tf.Tensor, sigma1: number, clip = true): tf.Tensor {
  return tf.tidy(() => {
    const tb = tf.broadcastTo(t, mu.shape);
    const { gamma, B } = noiseScale(tb, sigma1);
    const xHat = tf.sub(tf.div(mu, gamma), tf.mul(B, epsHat));
    const masked = tf.where(tf.less(tb, T_MIN), tf.zerosLike(xHat), xHat);
    return clip ? tf.clipByValue(masked, -X_CLIP, X_CLIP) : masked;
  });
}

/**
 * x_hat for a network that predicts x directly (official `noise_pred=False`): the raw output clipped to [-1, 1],
 * with no t_min branch (official `DeltaFactory`). @param xPred network output [...D]. @returns same shape.
 */
export function ctsXHatFromX(xPred: tf.Tensor): tf.Tensor {
  return tf.clipByValue(xPred, -X_CLIP, X_CLIP);
}

/**
 * The continuous output distribution's point x_hat(theta, t) from the network output, for either prediction target:
 * {@link ctsXHatFromEps} when the network predicts the noise (the default, official `noise_pred=True`),
 * {@link ctsXHatFromX} when it predicts x (`noise_pred=False`). The one place that dispatches on the target
 * (Graves et al. 2023, section 4, the continuous output distribution; official `bfn/model.py` `CtsBayesianFlowLoss`, `noise_pred`).
 * @param mu input means [...D]. @param netOut network output, mu's shape. @param t broadcastable to mu.
 * @param prediction what the network predicts: 'eps' (default) or 'x'. @returns x_hat, mu's shape.
 */
export function ctsOutputXHat(mu: tf.Tensor, netOut: tf.Tensor, t: tf.Tensor, sigma1: number, prediction: 'eps' | 'x' = 'eps'): tf.Tensor {
  return prediction === 'x' ? ctsXHatFromX(netOut) : ctsXHatFromEps(mu, netOut, t, sigma1);
}

/**
 * The noise prediction eps_hat that makes {@link ctsXHatFromEps} return a given x_hat (its inverse before the clip):
 * eps_hat = (mu / gamma - x_hat) / sqrt((1 - gamma) / gamma), gamma at max(t, 1e-6). Used by closed-form networks.
 * @returns eps_hat, mu's shape.
 */
export function ctsEpsFromXHat(mu: tf.Tensor, xHat: tf.Tensor, t: tf.Tensor, sigma1: number): tf.Tensor {
  return tf.tidy(() => {
    const { gamma, B } = noiseScale(tf.broadcastTo(t, mu.shape), sigma1);
    return tf.div(tf.sub(tf.div(mu, gamma), xHat), B);
  });
}

/**
 * Continuous-time loss L^inf = -ln(sigma1) (x - x_hat)^2 / sigma1^(2t) per variable (paper eq. 101; official
 * `CtsBayesianFlowLoss.cts_time_loss`), in nats per dimension. Discretized data use it with k_hat for x_hat (§5).
 * @param x data [...D]. @param xHat prediction, x's shape. @param t broadcastable to x.
 * @returns per-variable loss, x's shape.
 */
export function ctsLossInf(x: tf.Tensor, xHat: tf.Tensor, t: tf.Tensor, sigma1: number): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(tf.squaredDifference(x, xHat), ctsPrecisionT(t, sigma1)), -Math.log(sigma1)));
}

/**
 * Discrete-time loss L^n = n alpha_i / 2 (x - x_hat(theta_{i-1}, t_{i-1}))^2 per variable, with
 * alpha_i = sigma1^(-2i/n) (1 - sigma1^(2/n)) (paper eq. 95-96; `discrete_time_loss`), in nats per dimension.
 * @param x data [...D]. @param xHat prediction at t = (i - 1)/n, x's shape. @param i step indices 1..n
 *   (float32 tensor) broadcastable to x. @returns per-variable loss, x's shape.
 */
export function ctsLossN(x: tf.Tensor, xHat: tf.Tensor, i: tf.Tensor, n: number, sigma1: number): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(tf.squaredDifference(x, xHat), ctsAlphaIT(i, n, sigma1)), n / 2));
}

/**
 * The bins and standard deviation of the discretised Gaussian that the official reconstruction loss puts on x_hat
 * (official `CtsBayesianFlowLoss.reconstruction_loss`, citing paper §7.2): 16 bins with std 0.7 sigma1 when
 * sigma1^2 = 1e-3, else 256 bins with std sigma1.
 */
export function ctsReconstructionBins(sigma1: number): { numBins: number; std: number } {
  return Math.abs(sigma1 * sigma1 - 1e-3) < 1e-12 ? { numBins: 16, std: 0.7 * sigma1 } : { numBins: 256, std: sigma1 };
}

/**
 * Reconstruction loss L^r = -ln p(bin of x) under a discretised N(x_hat(theta, 1), std^2) on the bins of
 * {@link ctsReconstructionBins} (official `DiscretizedCtsDistribution`), nats per dimension. Edge bins absorb tails; bins with
 * probability below 1e-5 use ln N(c | x_hat, std^2) + ln(2/K).
 * @param x data (bin centres) [...D]. @param xHat prediction at t = 1, x's shape. @returns x's shape.
 */
export function ctsReconstructionLoss(x: tf.Tensor, xHat: tf.Tensor, sigma1: number): tf.Tensor {
  const { numBins, std } = ctsReconstructionBins(sigma1);
  return tf.tidy(() => tf.neg(discretizedLogProb(x, xHat, tf.fill(xHat.shape, std), numBins)));
}

/** The sender sample y = x + z / sqrt(alpha) for continuous or discretized data (paper §4). @returns x's shape. */
export function ctsSenderSample(x: tf.Tensor, alpha: number, noise: NoiseSource): tf.Tensor {
  const z = noise.normal(x.shape);
  try {
    return tf.tidy(() => tf.add(x, tf.mul(z, 1 / Math.sqrt(alpha))));
  } finally {
    z.dispose();
  }
}
