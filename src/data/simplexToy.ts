/**
 * The simplex view's toy data set: D = 3 variables with K = 3 classes each, discrete data for a BFN (Graves et al.
 * 2023, §6). x_1 and x_2 are independent with hand-written marginals and x_3 = (x_1 + x_2) mod 3, so the joint has 9
 * of the 27 configurations, any two variables determine the third, and a model that samples the variables
 * independently breaks the rule two times in three. Pure JavaScript, seeded (no tensors).
 */
import { createRng } from './random';

/** Variables per sample, D. */
export const SIMPLEX_D = 3;
/** Classes per variable, K. */
export const SIMPLEX_CLASSES = 3;

/** P(x_1 = k) and P(x_2 = k), k = 0, 1, 2. */
export const TOY_MARGINALS: readonly [readonly number[], readonly number[]] = [[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]];

/** The rule the data obey: x_3 = (x_1 + x_2) mod 3. */
export function obeysRule(x1: number, x2: number, x3: number): boolean {
  return x3 === (x1 + x2) % 3;
}

/** The rule in words, for cards and the page. */
export const RULE_TEXT = 'x₃ = (x₁ + x₂) mod 3';

/** Index of a configuration (x_1, x_2, x_3) in a 27-cell joint histogram: 9 x_1 + 3 x_2 + x_3. */
export function configIndex(x1: number, x2: number, x3: number): number {
  return 9 * x1 + 3 * x2 + x3;
}

/** The exact joint distribution of the data over the 27 configurations ({@link configIndex} order). */
export function toyJoint(): Float64Array {
  const p = new Float64Array(27);
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) p[configIndex(a, b, (a + b) % 3)] = TOY_MARGINALS[0][a]! * TOY_MARGINALS[1][b]!;
  return p;
}

/** The data's entropy in bits per variable: the lowest negative log-likelihood any model can reach. */
export function toyEntropyBitsPerVariable(): number {
  return toyJoint().reduce((h, p) => (p > 0 ? h - p * Math.log2(p) : h), 0) / SIMPLEX_D;
}

function draw(probs: readonly number[], u: number): number {
  let c = 0;
  for (let k = 0; k < probs.length - 1; k++) {
    c += probs[k]!;
    if (u < c) return k;
  }
  return probs.length - 1;
}

/**
 * `count` samples of the toy data, row-major [count, 3] class indices, reproducible from the seed.
 * @throws RangeError for a negative or non-integer count.
 */
export function sampleToyData(count: number, seed: number | string): Int32Array {
  if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`count must be a whole number >= 0, got ${count}`);
  const rng = createRng(`simplex-toy:${seed}`);
  const out = new Int32Array(count * SIMPLEX_D);
  for (let n = 0; n < count; n++) {
    const a = draw(TOY_MARGINALS[0], rng.uniform());
    const b = draw(TOY_MARGINALS[1], rng.uniform());
    out.set([a, b, (a + b) % 3], n * SIMPLEX_D);
  }
  return out;
}

/** The 27-cell histogram (frequencies summing to 1) of samples [N, 3] (class indices, any numeric array). */
export function jointHistogram(samples: ArrayLike<number>): Float64Array {
  const N = Math.floor(samples.length / SIMPLEX_D);
  const h = new Float64Array(27);
  for (let n = 0; n < N; n++) h[configIndex(samples[3 * n]!, samples[3 * n + 1]!, samples[3 * n + 2]!)]! += 1 / N;
  return h;
}

/** The share of samples [N, 3] that obey the rule (NaN for none). */
export function ruleShare(samples: ArrayLike<number>): number {
  const N = Math.floor(samples.length / SIMPLEX_D);
  let ok = 0;
  for (let n = 0; n < N; n++) if (obeysRule(samples[3 * n]!, samples[3 * n + 1]!, samples[3 * n + 2]!)) ok++;
  return ok / N;
}

/** Total variation distance 1/2 sum |p - q| between two histograms of the same length. */
export function totalVariation(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let tv = 0;
  for (let k = 0; k < p.length; k++) tv += Math.abs(p[k]! - q[k]!);
  return tv / 2;
}
