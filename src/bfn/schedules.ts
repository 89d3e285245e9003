/**
 * Accuracy schedules beta(t), their derivatives alpha(t), and the discrete-time accuracies alpha_i(n): continuous
 * and discretized data paper §4 (eq. 72-74), discrete data paper §6 (eq. 182-183) (official `CtsBayesianFlow.get_alpha`,
 * `DiscreteBayesianFlow.get_alpha`).
 *
 * Scalar functions work in float64 (JS numbers), as the official sampler does with its Python floats
 * (official `BFN.sample`). Tensor functions work elementwise on float32 tensors of any shape and return the same shape.
 */
import * as tf from '@tensorflow/tfjs-core';
import { T_MIN } from './constants';

// ---------------------------------------------------------------------------------------------------------------
// Continuous and discretized data: beta(t) = sigma1^(-2t) - 1 (paper §4, eq. 72 ff.; official `CtsBayesianFlow`)
// ---------------------------------------------------------------------------------------------------------------

function checkSigma1(sigma1: number): void {
  if (!(sigma1 > 0 && sigma1 < 1)) throw new RangeError(`sigma1 must lie in (0, 1), got ${sigma1}`);
}

/**
 * Continuous-data accuracy schedule beta(t) = sigma1^(-2t) - 1 (paper eq. 72), float64.
 * @param t time in [0, 1]. @param sigma1 final input standard deviation, in (0, 1).
 * @returns the accumulated precision beta(t) (dimensionless). @throws RangeError for sigma1 outside (0, 1).
 */
export function ctsBeta(t: number, sigma1: number): number {
  checkSigma1(sigma1);
  return Math.expm1(-2 * t * Math.log(sigma1));
}

/**
 * Continuous-data accuracy rate alpha(t) = d beta / dt = -2 ln(sigma1) sigma1^(-2t) (paper eq. 74), float64.
 * @throws RangeError for sigma1 outside (0, 1).
 */
export function ctsAlpha(t: number, sigma1: number): number {
  checkSigma1(sigma1);
  return -2 * Math.log(sigma1) * Math.pow(sigma1, -2 * t);
}

/**
 * gamma(t) = beta / (1 + beta) = 1 - sigma1^(2t) (paper eq. 80), float64, computed as -expm1(2t ln sigma1) so that it
 * keeps full relative precision at small t (1 - sigma1^(2t) in float32 is ~0.2% off at t = 1e-6).
 * @throws RangeError for sigma1 outside (0, 1).
 */
export function ctsGamma(t: number, sigma1: number): number {
  checkSigma1(sigma1);
  return -Math.expm1(2 * t * Math.log(sigma1));
}

/**
 * Discrete-time accuracy alpha_i = beta(i/n) - beta((i-1)/n) = sigma1^(-2i/n) (1 - sigma1^(2/n)) for continuous
 * and discretized data (paper eq. 95, official `CtsBayesianFlow.get_alpha`), float64.
 * @param i step index, 1..n. @param n number of steps.
 * @throws RangeError for i outside 1..n or sigma1 outside (0, 1).
 */
export function ctsAlphaI(i: number, n: number, sigma1: number): number {
  checkStep(i, n);
  checkSigma1(sigma1);
  return Math.pow(sigma1, (-2 * i) / n) * -Math.expm1((2 / n) * Math.log(sigma1));
}

/**
 * gamma(t) = 1 - sigma1^(2t) on a float32 tensor t of any shape, without cancellation at small t: it evaluates
 * -expm1(2 t ln sigma1) with a series for small arguments, since `tf.expm1` is exp(x) - 1 on GPU backends.
 * @param t tensor of times in [0, 1], any shape. @returns gamma(t), same shape, float32.
 */
export function ctsGammaT(t: tf.Tensor, sigma1: number): tf.Tensor {
  checkSigma1(sigma1);
  return tf.tidy(() => tf.neg(expm1Stable(tf.mul(t, 2 * Math.log(sigma1)))));
}

/**
 * sigma1^(-2t) = 1 + beta(t), the input precision rho(t) at time t, on a float32 tensor (paper §4, eq. 72).
 * @returns a tensor of t's shape.
 */
export function ctsPrecisionT(t: tf.Tensor, sigma1: number): tf.Tensor {
  checkSigma1(sigma1);
  return tf.tidy(() => tf.exp(tf.mul(t, -2 * Math.log(sigma1))));
}

/**
 * sigma1^(2t) = 1 - gamma(t), the posterior variance factor of the flow, on a float32 tensor (paper eq. 80). Computed
 * directly, never as 1 - gamma, which cancels near t = 1 (the official code also uses `pow(min_variance, t)` here).
 * @returns a tensor of t's shape.
 */
export function ctsPosteriorVarianceT(t: tf.Tensor, sigma1: number): tf.Tensor {
  checkSigma1(sigma1);
  return tf.tidy(() => tf.exp(tf.mul(t, 2 * Math.log(sigma1))));
}

/**
 * gamma = 1 - sigma1^(2t') and B = sqrt(sigma1^(2t') / gamma) at t' = max(t, 1e-6), the factors that turn a noise
 * prediction into a data prediction (Graves et al. 2023, section 4; official `noise_pred_params_to_data_pred_params`). B uses sigma1^(2t')
 * directly rather than 1 - gamma, which would lose all precision near t = 1.
 * @param t times, any shape. @returns { gamma, B }, t's shape.
 */
export function noiseScale(t: tf.Tensor, sigma1: number): { gamma: tf.Tensor; B: tf.Tensor } {
  return tf.tidy(() => {
    const tc = tf.maximum(t, T_MIN);
    const gamma = ctsGammaT(tc, sigma1);
    return { gamma, B: tf.sqrt(tf.div(ctsPosteriorVarianceT(tc, sigma1), gamma)) };
  });
}

/** Backends whose Expm1 kernel is accurate at small arguments (GPU backends compute exp(x) - 1). */
const ACCURATE_EXPM1 = new Set(['cpu', 'wasm']);

/**
 * expm1(x) = e^x - 1, accurate to float32 precision for all x: the backend's Expm1 kernel where it is accurate (cpu,
 * wasm), else {@link expm1BySeries}.
 * @param x float32 tensor of any shape. @returns a tensor of x's shape.
 */
export function expm1Stable(x: tf.Tensor): tf.Tensor {
  // The cpu and wasm kernels of Expm1 are accurate (Math.expm1 and C's expm1: within 1 ulp of Math.expm1 at 1e-9..0.05):
  // one kernel instead of the twelve of the series, which matter on wasm where per-kernel overhead dominates a training step.
  if (ACCURATE_EXPM1.has(tf.getBackend())) return tf.expm1(x);
  return expm1BySeries(x);
}

/**
 * expm1(x) = e^x - 1 from elementwise ops only, for the backends whose Expm1 kernel is exp(x) - 1: a degree-6 Taylor
 * polynomial where |x| < 0.1, exp(x) - 1 elsewhere (relative error below 3e-7 on cpu and wasm, measured against float64
 * references in tests/unit/numerics.test.ts). Both branches are finite everywhere, so gradients through `where` stay finite.
 * @param x float32 tensor of any shape. @returns a tensor of x's shape.
 */
export function expm1BySeries(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const large = tf.greaterEqual(tf.abs(x), 0.1); // greaterEqual has a gradient; less has none in tfjs
    const xs = tf.clipByValue(x, -0.1, 0.1);
    // x (1 + x/2 (1 + x/3 (1 + x/4 (1 + x/5 (1 + x/6)))))
    let poly = tf.add(1, tf.div(xs, 6));
    for (const k of [5, 4, 3, 2]) poly = tf.add(1, tf.mul(tf.div(xs, k), poly));
    const series = tf.mul(xs, poly);
    const direct = tf.sub(tf.exp(x), 1);
    return tf.where(large, direct, series);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Discrete data: beta(t) = beta1 t^2 (paper §6, eq. 182; official `DiscreteBayesianFlow`)
// ---------------------------------------------------------------------------------------------------------------

function checkBeta1(beta1: number): void {
  if (!(beta1 > 0 && Number.isFinite(beta1))) throw new RangeError(`beta1 must be positive and finite, got ${beta1}`);
}

function checkStep(i: number, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!Number.isInteger(i) || i < 1 || i > n) throw new RangeError(`step i must be an integer in 1..${n}, got ${i}`);
}

/** Discrete-data accuracy schedule beta(t) = beta1 t^2 (paper eq. 182), float64. @throws RangeError for beta1 <= 0. */
export function discreteBeta(t: number, beta1: number): number {
  checkBeta1(beta1);
  return beta1 * t * t;
}

/** Discrete-data accuracy rate alpha(t) = 2 beta1 t (paper eq. 183), float64. @throws RangeError for beta1 <= 0. */
export function discreteAlpha(t: number, beta1: number): number {
  checkBeta1(beta1);
  return 2 * beta1 * t;
}

/**
 * Discrete-time accuracy alpha_i = beta1 (2i - 1) / n^2 for discrete data (paper §6, official
 * `DiscreteBayesianFlow.get_alpha`), float64. @throws RangeError for i outside 1..n or beta1 <= 0.
 */
export function discreteAlphaI(i: number, n: number, beta1: number): number {
  checkStep(i, n);
  checkBeta1(beta1);
  return (beta1 * (2 * i - 1)) / (n * n);
}

/**
 * Discrete-time accuracy alpha_i for a tensor of step indices, float32, continuous/discretized data.
 * @param i float32 tensor of step indices 1..n, any shape. @returns tensor of i's shape.
 */
export function ctsAlphaIT(i: tf.Tensor, n: number, sigma1: number): tf.Tensor {
  checkSigma1(sigma1);
  const lnS = Math.log(sigma1);
  const factor = -Math.expm1((2 / n) * lnS); // 1 - sigma1^(2/n), float64 then rounded once
  return tf.tidy(() => tf.mul(tf.exp(tf.mul(i, (-2 * lnS) / n)), factor));
}

/** Discrete-time accuracy alpha_i for a tensor of step indices, discrete data. @returns tensor of i's shape. */
export function discreteAlphaIT(i: tf.Tensor, n: number, beta1: number): tf.Tensor {
  checkBeta1(beta1);
  return tf.tidy(() => tf.mul(tf.sub(tf.mul(i, 2), 1), beta1 / (n * n)));
}

/**
 * Recovers the step index i = t n + 1 from t = (i - 1) / n, as the official loss does in float32, rounded to the
 * nearest integer so float32 error in t cannot shift it (official `discrete_time_loss`: i = t * n_steps + 1).
 * @param t tensor of times, any shape. @returns float32 tensor of step indices, same shape.
 */
export function stepIndexFromT(t: tf.Tensor, n: number): tf.Tensor {
  return tf.tidy(() => tf.round(tf.add(tf.mul(t, n), 1)));
}

// ---------------------------------------------------------------------------------------------------------------
// Scalar quantities of the schedules that the Learn view plots (float64)
// ---------------------------------------------------------------------------------------------------------------

/**
 * The input precision rho(t) = 1 + beta(t) = sigma1^(-2t) of continuous data after the Bayesian flow from the prior
 * N(0, 1) (paper §4.4, eq. 72 with the prior precision 1), float64. @throws RangeError for sigma1 outside (0, 1).
 */
export function ctsInputPrecision(t: number, sigma1: number): number {
  checkSigma1(sigma1);
  return Math.exp(-2 * t * Math.log(sigma1));
}

/**
 * Mean and standard deviation of the continuous Bayesian flow distribution p_F(mu | x; t) = N(gamma x, gamma (1 - gamma))
 * with gamma(t) = 1 - sigma1^(2t) (paper §4.4, eq. 77 and 80; official `CtsBayesianFlow.forward`), float64. The variance
 * is computed as gamma sigma1^(2t), never as gamma (1 - gamma), which cancels near t = 1.
 * @param x the data value. @returns { gamma, mean, std }. @throws RangeError for sigma1 outside (0, 1).
 */
export function ctsFlowMoments(x: number, t: number, sigma1: number): { gamma: number; mean: number; std: number } {
  const gamma = ctsGamma(t, sigma1);
  return { gamma, mean: gamma * x, std: Math.sqrt(gamma * Math.pow(sigma1, 2 * t)) };
}

/**
 * Weight of the squared error in the continuous-time loss, L^inf = E_t[w(t) (x - x_hat)^2] with
 * w(t) = alpha(t) / 2 = -ln(sigma1) sigma1^(-2t) (paper §4, eq. 101; official `CtsBayesianFlowLoss.cts_time_loss`),
 * in nats per squared data unit, float64. @throws RangeError for sigma1 outside (0, 1).
 */
export function ctsLossInfWeight(t: number, sigma1: number): number {
  return ctsAlpha(t, sigma1) / 2;
}

/**
 * Weight of the squared error in the discrete-data continuous-time loss, L^inf = E_t[w(t) ||e_x - e_hat||^2] with
 * w(t) = K alpha(t) / 2 = K beta1 t (paper §6, eq. 205; official `DiscreteBayesianFlowLoss.cts_time_loss`), nats,
 * float64. @throws RangeError for beta1 <= 0 or K < 2.
 */
export function discreteLossInfWeight(t: number, beta1: number, K: number): number {
  if (!Number.isInteger(K) || K < 2) throw new RangeError(`the number of classes K must be an integer >= 2, got ${K}`);
  return (K * discreteAlpha(t, beta1)) / 2;
}
