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
 * @param spec the data kind and its hyperparameters. @param net the network. @param dataShape [B, ...D].
 * @returns samples [B, ...D] (continuous values, or class indices) and the trajectory when `record` is set.
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

/** A sampler a UI can offer: 'original' (`sample` in sampler.ts) or a BFN-Solver algorithm. */
export type SamplerId = 'original' | 'ode_bfnsolver1' | 'ode_bfnsolver2_multi_step' | 'sde_bfnsolver1' | 'sde_bfnsolver2_multi_step';

/** One entry of {@link SAMPLER_CHOICES}. */
export interface SamplerChoice {
  id: SamplerId;
  /** Short user-facing name. */
  label: string;
  /** One line for a tooltip. */
  description: string;
  /** Whether it draws fresh noise every step (SDE) or only the initial state (ODE). */
  stochastic: boolean;
  /** Network calls per step. */
  callsPerStep: number;
}

const ORIGINAL: SamplerChoice = {
  id: 'original', label: 'Original BFN', stochastic: true, callsPerStep: 1,
  description: 'The BFN sampler of Graves et al.: n Bayesian updates with sender noise, then a final network call at t = 1.',
};

const SOLVER_CHOICES: readonly SamplerChoice[] = [
  {
    id: 'ode_bfnsolver1', label: 'BFN-Solver ODE, 1st order', stochastic: false, callsPerStep: 1,
    description: 'Deterministic: solves the probability-flow ODE exactly with the prediction held fixed over each step.',
  },
  {
    id: 'ode_bfnsolver2_multi_step', label: 'BFN-Solver ODE, 2nd order (multistep)', stochastic: false, callsPerStep: 1,
    description: 'Deterministic, second order: extrapolates the prediction linearly from the previous step. Best at 10-20 steps.',
  },
  {
    id: 'sde_bfnsolver1', label: 'BFN-Solver SDE, 1st order', stochastic: true, callsPerStep: 1,
    description: 'Stochastic: solves the reverse SDE exactly with the prediction held fixed; the original BFN update on the solver grid.',
  },
  {
    id: 'sde_bfnsolver2_multi_step', label: 'BFN-Solver SDE, 2nd order (multistep)', stochastic: true, callsPerStep: 1,
    description: 'Stochastic, second order: the SDE solver with the prediction extrapolated from the previous step.',
  },
];

/**
 * The samplers a UI can offer for each data kind, in display order: the original sampler for every kind, and the
 * four BFN-Solvers of the paper's Table 1 for continuous and discrete data (discretized data has no solver).
 */
export const SAMPLER_CHOICES: Readonly<Record<BfnSpec['kind'], readonly SamplerChoice[]>> = {
  continuous: [ORIGINAL, ...SOLVER_CHOICES],
  discretized: [ORIGINAL],
  discrete: [ORIGINAL, ...SOLVER_CHOICES],
};
