/**
 * Discrete data with K classes (paper §6; official `DiscreteBayesianFlow`): categorical input distribution theta per
 * variable, prior 1/K, sender N(alpha (K e_x - 1), alpha K I), schedule beta(t) = beta1 t^2, and a categorical
 * (K > 2) or Bernoulli (K = 2) output distribution.
 *
 * Shapes: class data x are int32 indices [...D]; theta, probabilities and sender samples are [...D, K]; the
 * network input is [...D, 1] = 2 theta_0 - 1 for K = 2 and theta [...D, K] for K > 2; the network output is one
 * logit [...D, 1] for class index 1 when K = 2 and K logits [...D, K] otherwise (the official code's conventions,
 * `DiscreteBayesianFlow.params_to_net_inputs`, `BernoulliFactory`). Losses are in nats per variable (pixel or character).
 */
import * as tf from '@tensorflow/tfjs-core';
import { DISCRETE_MIN_SQRT_BETA, DISCRETE_T_EPS } from './constants';
import { expm1Stable, discreteAlphaIT } from './schedules';
import type { NoiseSource } from './noise';
import { logAddExp, safeLog } from './gaussian';

function checkK(K: number): void {
  if (!Number.isInteger(K) || K < 2) throw new RangeError(`the number of classes K must be an integer >= 2, got ${K}`);
}

/**
 * One-hot vectors e_x [...D, K] (float32) from class indices [...D], built from `equal` against a range: the wasm
 * backend's `oneHot` returns all zeros when asked for float32 output (tfjs 4.22, found by the conformance suite).
 */
export function oneHot(x: tf.Tensor, K: number): tf.Tensor {
  // K = 2: [1 - x, x] directly (same values; broadcasting `equal` is slow on wasm).
  if (K === 2) return tf.tidy(() => { const on = tf.cast(tf.equal(tf.cast(x, 'int32'), 1), 'float32'); return tf.stack([tf.sub(1, on), on], -1); });
  return tf.tidy(() => tf.cast(tf.equal(tf.expandDims(tf.cast(x, 'int32'), -1), tf.range(0, K, 1, 'int32')), 'float32'));
}

/** The prior theta = 1/K for every variable. @param shape data shape [...D]. @returns [...D, K]. */
export function discretePrior(shape: number[], K: number): tf.Tensor {
  checkK(K);
  return tf.fill([...shape, K], 1 / K);
}

/**
 * Samples the Bayesian flow distribution p_F(theta | x; t) (paper eq. 185; `forward`): with t_c = min(t, 1 - 1e-6)
 * and beta = (t_c sqrt(beta1))^2, y = beta (K e_x - 1) + sqrt(beta K) eps and theta = softmax(y); theta is uniform
 * where t_c sqrt(beta1) < 1e-10. Draws K standard normals per variable (always, to keep the draw order).
 * @param x class indices [...D]. @param t broadcastable to x (e.g. [batch, 1]). @returns theta [...D, K].
 * @throws RangeError for K < 2.
 */
export function discreteFlowSample(x: tf.Tensor, t: tf.Tensor, K: number, beta1: number, noise: NoiseSource): tf.Tensor {
  checkK(K);
  const eps = noise.normal([...x.shape, K]);
  try {
    return tf.tidy(() => {
      const sqrtBeta = tf.mul(tf.minimum(tf.broadcastTo(t, x.shape), 1 - DISCRETE_T_EPS), Math.sqrt(beta1));
      const beta = tf.expandDims(tf.square(sqrtBeta), -1);
      const mean = tf.mul(beta, tf.sub(tf.mul(oneHot(x, K), K), 1));
      const y = tf.add(mean, tf.mul(tf.sqrt(tf.mul(beta, K)), eps));
      const theta = tf.softmax(y);
      const uniform = tf.expandDims(tf.less(sqrtBeta, DISCRETE_MIN_SQRT_BETA), -1);
      return tf.where(tf.broadcastTo(uniform, theta.shape), tf.fill(theta.shape, 1 / K), theta);
    });
  } finally {
    eps.dispose();
  }
}

/**
 * The network's view of theta (official `DiscreteBayesianFlow.params_to_net_inputs`): 2 theta_0 - 1 as one channel for
 * K = 2, theta unchanged for K > 2. @param theta [...D, K]. @returns [...D, 1] for K = 2, else [...D, K].
 */
export function discreteNetInputs(theta: tf.Tensor): tf.Tensor {
  const K = theta.shape[theta.rank - 1]!;
  if (K !== 2) return tf.clone(theta);
  return tf.tidy(() => tf.sub(tf.mul(tf.slice(theta, Array(theta.rank).fill(0), [...theta.shape.slice(0, -1), 1]), 2), 1));
}

/**
 * Log-probabilities of the output distribution (official `BernoulliFactory`, `CategoricalFactory`): for K = 2 one logit l per
 * variable for class index 1, ln p = [ln sigmoid(-l), ln sigmoid(l)]; for K > 2, logSoftmax of the K logits.
 * @param netOut [...D, 1] (K = 2) or [...D, K]. @returns [...D, K], finite for finite logits.
 * @throws Error when netOut's last dimension fits neither convention.
 */
export function discreteOutputLogProbs(netOut: tf.Tensor, K: number): tf.Tensor {
  checkK(K);
  const last = netOut.shape[netOut.rank - 1];
  // ln sigmoid(l) = -softplus(-l). Not tf.logSigmoid: its custom gradient loses saved tensors under tf.tidy.
  if (K === 2 && last === 1) return tf.tidy(() => tf.neg(tf.softplus(tf.concat([netOut, tf.neg(netOut)], -1))));
  if (last === K) return tf.logSoftmax(netOut);
  throw new Error(`discrete network output for K=${K} must end in ${K === 2 ? '1 (a Bernoulli logit)' : K}, got [${netOut.shape.join(', ')}]`);
}

/** Output probabilities p_O(k | theta; t) = exp of {@link discreteOutputLogProbs}. @returns [...D, K]. */
export function discreteOutputProbs(netOut: tf.Tensor, K: number): tf.Tensor {
  return tf.tidy(() => tf.exp(discreteOutputLogProbs(netOut, K)));
}

/**
 * Bayesian update theta' = theta e^y / sum_k theta_k e^{y_k} (paper eq. 171), evaluated in log space as
 * softmax(y + ln max(theta, 1e-30)) so that large beta1, K or n = 1 cannot overflow float32 (e^y > e^88.7; the
 * official `update_input_params` multiplies by e^y directly).
 * @param theta [...D, K]. @param y sender sample [...D, K]. @returns theta' [...D, K], normalised.
 */
export function discreteBayesianUpdate(theta: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.softmax(tf.add(y, safeLog(theta, 1e-30))));
}

/**
 * Sender sample y = alpha (K e_k - 1) + sqrt(alpha K) z (paper §6; `get_sender_dist`). Draws K normals per variable.
 * @param k class indices [...D]. @returns [...D, K].
 */
export function discreteSenderSample(k: tf.Tensor, alpha: number, K: number, noise: NoiseSource): tf.Tensor {
  const z = noise.normal([...k.shape, K]);
  try {
    return tf.tidy(() => tf.add(tf.mul(tf.sub(tf.mul(oneHot(k, K), K), 1), alpha), tf.mul(z, Math.sqrt(alpha * K))));
  } finally {
    z.dispose();
  }
}

/**
 * Draws k ~ p_O (the tests/vectors conventions). K = 2: k = 1 if u < p(class 1), else 0. K > 2: the smallest k with
 * cumsum(p)_k > u (inverse CDF). Draws one uniform per variable. @param probs [...D, K]. @returns int32 [...D].
 */
export function discreteOutputSample(probs: tf.Tensor, noise: NoiseSource): tf.Tensor {
  const K = probs.shape[probs.rank - 1]!;
  const u = noise.uniform(probs.shape.slice(0, -1));
  try {
    return tf.tidy(() => {
      if (K === 2) {
        const p1 = tf.squeeze(tf.slice(probs, [...Array(probs.rank - 1).fill(0), 1], [...probs.shape.slice(0, -1), 1]), [probs.rank - 1]);
        return tf.cast(tf.less(u, p1), 'int32');
      }
      // Positive axis: tf.cumsum(x, -1) is broken on every backend (tfjs 4.22; it corrupts the wasm heap).
      const cdf = tf.cumsum(probs, probs.rank - 1);
      const below = tf.sum(tf.cast(tf.lessEqual(cdf, tf.expandDims(u, -1)), 'int32'), -1);
      return tf.minimum(below, K - 1);
    });
  } finally {
    u.dispose();
  }
}

/**
 * Mode of the output distribution (paper §6): argmax for K > 2 (first index on ties); for K = 2, class 1 if
 * p(class 1) > 0.5, else class 0. **Tie rule:** p = 0.5 exactly gives class 0 (the official Bernoulli.mode is NaN
 * there in torch >= 1.12). @param probs [...D, K]. @returns int32 [...D].
 */
export function discreteMode(probs: tf.Tensor): tf.Tensor {
  const K = probs.shape[probs.rank - 1]!;
  return tf.tidy(() => {
    if (K === 2) {
      const p1 = tf.squeeze(tf.slice(probs, [...Array(probs.rank - 1).fill(0), 1], [...probs.shape.slice(0, -1), 1]), [probs.rank - 1]);
      return tf.cast(tf.greater(p1, 0.5), 'int32');
    }
    return tf.cast(tf.argMax(probs, probs.rank - 1), 'int32');
  });
}

/**
 * Continuous-time loss L^inf = K beta1 t ||e_x - e_hat(theta, t)||^2 per variable (paper eq. 205; `cts_time_loss`), where
 * e_hat is the vector of output probabilities. @param x class indices [...D]. @param probs [...D, K].
 * @param t broadcastable to x. @returns [...D], nats per variable.
 */
export function discreteLossInf(x: tf.Tensor, probs: tf.Tensor, t: tf.Tensor, beta1: number): tf.Tensor {
  const K = probs.shape[probs.rank - 1]!;
  return tf.tidy(() => tf.mul(tf.mul(tf.sum(tf.squaredDifference(oneHot(x, K), probs), -1), tf.broadcastTo(t, x.shape)), K * beta1));
}

/** Receiver used by the discrete-data L^n: the paper's K-component mixture, or the official code's factorised one. */
export type DiscreteReceiver = 'paper' | 'factorised';

/**
 * ln p_S(y | x; alpha) - ln p_R(y | theta; alpha) per sample and variable (paper §6, eq. 189-190).
 * - 'paper': p_R = sum_k p_k N(y | alpha (K e_k - 1), alpha K I); the ratio reduces exactly to
 *   y_x - logsumexp_k(ln p_k + y_k).
 * - 'factorised' (official code): a product over coordinates j of 2-component mixtures p_j N(y_j | alpha (K-1),
 *   alpha K) + (1 - p_j) N(y_j | -alpha, alpha K); with d_j = y_j + alpha - alpha K / 2 the ratio is
 *   sum_j [ e_{x,j} d_j - logaddexp(ln p_j + d_j, ln(1 - p_j)) ].
 * @param y [S, ...D, K]. @param x [...D]. @param logProbs [...D, K]. @param alpha broadcastable to [...D].
 * @returns [S, ...D], nats.
 */
export function discreteLogRatio(y: tf.Tensor, x: tf.Tensor, logProbs: tf.Tensor, alpha: tf.Tensor, receiver: DiscreteReceiver): tf.Tensor {
  const K = logProbs.shape[logProbs.rank - 1]!;
  return tf.tidy(() => {
    const e = oneHot(x, K);
    if (receiver === 'paper') {
      return tf.sub(tf.sum(tf.mul(y, e), -1), tf.logSumExp(tf.add(y, logProbs), -1));
    }
    const a = tf.expandDims(tf.broadcastTo(alpha, x.shape), -1);
    const d = tf.add(y, tf.mul(a, 1 - K / 2));
    // ln(1 - p) from ln p without cancellation: ln(-expm1(ln p)) near p = 1, ln(1 - p) elsewhere.
    const log1mP = tf.where(
      tf.greaterEqual(tf.neg(logProbs), Math.LN2),
      safeLog(tf.sub(1, tf.exp(logProbs)), 1e-30),
      safeLog(tf.neg(expm1Stable(tf.minimum(logProbs, 0))), 1e-30),
    );
    const perCoordinate = tf.sub(tf.mul(e, d), logAddExp(tf.add(logProbs, d), log1mP));
    return tf.sum(perCoordinate, -1);
  });
}

/**
 * Discrete-time loss L^n, the Monte-Carlo estimate n mean_s [ln p_S(y_s) - ln p_R(y_s)] with
 * y_s = alpha_i (K e_x - 1) + sqrt(alpha_i K) z_s and alpha_i = beta1 (2i - 1)/n^2 (paper eq. 189-190; official
 * `DiscreteBayesianFlowLoss.discrete_time_loss`, `get_alpha`).
 * @param x [...D]. @param logProbs output log-probabilities at t_{i-1}, [...D, K]. @param i step indices (float32)
 *   broadcastable to x. @param z standard normals [S, ...D, K]. @param receiver 'paper' (default) or 'factorised'.
 * @returns per-variable estimate [...D], nats.
 */
export function discreteLossN(
  x: tf.Tensor, logProbs: tf.Tensor, i: tf.Tensor, n: number, beta1: number, z: tf.Tensor, receiver: DiscreteReceiver = 'paper',
): tf.Tensor {
  const K = logProbs.shape[logProbs.rank - 1]!;
  return tf.tidy(() => {
    const alpha = tf.broadcastTo(discreteAlphaIT(i, n, beta1), x.shape);
    const a = tf.expandDims(alpha, -1);
    const y = tf.add(tf.mul(tf.sub(tf.mul(oneHot(x, K), K), 1), a), tf.mul(z, tf.sqrt(tf.mul(a, K))));
    return tf.mul(tf.mean(discreteLogRatio(y, x, logProbs, alpha, receiver), 0), n);
  });
}

/** Reconstruction loss L^r = -ln p_O(x | theta; 1) (paper §6). @param logProbs [...D, K]. @returns [...D], nats. */
export function discreteReconstructionLoss(x: tf.Tensor, logProbs: tf.Tensor): tf.Tensor {
  const K = logProbs.shape[logProbs.rank - 1]!;
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(oneHot(x, K), logProbs), -1)));
}

/**
 * The K = 2 (binary) Bayesian flow and L^inf on [batch, D] tensors, without the class axis: the same distribution as
 * {@link discreteFlowSample} followed by {@link discreteNetInputs} and {@link discreteLossInf}, written for speed
 * (wasm's last-axis concat, stack and split kernels cost more than the network's matrix products at MNIST size).
 * With y_k = beta (2 e_k - 1) + sqrt(2 beta) eps_k, theta_0 = sigmoid(y_0 - y_1) and y_0 - y_1 =
 * 2 beta (1 - 2 x) + sqrt(2 beta) (eps_0 - eps_1), where eps_0 - eps_1 = sqrt(2) z for one standard normal z per
 * variable. The network input is 2 theta_0 - 1 = tanh((y_0 - y_1) / 2). t is clamped and the uniform fallback applied
 * as in {@link discreteFlowSample} (official `DiscreteBayesianFlow.forward`).
 * @param x class indices {0, 1} [batch, D]. @param t [batch, 1]. @param noise one normal draw [batch, D].
 * @returns the network input 2 theta_0 - 1 [batch, D].
 */
export function binaryFlowNetInput(x: tf.Tensor, t: tf.Tensor, beta1: number, noise: NoiseSource): tf.Tensor {
  const z = noise.normal(x.shape);
  try {
    return tf.tidy(() => {
      const sqrtBeta = tf.mul(tf.minimum(t, 1 - DISCRETE_T_EPS), Math.sqrt(beta1));
      const beta = tf.square(sqrtBeta);
      const diff = tf.add(tf.mul(tf.mul(beta, 2), tf.sub(1, tf.mul(x, 2))), tf.mul(tf.sqrt(tf.mul(beta, 4)), z));
      const input = tf.tanh(tf.mul(diff, 0.5));
      return tf.where(tf.broadcastTo(tf.less(sqrtBeta, DISCRETE_MIN_SQRT_BETA), x.shape), tf.zerosLike(input), input);
    });
  } finally {
    z.dispose();
  }
}

/**
 * L^inf for K = 2 from the network's logit l (class index 1): K beta1 t ||e_x - p||^2 = 4 beta1 t (x - sigmoid(l))^2
 * per variable (paper eq. 205; equal to {@link discreteLossInf} with probs [1 - sigmoid(l), sigmoid(l)]).
 * @param x {0, 1} [batch, D]. @param logit [batch, D]. @param t [batch, 1]. @returns [batch, D], nats per variable.
 */
export function binaryLossInf(x: tf.Tensor, logit: tf.Tensor, t: tf.Tensor, beta1: number): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(tf.squaredDifference(x, tf.sigmoid(logit)), t), 4 * beta1));
}

/**
 * The largest |ln(theta_1 / theta_0)| the Bayesian update carries forward: {@link discreteBayesianUpdate} floors each
 * theta_k at 1e-30 before its logarithm, which for K = 2 caps the log-odds at -ln(1e-30) = 69.08 (float32).
 */
export const BINARY_MAX_LOG_ODDS = -Math.log(Math.fround(1e-30));

/**
 * The network input of the K = 2 sampler from the log-odds lambda = ln(theta_1 / theta_0) of its input distribution:
 * 2 theta_0 - 1 = tanh(-lambda / 2), as {@link discreteNetInputs} gives for theta = [sigmoid(-lambda), sigmoid(lambda)]
 * (official `DiscreteBayesianFlow.params_to_net_inputs`). @param logOdds [batch, ...D]. @returns [batch, ...D].
 */
export function binaryNetInputFromLogOdds(logOdds: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.tanh(tf.mul(logOdds, -0.5)));
}

/**
 * The difference y_1 - y_0 of a K = 2 sender sample y_k = alpha (2 e_k - 1) + sqrt(2 alpha) z_k (paper §6, the
 * sender distribution N(alpha (K e_x - 1), alpha K I); official `DiscreteBayesianFlow.get_sender_dist`):
 * y_1 - y_0 = 2 alpha (2 k - 1) + sqrt(2 alpha) (z_1 - z_0), all that the Bayesian update of K = 2 needs.
 * @param k classes {0, 1} [batch, ...D] (bool, int32 or float32). @param z the two standard normals per variable,
 * [batch, ...D, 2] (the draw of {@link discreteSenderSample}). @returns [batch, ...D].
 */
export function binarySenderDifference(k: tf.Tensor, z: tf.Tensor, alpha: number): tf.Tensor {
  return tf.tidy(() => {
    const s = Math.sqrt(2 * alpha);
    // z_1 - z_0 as one product with [-s, s]: cheaper on wasm than slicing the class axis.
    const noise = tf.reshape(tf.matMul(tf.reshape(z, [-1, 2]), tf.tensor2d([-s, s], [2, 1])), k.shape);
    return tf.add(tf.sub(tf.mul(k.dtype === 'float32' ? k : tf.cast(k, 'float32'), 4 * alpha), 2 * alpha), noise);
  });
}

/**
 * The K = 2 Bayesian update (paper eq. 171-172) on the log-odds lambda = ln(theta_1 / theta_0): theta' is proportional
 * to theta e^y, so lambda' = lambda + (y_1 - y_0). lambda is first clipped to +-{@link BINARY_MAX_LOG_ODDS}, the floor
 * of {@link discreteBayesianUpdate}, so that both give the same theta' (official `update_input_params`).
 * @param logOdds [batch, ...D]. @param yDiff y_1 - y_0 from {@link binarySenderDifference}. @returns lambda' [batch, ...D].
 */
export function binaryBayesianUpdate(logOdds: tf.Tensor, yDiff: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(tf.clipByValue(logOdds, -BINARY_MAX_LOG_ODDS, BINARY_MAX_LOG_ODDS), yDiff));
}

/**
 * The two-class probabilities [sigmoid(-l), sigmoid(l)] of log-odds l, interleaved as [..., 2] (float64 arithmetic,
 * float32 result): theta from lambda, or p_O from the network's logit (official `BernoulliFactory`).
 * @param logOdds [...] row-major. @returns [..., 2] row-major.
 */
export function twoClassProbs(logOdds: ArrayLike<number>): Float32Array {
  const out = new Float32Array(2 * logOdds.length);
  for (let p = 0; p < logOdds.length; p++) {
    const e = Math.exp(-Math.abs(logOdds[p]!));
    const big = 1 / (1 + e);
    const small = e / (1 + e);
    out[2 * p] = logOdds[p]! >= 0 ? small : big;
    out[2 * p + 1] = logOdds[p]! >= 0 ? big : small;
  }
  return out;
}
