/**
 * Closed-form stand-in networks Psi(input, t), the toy networks of the reference sampling vectors
 * (`tests/vectors/sampling.json`). They are not trained; they let the sampler, the worker and the views run
 * before a real model exists, and let tests replay the official trajectories exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../bfn/sampler';

/** Continuous data: eps_hat = tanh(1.5 mu + 0.5 t - 0.2), elementwise. Input mu [batch, D], t [batch, 1]; output [batch, D]. */
export const toyContinuousNet: Network = (mu, t) => tf.tidy(() => tf.tanh(tf.sub(tf.add(tf.mul(mu, 1.5), tf.mul(t, 0.5)), 0.2)));

/**
 * Discretized data: [mu_eps, ln sigma_eps] = [tanh(1.5 mu + 0.5 t - 0.2), -0.5 + 0.3 mu]. Input mu [batch, D], t [batch, 1];
 * output [batch, D, 2].
 */
export const toyDiscretizedNet: Network = (mu, t) =>
  tf.tidy(() => tf.stack([toyContinuousNet(mu, t), tf.add(tf.mul(mu, 0.3), -0.5)], -1));

/**
 * Discrete data, K > 2: logits_k = 4 theta_k + 0.3 t ((k mod 3) - 1). Input theta [batch, D, K], t [batch, 1]; output [batch, D, K].
 */
export const toyCategoricalNet: Network = (theta, t) =>
  tf.tidy(() => {
    const K = theta.shape[theta.rank - 1]!;
    const pattern = tf.tensor1d(Array.from({ length: K }, (_, k) => (k % 3) - 1));
    return tf.add(tf.mul(theta, 4), tf.mul(tf.mul(tf.expandDims(t, -1), 0.3), pattern));
  });

/** Discrete data, K = 2: logit = -2.5 inp + 0.5 t - 0.1 with inp = 2 theta_0 - 1. Input [batch, D, 1], t [batch, 1]; output [batch, D, 1]. */
export const toyBernoulliNet: Network = (inp, t) =>
  tf.tidy(() => tf.sub(tf.add(tf.mul(inp, -2.5), tf.mul(tf.expandDims(t, -1), 0.5)), 0.1));
