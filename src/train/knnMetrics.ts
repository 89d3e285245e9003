/**
 * Support metrics for 2D samples: what the energy distance (./metrics.ts) barely sees, a blurred or smeared model
 * that puts samples where the data has none, or a model that misses part of the data.
 *
 * - **k-NN precision and recall** (Kynkäänniemi, Karras, Laine, Lehtinen, Aila 2019, "Improved precision and recall
 *   metric for assessing generative models", NeurIPS, arXiv:1904.06991, eq. 1-3). The support of a point set Φ is
 *   the union of closed balls B(φ, r_k(φ)) over φ ∈ Φ, where r_k(φ) is the distance from φ to its k-th nearest
 *   neighbour in Φ other than φ itself. Precision = share of generated samples inside the real data's support;
 *   recall = share of real points inside the generated set's support. Both lie in [0, 1]; 1 is best. The paper
 *   uses k = 3 on image features; here k = {@link KNN_K} on the raw 2D coordinates.
 * - **Off-support share**: the share of samples farther than a fixed radius δ (data units; the built-in datasets
 *   live in [-0.9, 0.9]^2) from every point of a dense reference draw of the dataset. It counts, e.g., checkerboard
 *   samples in the empty squares. 0 is best; a finite reference draw leaves a small floor in sparse regions of the
 *   data, which the same share of a fresh draw of the data itself (the data-vs-data value) shows.
 *
 * All point sets are Float32Array [n, 2], row-major (x0, y0, x1, y1, ...), in the data's units. Distances are
 * Euclidean and computed in float64 from the float32 coordinates; ball membership is inclusive (distance ≤ radius).
 * Pure TypeScript, no TF.js: brute force O(n m) for precision and recall, a uniform grid for the off-support share.
 */
import { deviation, mean } from 'd3';

/** Neighbour rank k of the k-NN support radius (the k-th nearest other point). */
export const KNN_K = 5;
/** Default radius δ of the off-support share, in data units. */
export const OFF_SUPPORT_DELTA = 0.05;
/** Default size of the dense reference draw the off-support share measures against. */
export const OFF_SUPPORT_REFERENCE_POINTS = 20000;

/** Precision, recall and off-support share of one set of samples (see the module header). */
export interface SupportMetrics {
  /** Share of samples inside the data's k-NN support, in [0, 1] (higher is better). */
  precision: number;
  /** Share of data points inside the samples' k-NN support, in [0, 1] (higher is better). */
  recall: number;
  /** Share of samples farther than δ from every reference point, in [0, 1] (lower is better). */
  offSupport: number;
}

/** A mean with its standard error. */
export interface MeanSE {
  mean: number;
  /** Standard error of the mean: sample standard deviation / sqrt(n); NaN for a single value. */
  se: number;
}

function checkPoints(fn: string, name: string, x: Float32Array, minPoints: number): void {
  if (!(x instanceof Float32Array)) throw new Error(`${fn}: ${name} must be a Float32Array [n, 2]`);
  if (x.length % 2 !== 0) throw new Error(`${fn}: ${name} must be [n, 2] row-major, got an odd length ${x.length}`);
  if (x.length / 2 < minPoints) throw new Error(`${fn}: ${name} must hold at least ${minPoints} points, got ${x.length / 2}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) throw new Error(`${fn}: ${name} holds a non-finite coordinate at index ${i}`);
  }
}

function checkK(fn: string, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new Error(`${fn}: k must be a positive integer, got ${k}`);
}

/**
 * For each point, the distance to its k-th nearest neighbour among the other points of the same set (the point
 * itself is excluded, duplicates of it are not), Kynkäänniemi et al. 2019, eq. 1. A k-smallest selection per point
 * (insertion into a sorted buffer of k), O(n^2) distances and O(n) memory.
 * @param points Float32Array [n, 2] row-major, n > k, finite. @param k neighbour rank, a positive integer.
 * @returns Float64Array [n] of radii r_k, in data units.
 * @throws Error when k is not a positive integer, the set is not [n, 2] with n > k, or a coordinate is not finite.
 */
export function kthNeighbourDistances(points: Float32Array, k: number = KNN_K): Float64Array {
  checkK('kthNeighbourDistances', k);
  checkPoints('kthNeighbourDistances', 'points', points, k + 1);
  const n = points.length / 2;
  const radii = new Float64Array(n);
  const best = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    best.fill(Infinity);
    const xi = points[2 * i]!;
    const yi = points[2 * i + 1]!;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = xi - points[2 * j]!;
      const dy = yi - points[2 * j + 1]!;
      const d = dx * dx + dy * dy;
      if (d >= best[k - 1]!) continue;
      let p = k - 1;
      while (p > 0 && best[p - 1]! > d) {
        best[p] = best[p - 1]!;
        p--;
      }
      best[p] = d;
    }
    radii[i] = Math.sqrt(best[k - 1]!);
  }
  return radii;
}

/**
 * Share of `queries` inside the union of closed balls B(support_j, radii_j): the f(φ, Φ) of Kynkäänniemi et al.
 * 2019, eq. 2, averaged over the queries (eq. 3). Brute force with an early exit, at most O(n m) distances.
 * @param support Float32Array [m, 2]. @param radii [m] ball radii in data units (>= 0; NaN is not allowed).
 * @param queries Float32Array [n, 2], n >= 1. @returns the share in [0, 1].
 * @throws Error on shapes that do not match, non-finite coordinates or negative / NaN radii.
 */
export function supportCoverage(support: Float32Array, radii: ArrayLike<number>, queries: Float32Array): number {
  checkPoints('supportCoverage', 'support', support, 1);
  checkPoints('supportCoverage', 'queries', queries, 1);
  const m = support.length / 2;
  if (radii.length !== m) throw new Error(`supportCoverage: radii must hold one radius per support point (${m}), got ${radii.length}`);
  const r2 = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const r = radii[j]!;
    if (!(r >= 0)) throw new Error(`supportCoverage: radii must be >= 0, got ${r} at index ${j}`);
    r2[j] = r * r;
  }
  // Large balls first: a covered query usually stops early.
  const order = Array.from({ length: m }, (_, j) => j).sort((a, b) => r2[b]! - r2[a]!);
  const sx = new Float64Array(m);
  const sy = new Float64Array(m);
  const sr = new Float64Array(m);
  order.forEach((j, p) => {
    sx[p] = support[2 * j]!;
    sy[p] = support[2 * j + 1]!;
    sr[p] = r2[j]!;
  });
  const n = queries.length / 2;
  let inside = 0;
  for (let i = 0; i < n; i++) {
    const qx = queries[2 * i]!;
    const qy = queries[2 * i + 1]!;
    for (let p = 0; p < m; p++) {
      const dx = qx - sx[p]!;
      const dy = qy - sy[p]!;
      if (dx * dx + dy * dy <= sr[p]!) {
        inside++;
        break;
      }
    }
  }
  return inside / n;
}

/**
 * k-NN precision and recall of generated samples against real data (Kynkäänniemi et al. 2019, eq. 1-3; see the
 * module header). Identical sets score 1 and 1; sets farther apart than their radii score 0 and 0.
 * @param real Float32Array [n, 2], n > k. @param generated Float32Array [m, 2], m > k. @param k neighbour rank.
 * @returns precision and recall, each in [0, 1]. Cost O(n^2 + m^2 + 2 n m) distances (about 10 ms for 1000 vs 1000).
 * @throws Error as {@link kthNeighbourDistances} for either set.
 */
export function knnPrecisionRecall(real: Float32Array, generated: Float32Array, k: number = KNN_K): { precision: number; recall: number } {
  const realRadii = kthNeighbourDistances(real, k);
  const generatedRadii = kthNeighbourDistances(generated, k);
  return {
    precision: supportCoverage(real, realRadii, generated),
    recall: supportCoverage(generated, generatedRadii, real),
  };
}

/**
 * Off-support share: the share of samples whose distance to every point of `reference` is strictly greater than
 * `delta` (a sample with a reference point at distance ≤ δ is on the support). A uniform grid of cells no smaller
 * than δ over the reference's bounding box (at most about 4 cells per reference point) so that each sample checks
 * only its 3 x 3 neighbouring cells.
 * @param samples Float32Array [n, 2], n >= 1. @param reference Float32Array [m, 2], m >= 1, a dense draw of the data
 *   (default size {@link OFF_SUPPORT_REFERENCE_POINTS}). @param delta radius in data units, > 0 and finite.
 * @returns the share in [0, 1]: 0 when every sample is within δ of the reference, 1 when none is.
 * @throws Error on a bad shape, a non-finite coordinate or a delta that is not positive and finite.
 */
export function offSupportShare(samples: Float32Array, reference: Float32Array, delta: number = OFF_SUPPORT_DELTA): number {
  if (!(delta > 0 && Number.isFinite(delta))) throw new Error(`offSupportShare: delta must be positive and finite, got ${delta}`);
  checkPoints('offSupportShare', 'samples', samples, 1);
  checkPoints('offSupportShare', 'reference', reference, 1);
  const m = reference.length / 2;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let j = 0; j < m; j++) {
    const x = reference[2 * j]!;
    const y = reference[2 * j + 1]!;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const w = maxX - minX;
  const h = maxY - minY;
  // A hair wider than delta, so that rounding in the cell index never hides a point at exactly delta.
  const cell = Math.max(delta * (1 + 1e-9), Math.sqrt((w * h) / (4 * m)), w / 4096, h / 4096);
  const nx = Math.floor(w / cell) + 1;
  const ny = Math.floor(h / cell) + 1;
  // Counting sort of the reference points into cells (compressed rows: start[c] .. start[c + 1]).
  const cellOf = new Int32Array(m);
  const start = new Int32Array(nx * ny + 1);
  for (let j = 0; j < m; j++) {
    const c = Math.min(ny - 1, Math.floor((reference[2 * j + 1]! - minY) / cell)) * nx + Math.min(nx - 1, Math.floor((reference[2 * j]! - minX) / cell));
    cellOf[j] = c;
    start[c + 1]!++;
  }
  for (let c = 0; c < nx * ny; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, nx * ny);
  const px = new Float64Array(m);
  const py = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const p = fill[cellOf[j]!]!++;
    px[p] = reference[2 * j]!;
    py[p] = reference[2 * j + 1]!;
  }
  const d2 = delta * delta;
  const n = samples.length / 2;
  let off = 0;
  for (let i = 0; i < n; i++) {
    const qx = samples[2 * i]!;
    const qy = samples[2 * i + 1]!;
    const cx = Math.floor((qx - minX) / cell);
    const cy = Math.floor((qy - minY) / cell);
    let found = false;
    // Cells are at least delta wide: a reference point within delta lies in one of the 3 x 3 neighbouring cells.
    for (let y = Math.max(0, cy - 1); y <= Math.min(ny - 1, cy + 1) && !found; y++) {
      for (let x = Math.max(0, cx - 1); x <= Math.min(nx - 1, cx + 1) && !found; x++) {
        const c = y * nx + x;
        for (let p = start[c]!; p < start[c + 1]!; p++) {
          const dx = qx - px[p]!;
          const dy = qy - py[p]!;
          if (dx * dx + dy * dy <= d2) {
            found = true;
            break;
          }
        }
      }
    }
    if (!found) off++;
  }
  return off / n;
}

/**
 * Precision and recall of `samples` against `heldOut` and their off-support share against `reference` (see the
 * module header), in one call.
 * @param samples Float32Array [n, 2]. @param heldOut Float32Array [m, 2], the real points of precision and recall.
 * @param reference Float32Array [r, 2], the dense draw of the data for the off-support share.
 * @param options k (default {@link KNN_K}) and delta (default {@link OFF_SUPPORT_DELTA}, data units).
 * @returns precision, recall and off-support share, each in [0, 1].
 * @throws Error as {@link knnPrecisionRecall} and {@link offSupportShare}.
 */
export function supportMetrics(samples: Float32Array, heldOut: Float32Array, reference: Float32Array, options: { k?: number; delta?: number } = {}): SupportMetrics {
  const { precision, recall } = knnPrecisionRecall(heldOut, samples, options.k ?? KNN_K);
  return { precision, recall, offSupport: offSupportShare(samples, reference, options.delta ?? OFF_SUPPORT_DELTA) };
}

/**
 * Mean and standard error of the mean of independent repeats: se = sqrt(sum (x - mean)^2 / (n - 1) / n).
 * @param values n >= 1 finite numbers. @returns mean and se (se is NaN when n = 1: one value says nothing of spread).
 * @throws Error when `values` is empty.
 */
export function meanAndSE(values: ArrayLike<number> & Iterable<number>): MeanSE {
  const n = values.length;
  if (n === 0) throw new Error('meanAndSE: needs at least one value');
  // d3's sample standard deviation (n - 1 in the denominator) is undefined for one value.
  return { mean: mean(values)!, se: (deviation(values) ?? NaN) / Math.sqrt(n) };
}
