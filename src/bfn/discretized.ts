/**
 * Discretized data with K bins on [-1, 1] (paper §5; official `DiscretizedNormalFactory`). Input, prior, sender, update, schedule
 * and flow are those of continuous data (`continuous.ts`); the output distribution is a Gaussian N(mu_x, sigma_x^2)
 * discretised onto the bins, with the first and last bins absorbing the tails.
 *
 * Shapes: data tensors are [...D]; bin probabilities are [...D, K]; the network output is [...D, 2] holding
 * (mu_eps, ln sigma_eps). Losses are in nats per data dimension.
 */
import * as tf from '@tensorflow/tfjs-core';
import { normalIntervalMass, normalLogPdf, safeLog, Z_CLIP } from './gaussian';
import type { NoiseSource } from './noise';
import { ctsAlphaIT, ctsPrecisionT, noiseScale } from './schedules';
import { T_MIN } from './constants';

/** Clamp of the output standard deviation sigma_x (official `min_std_dev`, `max_std_dev`; not in the paper). */
export const SIGMA_X_MIN = 1e-3;
export const SIGMA_X_MAX = 10;
/** Clamp of ln sigma_eps before exp (official `safe_exp`). */
export const LN_SIGMA_EPS_CLAMP = 10;
/** Bin probabilities below this use the density x bin-width fallback in L^r (official `min_prob`). */
export const MIN_PROB = 1e-5;

function checkK(K: number): void {
  if (!Number.isInteger(K) || K < 2) throw new RangeError(`the number of bins K must be an integer >= 2, got ${K}`);
}

/** Bin width w = 2 / K (paper §5). @throws RangeError for K < 2. */
export function binWidth(K: number): number {
  checkK(K);
  return 2 / K;
}

/** Bin centres k_c = -1 + w/2 + k w, k = 0..K-1, as float64 numbers (paper §5). @throws RangeError for K < 2. */
export function binCentres(K: number): number[] {
  const w = binWidth(K);
  return Array.from({ length: K }, (_, k) => -1 + w / 2 + k * w);
}

/** Interior bin boundaries b_k = -1 + k w, k = 1..K-1, as float64 numbers (paper §5). @throws RangeError for K < 2. */
export function binBoundaries(K: number): number[] {
  const w = binWidth(K);
  return Array.from({ length: K - 1 }, (_, k) => -1 + (k + 1) * w);
}

/**
 * Bin index of a value: clamp(floor((x/2 + 0.5) K), 0, K - 1) (official `utils_model.py` `float_to_idx`).
 * @param x values [...], any real. @returns int32 indices, same shape.
 */
export function floatToIdx(x: tf.Tensor, K: number): tf.Tensor {
  checkK(K);
  return tf.tidy(() => tf.cast(tf.clipByValue(tf.floor(tf.mul(tf.add(tf.mul(x, 0.5), 0.5), K)), 0, K - 1), 'int32'));
}

/** Bin centre of an index: 2 (k + 0.5) / K - 1 (official `idx_to_float`). @returns float32, k's shape. */
export function idxToFloat(k: tf.Tensor, K: number): tf.Tensor {
  checkK(K);
  return tf.tidy(() => tf.sub(tf.div(tf.mul(tf.add(tf.cast(k, 'float32'), 0.5), 2), K), 1));
}

/** quantize = idxToFloat(floatToIdx(x)): the centre of x's bin (official `quantize`). @returns float32, x's shape. */
export function quantize(x: tf.Tensor, K: number): tf.Tensor {
  return tf.tidy(() => idxToFloat(floatToIdx(x, K), K));
}

/** Parameters of the discretized output distribution: the Gaussian's mean and clamped std, both [...D]. */
export interface DiscretizedParams {
  muX: tf.Tensor;
  sigmaX: tf.Tensor;
}

/**
 * Output Gaussian (mu_x, sigma_x) from the network's (mu_eps, ln sigma_eps) (paper §5, official
 * `noise_pred_params_to_data_pred_params`): if t < 1e-6, mu_x = 0 and sigma_x = 1; else with gamma at max(t, 1e-6)
 * and B = sqrt(sigma1^(2t)/gamma): mu_x = mu/gamma - B mu_eps, sigma_x = B exp(clamp(ln sigma_eps, -10, 10)); then
 * sigma_x is clamped to [1e-3, 10]. mu_x is not clipped (at tiny t it is huge; all mass goes to an edge bin).
 * @param mu input means [...D]. @param netOut [...D, 2]. @param t broadcastable to mu.
 * @throws Error when netOut's last dimension is not 2.
 */
export function discretizedOutputParams(mu: tf.Tensor, netOut: tf.Tensor, t: tf.Tensor, sigma1: number): DiscretizedParams {
  if (netOut.shape[netOut.rank - 1] !== 2) {
    throw new Error(`discretized network output must end in 2 (mu_eps, ln sigma_eps), got shape [${netOut.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const [muEps, lnSigmaEps] = tf.unstack(netOut, netOut.rank - 1) as [tf.Tensor, tf.Tensor];
    const tb = tf.broadcastTo(t, mu.shape);
    const { gamma, B } = noiseScale(tb, sigma1);
    const muXRaw = tf.sub(tf.div(mu, gamma), tf.mul(B, muEps));
    const sigmaXRaw = tf.mul(B, tf.exp(tf.clipByValue(lnSigmaEps, -LN_SIGMA_EPS_CLAMP, LN_SIGMA_EPS_CLAMP)));
    const early = tf.less(tb, T_MIN);
    const muX = tf.where(early, tf.zerosLike(muXRaw), muXRaw);
    const sigmaX = tf.clipByValue(tf.where(early, tf.onesLike(sigmaXRaw), sigmaXRaw), SIGMA_X_MIN, SIGMA_X_MAX);
    return { muX, sigmaX };
  });
}

/**
 * Bin probabilities p_O(k) = G(b_{k+1}) - G(b_k) of N(mu_x, sigma_x^2) with G(b_0) = 0 and G(b_K) = 1 (the edge
 * bins absorb the tails; paper §5), each computed from the tail that avoids cancellation ({@link normalIntervalMass}).
 * @param muX, sigmaX [...D]. @returns [...D, K], each row summing to 1 within float32 error.
 */
export function discretizedProbs(muX: tf.Tensor, sigmaX: tf.Tensor, K: number): tf.Tensor {
  checkK(K);
  return tf.tidy(() => {
    const inner = binBoundaries(K);
    // The outer edges are -inf and +inf (official DiscretizedCtsDistribution with clipping). They are set on the
    // standardised scale, where ±Z_CLIP already acts as infinite, so the answer is the limit's for any finite mu_x
    // and sigma_x; a large finite edge such as ±1e6 would lie inside the distribution once |mu_x| reaches it.
    const lo = tf.tensor1d([0, ...inner]);
    const hi = tf.tensor1d([...inner, 0]);
    const first = tf.tensor1d(Array.from({ length: K }, (_, k) => k === 0), 'bool');
    const last = tf.tensor1d(Array.from({ length: K }, (_, k) => k === K - 1), 'bool');
    const m = tf.expandDims(muX, -1);
    const s = tf.expandDims(sigmaX, -1);
    const zLo = tf.div(tf.sub(lo, m), s);
    const zHi = tf.div(tf.sub(hi, m), s);
    return normalIntervalMass(tf.where(first, tf.fill(zLo.shape, -Z_CLIP), zLo), tf.where(last, tf.fill(zHi.shape, Z_CLIP), zHi));
  });
}

/** Output mean k_hat = sum_k p_O(k) k_c (paper §5). @param probs [...D, K]. @returns [...D]. */
export function discretizedMean(probs: tf.Tensor, K: number): tf.Tensor {
  return tf.tidy(() => tf.sum(tf.mul(probs, tf.tensor1d(binCentres(K))), -1));
}

/** Output mode: the centre of the most probable bin, first on ties (paper §5). @param probs [...D, K]. @returns [...D]. */
export function discretizedMode(probs: tf.Tensor, K: number): tf.Tensor {
  return tf.tidy(() => idxToFloat(tf.argMax(probs, probs.rank - 1), K));
}

/**
 * Continuous-time loss for discretized data, L^inf = -ln(sigma1) (x - k_hat(theta, t))^2 / sigma1^(2t) per variable
 * (paper §5; official `cts_time_loss` with the output distribution's mean), in nats per dimension. The residual is
 * formed as x - k_hat = sum_k p_k (x - k_c) / sum_k p_k, whose terms x - k_c are exact in float32: near t = 1 the loss
 * divides by sigma1^2 (up to 1e6), so one rounding of k_hat itself would cost ~1e-3 relative error.
 * @param x data [...D] (bin centres). @param probs [...D, K]. @param t broadcastable to x. @returns [...D].
 */
export function discretizedLossInf(x: tf.Tensor, probs: tf.Tensor, t: tf.Tensor, sigma1: number, K: number): tf.Tensor {
  return tf.tidy(() => {
    const residual = tf.div(tf.sum(tf.mul(probs, tf.sub(tf.expandDims(x, -1), tf.tensor1d(binCentres(K)))), -1), tf.sum(probs, -1));
    return tf.mul(tf.mul(tf.square(residual), ctsPrecisionT(tf.broadcastTo(t, x.shape), sigma1)), -Math.log(sigma1));
  });
}

/**
 * ln p_O(bin of x) as the official `log_prob` computes it (`probability.py`): the mass of N(mu_x, sigma_x^2) over x's bin
 * with the edge rules; if it is below 1e-5, ln N(c | mu_x, sigma_x^2) + ln w instead, with c the bin centre. Finite
 * for every input, with finite gradients.
 * @param x data [...D] (any values; they are mapped to their bin). @param muX, sigmaX [...D]. @returns [...D], nats.
 */
export function discretizedLogProb(x: tf.Tensor, muX: tf.Tensor, sigmaX: tf.Tensor, K: number): tf.Tensor {
  checkK(K);
  const w = binWidth(K);
  return tf.tidy(() => {
    const idx = floatToIdx(x, K);
    const c = idxToFloat(idx, K);
    // The edge bins reach -inf and +inf: set on the standardised scale (see discretizedProbs), so any finite mu_x works.
    const zLo = tf.where(tf.equal(idx, 0), tf.fill(c.shape, -Z_CLIP), tf.div(tf.sub(tf.sub(c, w / 2), muX), sigmaX));
    const zHi = tf.where(tf.equal(idx, K - 1), tf.fill(c.shape, Z_CLIP), tf.div(tf.sub(tf.add(c, w / 2), muX), sigmaX));
    const p = normalIntervalMass(zLo, zHi);
    const fallback = tf.add(normalLogPdf(c, muX, sigmaX), Math.log(w));
    // greaterEqual, not less: comparisons on the gradient path need a registered gradient (tfjs has none for Less).
    return tf.where(tf.greaterEqual(p, MIN_PROB), safeLog(p), fallback);
  });
}

/** Reconstruction loss L^r = -ln p_O(bin of x | theta; 1) (paper §5), nats per dimension. @returns [...D]. */
export function discretizedReconstructionLoss(x: tf.Tensor, params: DiscretizedParams, K: number): tf.Tensor {
  return tf.tidy(() => tf.neg(discretizedLogProb(x, params.muX, params.sigmaX, K)));
}

/**
 * ln p_S(y | x; alpha) - ln p_R(y | theta; t, alpha) for discretized data, per sample and variable (paper §5):
 * ln N(y | x, 1/alpha) - ln sum_k p_O(k) N(y | k_c, 1/alpha), evaluated as a log-sum-exp. Probabilities are
 * floored at 1e-30 inside the log, so empty bins cannot produce log(0).
 * @param y sender samples [S, ...D]. @param x data [...D]. @param probs [...D, K]. @param alpha accuracy,
 *   broadcastable to [...D]. @returns [S, ...D], nats.
 */
export function discretizedLogRatio(y: tf.Tensor, x: tf.Tensor, probs: tf.Tensor, alpha: tf.Tensor, K: number): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.broadcastTo(alpha, x.shape);
    const logSender = tf.mul(tf.mul(tf.squaredDifference(y, x), a), -0.5);
    const yk = tf.expandDims(y, -1);
    const ak = tf.expandDims(a, -1);
    const logTerms = tf.add(safeLog(probs, 1e-30), tf.mul(tf.mul(tf.squaredDifference(yk, tf.tensor1d(binCentres(K))), ak), -0.5));
    const logReceiver = tf.logSumExp(logTerms, -1);
    return tf.sub(logSender, logReceiver);
  });
}

/**
 * Discrete-time loss L^n for discretized data, the official Monte-Carlo estimate (`CtsBayesianFlowLoss.discrete_time_loss`):
 * n mean_s [ln p_S(y_s) - ln p_R(y_s)] with y_s = x + z_s / sqrt(alpha_i) and i = t n + 1.
 * @param x data [...D]. @param probs p_O at t_{i-1}, [...D, K]. @param i step indices (float32) broadcastable to x.
 * @param z standard normal noise [S, ...D] (S = 10 in the official code). @returns per-variable estimate [...D], nats.
 */
export function discretizedLossN(
  x: tf.Tensor, probs: tf.Tensor, i: tf.Tensor, n: number, sigma1: number, z: tf.Tensor, K: number,
): tf.Tensor {
  return tf.tidy(() => {
    const alpha = tf.broadcastTo(ctsAlphaIT(i, n, sigma1), x.shape);
    const y = tf.add(x, tf.div(z, tf.sqrt(alpha)));
    return tf.mul(tf.mean(discretizedLogRatio(y, x, probs, alpha, K), 0), n);
  });
}

/**
 * Sample of the discretized output distribution, as the official code does with clip=True: quantize(mu_x +
 * sigma_x z) (equivalent to the paper's k ~ p_O, §5). Draws one standard normal per variable. @returns bin centres, [...D].
 */
export function discretizedSample(params: DiscretizedParams, K: number, noise: NoiseSource): tf.Tensor {
  const z = noise.normal(params.muX.shape);
  try {
    return tf.tidy(() => quantize(tf.add(params.muX, tf.mul(params.sigmaX, z)), K));
  } finally {
    z.dispose();
  }
}

