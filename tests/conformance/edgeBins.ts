/**
 * A vector file in the format of `discretized_output.json` whose cases put mu_x far outside [-1, 1] (1e6 to 3e37,
 * either side): the discretized output distribution's edge bins reach -inf and +inf (official
 * `DiscretizedCtsDistribution` with clipping), so all mass lies in the edge bin on mu_x's side, k_hat and the mode
 * are that bin's centre. Expected values are computed here in float64 from the formula in the file's description.
 * Run through the same checker as the official vectors, in Node (tests/unit/discretized-limits.test.ts) and on
 * webgl and webgpu in the browser (tests/e2e/limits.spec.ts). Before the fix, ±1e6 stood in for the infinite edges:
 * every probability was 0 at mu_x = 2e6 and they summed to 0.5 at mu_x = 1e6.
 */
import type { VectorFile } from '../../src/conformance/checks';

const K = 16;
const SIGMA1 = Math.sqrt(1e-3);
const T = 0.5;

/** The float64 output distribution at t = 0.5, mu = 0 for a network output (mu_eps, ln sigma_eps). */
function expected(muEps: number, lnSigmaEps: number) {
  const gamma = 1 - SIGMA1 ** (2 * T);
  const b = Math.sqrt((1 - gamma) / gamma);
  const muX = 0 / gamma - b * muEps;
  const rawSigma = b * Math.exp(Math.min(10, Math.max(-10, lnSigmaEps)));
  const sigmaX = Math.min(10, Math.max(1e-3, rawSigma));
  const last = muX > 0;
  const probs = Array.from({ length: K }, (_, k) => (k === (last ? K - 1 : 0) ? 1 : 0));
  const centre = last ? 1 - 1 / K : -1 + 1 / K;
  return { muX, rawSigma, sigmaX, probs, centre };
}

/** mu_x targets and sigma_x (the failing case 2e6 with sigma_x = 1e-3, then 1e6, 3e37 and their mirror images). */
const TARGETS: [number, number][] = [[2e6, 1e-3], [1e6, 1e-3], [1e6, 0.5], [3e37, 1e-3], [-2e6, 1e-3], [-1e6, 0.5], [-3e37, 1e-3]];

/** The edge-bin cases as a `discretized_output.json` vector file. */
export function edgeBinVectorFile(): VectorFile {
  const b = Math.sqrt(SIGMA1 ** (2 * T) / (1 - SIGMA1 ** (2 * T)));
  const netOut = TARGETS.map(([muX, sigmaX]) => [Math.fround(-muX / b), Math.fround(Math.log(sigmaX / b))] as const);
  const cases = netOut.map(([muEps, lnSigma]) => expected(muEps, lnSigma));
  const n = cases.length;
  const a = (shape: number[], data: number[]) => ({ shape, dtype: 'float32', data });
  return {
    name: 'discretized_output.json',
    json: {
      description: 'Edge bins at mu_x far outside [-1, 1]: all mass in the edge bin on its side (tests/conformance/edgeBins.ts).',
      cases: [
        {
          K, min_variance: 1e-3, sigma1: SIGMA1,
          inputs: { mu: a([1, n], new Array(n).fill(0)), t: a([1, n], new Array(n).fill(T)), network_output: a([1, n, 2], netOut.flatMap((o) => [...o])) },
          outputs: {
            data_pred_params_official_f32: a([1, n, 2], cases.flatMap((c) => [c.muX, c.rawSigma])),
            mu_x_reference_f64: a([1, n], cases.map((c) => c.muX)),
            sigma_x_reference_f64: a([1, n], cases.map((c) => c.sigmaX)),
            probs_official_f32: a([1, n, K], cases.flatMap((c) => c.probs)),
            probs_reference_f64: a([1, n, K], cases.flatMap((c) => c.probs)),
            mean_k_hat_official_f32: a([1, n], cases.map((c) => c.centre)),
            mean_k_hat_reference_f64: a([1, n], cases.map((c) => c.centre)),
            mode_official_f32: a([1, n], cases.map((c) => c.centre)),
          },
          // mu_x is up to 3e37: float32 rounding of the product B mu_eps is relative, within rtol.
          check: { rtol: 1e-4, atol: 2e-6 },
        },
      ],
    },
  };
}
