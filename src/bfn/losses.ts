/**
 * The training and evaluation losses of a BFN for any data kind (paper §3, the loss functions L^n, L^inf and L^r, and
 * per data kind §4-§6; official `BFN.forward`, `BFN.sample_t`): one t per
 * batch row, a one-shot sample of the Bayesian flow distribution, one network call, then L^inf or L^n, and the
 * reconstruction loss L^r at t = 1. All results are in nats per data dimension (per variable for discrete data).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NoiseSource } from './noise';
import type { BfnSpec } from './kinds';
import { validateSpec } from './kinds';
import type { Network } from './sampler';
import { LOSS_N_SAMPLES, T_MIN, X_CLIP } from './constants';
import { ctsFlowSample, ctsLossInf, ctsLossN, ctsOutputXHat, ctsReconstructionLoss } from './continuous';
import { ctsPrecisionT, noiseScale } from './schedules';
import { discretizedLossInf, discretizedLossN, discretizedOutputParams, discretizedProbs, discretizedReconstructionLoss } from './discretized';
import {
  binaryFlowNetInput, binaryLossInf, discreteFlowSample, discreteLossInf, discreteLossN, discreteNetInputs, discreteOutputLogProbs, discreteReconstructionLoss,
  type DiscreteReceiver,
} from './discrete';

/** Which loss to compute: continuous-time L^inf, or discrete-time L^n with n steps. */
export type LossType = { type: 'inf' } | { type: 'n'; n: number; receiver?: DiscreteReceiver; samples?: number };

/**
 * Per-row times for a batch (official `BFN.sample_t`, paper §3): t ~ U(0, 1) for L^inf; t = (i - 1)/n with
 * i ~ U{1..n} for L^n. Draws one uniform per row.
 * @param batch rows (the batch size). @param rank rank of the data tensor; t gets shape [batch, 1, ...] of that rank.
 * @returns { t } for L^inf, { t, i } (float32 step indices) for L^n.
 */
export function sampleTimes(batch: number, rank: number, loss: LossType, noise: NoiseSource): { t: tf.Tensor; i?: tf.Tensor } {
  const shape = [batch, ...Array(rank - 1).fill(1)];
  const u = noise.uniform(shape);
  if (loss.type === 'inf') return { t: u };
  return tf.tidy(() => {
    const i = tf.add(tf.minimum(tf.floor(tf.mul(u, loss.n)), loss.n - 1), 1);
    return { i, t: tf.div(tf.sub(i, 1), loss.n) };
  });
}

/**
 * Per-variable loss of a batch: draws t per row, theta ~ p_F(. | x; t), calls the network once, and returns L^inf or
 * L^n per variable. Continuous data use x in [-1, 1] [batch, D]; discrete data use int class indices [batch, D].
 * @returns [batch, D], nats per dimension. @throws RangeError for an invalid spec or n < 1.
 */
export function bfnLossPerVariable(spec: BfnSpec, net: Network, x: tf.Tensor, noise: NoiseSource, loss: LossType): tf.Tensor {
  validateSpec(spec);
  if (loss.type === 'n' && !(Number.isInteger(loss.n) && loss.n >= 1)) throw new RangeError(`n must be a positive integer, got ${loss.n}`);
  return tf.tidy(() => {
    const { t, i } = sampleTimes(x.shape[0]!, x.rank, loss, noise);
    const S = loss.type === 'n' ? loss.samples ?? LOSS_N_SAMPLES : 0;
    if (spec.kind === 'discrete') {
      const theta = discreteFlowSample(x, t, spec.K, spec.beta1, noise);
      const logProbs = discreteOutputLogProbs(net(discreteNetInputs(theta), t), spec.K);
      if (loss.type === 'inf') return discreteLossInf(x, tf.exp(logProbs), t, spec.beta1);
      return discreteLossN(x, logProbs, i!, loss.n, spec.beta1, noise.normal([S, ...x.shape, spec.K]), loss.receiver);
    }
    const mu = ctsFlowSample(x, t, spec.sigma1, noise);
    const netOut = net(mu, t);
    if (spec.kind === 'continuous') {
      const xHat = ctsOutputXHat(mu, netOut, t, spec.sigma1, spec.prediction);
      return loss.type === 'inf' ? ctsLossInf(x, xHat, t, spec.sigma1) : ctsLossN(x, xHat, i!, loss.n, spec.sigma1);
    }
    const params = discretizedOutputParams(mu, netOut, t, spec.sigma1);
    const probs = discretizedProbs(params.muX, params.sigmaX, spec.K);
    if (loss.type === 'inf') return discretizedLossInf(x, probs, t, spec.sigma1, spec.K);
    return discretizedLossN(x, probs, i!, loss.n, spec.sigma1, noise.normal([S, ...x.shape]), spec.K);
  });
}

/**
 * The batch loss the trainer minimises: the mean of {@link bfnLossPerVariable} over rows and variables, a scalar
 * in nats per dimension (as official `BFN.forward`).
 */
export function bfnLoss(spec: BfnSpec, net: Network, x: tf.Tensor, noise: NoiseSource, loss: LossType): tf.Scalar {
  return tf.tidy(() => tf.mean(bfnLossPerVariable(spec, net, x, noise, loss)) as tf.Scalar);
}

/**
 * Reconstruction loss L^r per variable: theta ~ p_F(. | x; 1), the network at t = 1, then -ln p_O(x | theta; 1)
 * (paper §3-§6; official `reconstruction_loss`). @returns [batch, D], nats per dimension.
 */
export function bfnReconstructionPerVariable(spec: BfnSpec, net: Network, x: tf.Tensor, noise: NoiseSource): tf.Tensor {
  validateSpec(spec);
  return tf.tidy(() => {
    const t = tf.ones([x.shape[0]!, ...Array(x.rank - 1).fill(1)]);
    if (spec.kind === 'discrete') {
      const theta = discreteFlowSample(x, t, spec.K, spec.beta1, noise);
      return discreteReconstructionLoss(x, discreteOutputLogProbs(net(discreteNetInputs(theta), t), spec.K));
    }
    const mu = ctsFlowSample(x, t, spec.sigma1, noise);
    const netOut = net(mu, t);
    if (spec.kind === 'continuous') {
      const xHat = ctsOutputXHat(mu, netOut, t, spec.sigma1, spec.prediction);
      return ctsReconstructionLoss(x, xHat, spec.sigma1);
    }
    return discretizedReconstructionLoss(x, discretizedOutputParams(mu, netOut, t, spec.sigma1), spec.K);
  });
}

/**
 * The training loss of a binary (K = 2) discrete BFN on [batch, D] data, L^inf only, through the fast path
 * {@link binaryFlowNetInput} / {@link binaryLossInf}: draws t ~ U(0, 1) [batch, 1], then one normal per variable
 * (not K, so its draws differ from {@link bfnLossPerVariable}'s, though the distribution is the same).
 * @param x class indices {0, 1} [batch, D]. @param net receives [batch, D, 1] and t [batch, 1] and returns logits [batch, D, 1].
 * @returns the scalar mean, nats per variable. @throws RangeError unless spec is discrete with K = 2.
 */
export function binaryBfnLossInf(spec: BfnSpec, net: Network, x: tf.Tensor2D, noise: NoiseSource): tf.Scalar {
  validateSpec(spec);
  if (spec.kind !== 'discrete' || spec.K !== 2) throw new RangeError('binaryBfnLossInf needs a discrete spec with K = 2');
  return tf.tidy(() => {
    const [batch, D] = x.shape;
    const t = noise.uniform([batch, 1]);
    const input = binaryFlowNetInput(x, t, spec.beta1, noise);
    const logit = tf.reshape(net(tf.reshape(input, [batch, D, 1]), t), [batch, D]);
    return tf.mean(binaryLossInf(x, logit, t, spec.beta1)) as tf.Scalar;
  });
}

/** The continuous L^inf fast path's precondition. @throws RangeError unless spec is continuous with eps prediction. */
function checkNoiseSpec(spec: BfnSpec): { sigma1: number } {
  validateSpec(spec);
  if (spec.kind !== 'continuous' || spec.prediction === 'x') throw new RangeError('the continuous L^inf fast path needs a continuous spec that predicts the noise');
  return spec;
}

/**
 * The network's input for one L^inf training batch of continuous data: t ~ U(0, 1) per row, then mu ~ p_F(. | x; t)
 * (paper eq. 77; official `BFN.forward`), drawing from `noise` in the order of {@link bfnLossPerVariable}.
 * @param x data in [-1, 1], [batch, D]. @returns t [batch, 1] and mu [batch, D] (new tensors the caller owns).
 * @throws RangeError unless spec is continuous with eps prediction.
 */
export function ctsFlowBatch(spec: BfnSpec, x: tf.Tensor2D, noise: NoiseSource): { t: tf.Tensor; mu: tf.Tensor } {
  const { sigma1 } = checkNoiseSpec(spec);
  const { t } = sampleTimes(x.shape[0], x.rank, { type: 'inf' }, noise);
  return { t, mu: ctsFlowSample(x, t, sigma1, noise) };
}

/**
 * L^inf of a batch given its flow sample (t, mu from {@link ctsFlowBatch}): one network call, then the mean of
 * -ln(sigma1) (x - x_hat)^2 sigma1^(-2t) as one op whose gradient with respect to eps_hat is written out. With
 * N = batch * D, x_hat = clip(mu / gamma - S eps_hat) (S = sqrt(sigma1^(2t) / gamma), 0 where t < 1e-6):
 *   dL/d eps_hat = -(2 / N) (-ln sigma1) sigma1^(-2t) (x_hat - x) S, where t >= 1e-6 and -1 <= mu / gamma - S eps_hat <= 1,
 * and 0 elsewhere (the gradients of `where` and `clipByValue`). After {@link ctsFlowBatch} it makes the same draws in
 * the same order and gives the same value as {@link bfnLoss} with `{ type: 'inf' }` (paper eq. 101; official
 * `CtsBayesianFlowLoss.cts_time_loss`), but TF.js's tape records one node instead of about forty ops; a trainer calls
 * ctsFlowBatch outside its gradient scope so that the tape does not record the flow sample either.
 * @param x [batch, D]. @param t [batch, 1]. @param mu [batch, D]. @returns the scalar mean, nats per dimension.
 * @throws RangeError unless spec is continuous with eps prediction.
 */
export function ctsLossInfFromNet(spec: BfnSpec, net: Network, x: tf.Tensor2D, t: tf.Tensor, mu: tf.Tensor): tf.Scalar {
  const { sigma1 } = checkNoiseSpec(spec);
  return tf.tidy(() => {
    const lossOfEps = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [epsHat, save] = args as [tf.Tensor, tf.GradSaveFunc];
      const tb = tf.broadcastTo(t, mu.shape);
      const { gamma, B } = noiseScale(tb, sigma1);
      const raw = tf.sub(tf.div(mu, gamma), tf.mul(B, epsHat));
      const live = tf.greaterEqual(tb, T_MIN);
      const xHat = tf.clipByValue(tf.where(live, raw, tf.zerosLike(raw)), -X_CLIP, X_CLIP);
      const perVariable = ctsLossInf(x, xHat, t, sigma1);
      // The chain rule's factor, kept for the backward pass: zero where x_hat does not depend on eps_hat.
      const passes = tf.logicalAnd(live, tf.logicalAnd(tf.greaterEqual(raw, -X_CLIP), tf.lessEqual(raw, X_CLIP)));
      const scale = (2 * Math.log(sigma1)) / x.size; // -(2 / N) (-ln sigma1)
      save([tf.where(passes, tf.mul(tf.mul(tf.mul(tf.sub(xHat, x), ctsPrecisionT(t, sigma1)), B), scale), tf.zerosLike(raw))]);
      return {
        value: tf.mean(perVariable),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]!)],
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return lossOfEps(net(mu, t)) as tf.Scalar;
  });
}
