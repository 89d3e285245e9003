/**
 * The Bayesian flow distribution p_F(theta | x; t) of discrete data with K = 3 classes as a density on the simplex
 * (paper §6, eq. 185: theta = softmax(y), y ~ N(beta(t) (K e_x - 1), beta(t) K I), beta(t) = beta1 t^2; official
 * `DiscreteBayesianFlow.forward`, with its clamp t <= 1 - 1e-6 and its uniform theta where sqrt(beta) < 1e-10).
 * Plain float64 JavaScript, no tensors: the exact density, its heat map on a triangular grid, and the grid itself.
 *
 * The maths (derived here, checked by tests/unit/simplex-flow.test.ts). theta is fixed by the two log-ratios
 * u_j = ln(theta_j / theta_2) = y_j - y_2 (j = 0, 1; classes are 0-based), a linear map A y of the Gaussian y, so u is
 * Gaussian with mean A m = beta K (delta_{jx} - delta_{2x})_j and covariance beta K A A^T = beta K [[2, 1], [1, 2]].
 * With theta_2 = 1 - theta_0 - theta_1, the Jacobian of (theta_0, theta_1) -> (u_0, u_1) is
 * det [[1/theta_0 + 1/theta_2, 1/theta_2], [1/theta_2, 1/theta_1 + 1/theta_2]] = 1 / (theta_0 theta_1 theta_2), so the
 * density with respect to d theta_0 d theta_1 (the simplex has area 1/2 in these coordinates) is
 * p_F(theta | x; t) = N(u(theta); A m, beta K A A^T) / (theta_0 theta_1 theta_2).
 */
import { DISCRETE_MIN_SQRT_BETA, DISCRETE_T_EPS } from './constants';

/** The number of classes this module handles. */
export const SIMPLEX_K = 3;

/**
 * beta(t) = beta1 t_c^2 with the official clamp t_c = min(t, 1 - 1e-6) (paper eq. 182; official
 * `DiscreteBayesianFlow.t_to_sqrt_beta`, t times max_sqrt_beta, squared, with the clamp of its `forward`), or 0 where sqrt(beta) < 1e-10 (the official uniform fallback: theta = 1/K exactly).
 * @param t time in [0, 1]. @param beta1 the final accuracy beta(1) > 0. @returns the accuracy beta (dimensionless).
 * @throws RangeError for t outside [0, 1] or beta1 not positive and finite.
 */
export function simplexFlowBeta(t: number, beta1: number): number {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`t must lie in [0, 1], got ${t}`);
  if (!(beta1 > 0 && Number.isFinite(beta1))) throw new RangeError(`beta1 must be positive and finite, got ${beta1}`);
  const sqrtBeta = Math.min(t, 1 - DISCRETE_T_EPS) * Math.sqrt(beta1);
  return sqrtBeta < DISCRETE_MIN_SQRT_BETA ? 0 : sqrtBeta * sqrtBeta;
}

function checkClass(x: number): void {
  if (!(Number.isInteger(x) && x >= 0 && x < SIMPLEX_K)) throw new RangeError(`the class x must be 0, 1 or 2, got ${x}`);
}

/**
 * The Gaussian of the log-ratios u = (ln theta_0/theta_2, ln theta_1/theta_2) under p_F (paper §6, eq. 185, mapped by
 * u = A y as in this module's header): mean [2] and covariance [[s00, s01], [s01, s11]].
 * @param x the class, 0..2. @param beta the accuracy beta(t) > 0. @throws RangeError for a bad class or beta <= 0.
 */
export function simplexLogRatioGaussian(x: number, beta: number): { mean: [number, number]; cov: [number, number, number] } {
  checkClass(x);
  if (!(beta > 0 && Number.isFinite(beta))) throw new RangeError(`beta must be positive and finite, got ${beta}`);
  const bK = beta * SIMPLEX_K;
  const d2 = x === 2 ? 1 : 0;
  return { mean: [bK * ((x === 0 ? 1 : 0) - d2), bK * ((x === 1 ? 1 : 0) - d2)], cov: [2 * bK, bK, 2 * bK] };
}

/**
 * The density of p_F(theta | x; t) at an interior point of the simplex, with respect to d theta_0 d theta_1 (paper
 * §6, eq. 185; the change of variables of this module's header). Outside the open simplex it is 0.
 * @param theta0 theta_0. @param theta1 theta_1. @param theta2 theta_2 = 1 - theta_0 - theta_1, passed by the caller so
 * that a tiny theta_2 keeps its precision. @param x class 0..2.
 * @param beta the accuracy beta(t) > 0 (see {@link simplexFlowBeta}; beta = 0 is a point mass, which has no density).
 * @returns the density (per unit of d theta_0 d theta_1). @throws RangeError for a bad class or beta <= 0.
 */
export function simplexFlowDensity(theta0: number, theta1: number, theta2: number, x: number, beta: number): number {
  const { mean, cov } = simplexLogRatioGaussian(x, beta);
  if (!(theta0 > 0 && theta1 > 0 && theta2 > 0)) return 0;
  return gaussian2(Math.log(theta0 / theta2) - mean[0], Math.log(theta1 / theta2) - mean[1], cov) / (theta0 * theta1 * theta2);
}

/** The bivariate normal density at offset (d0, d1) from its mean, covariance [s00, s01, s11]. */
function gaussian2(d0: number, d1: number, [s00, s01, s11]: [number, number, number]): number {
  const det = s00 * s11 - s01 * s01;
  const q = (s11 * d0 * d0 - 2 * s01 * d0 * d1 + s00 * d1 * d1) / det;
  return Math.exp(-0.5 * q) / (2 * Math.PI * Math.sqrt(det));
}

/**
 * A triangular grid of the simplex with G cells along each edge, G^2 cells in all: "up" cells (i, j) with
 * i + j <= G - 1 have corners (i, j), (i + 1, j), (i, j + 1) in units of 1/G of (theta_0, theta_1); "down" cells
 * (i, j) with i + j <= G - 2 have corners (i + 1, j), (i, j + 1), (i + 1, j + 1). Every cell has area 1/(2 G^2) in
 * (theta_0, theta_1). Geometry only (no BFN mathematics): the cells the heat maps of p_F (paper §6) are binned on.
 */
export interface SimplexGrid {
  G: number;
  /** Number of cells, G^2. */
  cells: number;
  /** Cell k's corners as (theta_0, theta_1) pairs: [6 G^2], 6 numbers a cell. */
  corners: Float64Array;
  /** Cell k's centroid (theta_0, theta_1): [2 G^2]. */
  centroids: Float64Array;
  /** Whether cell k touches an edge of the simplex (one of its corners has a coordinate 0). */
  onEdge: Uint8Array;
  /** The cell holding (theta_0, theta_1) (points on the boundary or just outside go to the nearest cell). */
  cellOf(theta0: number, theta1: number): number;
}

/**
 * Builds the triangular grid {@link SimplexGrid} on which p_F (paper §6, eq. 185) is binned.
 * @param G cells along each edge, an integer in 1..400. @throws RangeError otherwise.
 */
export function simplexGrid(G: number): SimplexGrid {
  if (!(Number.isInteger(G) && G >= 1 && G <= 400)) throw new RangeError(`the grid size G must be an integer in 1..400, got ${G}`);
  const index = new Int32Array(2 * G * G).fill(-1);
  const corners: number[] = [];
  let k = 0;
  for (let i = 0; i < G; i++) {
    for (let j = 0; j + i <= G - 1; j++) {
      index[2 * (i * G + j)] = k++;
      corners.push(i, j, i + 1, j, i, j + 1);
      if (i + j <= G - 2) {
        index[2 * (i * G + j) + 1] = k++;
        corners.push(i + 1, j, i, j + 1, i + 1, j + 1);
      }
    }
  }
  const c = Float64Array.from(corners, (v) => v / G);
  const centroids = new Float64Array(2 * k);
  const onEdge = new Uint8Array(k);
  for (let m = 0; m < k; m++) {
    centroids[2 * m] = (c[6 * m]! + c[6 * m + 2]! + c[6 * m + 4]!) / 3;
    centroids[2 * m + 1] = (c[6 * m + 1]! + c[6 * m + 3]! + c[6 * m + 5]!) / 3;
    for (let v = 0; v < 3; v++) {
      const a = corners[6 * m + 2 * v]!;
      const b = corners[6 * m + 2 * v + 1]!;
      if (a === 0 || b === 0 || a + b === G) onEdge[m] = 1;
    }
  }
  const cellOf = (theta0: number, theta1: number): number => {
    const p = Math.min(Math.max(theta0 * G, 0), G);
    const q = Math.min(Math.max(theta1 * G, 0), G);
    let i = Math.min(Math.floor(p), G - 1);
    let j = Math.min(Math.floor(q), G - 1);
    if (i + j > G - 1) {
      // Past the hypotenuse (rounding): the up cell on the edge.
      if (p - i > q - j) j = G - 1 - i;
      else i = G - 1 - j;
      return index[2 * (i * G + j)]!;
    }
    const down = p - i + (q - j) > 1 && i + j <= G - 2;
    return index[2 * (i * G + j) + (down ? 1 : 0)]!;
  };
  return { G, cells: k, corners: c, centroids, onEdge, cellOf };
}

/**
 * A heat map of p_F (paper §6, eq. 185) on a {@link SimplexGrid}: each cell's probability, and its first moments
 * E[theta_0 1{theta in cell}], E[theta_1 1{theta in cell}], so that the mean of theta is exact, not the centroids'.
 */
export interface SimplexHeatmap {
  /** Cell probabilities [G^2], the grid's cell order. */
  masses: Float64Array;
  /** First moments [2 G^2]: (sum of theta_0, sum of theta_1) weighted by probability, per cell. */
  moments: Float64Array;
}

/** How a heat map's cell probabilities were computed. */
export type HeatmapMethod = 'exact' | 'sampled';

/** Settings of {@link simplexFlowHeatmap}'s quadrature. */
export interface HeatmapQuadrature {
  /** Nodes per axis of the log-ratio grid (whitened, +-7 standard deviations). */
  logRatioNodes: number;
  /** Sub-triangles per edge of an interior cell for the midpoint rule in theta. */
  subdivisions: number;
}

/** The quadrature of the page's exact heat maps. */
export const DEFAULT_HEATMAP_QUADRATURE: HeatmapQuadrature = { logRatioNodes: 501, subdivisions: 8 };

/**
 * The probability of each grid cell under p_F(theta | x; t) (paper §6, eq. 185), computed from the exact density by
 * deterministic quadrature, without sampling:
 * - cells touching an edge of the simplex (where the density piles up against theta_k -> 0): a midpoint rule over the
 *   jointly Gaussian log-ratios u, whitened (u = mean + L z, L the Cholesky factor, z on a grid over [-7, 7]^2), each
 *   node's Gaussian mass going to the cell holding softmax(u_0, u_1, 0);
 * - interior cells: the midpoint rule of the density {@link simplexFlowDensity} over `subdivisions`^2 sub-triangles.
 * When the log-ratios' largest standard deviation is below 0.5 the u-grid alone is fine enough everywhere and serves
 * every cell. beta = 0 (t = 0, or the official uniform fallback) puts all the mass in the cell holding the centre.
 * The masses sum to 1 up to the quadrature error (tests/unit/simplex-flow.test.ts measures it: below 1e-3).
 * @param x class 0..2. @param beta accuracy beta(t) >= 0 ({@link simplexFlowBeta}). @param grid the cells.
 * @returns the cell probabilities and first moments ({@link SimplexHeatmap}). @throws RangeError for a bad class or a
 * negative beta.
 */
export function simplexFlowHeatmap(x: number, beta: number, grid: SimplexGrid, quadrature: HeatmapQuadrature = DEFAULT_HEATMAP_QUADRATURE): SimplexHeatmap {
  checkClass(x);
  if (!(beta >= 0 && Number.isFinite(beta))) throw new RangeError(`beta must be >= 0 and finite, got ${beta}`);
  const masses = new Float64Array(grid.cells);
  const moments = new Float64Array(2 * grid.cells);
  if (beta === 0) {
    const centre = grid.cellOf(1 / 3, 1 / 3);
    masses[centre] = 1;
    moments[2 * centre] = 1 / 3;
    moments[2 * centre + 1] = 1 / 3;
    return { masses, moments };
  }
  const { mean, cov } = simplexLogRatioGaussian(x, beta);
  const [s00, s01, s11] = cov;
  // Cholesky factor L = [[l00, 0], [l10, l11]] of the covariance.
  const l00 = Math.sqrt(s00);
  const l10 = s01 / l00;
  const l11 = Math.sqrt(s11 - l10 * l10);
  const largestSd = Math.sqrt(0.5 * (s00 + s11) + Math.sqrt(0.25 * (s00 - s11) ** 2 + s01 * s01));
  const uEverywhere = largestSd < 0.5;
  const N = quadrature.logRatioNodes;
  const R = 7;
  const h = (2 * R) / N;
  const weights = Float64Array.from({ length: N }, (_, k) => {
    const z = -R + (k + 0.5) * h;
    return (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) * h;
  });
  for (let a = 0; a < N; a++) {
    const za = -R + (a + 0.5) * h;
    const u0 = mean[0] + l00 * za;
    for (let b = 0; b < N; b++) {
      const u1 = mean[1] + l10 * za + l11 * (-R + (b + 0.5) * h);
      // softmax(u0, u1, 0), shifted by the largest for stability.
      const top = Math.max(u0, u1, 0);
      const e0 = Math.exp(u0 - top);
      const e1 = Math.exp(u1 - top);
      const e2 = Math.exp(-top);
      const s = e0 + e1 + e2;
      const cell = grid.cellOf(e0 / s, e1 / s);
      if (uEverywhere || grid.onEdge[cell]) {
        const w = weights[a]! * weights[b]!;
        masses[cell]! += w;
        moments[2 * cell]! += (w * e0) / s;
        moments[2 * cell + 1]! += (w * e1) / s;
      }
    }
  }
  if (uEverywhere) return { masses, moments };
  const S = quadrature.subdivisions;
  const G = grid.G;
  const subArea = 1 / (2 * G * G * S * S);
  for (let cell = 0; cell < grid.cells; cell++) {
    if (grid.onEdge[cell]) continue;
    const c = grid.corners;
    const [ax, ay, bx, by, cx, cy] = [c[6 * cell]!, c[6 * cell + 1]!, c[6 * cell + 2]!, c[6 * cell + 3]!, c[6 * cell + 4]!, c[6 * cell + 5]!];
    let mass = 0;
    let m0 = 0;
    let m1 = 0;
    // Sub-triangle centroids in the cell's own barycentric coordinates (p, q): up sub-triangles at (p + 1/3, q + 1/3)
    // and down ones at (p + 2/3, q + 2/3), in units of 1/S.
    for (let p = 0; p < S; p++) {
      for (let q = 0; p + q < S; q++) {
        for (const off of p + q <= S - 2 ? [1 / 3, 2 / 3] : [1 / 3]) {
          const wb = (p + off) / S;
          const wc = (q + off) / S;
          const wa = 1 - wb - wc;
          const t0 = wa * ax + wb * bx + wc * cx;
          const t1 = wa * ay + wb * by + wc * cy;
          const d = simplexFlowDensity(t0, t1, 1 - t0 - t1, x, beta) * subArea;
          mass += d;
          m0 += d * t0;
          m1 += d * t1;
        }
      }
    }
    masses[cell] = mass;
    moments[2 * cell] = m0;
    moments[2 * cell + 1] = m1;
  }
  return { masses, moments };
}

/**
 * Bins points theta [P, 3] (row-major, e.g. samples of p_F from the flow sampler, paper §6 eq. 185; official
 * `DiscreteBayesianFlow.forward`) into the grid's cells. @returns cell frequencies that sum to 1 and the points'
 * first moments per cell (all zeros for P = 0).
 */
export function binSimplexPoints(theta: ArrayLike<number>, grid: SimplexGrid): SimplexHeatmap {
  const masses = new Float64Array(grid.cells);
  const moments = new Float64Array(2 * grid.cells);
  const P = Math.floor(theta.length / SIMPLEX_K);
  for (let p = 0; p < P; p++) {
    const cell = grid.cellOf(theta[3 * p]!, theta[3 * p + 1]!);
    masses[cell]! += 1 / P;
    moments[2 * cell]! += theta[3 * p]! / P;
    moments[2 * cell + 1]! += theta[3 * p + 1]! / P;
  }
  return { masses, moments };
}

/**
 * The total mass and the mean of theta of a heat map of p_F (paper §6, eq. 185): sum of the cells' probabilities, and
 * the sum of their first moments over the total. @returns [E theta_0, E theta_1, E theta_2] and the total mass.
 */
export function heatmapMean(heatmap: SimplexHeatmap): { mean: [number, number, number]; total: number } {
  let m0 = 0;
  let m1 = 0;
  let total = 0;
  for (let k = 0; k < heatmap.masses.length; k++) {
    total += heatmap.masses[k]!;
    m0 += heatmap.moments[2 * k]!;
    m1 += heatmap.moments[2 * k + 1]!;
  }
  return { mean: [m0 / total, m1 / total, 1 - (m0 + m1) / total], total };
}
