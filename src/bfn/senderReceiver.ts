/**
 * The KL divergence between the sender and the receiver distribution, the term that the discrete-time loss L^n sums
 * (paper §3.8: L^n(x) = n E_{i, theta} KL(p_S(. | x; alpha_i) || p_R(. | theta; t_{i-1}, alpha_i))), for one step and
 * one variable, and the 1-D densities a widget draws of both distributions.
 *
 * - Continuous data (§4, eq. 95-96): sender N(x, 1/alpha), receiver N(x_hat, 1/alpha); the KL is alpha/2 (x - x_hat)^2
 *   (official `bfn/model.py` `CtsBayesianFlowLoss.discrete_time_loss`, which multiplies it by n).
 * - Discrete data with K classes (§6, eq. 189-190): sender N(alpha (K e_x - 1), alpha K I), receiver the mixture
 *   sum_k p_O(k) N(alpha (K e_k - 1), alpha K I); the KL has no closed form and is estimated by Monte Carlo from sender
 *   samples, as the official `DiscreteBayesianFlowLoss.discrete_time_loss` does.
 *
 * Units: nats per variable.
 */
import * as tf from '@tensorflow/tfjs-core';
import { discreteLogRatio, oneHot, type DiscreteReceiver } from './discrete';
import { normalLogPdf } from './gaussian';

/**
 * KL(N(x, 1/alpha) || N(x_hat, 1/alpha)) = alpha/2 (x - x_hat)^2 per variable: two Gaussians of equal precision alpha
 * differ only in their means (paper §4, eq. 95-96; official `CtsBayesianFlowLoss.discrete_time_loss` divided by n).
 * @param x data [...D]. @param xHat output point x_hat, x's shape. @param alpha accuracy (> 0), a number.
 * @returns [...D], nats. @throws RangeError for alpha not > 0.
 */
export function ctsSenderReceiverKl(x: tf.Tensor, xHat: tf.Tensor, alpha: number): tf.Tensor {
  if (!(alpha > 0)) throw new RangeError(`the accuracy alpha must be > 0, got ${alpha}`);
  return tf.tidy(() => tf.mul(tf.squaredDifference(x, xHat), alpha / 2));
}

/**
 * Monte-Carlo estimate of KL(p_S(. | x; alpha) || p_R(. | theta; t, alpha)) for discrete data, with its standard
 * error: y_s = alpha (K e_x - 1) + sqrt(alpha K) z_s, r_s = ln p_S(y_s) - ln p_R(y_s) ({@link discreteLogRatio}),
 * KL ~ mean_s r_s, SE = sd_s(r_s) / sqrt(S) with the unbiased sd (paper §6, eq. 189-190; official
 * `DiscreteBayesianFlowLoss.discrete_time_loss`, which returns n times the mean).
 * @param x class indices [...D]. @param logProbs ln p_O [...D, K]. @param alpha accuracy (> 0), a number.
 * @param z standard normals [S, ...D, K] with S >= 2. @param receiver 'paper' (default) or the official code's
 *   'factorised' receiver. @returns { kl, se }, each [...D], nats. @throws RangeError for alpha not > 0 or S < 2.
 */
export function discreteSenderReceiverKl(
  x: tf.Tensor, logProbs: tf.Tensor, alpha: number, z: tf.Tensor, receiver: DiscreteReceiver = 'paper',
): { kl: tf.Tensor; se: tf.Tensor } {
  if (!(alpha > 0)) throw new RangeError(`the accuracy alpha must be > 0, got ${alpha}`);
  const S = z.shape[0]!;
  if (S < 2) throw new RangeError(`the Monte-Carlo estimate needs at least 2 sender samples, got ${S}`);
  const K = logProbs.shape[logProbs.rank - 1]!;
  return tf.tidy(() => {
    const y = tf.add(tf.mul(tf.sub(tf.mul(oneHot(x, K), K), 1), alpha), tf.mul(z, Math.sqrt(alpha * K)));
    const r = discreteLogRatio(y, x, logProbs, tf.scalar(alpha), receiver);
    const { mean, variance } = tf.moments(r, 0);
    return { kl: mean, se: tf.sqrt(tf.div(tf.mul(variance, S / (S - 1)), S)) };
  });
}

/**
 * The marginal densities of the true class's coordinate y_x under the sender and the receiver of discrete data
 * (paper §6): the sender's is N(alpha (K - 1), alpha K); the receiver's is the two-component mixture
 * p_O(x) N(alpha (K - 1), alpha K) + (1 - p_O(x)) N(-alpha, alpha K), because every other class k puts y_x at
 * mean -alpha. @param y points [G]. @param pX p_O(x | theta; t) in [0, 1]. @param alpha accuracy (> 0).
 * @returns { sender, receiver } densities [G] (per unit of y). @throws RangeError for alpha not > 0 or pX outside [0, 1].
 */
export function discreteClassMarginals(y: tf.Tensor, pX: number, alpha: number, K: number): { sender: tf.Tensor; receiver: tf.Tensor } {
  if (!(alpha > 0)) throw new RangeError(`the accuracy alpha must be > 0, got ${alpha}`);
  if (!(pX >= 0 && pX <= 1)) throw new RangeError(`p_O(x) must lie in [0, 1], got ${pX}`);
  return tf.tidy(() => {
    const std = Math.sqrt(alpha * K);
    const sender = tf.exp(normalLogPdf(y, alpha * (K - 1), std));
    const other = tf.exp(normalLogPdf(y, -alpha, std));
    return { sender, receiver: tf.add(tf.mul(sender, pX), tf.mul(other, 1 - pX)) };
  });
}
