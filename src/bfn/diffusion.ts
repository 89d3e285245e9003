/**
 * A variance-preserving (VP) diffusion model's forward process, to show beside the Bayesian flow what a diffusion
 * model feeds its network at time t: the noisy data z_t = sqrt(abar_t) x + sqrt(1 - abar_t) eps (Ho et al. 2020,
 * "Denoising Diffusion Probabilistic Models", eq. 4), with abar_t from a stated schedule:
 * - 'cosine': abar_t = f(t) / f(0), f(t) = cos^2(pi/2 (t + s) / (1 + s)), s = 0.008 (Nichol & Dhariwal 2021, "Improved
 *   Denoising Diffusion Probabilistic Models", eq. 17), in continuous time t in [0, 1], t = 0 the data, t = 1 pure noise;
 * - 'matched': abar_t = gamma(t) = 1 - sigma1^(2t), the BFN's own signal fraction, so that z_t has the signal-to-noise
 *   ratio gamma / (1 - gamma) of the Bayesian flow's mu (Graves et al. 2023, eq. 77, 80).
 * BFN time runs the other way (t = 0 the prior, t = 1 the data), so "equal t" compares diffusion time 1 - t with BFN
 * time t. Not part of a BFN: for the Learn view's comparison only.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NoiseSource } from './noise';
import { ctsGamma } from './schedules';

/** The diffusion schedules offered: the VP cosine schedule, or one matched to the BFN's signal-to-noise ratio. */
export type DiffusionSchedule = 'cosine' | 'matched';

/** The cosine schedule's offset s (Nichol & Dhariwal 2021, §3.2). */
export const COSINE_OFFSET = 0.008;

/**
 * The VP cosine schedule abar(t) = cos^2(pi/2 (t + s)/(1 + s)) / cos^2(pi/2 s/(1 + s)) (Nichol & Dhariwal 2021, eq. 17),
 * float64, for diffusion time t in [0, 1]: 1 at t = 0, 0 at t = 1 (up to rounding).
 * @throws RangeError for t outside [0, 1].
 */
export function vpCosineAlphaBar(t: number, s = COSINE_OFFSET): number {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`diffusion time t must lie in [0, 1], got ${t}`);
  const f = (u: number) => Math.cos(((u + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  return Math.max(0, Math.min(1, f(t) / f(0)));
}

/**
 * abar of the diffusion model shown beside a BFN at BFN time t (0 = prior, 1 = data): the cosine schedule at
 * diffusion time 1 - t, or the BFN's gamma(t) (matched signal-to-noise ratio).
 * @throws RangeError for t outside [0, 1] or an invalid sigma1.
 */
export function diffusionAlphaBarAtBfnTime(t: number, schedule: DiffusionSchedule, sigma1: number): number {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`t must lie in [0, 1], got ${t}`);
  return schedule === 'cosine' ? vpCosineAlphaBar(1 - t) : ctsGamma(t, sigma1);
}

/**
 * Samples the VP forward process z = sqrt(abar) x + sqrt(1 - abar) eps (Ho et al. 2020, eq. 4). Draws one standard
 * normal per element of x from `noise`. @param x data [...D]. @param alphaBar abar in [0, 1]. @returns z, x's shape.
 * @throws RangeError for abar outside [0, 1].
 */
export function diffusionSample(x: tf.Tensor, alphaBar: number, noise: NoiseSource): tf.Tensor {
  if (!(alphaBar >= 0 && alphaBar <= 1)) throw new RangeError(`abar must lie in [0, 1], got ${alphaBar}`);
  const eps = noise.normal(x.shape);
  try {
    return tf.tidy(() => tf.add(tf.mul(x, Math.sqrt(alphaBar)), tf.mul(eps, Math.sqrt(1 - alphaBar))));
  } finally {
    eps.dispose();
  }
}
