/**
 * Distance-to-data metrics for 2D samples. The playground reports the **energy distance** (Székely & Rizzo 2013):
 * D(P, Q) = 2 E|X - Y| - E|X - X'| - E|Y - Y'|, with Euclidean |.|, estimated from two point sets. It is 0 iff
 * P = Q, needs no bandwidth, and its finite-sample estimate between two draws of the same distribution (the
 * data-vs-data baseline) shows the noise floor. Cost O(n m) distance evaluations.
 */

function meanPairDistance(a: Float32Array, b: Float32Array): number {
  const na = a.length / 2;
  const nb = b.length / 2;
  let sum = 0;
  for (let i = 0; i < na; i++) {
    const ax = a[2 * i]!;
    const ay = a[2 * i + 1]!;
    for (let j = 0; j < nb; j++) {
      sum += Math.hypot(ax - b[2 * j]!, ay - b[2 * j + 1]!);
    }
  }
  return sum / (na * nb);
}

/**
 * Energy distance between two 2D point sets, the V-statistic (all pairs, including i = j), in the data's units. It
 * is never negative, and between two independent draws of n points from one distribution its expectation is about
 * E|X - X'| (1/n + 1/m), which is the noise floor the data-vs-data baseline shows.
 * @param a, b Float32Array [n, 2] and [m, 2] row-major, n, m >= 2. @returns D >= 0 up to sampling noise.
 * @throws Error when a set has fewer than 2 points or an odd length.
 */
export function energyDistance(a: Float32Array, b: Float32Array): number {
  for (const [name, x] of [['a', a], ['b', b]] as const) {
    if (x.length % 2 || x.length < 4) throw new Error(`energyDistance: ${name} must hold at least 2 points as [n, 2], got length ${x.length}`);
  }
  return 2 * meanPairDistance(a, b) - meanPairDistance(a, a) - meanPairDistance(b, b);
}

/** The metric's name and definition for the UI and model cards. */
export const METRIC_DESCRIPTION = 'energy distance 2E|X-Y| - E|X-X\'| - E|Y-Y\'| between samples and held-out data (lower is better; 0 = same distribution)';
