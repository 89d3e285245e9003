/**
 * The fast BFN-Solver samplers behind one entry point, and the list of samplers a UI can offer per data kind
 * (Xue et al., "Unifying Bayesian Flow Networks and Diffusion Models through Stochastic Differential Equations",
 * ICML 2024, arXiv:2404.15766, Table 1; official code ML-GSAI/BFN-Solver at 8002f24, `bfnsolver_i.py` and
 * `bfnsolver_t.py`). The solvers themselves are in solversContinuous.ts and solversDiscrete.ts; the original
 * sampler is `sample` in sampler.ts.
 */
import type { BfnSpec } from './kinds';
import type { Network } from './sampler';
import type { SolverResult } from './solverCommon';
import { ctsSolverSample, type CtsSolverOptions } from './solversContinuous';
import { discreteSolverSample, type DiscreteSolverOptions } from './solversDiscrete';

/** Options of {@link solverSample}: the continuous or the discrete solvers' options, matching the spec's kind. */
export type SolverOptions = CtsSolverOptions | DiscreteSolverOptions;

/**
 * Samples with a BFN-Solver: {@link ctsSolverSample} for continuous data, {@link discreteSolverSample} for discrete
 * data (see them for shapes, draws and the per-algorithm sources).
 * @param spec the data kind and its hyperparameters. @param net the network. @param dataShape [batch, ...D].
 * @returns samples [batch, ...D] (continuous values, or class indices) and the trajectory when `record` is set.
 * @throws RangeError for discretized data (the BFN-Solvers cover continuous and discrete data), an algorithm the
 *   kind does not have, discrete-only options on continuous data, or any invalid option (bad n, eta, ...).
 */
export async function solverSample(spec: BfnSpec, net: Network, dataShape: number[], options: SolverOptions): Promise<SolverResult> {
  if (spec.kind === 'continuous') {
    const extra = (['cateSamp', 'addiStep', 'officialSdeEulerBug'] as const).filter((k) => k in options && (options as DiscreteSolverOptions)[k]);
    if (extra.length) throw new RangeError(`${extra.join(', ')} apply to discrete data only`);
    return ctsSolverSample(spec, net, dataShape, options as CtsSolverOptions);
  }
  if (spec.kind === 'discrete') return discreteSolverSample(spec, net, dataShape, options as DiscreteSolverOptions);
  throw new RangeError(`the BFN-Solvers cover continuous and discrete data, not '${spec.kind}' data`);
}

export { SAMPLER_CHOICES, SAMPLER_IDS, type SamplerChoice, type SamplerId } from './samplerChoices';
