/**
 * The samplers a view can offer per data kind, with their names and one-line descriptions: the original BFN sampler
 * (Graves et al. 2023, Algorithms 3, 6 and 9) and the four BFN-Solvers of Xue et al. 2024 (Table 1; official
 * `bfnsolver_i.py`, `bfnsolver_t.py`). Plain data without TensorFlow.js, so that the page can import it.
 */
import type { BfnSpec } from './kinds';

/** A sampler a UI can offer: 'original' (`sample` in sampler.ts) or a BFN-Solver algorithm. */
export type SamplerId = 'original' | 'ode_bfnsolver1' | 'ode_bfnsolver2_multi_step' | 'sde_bfnsolver1' | 'sde_bfnsolver2_multi_step';

/** One entry of {@link SAMPLER_CHOICES}. */
export interface SamplerChoice {
  id: SamplerId;
  /** User-facing name. */
  label: string;
  /** A few characters for tables and legends. */
  short: string;
  /** One line for a tooltip. */
  description: string;
  /** Whether it draws fresh noise every step (SDE) or only the initial state (ODE). */
  stochastic: boolean;
  /** Network calls per step. */
  callsPerStep: number;
}

const ORIGINAL: SamplerChoice = {
  id: 'original', label: 'Original BFN', short: 'original', stochastic: true, callsPerStep: 1,
  description: 'The BFN sampler of Graves et al.: n Bayesian updates with sender noise, then a final network call at t = 1.',
};

const SOLVER_CHOICES: readonly SamplerChoice[] = [
  {
    id: 'ode_bfnsolver1', label: 'BFN-Solver ODE, 1st order', short: 'ODE-1', stochastic: false, callsPerStep: 1,
    description: 'Deterministic: solves the probability-flow ODE exactly with the prediction held fixed over each step.',
  },
  {
    id: 'ode_bfnsolver2_multi_step', label: 'BFN-Solver ODE, 2nd order (multistep)', short: 'ODE-2M', stochastic: false, callsPerStep: 1,
    description: 'Deterministic, second order: extrapolates the prediction linearly from the previous step. Best at 10-20 steps.',
  },
  {
    id: 'sde_bfnsolver1', label: 'BFN-Solver SDE, 1st order', short: 'SDE-1', stochastic: true, callsPerStep: 1,
    description: 'Stochastic: solves the reverse SDE exactly with the prediction held fixed; the original BFN update on the solver grid.',
  },
  {
    id: 'sde_bfnsolver2_multi_step', label: 'BFN-Solver SDE, 2nd order (multistep)', short: 'SDE-2M', stochastic: true, callsPerStep: 1,
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

/** Every sampler id, original first (for URL schemas). */
export const SAMPLER_IDS = ['original', 'ode_bfnsolver1', 'ode_bfnsolver2_multi_step', 'sde_bfnsolver1', 'sde_bfnsolver2_multi_step'] as const satisfies readonly SamplerId[];
