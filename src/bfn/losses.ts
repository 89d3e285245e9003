/**
 * The training and evaluation losses of a BFN for any data kind (SPEC §1 "Losses", "Time sampling"): one t per
 * batch row, a one-shot sample of the Bayesian flow distribution, one network call, then L^inf or L^n, and the
 * reconstruction loss L^r at t = 1. All results are in nats per data dimension (per variable for discrete data).
 */
import * as tf from '@tensorflow/tfjs';
import type { NoiseSource } from './noise';
import type { BfnSpec } from './kinds';
import { validateSpec } from './kinds';
import type { Network } from './sampler';
import { LOSS_N_SAMPLES } from './constants';
import { ctsFlowSample, ctsLossInf, ctsLossN, ctsReconstructionLoss, ctsXHatFromEps, ctsXHatFromX } from './continuous';
import { discretizedLossInf, discretizedLossN, discretizedOutputParams, discretizedProbs, discretizedReconstructionLoss } from './discretized';
import {
  binaryFlowNetInput, binaryLossInf, discreteFlowSample, discreteLossInf, discreteLossN, discreteNetInputs, discreteOutputLogProbs, discreteReconstructionLoss,
  type DiscreteReceiver,
} from './discrete';

/** Which loss to compute: continuous-time L^inf, or discrete-time L^n with n steps. */
export type LossType = { type: 'inf' } | { type: 'n'; n: number; receiver?: DiscreteReceiver; samples?: number };

/**
 * Per-row times for a batch (official `BFN.sample_t`, SPEC §1): t ~ U(0, 1) for L^inf; t = (i - 1)/n with
 * i ~ U{1..n} for L^n. Draws one uniform per row.
 * @param batch rows B. @param rank rank of the data tensor; t gets shape [B, 1, ...] of that rank.
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
 * L^n per variable. Continuous data use x in [-1, 1] [B, D]; discrete data use int class indices [B, D].
 * @returns [B, D], nats per dimension. @throws RangeError for an invalid spec or n < 1.
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
      const xHat = spec.prediction === 'x' ? ctsXHatFromX(netOut) : ctsXHatFromEps(mu, netOut, t, spec.sigma1);
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
 * (SPEC §1-§4). @returns [B, D], nats per dimension.
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
      const xHat = spec.prediction === 'x' ? ctsXHatFromX(netOut) : ctsXHatFromEps(mu, netOut, t, spec.sigma1);
      return ctsReconstructionLoss(x, xHat, spec.sigma1);
    }
    return discretizedReconstructionLoss(x, discretizedOutputParams(mu, netOut, t, spec.sigma1), spec.K);
  });
}

/**
 * The training loss of a binary (K = 2) discrete BFN on [B, D] data, L^inf only, through the fast path
 * {@link binaryFlowNetInput} / {@link binaryLossInf}: draws t ~ U(0, 1) [B, 1], then one normal per variable
 * (not K, so its draws differ from {@link bfnLossPerVariable}'s, though the distribution is the same).
 * @param x class indices {0, 1} [B, D]. @param net receives [B, D, 1] and t [B, 1] and returns logits [B, D, 1].
 * @returns the scalar mean, nats per variable. @throws RangeError unless spec is discrete with K = 2.
 */
export function binaryBfnLossInf(spec: BfnSpec, net: Network, x: tf.Tensor2D, noise: NoiseSource): tf.Scalar {
  validateSpec(spec);
  if (spec.kind !== 'discrete' || spec.K !== 2) throw new RangeError('binaryBfnLossInf needs a discrete spec with K = 2');
  return tf.tidy(() => {
    const [B, D] = x.shape;
    const t = noise.uniform([B, 1]);
    const input = binaryFlowNetInput(x, t, spec.beta1, noise);
    const logit = tf.reshape(net(tf.reshape(input, [B, D, 1]), t), [B, D]);
    return tf.mean(binaryLossInf(x, logit, t, spec.beta1)) as tf.Scalar;
  });
}
