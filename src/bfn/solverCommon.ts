/**
 * What the fast BFN-Solver samplers share across data kinds (Xue et al., "Unifying Bayesian Flow Networks and
 * Diffusion Models through Stochastic Differential Equations", ICML 2024, arXiv:2404.15766; official code
 * ML-GSAI/BFN-Solver at 8002f24, `bfnsolver_i.py` `ImageBFNSolver` and `bfnsolver_t.py` `TextBFNSolver`): the time
 * grid, the options and their checks, the result and trajectory types, and the step loop.
 *
 * Time: t in [0, 1] is BFN time (t = 0 the prior, t = 1 the data). The solvers walk the reverse time s = 1 - t on
 * the grid s_i = (n - i)/n (1 - eta), i = 0..n, so t_0 = eta and t_n = 1; step i goes from t_i to t_{i+1} and calls
 * the network at t_i (never at t = 1, except the discrete Euler solvers' optional extra step). Schedules and step
 * coefficients are float64 JS numbers, applied to float32 tensors, as the official code applies its float64
 * schedule tensors to float32 states.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NoiseSource } from './noise';

/** The branch a solver step took, with the names of the reference vectors (tests/solver-vectors/README.md). */
export type SolverBranch =
  | 'update'
  | 'first_order'
  | 'second_order'
  | 'last_drop'
  | 'addi_step'
  | 'update_discarded_returns_logits';

/**
 * The optional initial distribution `optimal_mean_and_std` of the official samplers: the data's per-variable mean and
 * standard deviation over a training set, for one data item (continuous: mean_x, std_x with the shape [...D] of one
 * sample; discrete: mean_ex, std_ex of the one-hot data, [...D, K]), row-major. Without it the solvers start from
 * `zero_mean_and_std`.
 */
export interface SolverInitialMoments {
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
}

/** Options every solver takes (see {@link SolverOptions} for the algorithm and the discrete-only options). */
export interface SolverBaseOptions {
  /** Number of steps n >= 1 (network calls: n, or 2n for `ode_bfnsolver2_single_step`, + 1 with `addiStep`). */
  n: number;
  /** Source of every random draw, in the official code's order (initial state, then per step). */
  noise: NoiseSource;
  /**
   * eta in (0, 1): the grid starts at BFN time t_0 = eta, avoiding the singular t = 0. Default: the value of the
   * official sampling configs ({@link SOLVER_DEFAULT_ETA}: 0.01 for continuous data, 0.001 for discrete data).
   */
  eta?: number;
  /**
   * `last_drop` (default true, as in the official configs): the last step returns the data prediction at t_{n-1}
   * (continuous: the clipped x_hat; discrete: the network's logits) instead of an update to t = 1. The multistep
   * solvers always update on step 0, so with n = 1 they ignore it.
   */
  lastDrop?: boolean;
  /** `optimal_mean_and_std` initial state; default `zero_mean_and_std`. */
  initial?: SolverInitialMoments;
  /** Record the state, the data prediction and the network times of every step (one read-back per step). */
  record?: boolean;
  /** Called after each step with (i, n), i = 1..n; awaiting it lets a caller yield or cancel (throw to abort). */
  onStep?: (i: number, n: number) => void | Promise<void>;
}

/** One recorded solver step i (0-based), from t_i to t_{i+1}. */
export interface SolverTrajectoryStep {
  i: number;
  /** BFN time t_i of the step's (first) network call. */
  tFrom: number;
  /** BFN time t_{i+1} the update goes to. */
  tTo: number;
  branch: SolverBranch;
  /** The BFN times of this step's network calls, float64 (the network itself sees them as float32). */
  netT: number[];
  /**
   * The step's data prediction: continuous data the clipped x_hat [batch, ...D]; discrete data the class probabilities
   * p [batch, ...D, K] the official step returns as `data_pred` (the categorical one-hot with `cateSamp`, the midpoint's
   * p for `ode_bfnsolver2_single_step`, the extra call's p for `addiStep`).
   */
  dataPrediction: Float32Array;
  /** Discrete `cateSamp`: the sampled class per variable [batch, ...D]. */
  classes?: Float32Array;
  /** The state after the step: continuous mu [batch, ...D]; discrete logit-space x [batch, ...D, K]. */
  state: Float32Array;
}

/** A recorded solver run. */
export interface SolverTrajectory {
  algorithm: string;
  n: number;
  eta: number;
  lastDrop: boolean;
  /** [batch, ...D] of the samples. */
  dataShape: number[];
  /** [batch, ...D] (continuous) or [batch, ...D, K] (discrete). */
  stateShape: number[];
  /** The grid's BFN times t_0 = eta, ..., t_n = 1 (float64). */
  t: number[];
  /** The initial state, stateShape. */
  init: Float32Array;
  steps: SolverTrajectoryStep[];
  /** The final state, stateShape (continuous: the samples; discrete: the logits whose argmax are the samples). */
  final: Float32Array;
}

/** What a solver returns: the samples and, when requested, the trajectory. */
export interface SolverResult {
  /**
   * [batch, ...D] row-major. Continuous data: the final mu, values in [-1, 1] with `lastDrop` (the clipped x_hat) and
   * not clipped without it. Discrete data: class indices, the argmax of the final logits (first index on ties).
   */
  samples: Float32Array;
  trajectory?: SolverTrajectory;
}

/**
 * eta of the official sampling configs: 0.01 for continuous data (`cifar10_continuous_256bins.yaml`), 0.001 for
 * discrete data (`text8_discrete.yaml`). The solver classes' own default is 1e-5.
 */
export const SOLVER_DEFAULT_ETA = { continuous: 0.01, discrete: 0.001 } as const;

/**
 * The solvers' time grid (official `ImageBFNSolver.__init__` / `TextBFNSolver.__init__`: `times`, `delta_t`):
 * reverse times s_i = (n - i)/n (1 - eta), BFN times t_i = 1 - s_i, i = 0..n, and the step size delta = (1 - eta)/n,
 * all float64.
 * @param n number of steps. @param eta start time of the grid, in (0, 1).
 * @returns { s, t, delta }, s and t of length n + 1.
 * @throws RangeError when n is not a positive integer or eta is not in (0, 1).
 */
export function solverTimeGrid(n: number, eta: number): { s: number[]; t: number[]; delta: number } {
  checkSolverSteps(n, eta);
  const s = Array.from({ length: n + 1 }, (_, i) => ((n - i) / n) * (1 - eta));
  return { s, t: s.map((v) => 1 - v), delta: (1 - eta) / n };
}

/**
 * Checks n and eta. @throws RangeError naming the bad value: n not a positive integer, eta not a finite number in
 * (0, 1). Source: the official solvers' constructors (eta = 0 would put a network call and gamma = 0 at t = 0).
 */
export function checkSolverSteps(n: number, eta: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`the number of solver steps n must be a positive integer, got ${n}`);
  if (!(eta > 0 && eta < 1)) throw new RangeError(`the solver's eta must lie in (0, 1), got ${eta}`);
}

/**
 * The sum of coefficient x tensor over the terms whose tensor is given and whose coefficient is non-zero: how every
 * solver step applies its float64 coefficients (each rounded once to float32) to its float32 tensors.
 * @param terms [tensor or null, coefficient] pairs; the tensors share one shape. @returns a new tensor of that shape.
 * @throws Error when no term is left.
 */
export function linearCombination(terms: Array<readonly [tf.Tensor | null | undefined, number]>): tf.Tensor {
  const live = terms.filter((term): term is readonly [tf.Tensor, number] => !!term[0] && term[1] !== 0);
  if (live.length === 0) throw new Error('linearCombination: no non-zero term');
  return tf.tidy(() => live.map(([x, c]) => (c === 1 ? x : tf.mul(x, c))).reduce((acc, x) => tf.add(acc, x)));
}

/** What one step of a solver's loop hands back to {@link runSolverLoop}. */
export interface SolverStepOutput {
  /** The state after the step (owned by the loop from here on). */
  next: tf.Tensor;
  branch: SolverBranch;
  netT: number[];
  /** The step's data prediction (owned by the loop; read when recording, then disposed). */
  dataPrediction: tf.Tensor;
  /** The sampled classes with categorical sampling (owned by the loop). */
  classes?: tf.Tensor;
}

/**
 * Runs n solver steps from an initial state (the loop of the official `batch_sample` / `sample`): for i = 0..n-1,
 * state <- step(i, state), recording and awaiting `onStep(i + 1, n)` after each. Disposes every state but the last,
 * every step output, and calls `cleanup` (the solver's carried tensors) on return and on error.
 * @param init the initial state (owned by the loop). @param grid the time grid of {@link solverTimeGrid}.
 * @returns the final state (owned by the caller) and, when recording, the trajectory's init and steps.
 */
export async function runSolverLoop(
  init: tf.Tensor,
  grid: { t: number[] },
  step: (i: number, state: tf.Tensor) => SolverStepOutput,
  options: { n: number; record: boolean; onStep?: (i: number, n: number) => void | Promise<void>; cleanup: () => void },
): Promise<{ final: tf.Tensor; init?: Float32Array; steps: SolverTrajectoryStep[] }> {
  const { n, record, onStep, cleanup } = options;
  let state = init;
  let handedOver = false;
  const steps: SolverTrajectoryStep[] = [];
  try {
    const initData = record ? Float32Array.from(await init.data()) : undefined;
    for (let i = 0; i < n; i++) {
      const out = step(i, state);
      state.dispose();
      state = out.next;
      try {
        if (record) {
          steps.push({
            i, tFrom: grid.t[i]!, tTo: grid.t[i + 1]!, branch: out.branch, netT: out.netT,
            dataPrediction: Float32Array.from(await out.dataPrediction.data()),
            classes: out.classes ? Float32Array.from(await out.classes.data()) : undefined,
            state: Float32Array.from(await state.data()),
          });
        }
      } finally {
        tf.dispose([out.dataPrediction, ...(out.classes ? [out.classes] : [])]);
      }
      if (onStep) await onStep(i + 1, n);
    }
    handedOver = true;
    return { final: state, init: initData, steps };
  } finally {
    if (!handedOver) state.dispose();
    cleanup();
  }
}

/**
 * The branch of step i (0-based) of n (official `*_update` methods): multistep solvers update with the first-order
 * formula on step 0 before they test `last_drop`; the others return the data prediction on the last step when
 * `last_drop` is set; every other step is a plain update (`update`, or `second_order` for the multistep solvers).
 */
export function solverBranch(multistep: boolean, i: number, n: number, lastDrop: boolean): 'update' | 'first_order' | 'second_order' | 'last_drop' {
  if (multistep && i === 0) return 'first_order';
  if (lastDrop && i === n - 1) return 'last_drop';
  return multistep ? 'second_order' : 'update';
}
