/** Small statistics helpers for Monte-Carlo property tests. */

/** Mean, variance and their standard errors of a sample (variance SE for a near-Gaussian population). */
export function moments(values: ArrayLike<number>): { mean: number; variance: number; seMean: number; seVariance: number } {
  const n = values.length;
  let mean = 0;
  for (let k = 0; k < n; k++) mean += values[k]!;
  mean /= n;
  let m2 = 0;
  let m4 = 0;
  for (let k = 0; k < n; k++) {
    const d = values[k]! - mean;
    m2 += d * d;
    m4 += d ** 4;
  }
  const variance = m2 / (n - 1);
  m4 /= n;
  return { mean, variance, seMean: Math.sqrt(variance / n), seVariance: Math.sqrt(Math.max(m4 - variance * variance, 0) / n) };
}

/** Every `stride`-th value starting at `offset` (one column of a row-major [rows, stride] array). */
export function column(values: ArrayLike<number>, stride: number, offset: number): number[] {
  const out: number[] = [];
  for (let k = offset; k < values.length; k += stride) out.push(values[k]!);
  return out;
}
