/**
 * An independent computation of E[theta] under the K = 3 Bayesian flow distribution (Graves et al. 2023, §6, eq. 185:
 * theta = softmax(y), y_k ~ N(beta (3 e_x - 1)_k, 3 beta) independent): a 3D Gauss-Hermite rule over y, sharing nothing
 * with src/bfn/simplexFlow.ts. For the unit and browser tests of the simplex view.
 */

/** Gauss-Hermite nodes and weights for the weight e^{-x^2} (Newton on the orthonormal recurrence, Numerical Recipes `gauher`). */
export function gaussHermite(n: number): { x: number[]; w: number[] } {
  const x = new Array<number>(n).fill(0);
  const w = new Array<number>(n).fill(0);
  const m = Math.floor((n + 1) / 2);
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -0.16667);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0]!;
    else if (i === 3) z = 1.91 * z - 0.91 * x[1]!;
    else z = 2 * z - x[i - 2]!;
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = Math.pow(Math.PI, -0.25);
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) < 1e-14) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i]!;
  }
  return { x, w };
}

/** E[softmax(y)] for y_k ~ N(beta (3 e_x - 1)_k, 3 beta) independent, by a 3D Gauss-Hermite rule; (1/3, 1/3, 1/3) at beta = 0. */
export function meanByGaussHermite(x: number, beta: number, nodes = 60): number[] {
  if (beta === 0) return [1 / 3, 1 / 3, 1 / 3];
  const { x: gx, w: gw } = gaussHermite(nodes);
  const sd = Math.sqrt(3 * beta);
  const m = [0, 1, 2].map((k) => beta * (k === x ? 2 : -1));
  const out = [0, 0, 0];
  for (let a = 0; a < nodes; a++) {
    for (let b = 0; b < nodes; b++) {
      for (let c = 0; c < nodes; c++) {
        const y = [m[0]! + Math.SQRT2 * sd * gx[a]!, m[1]! + Math.SQRT2 * sd * gx[b]!, m[2]! + Math.SQRT2 * sd * gx[c]!];
        const top = Math.max(...y);
        const e = y.map((v) => Math.exp(v - top));
        const s = e[0]! + e[1]! + e[2]!;
        const w = (gw[a]! * gw[b]! * gw[c]!) / Math.pow(Math.PI, 1.5);
        for (let k = 0; k < 3; k++) out[k]! += (w * e[k]!) / s;
      }
    }
  }
  return out;
}
