/**
 * Gaussian helpers that stay accurate in float32 on every TF.js backend (bin masses are CDF differences; measured: `tf.erf`
 * is 5% off near 0 on GPU and `1 - erf(x)` is 0 for x >= 4). Everything here is built from elementwise ops that
 * every backend implements with gradients (exp, mul, add, where, clip). Numerical helpers, not the paper's
 * mathematics: each docstring gives its numerical source.
 */
import * as tf from '@tensorflow/tfjs-core';

/** ln(2 pi), float64. */
export const LN_2PI = Math.log(2 * Math.PI);

/** Standardised values beyond this magnitude are clipped before the tail functions; Q(10) ~ 7.6e-24. */
export const Z_CLIP = 10;

/**
 * The complementary error function erfc(x) for float32 tensors (Chebyshev fit with relative error below 1.2e-7 in
 * exact arithmetic; Press et al., Numerical Recipes, §6.2 `erfcc`). In float32 the relative error stays within
 * 4e-7 + 1e-7 x^2 (3.5e-7 for |x| <= 2, 3.4e-6 at x = 7.07, measured against float64 references on cpu and wasm in
 * tests/unit/numerics.test.ts): the rounding of x^2 passes into exp(-x^2). Unlike `1 - tf.erf(x)` it keeps that
 * relative precision in the upper tail, down to erfc(9) ~ 4e-37.
 * @param x float32 tensor of any shape. @returns erfc(x), same shape, in [0, 2].
 */
export function erfc(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.abs(x);
    const t = tf.div(1, tf.add(1, tf.mul(z, 0.5)));
    const coeffs = [0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196, 1.00002368];
    let poly: tf.Tensor = tf.scalar(coeffs[0]!);
    for (const c of coeffs.slice(1)) poly = tf.add(c, tf.mul(t, poly));
    const exponent = tf.add(tf.sub(tf.neg(tf.mul(z, z)), 1.26551223), tf.mul(t, poly));
    const ans = tf.mul(t, tf.exp(exponent));
    return tf.where(tf.greaterEqual(x, 0), ans, tf.sub(2, ans));
  });
}

/**
 * Upper tail of the standard normal, Q(z) = 1 - Phi(z) = erfc(z / sqrt 2) / 2, accurate in relative terms.
 * @param z float32 tensor of standardised values, any shape (clipped to ±{@link Z_CLIP}).
 * @returns Q(z), same shape.
 */
export function normalUpperTail(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(erfc(tf.mul(tf.clipByValue(z, -Z_CLIP, Z_CLIP), Math.SQRT1_2)), 0.5));
}

/**
 * Log density of N(mean, std^2) at x, elementwise with broadcasting (nats).
 * @param x, mean, std float32 tensors broadcastable to one shape; std > 0.
 * @returns ln N(x | mean, std^2), broadcast shape.
 */
export function normalLogPdf(x: tf.Tensor, mean: tf.Tensor | number, std: tf.Tensor | number): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.div(tf.sub(x, mean), std);
    return tf.sub(tf.sub(tf.mul(tf.square(z), -0.5), tf.log(std)), 0.5 * LN_2PI);
  });
}

/**
 * Probability mass that N(mean, std^2) puts between the lower and upper standardised bounds zLo < zHi, computed
 * from whichever tail avoids cancellation: Q(zLo) - Q(zHi) when both bounds lie above the mean, Q(-zHi) - Q(-zLo)
 * when both lie below, and 1 - Q(-zLo) - Q(zHi) when they straddle it. Bounds beyond ±{@link Z_CLIP} act as
 * infinite, which is how the edge bins absorb the tails (paper §5).
 * @param zLo, zHi float32 tensors of the same shape. @returns the interval mass, same shape, in [0, 1].
 */
export function normalIntervalMass(zLo: tf.Tensor, zHi: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const qLo = normalUpperTail(zLo);
    const qHi = normalUpperTail(zHi);
    const qNegLo = normalUpperTail(tf.neg(zLo));
    const qNegHi = normalUpperTail(tf.neg(zHi));
    const upper = tf.sub(qLo, qHi);
    const lower = tf.sub(qNegHi, qNegLo);
    const middle = tf.sub(tf.sub(1, qNegLo), qHi);
    // Only greaterEqual: it is the comparison with a registered gradient, and these masks sit on the gradient path.
    const mass = tf.where(tf.greaterEqual(zLo, 0), upper, tf.where(tf.greaterEqual(tf.neg(zHi), 0), lower, middle));
    return tf.relu(mass);
  });
}

/**
 * ln(e^a + e^b) elementwise, stable for any finite a and b.
 * @param a, b float32 tensors broadcastable to one shape. @returns the broadcast shape.
 */
export function logAddExp(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // Broadcast first: tfjs's Maximum gradient does not reduce broadcast dimensions.
    const shape = tf.broadcastTo(a, tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape)).shape;
    const [aa, bb] = [tf.broadcastTo(a, shape), tf.broadcastTo(b, shape)];
    const m = tf.maximum(aa, bb);
    return tf.add(m, tf.log(tf.add(tf.exp(tf.sub(aa, m)), tf.exp(tf.sub(bb, m)))));
  });
}

/** ln(max(x, floor)): the official `safe_log` (floor 1e-10, `utils_model.py`) generalised; floor must be a normal float32. */
export function safeLog(x: tf.Tensor, floor = 1e-10): tf.Tensor {
  return tf.tidy(() => tf.log(tf.maximum(x, floor)));
}
