/**
 * The expected entropy of the input distribution along the Bayesian flow, E_{p_F(theta | x; t)}[H(p_I(. | theta))]:
 * how much the receiver is still unsure of at time t (paper §4.4 for continuous data, §6.4 for discrete data). It falls
 * as the accuracy beta(t) grows; the Learn view plots it beside the accuracy schedule.
 */
import * as tf from '@tensorflow/tfjs-core';
import { LN_2PI, safeLog } from './gaussian';
import { discreteFlowSample } from './discrete';
import { ctsInputPrecision } from './schedules';
import type { NoiseSource } from './noise';

/**
 * Entropy of the continuous input distribution N(mu, 1/rho(t)) along the flow from the prior N(0, 1), in nats:
 * H = (ln(2 pi e) - ln rho(t)) / 2 = (ln(2 pi) + 1) / 2 + t ln sigma1, with rho(t) = sigma1^(-2t) (paper §4.4, eq. 72).
 * A Gaussian's entropy does not depend on its mean, so this is the expectation over p_F(mu | x; t) exactly, for every x.
 * It is a differential entropy: it turns negative once rho(t) > 2 pi e. @throws RangeError for sigma1 outside (0, 1).
 */
export function ctsInputEntropy(t: number, sigma1: number): number {
  return (LN_2PI + 1 - Math.log(ctsInputPrecision(t, sigma1))) / 2;
}

/**
 * Monte Carlo estimate of the expected entropy of the discrete input distribution, E_{p_F(theta | x; t)}[H(theta)] with
 * H(theta) = -sum_k theta_k ln theta_k in nats (paper §6, eq. 185 for p_F; official `DiscreteBayesianFlow.forward`): for
 * each t, `samples` draws of theta from {@link discreteFlowSample} with x = class 0 (by symmetry every class gives the
 * same value), averaged. At t = 0 theta is uniform and the value is ln K exactly.
 * @param t times in [0, 1], a list of T. @param samples draws per time (>= 2). @param noise the draws' source (T * samples * K normals).
 * @returns { mean, se }: tensors [T], the estimate and its standard error (sample sd / sqrt(samples)), nats.
 * @throws RangeError for K < 2, beta1 <= 0 or samples < 2.
 */
export function discreteInputEntropy(t: readonly number[], K: number, beta1: number, samples: number, noise: NoiseSource): { mean: tf.Tensor1D; se: tf.Tensor1D } {
  if (!Number.isInteger(samples) || samples < 2) throw new RangeError(`samples must be an integer >= 2, got ${samples}`);
  if (!(beta1 > 0 && Number.isFinite(beta1))) throw new RangeError(`beta1 must be positive and finite, got ${beta1}`);
  const T = t.length;
  const times = tf.tidy(() => tf.reshape(tf.tile(tf.tensor2d(Float32Array.from(t), [T, 1]), [1, samples]), [T * samples]));
  const x = tf.zeros([T * samples], 'int32');
  try {
    const theta = discreteFlowSample(x, times, K, beta1, noise);
    try {
      return tf.tidy(() => {
        const h = tf.reshape(tf.neg(tf.sum(tf.mul(theta, safeLog(theta, 1e-30)), -1)), [T, samples]);
        const { mean, variance } = tf.moments(h, 1);
        const se = tf.sqrt(tf.div(tf.mul(variance, samples / (samples - 1)), samples));
        return { mean: mean as tf.Tensor1D, se: se as tf.Tensor1D };
      });
    } finally {
      theta.dispose();
    }
  } finally {
    x.dispose();
    times.dispose();
  }
}
