/**
 * BFN-Solver samplers for discrete data with K classes (Xue et al., ICML 2024, arXiv:2404.15766, §5 and Table 1:
 * the original BFN sampler is an approximate first-order solver of the reverse-time SDE, Proposition 5.3; the new
 * samplers are the appendix's Algorithms 4-7), ported from the official `bfnsolver_t.py` `TextBFNSolver` and the loop
 * in its `sample` (ML-GSAI/BFN-Solver at 8002f24).
 *
 * State: the logit-space vector x [batch, ...D, K] of the discrete Bayesian flow, y ~ N(beta (K e_x - 1), beta K I) with
 * beta(t) = beta1 t^2, and theta = softmax(x). In the reverse time s = 1 - t (tau = t below) it follows the linear
 * SDE with f = -2/tau and g^2 = 2 K beta1 tau. The network sees theta through `discreteNetInputs` and returns logits;
 * p = softmax(logits) is the data prediction (the expected one-hot). Every update is
 * x_t = a x_s + b u_s + c u_prev + m u_mid + d z with u = K p - 1 and float64 coefficients
 * ({@link discreteSolverCoefficients}).
 */
import * as tf from '@tensorflow/tfjs-core';
import { discreteNetInputs, oneHot } from './discrete';
import type { BfnSpec } from './kinds';
import type { Network } from './sampler';
import {
  checkSolverSteps, linearCombination, runSolverLoop, solverBranch, solverTimeGrid, SOLVER_DEFAULT_ETA,
  type SolverBaseOptions, type SolverBranch, type SolverResult,
} from './solverCommon';

/** The discrete-data algorithms, with the names of the official `sample` dispatch. */
export const DISCRETE_SOLVER_ALGORITHMS = [
  'ode_euler', 'sde_euler', 'ode_bfnsolver1', 'ode_bfnsolver2_single_step', 'ode_bfnsolver2_multi_step',
  'sde_bfnsolver1', 'sde_bfnsolver2_multi_step',
] as const;

/** A discrete-data solver algorithm, one of {@link DISCRETE_SOLVER_ALGORITHMS}. */
export type DiscreteSolverAlgorithm = (typeof DISCRETE_SOLVER_ALGORITHMS)[number];

/** Options of {@link discreteSolverSample}. */
export interface DiscreteSolverOptions extends SolverBaseOptions {
  algorithm: DiscreteSolverAlgorithm;
  /**
   * `cate_samp` (`ode_euler`, `sde_euler`, `sde_bfnsolver1` only; default false): replace p by the one-hot of a
   * class drawn from the network's categorical distribution (one uniform per variable, inverse CDF). With
   * `sde_bfnsolver1` this is exactly the original BFN discrete sampler's step on the solver grid.
   */
  cateSamp?: boolean;
  /**
   * `addi_step` (`ode_euler`, `sde_euler` only; needs `lastDrop: false`; default false): the last step updates to
   * t = 1, calls the network there once more, and returns those logits.
   */
  addiStep?: boolean;
  /**
   * Reproduce the official `TextBFNSolver.sde_euler_update` (`sde_euler` only; default false): it computes its
   * Euler-Maruyama update and then returns the network logits instead, so the state becomes the logits after every
   * step (its noise is drawn and unused). Without it `sde_euler` is the Euler-Maruyama step itself.
   */
  officialSdeEulerBug?: boolean;
}

/** The discrete solvers' schedule at the grid points i = 0..n, float64 (official `TextBFNSolver.__init__`). */
export interface DiscreteSolverSchedule {
  /** Reverse times s_i = (n - i)/n (1 - eta) (official `times`). */
  s: number[];
  /** BFN times tau_i = t_i = 1 - s_i. */
  t: number[];
  /** Step size (1 - eta)/n (official `delta_t`). */
  delta: number;
  /** beta = beta1 t^2 (official `beta_t`). */
  beta: number[];
  /** f = -2/t (official `f_t`). */
  f: number[];
  /** g = sqrt(2 K t) sqrt(beta1) (official `g_t`). */
  g: number[];
  K: number;
  beta1: number;
}

/**
 * The discrete solvers' float64 schedule (official `TextBFNSolver.__init__`, with max_sqrt_beta = sqrt(beta1)).
 * @throws RangeError for a bad n, eta, K (integer >= 2) or beta1 (positive, finite).
 */
export function discreteSolverSchedule(n: number, eta: number, K: number, beta1: number): DiscreteSolverSchedule {
  if (!Number.isInteger(K) || K < 2) throw new RangeError(`K must be an integer >= 2, got ${K}`);
  if (!(beta1 > 0 && Number.isFinite(beta1))) throw new RangeError(`beta1 must be positive and finite, got ${beta1}`);
  const { s, t, delta } = solverTimeGrid(n, eta);
  return {
    s, t, delta, K, beta1,
    beta: t.map((v) => beta1 * v * v),
    f: t.map((v) => -2 / v),
    g: t.map((v) => Math.sqrt(2 * K * v) * Math.sqrt(beta1)),
  };
}

/**
 * The float64 coefficients of one discrete update x_t = x x_s + u u_s + uPrev u_prev + uMid u_mid + z z, with
 * u = K p - 1 of this step (s), of the previous step (prev) and of the midpoint (mid).
 */
export interface DiscreteSolverCoefficients {
  x: number;
  u: number;
  uPrev: number;
  uMid: number;
  z: number;
}

/**
 * The coefficients of the update of step i (grid point i -> i + 1; tau_s = t_i, tau_t = t_{i+1}), in float64;
 * second-order terms for i >= 1 use tau_prev = t_{i-1}.
 * - `ode_euler` (official `TextBFNSolver.ode_euler_update`): x_t = x_s - ((f + g^2/(2 K beta_s)) x_s
 *   - g^2 (p - 1/K)/2) delta, f, g at s.
 * - `sde_euler` (the Euler-Maruyama step the official `sde_euler_update` computes and then discards):
 *   x_t = x_s + g^2 (p - 1/K) delta + g sqrt(delta) z.
 * - `ode_bfnsolver1` (official `ode_bfnsolver1_update`): x_t = sqrt(beta_t/beta_s) x_s + (beta_t - sqrt(beta_s beta_t))
 *   (K p - 1) = (tau_t/tau_s) x_s + beta1 tau_t (tau_t - tau_s)(K p - 1).
 * - `ode_bfnsolver2_multi_step` (official `ode_bfnsolver2_multi_step_update`): ODE-1, plus for i >= 1
 *   K beta1 tau_t (tau_t - tau_s)^2 (p_s - p_prev) / (2 (tau_s - tau_prev)).
 * - `ode_bfnsolver2_single_step` (official `ode_bfnsolver2_single_step_upate`): ODE-1, plus
 *   K beta1 tau_t (tau_t - tau_s)^2 (p_mid - p_s) / (2 (tau_mid - tau_s)); see {@link discreteSolverMidpoint}.
 * - `sde_bfnsolver1` (official `sde_bfnsolver1_update`; paper Proposition 5.3): x_t = x_s + (beta_t - beta_s)(K p - 1)
 *   + sqrt(K (beta_t - beta_s)) z.
 * - `sde_bfnsolver2_multi_step` (official `sde_bfnsolver2_multi_step_update`): SDE-1, plus for i >= 1
 *   K beta1 (tau_t - tau_s)^2 (tau_s + 2 tau_t)(p_s - p_prev) / (3 (tau_s - tau_prev)).
 * @param sch the schedule of {@link discreteSolverSchedule}. @param i step index 0..n-1.
 * @throws RangeError for an unknown algorithm or i outside 0..n-1.
 */
export function discreteSolverCoefficients(algorithm: DiscreteSolverAlgorithm, i: number, sch: DiscreteSolverSchedule): DiscreteSolverCoefficients {
  const n = sch.s.length - 1;
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`step i must be an integer in 0..${n - 1}, got ${i}`);
  const { t, beta, f, g, delta, K, beta1 } = sch;
  const tauS = t[i]!;
  const tauT = t[i + 1]!;
  const dTau = tauT - tauS;
  const none = { uPrev: 0, uMid: 0, z: 0 };
  switch (algorithm) {
    case 'ode_euler':
      return { ...none, x: 1 - (f[i]! + (g[i]! * g[i]!) / (2 * K * beta[i]!)) * delta, u: (0.5 * g[i]! * g[i]! * delta) / K };
    case 'sde_euler':
      return { ...none, x: 1, u: (g[i]! * g[i]! * delta) / K, z: g[i]! * Math.sqrt(delta) };
    case 'ode_bfnsolver1':
    case 'ode_bfnsolver2_multi_step':
    case 'ode_bfnsolver2_single_step': {
      const first = { ...none, x: tauT / tauS, u: beta1 * tauT * dTau };
      if (algorithm === 'ode_bfnsolver2_single_step') {
        const c = (0.5 * beta1 * tauT * dTau * dTau) / (discreteSolverMidpoint(i, sch).t - tauS);
        return { ...first, u: first.u - c, uMid: c };
      }
      if (algorithm === 'ode_bfnsolver1' || i === 0) return first;
      const c = (0.5 * beta1 * tauT * dTau * dTau) / (tauS - t[i - 1]!);
      return { ...first, u: first.u + c, uPrev: -c };
    }
    case 'sde_bfnsolver1':
    case 'sde_bfnsolver2_multi_step': {
      const alpha = beta[i + 1]! - beta[i]!;
      const first = { ...none, x: 1, u: alpha, z: Math.sqrt(K * alpha) };
      if (algorithm === 'sde_bfnsolver1' || i === 0) return first;
      const c = (beta1 * dTau * dTau * (tauS + 2 * tauT)) / (3 * (tauS - t[i - 1]!));
      return { ...first, u: first.u + c, uPrev: -c };
    }
    default:
      throw new RangeError(`unknown discrete solver algorithm '${String(algorithm)}'; known: ${DISCRETE_SOLVER_ALGORITHMS.join(', ')}`);
  }
}

/**
 * The midpoint of `ode_bfnsolver2_single_step`'s step i (official `ode_bfnsolver2_single_step_upate`): reverse time
 * s_mid = (s_i + s_{i+1})/2, BFN time t = 1 - s_mid, and the ODE-1 step to it,
 * x_mid = (tau_mid/tau_s) x_s + beta1 tau_mid (tau_mid - tau_s)(K p_s - 1).
 * @returns { t, x, u }: the midpoint's BFN time and the coefficients of x_s and u_s = K p_s - 1.
 */
export function discreteSolverMidpoint(i: number, sch: DiscreteSolverSchedule): { t: number; x: number; u: number } {
  const tauS = sch.t[i]!;
  const tMid = 1 - (sch.s[i]! + sch.s[i + 1]!) / 2;
  return { t: tMid, x: tMid / tauS, u: sch.beta1 * tMid * (tMid - tauS) };
}

/**
 * Draws classes by the inverse CDF: the smallest k with cumsum(probs)_k > u (the reference vectors' stand-in for
 * torch's `Categorical(logits).sample()`, tests/solver-vectors/README.md). @param probs [..., K].
 * @param u uniforms on [0, 1), probs' shape without the class axis. @returns int32 classes, u's shape.
 */
export function categoricalInverseCdf(probs: tf.Tensor, u: tf.Tensor): tf.Tensor {
  const K = probs.shape[probs.rank - 1]!;
  return tf.tidy(() => {
    // cumsum over a positive axis: tf.cumsum(x, -1) corrupts the wasm heap (tfjs 4.22).
    const cdf = tf.cumsum(probs, probs.rank - 1);
    return tf.minimum(tf.sum(tf.cast(tf.lessEqual(cdf, tf.expandDims(u, -1)), 'int32'), -1), K - 1);
  });
}

/**
 * The network's output as K logits: [..., K] unchanged, or for K = 2 a single Bernoulli logit l (class 1) [..., 1]
 * as the logits [0, l], which have the same softmax. @throws Error for any other shape.
 */
function asLogits(out: tf.Tensor, stateShape: number[]): tf.Tensor {
  const K = stateShape[stateShape.length - 1]!;
  if (out.shape.join(',') === stateShape.join(',')) return out;
  if (K === 2 && out.shape.join(',') === [...stateShape.slice(0, -1), 1].join(',')) return tf.concat([tf.zerosLike(out), out], -1);
  throw new Error(`the discrete network must return logits [${stateShape.join(', ')}]${K === 2 ? ' or one logit per variable' : ''}, got [${out.shape.join(', ')}]`);
}

/**
 * The network input from the solver state x [batch, ...D, K]: `discreteNetInputs(softmax(x))`; for K = 2 computed as
 * 2 theta_0 - 1 = tanh((x_0 - x_1) / 2) without the softmax and the slice of the class axis. @returns [batch, ...D, 1]
 * (K = 2) or [batch, ...D, K].
 */
function solverNetInputs(x: tf.Tensor, dataShape: number[]): tf.Tensor {
  if (x.shape[x.rank - 1] !== 2) return discreteNetInputs(tf.softmax(x));
  return tf.tidy(() => tf.reshape(tf.tanh(tf.matMul(tf.reshape(x, [-1, 2]), tf.tensor2d([0.5, -0.5], [2, 1]))), [...dataShape, 1]));
}

/**
 * p = softmax of the network's logits ({@link asLogits}); for one logit l per variable (K = 2), [sigmoid(-l), sigmoid(l)]
 * computed as sigmoid(l [-1, 1]), without building the logits [0, l]. @returns [batch, ...D, K].
 * @throws Error for an output of the wrong shape (as {@link asLogits}).
 */
function solverProbs(out: tf.Tensor, stateShape: number[]): tf.Tensor {
  const oneLogit = stateShape[stateShape.length - 1] === 2 && out.shape.join(',') === [...stateShape.slice(0, -1), 1].join(',');
  if (!oneLogit) return tf.softmax(asLogits(out, stateShape));
  return tf.tidy(() => tf.reshape(tf.sigmoid(tf.matMul(tf.reshape(out, [-1, 1]), tf.tensor2d([-1, 1], [1, 2]))), stateShape));
}

const CATE_SAMP = new Set<DiscreteSolverAlgorithm>(['ode_euler', 'sde_euler', 'sde_bfnsolver1']);
const ADDI_STEP = new Set<DiscreteSolverAlgorithm>(['ode_euler', 'sde_euler']);
const DISCRETE_MULTISTEP = new Set<DiscreteSolverAlgorithm>(['ode_bfnsolver2_multi_step', 'sde_bfnsolver2_multi_step']);

function checkDiscreteOptions(options: DiscreteSolverOptions, lastDrop: boolean): void {
  const { algorithm } = options;
  if (!DISCRETE_SOLVER_ALGORITHMS.includes(algorithm)) {
    throw new RangeError(`unknown discrete solver algorithm '${String(algorithm)}'; known: ${DISCRETE_SOLVER_ALGORITHMS.join(', ')}`);
  }
  if (options.cateSamp && !CATE_SAMP.has(algorithm)) throw new RangeError(`cateSamp applies to ${[...CATE_SAMP].join(', ')} only, not ${algorithm}`);
  if (options.addiStep && !ADDI_STEP.has(algorithm)) throw new RangeError(`addiStep applies to ${[...ADDI_STEP].join(', ')} only, not ${algorithm}`);
  if (options.addiStep && lastDrop) throw new RangeError('addiStep needs lastDrop: false (the official code ignores addi_step when last_drop is set)');
  if (options.officialSdeEulerBug && algorithm !== 'sde_euler') throw new RangeError(`officialSdeEulerBug applies to sde_euler only, not ${algorithm}`);
}

/**
 * The initial state of the official `sample`: x = z sqrt(K beta0) (`zero_mean_and_std`), or
 * x = z sqrt(K beta0 + (K/L) beta0^2 sum(std_ex^2)) + beta0 (K mean_ex - 1) (`optimal_mean_and_std`), with
 * beta0 = beta(eta) and L the number of variables of one sample. Draws one standard normal per element.
 * @returns x [batch, ...D, K]. @throws RangeError when the moments do not have L K entries.
 */
function discreteInitialState(stateShape: number[], sch: DiscreteSolverSchedule, options: DiscreteSolverOptions): tf.Tensor {
  const { K } = sch;
  const beta0 = sch.beta[0]!;
  const perItem = stateShape.slice(1);
  const size = perItem.reduce((a, b) => a * b, 1);
  const L = size / K;
  const m = options.initial;
  if (m && (m.mean.length !== size || m.std.length !== size)) {
    throw new RangeError(`initial mean and std must have L K = ${size} entries each, got ${m.mean.length} and ${m.std.length}`);
  }
  const trace = m ? Array.from(m.std, (v) => v * v).reduce((a, b) => a + b, 0) : 0;
  const std = Math.sqrt(K * beta0 + (K / L) * beta0 * beta0 * trace);
  const z = options.noise.normal(stateShape);
  try {
    return tf.tidy(() => {
      const scaled = tf.mul(z, std);
      return m ? tf.add(scaled, tf.tensor(Float32Array.from(m.mean, (v) => beta0 * (K * v - 1)), perItem)) : scaled;
    });
  } finally {
    z.dispose();
  }
}

/**
 * Samples discrete data with a BFN-Solver (official `bfnsolver_t.py` `sample` with the update methods of
 * `TextBFNSolver`; see {@link discreteSolverCoefficients} for each algorithm's step). Per step i = 0..n-1: the network
 * is called on `discreteNetInputs(softmax(x))` at t_i (a tensor [1, ...] of dataShape's rank, shared by every row,
 * like `sample`), p = softmax(logits), then the update; on a `last_drop` step the state becomes the logits.
 * `ode_bfnsolver2_single_step` calls the network twice per step (at t_i and at the midpoint). Random draws, in order:
 * the initial state; per step, `sde_euler`: z then the categorical uniforms (`cateSamp`), on every step;
 * `ode_euler`: the uniforms (`cateSamp`); `sde_bfnsolver1`: the uniforms (`cateSamp`), then z unless the step is
 * `last_drop`; `sde_bfnsolver2_multi_step`: z unless the step is `last_drop`.
 * @param spec discrete data: K classes and beta1.
 * @param net the network: input theta [batch, ...D, K] ([batch, ...D, 1] = 2 theta_0 - 1 for K = 2) and t; output logits
 *   [batch, ...D, K] (or one logit [batch, ...D, 1] for class 1 when K = 2, taken as the logits [0, l]).
 * @param dataShape [batch, ...D] of the samples.
 * @returns class indices [batch, ...D] (argmax of the final logits, first index on ties) as `samples`, and the
 *   trajectory when `record` is set. Tensor memory is unchanged when it returns.
 * @throws RangeError for a bad n, eta, K, beta1, algorithm, option combination, data shape or initial moments; Error
 *   when the network's output has the wrong shape; rethrows errors from `net` or `onStep` after disposing its tensors.
 */
export async function discreteSolverSample(
  spec: Extract<BfnSpec, { kind: 'discrete' }>, net: Network, dataShape: number[], options: DiscreteSolverOptions,
): Promise<SolverResult> {
  const { algorithm, n, noise, record = false, lastDrop = true, cateSamp = false, addiStep = false } = options;
  const officialBug = options.officialSdeEulerBug ?? false;
  const eta = options.eta ?? SOLVER_DEFAULT_ETA.discrete;
  checkDiscreteOptions(options, lastDrop);
  checkSolverSteps(n, eta);
  if (dataShape.length < 2 || !dataShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`dataShape must be [batch, ...D] with positive integer sizes, got [${dataShape.join(', ')}]`);
  }
  const sch = discreteSolverSchedule(n, eta, spec.K, spec.beta1);
  const { K } = sch;
  const stateShape = [...dataShape, K];
  const tShape = Array(dataShape.length).fill(1);
  // The network's raw output at (x, t): logits [..., K], or for K = 2 possibly one logit per variable [..., 1].
  const outAt = (x: tf.Tensor, t: number) => net(solverNetInputs(x, dataShape), tf.fill(tShape, t));
  const logitsOf = (out: tf.Tensor) => asLogits(out, stateShape);
  const probsOf = (out: tf.Tensor) => solverProbs(out, stateShape);
  const kpMinus1 = (p: tf.Tensor) => tf.sub(tf.mul(p, K), 1);
  let uPrev: tf.Tensor | null = null;

  const step = (i: number, x: tf.Tensor) => {
    const isLast = i === n - 1;
    let branch: SolverBranch = solverBranch(DISCRETE_MULTISTEP.has(algorithm), i, n, lastDrop);
    const netT = [sch.t[i]!];
    const out = tf.tidy(() => {
      const zEarly = algorithm === 'sde_euler' ? noise.normal(stateShape) : null;
      const outS = outAt(x, sch.t[i]!);
      const probsS = probsOf(outS);
      const classes = cateSamp ? categoricalInverseCdf(probsS, noise.uniform(dataShape)) : null;
      const pS = classes ? oneHot(classes, K) : probsS;
      const uS = kpMinus1(pS);
      let outMid: tf.Tensor | null = null;
      let pMid: tf.Tensor | null = null;
      if (algorithm === 'ode_bfnsolver2_single_step') {
        const mid = discreteSolverMidpoint(i, sch);
        outMid = outAt(linearCombination([[x, mid.x], [uS, mid.u]]), mid.t);
        netT.push(mid.t);
        pMid = probsOf(outMid);
      }
      const zLate = (algorithm === 'sde_bfnsolver1' || algorithm === 'sde_bfnsolver2_multi_step') && branch !== 'last_drop'
        ? noise.normal(stateShape) : null;
      const dataPrediction = pMid ?? pS;
      const carry = tf.clone(uS);
      const classesF = classes ? tf.cast(classes, 'float32') : tf.zeros([0]);
      if (branch === 'last_drop') return { next: logitsOf(outMid ?? outS), dataPrediction, classesF, carry };
      if (officialBug && !(addiStep && isLast)) {
        branch = 'update_discarded_returns_logits';
        return { next: logitsOf(outS), dataPrediction, classesF, carry };
      }
      const c = discreteSolverCoefficients(algorithm, i, sch);
      const update = linearCombination([[x, c.x], [uS, c.u], [uPrev, c.uPrev], [pMid && kpMinus1(pMid), c.uMid], [zEarly ?? zLate, c.z]]);
      if (addiStep && isLast) {
        branch = 'addi_step';
        netT.push(sch.t[n]!);
        const outFinal = outAt(update, sch.t[n]!);
        return { next: logitsOf(outFinal), dataPrediction: probsOf(outFinal), classesF, carry };
      }
      return { next: update, dataPrediction, classesF, carry };
    });
    uPrev?.dispose();
    uPrev = out.carry;
    const classes = cateSamp ? out.classesF : undefined;
    if (!cateSamp) out.classesF.dispose();
    return { next: out.next, branch, netT, dataPrediction: out.dataPrediction, classes };
  };

  const init = discreteInitialState(stateShape, sch, options);
  const run = await runSolverLoop(init, sch, step, { n, record, onStep: options.onStep, cleanup: () => uPrev?.dispose() });
  try {
    const modes = tf.tidy(() => tf.cast(tf.argMax(run.final, -1), 'float32'));
    const samples = Float32Array.from(await modes.data());
    modes.dispose();
    if (!record) return { samples };
    return {
      samples,
      trajectory: {
        algorithm, n, eta, lastDrop, dataShape: [...dataShape], stateShape, t: sch.t,
        init: run.init!, steps: run.steps, final: Float32Array.from(await run.final.data()),
      },
    };
  } finally {
    run.final.dispose();
  }
}
