/**
 * BFN-Solver samplers for continuous data (Xue et al., ICML 2024, arXiv:2404.15766, §4 and Table 1: the original
 * BFN sampler is a first-order solver of the reverse-time SDE, Proposition 4.2; the new samplers are the appendix's
 * Algorithms 1-3), ported from the official `bfnsolver_i.py` `ImageBFNSolver` and its loop `batch_sample`
 * (ML-GSAI/BFN-Solver at 8002f24).
 *
 * State: the input mean mu [batch, ...D] at BFN time t; its precision rho(t) = sigma1^(-2t) = 1 + beta(t) is not stored.
 * The BFN flow mu = gamma x + sigma eps (gamma = 1 - sigma1^(2t), sigma = sqrt(gamma (1 - gamma))) is the linear
 * SDE dmu = f mu ds + g dw in the reverse time s = 1 - t, with f = 2 ln(sigma1) (1 - gamma)/gamma and
 * g^2 = -2 ln(sigma1) (1 - gamma); lambda = ln(gamma/sigma) = 0.5 ln beta. Every step predicts the data from the
 * network's noise prediction eps_hat, clipped: x_hat = clip((mu - sigma_s eps_hat)/gamma_s, -1, 1), and every update
 * is mu_t = a mu_s + b x_hat_s + c x_hat_prev + d z with float64 coefficients ({@link ctsSolverCoefficients}).
 */
import * as tf from '@tensorflow/tfjs-core';
import { X_CLIP } from './constants';
import type { BfnSpec } from './kinds';
import type { Network } from './sampler';
import {
  checkSolverSteps, linearCombination, runSolverLoop, solverBranch, solverTimeGrid, SOLVER_DEFAULT_ETA,
  type SolverBaseOptions, type SolverResult,
} from './solverCommon';

/**
 * The continuous-data algorithms. The first four are the official ones (`batch_sample`'s names); `sde_bfnsolver1`
 * (the first-order SDE step on every step, which is the original BFN update on the solver grid) and `ode_euler`
 * (Euler steps of the probability-flow ODE; the official dispatch cannot run it) are this port's additions.
 */
export const CTS_SOLVER_ALGORITHMS = [
  'sde_euler', 'ode_euler', 'ode_bfnsolver1', 'sde_bfnsolver1', 'ode_bfnsolver2_multi_step', 'sde_bfnsolver2_multi_step',
] as const;

/** A continuous-data solver algorithm, one of {@link CTS_SOLVER_ALGORITHMS}. */
export type CtsSolverAlgorithm = (typeof CTS_SOLVER_ALGORITHMS)[number];

/** Options of {@link ctsSolverSample}. */
export interface CtsSolverOptions extends SolverBaseOptions {
  algorithm: CtsSolverAlgorithm;
}

/** The continuous solvers' schedule at the grid points i = 0..n, float64 (official `ImageBFNSolver.__init__`). */
export interface CtsSolverSchedule {
  /** Reverse times s_i = (n - i)/n (1 - eta). */
  s: number[];
  /** BFN times t_i = 1 - s_i. */
  t: number[];
  /** Step size (1 - eta)/n (official `delta_t`). */
  delta: number;
  /** gamma = 1 - sigma1^(2t) (official `alpha_t`, `gamma_t`). */
  gamma: number[];
  /** beta = sigma1^(-2t) - 1 (official `beta_s`). */
  beta: number[];
  /** rho = 1 + beta = sigma1^(-2t), the input precision. */
  rho: number[];
  /** sigma = sqrt(gamma (1 - gamma)) (official `sigma_t`). */
  sigma: number[];
  /** lambda = ln gamma - ln sigma = 0.5 ln beta (official `lambda_t`). */
  lambda: number[];
  /** f = 2 ln(sigma1) (1 - gamma)/gamma (official `f_t`). */
  f: number[];
  /** g = sqrt(-2 ln(sigma1) (1 - gamma)) (official `g_t`). */
  g: number[];
}

/**
 * The continuous solvers' float64 schedule (official `ImageBFNSolver.__init__`), with gamma, beta and 1 - gamma
 * computed by expm1/exp so that they keep full precision at t = eta.
 * @param n steps. @param eta grid start in (0, 1). @param sigma1 final input standard deviation in (0, 1).
 * @throws RangeError for a bad n, eta or sigma1.
 */
export function ctsSolverSchedule(n: number, eta: number, sigma1: number): CtsSolverSchedule {
  if (!(sigma1 > 0 && sigma1 < 1)) throw new RangeError(`sigma1 must lie in (0, 1), got ${sigma1}`);
  const { s, t, delta } = solverTimeGrid(n, eta);
  const lnSigma1 = Math.log(sigma1);
  const gamma = t.map((v) => -Math.expm1(2 * v * lnSigma1));
  const oneMinusGamma = t.map((v) => Math.exp(2 * v * lnSigma1));
  const beta = t.map((v) => Math.expm1(-2 * v * lnSigma1));
  const sigma = gamma.map((gm, i) => Math.sqrt(gm * oneMinusGamma[i]!));
  return {
    s, t, delta, gamma, beta,
    rho: t.map((v) => Math.exp(-2 * v * lnSigma1)),
    sigma,
    lambda: beta.map((b) => 0.5 * Math.log(b)),
    f: gamma.map((gm, i) => (2 * lnSigma1 * oneMinusGamma[i]!) / gm),
    g: oneMinusGamma.map((om) => Math.sqrt(-2 * lnSigma1 * om)),
  };
}

/** The float64 coefficients of one continuous update mu_t = mu mu_s + xHat x_hat_s + xHatPrev x_hat_prev + z z. */
export interface CtsSolverCoefficients {
  mu: number;
  xHat: number;
  xHatPrev: number;
  z: number;
}

const CTS_MULTISTEP = new Set<CtsSolverAlgorithm>(['ode_bfnsolver2_multi_step', 'sde_bfnsolver2_multi_step']);
const CTS_DRAWS_NOISE = new Set<CtsSolverAlgorithm>(['sde_euler', 'sde_bfnsolver1', 'sde_bfnsolver2_multi_step']);

/**
 * The coefficients of the update of step i (grid point i -> i + 1; s = i, t = i + 1 below), in float64. The second
 * order terms apply for i >= 1 (r = h_{i-1}/h with h = lambda_t - lambda_s).
 * - `sde_euler` (official `ImageBFNSolver.sde_euler_update`): Euler-Maruyama on the reverse SDE with the score
 *   -eps'/sigma of the clipped prediction, eps' = (mu - gamma_s x_hat)/sigma_s:
 *   mu_t = mu_s - (f_s mu_s + g_s^2 eps'/sigma_s) delta + g_s sqrt(delta) z.
 * - `ode_euler` (not runnable in the official code; the probability-flow ODE dmu/ds = f mu + g^2 eps/(2 sigma)):
 *   mu_t = mu_s - (f_s mu_s + g_s^2 eps'/(2 sigma_s)) delta.
 * - `ode_bfnsolver1` (official `ode_bfnsolver1_update`; DPM-Solver-1): mu_t = (sigma_t/sigma_s) mu_s
 *   + gamma_t (1 - e^-h) x_hat, i.e. [sqrt(beta_t/beta_s) rho_s mu_s + (beta_t - sqrt(beta_s beta_t)) x_hat]/rho_t.
 * - `ode_bfnsolver2_multi_step` (official `ode_bfnsolver2_multi_step_update`; DPM-Solver++(2M)): step 0 as ODE-1,
 *   later x_hat replaced by (1 + 1/(2r)) x_hat_s - x_hat_prev/(2r).
 * - `sde_bfnsolver1` (step 0 of the official `sde_bfnsolver2_multi_step_update`; paper Proposition 4.2, the original
 *   BFN update rho' = rho + alpha, mu' = (rho mu + alpha y)/rho' with y = x_hat + z/sqrt(alpha)):
 *   mu_t = [rho_s mu_s + alpha x_hat + sqrt(alpha) z]/rho_t, alpha = beta_t - beta_s.
 * - `sde_bfnsolver2_multi_step` (official; SDE-DPM-Solver++(2M)): step 0 as SDE-1, later
 *   + alpha (x_hat_s - x_hat_prev)/(2 r rho_t).
 * @param sch the schedule of {@link ctsSolverSchedule}. @param i step index 0..n-1.
 * @throws RangeError for an unknown algorithm or i outside 0..n-1.
 */
export function ctsSolverCoefficients(algorithm: CtsSolverAlgorithm, i: number, sch: CtsSolverSchedule): CtsSolverCoefficients {
  const n = sch.s.length - 1;
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`step i must be an integer in 0..${n - 1}, got ${i}`);
  const { gamma, sigma, rho, beta, lambda, f, g, delta } = sch;
  const h = lambda[i + 1]! - lambda[i]!;
  const r = i >= 1 ? (lambda[i]! - lambda[i - 1]!) / h : NaN;
  switch (algorithm) {
    case 'sde_euler':
    case 'ode_euler': {
      const w = algorithm === 'sde_euler' ? 1 : 0.5; // weight of the score term: 1 (SDE), 1/2 (probability-flow ODE)
      const scoreScale = (w * g[i]! * g[i]! * delta) / (sigma[i]! * sigma[i]!);
      return {
        mu: 1 - f[i]! * delta - scoreScale,
        xHat: scoreScale * gamma[i]!,
        xHatPrev: 0,
        z: algorithm === 'sde_euler' ? g[i]! * Math.sqrt(delta) : 0,
      };
    }
    case 'ode_bfnsolver1':
    case 'ode_bfnsolver2_multi_step': {
      const k = gamma[i + 1]! * -Math.expm1(-h);
      const second = algorithm === 'ode_bfnsolver2_multi_step' && i >= 1;
      return { mu: sigma[i + 1]! / sigma[i]!, xHat: second ? k * (1 + 1 / (2 * r)) : k, xHatPrev: second ? -k / (2 * r) : 0, z: 0 };
    }
    case 'sde_bfnsolver1':
    case 'sde_bfnsolver2_multi_step': {
      const alpha = beta[i + 1]! - beta[i]!;
      const k = alpha / rho[i + 1]!;
      const second = algorithm === 'sde_bfnsolver2_multi_step' && i >= 1;
      return {
        mu: rho[i]! / rho[i + 1]!,
        xHat: second ? k * (1 + 1 / (2 * r)) : k,
        xHatPrev: second ? -k / (2 * r) : 0,
        z: Math.sqrt(alpha) / rho[i + 1]!,
      };
    }
    default:
      throw new RangeError(`unknown continuous solver algorithm '${String(algorithm)}'; known: ${CTS_SOLVER_ALGORITHMS.join(', ')}`);
  }
}

/**
 * The initial state of the official `batch_sample`: mu = z sqrt(g0 (1 - g0)) (`zero_mean_and_std`), or
 * mu = z sqrt(g0 (1 - g0) + g0^2 sum(std_x^2)/D) + g0 mean_x (`optimal_mean_and_std`), with g0 = gamma(eta) and
 * D the number of variables of one sample. Draws one standard normal per element.
 * @returns mu [batch, ...D]. @throws RangeError when the moments do not have D entries.
 */
function ctsInitialState(dataShape: number[], sch: CtsSolverSchedule, options: CtsSolverOptions): tf.Tensor {
  const g0 = sch.gamma[0]!;
  const variance = sch.sigma[0]! * sch.sigma[0]!; // g0 (1 - g0)
  const D = dataShape.slice(1).reduce((a, b) => a * b, 1);
  const m = options.initial;
  if (m && (m.mean.length !== D || m.std.length !== D)) {
    throw new RangeError(`initial mean and std must have D = ${D} entries each, got ${m.mean.length} and ${m.std.length}`);
  }
  const traceOverD = m ? Array.from(m.std, (v) => v * v).reduce((a, b) => a + b, 0) / D : 0;
  const std = Math.sqrt(variance + g0 * g0 * traceOverD);
  const z = options.noise.normal(dataShape);
  try {
    return tf.tidy(() => {
      const scaled = tf.mul(z, std);
      return m ? tf.add(scaled, tf.tensor(Float32Array.from(m.mean, (v) => g0 * v), dataShape.slice(1))) : scaled;
    });
  } finally {
    z.dispose();
  }
}

/**
 * Samples continuous data with a BFN-Solver (official `bfnsolver_i.py` `batch_sample` with the update methods of
 * `ImageBFNSolver`; see {@link ctsSolverCoefficients} for each algorithm's step). Per step i = 0..n-1: one network
 * call eps_hat = net(mu, t_i) with t_i shared by every row (a tensor of shape [1, ...] with dataShape's rank, like
 * `sample`), x_hat = clip((mu - sigma_s eps_hat)/gamma_s, -1, 1) (or clip(net output) for a network with
 * `prediction: 'x'`), then the update, or mu = x_hat on a `last_drop` step. The SDE algorithms draw one standard
 * normal per element on every step, the `last_drop` step included (as the official code does).
 * @param spec continuous data: sigma1, and the network's prediction ('eps', the default, or 'x').
 * @param net the network: input mu [batch, ...D] and t, output eps_hat (or x) [batch, ...D].
 * @param dataShape [batch, ...D] of the samples.
 * @returns the final mu as `samples` (clipped only when the last step was `last_drop`), and the trajectory when
 *   `record` is set. Tensor memory is unchanged when it returns.
 * @throws RangeError for a bad n, eta, sigma1, algorithm, data shape or initial moments; Error when the network's
 *   output shape differs from mu's; rethrows errors from `net` or `onStep` after disposing its tensors.
 */
export async function ctsSolverSample(
  spec: Extract<BfnSpec, { kind: 'continuous' }>, net: Network, dataShape: number[], options: CtsSolverOptions,
): Promise<SolverResult> {
  const { algorithm, n, noise, record = false, lastDrop = true } = options;
  const eta = options.eta ?? SOLVER_DEFAULT_ETA.continuous;
  if (!CTS_SOLVER_ALGORITHMS.includes(algorithm)) {
    throw new RangeError(`unknown continuous solver algorithm '${String(algorithm)}'; known: ${CTS_SOLVER_ALGORITHMS.join(', ')}`);
  }
  checkSolverSteps(n, eta);
  if (dataShape.length < 2 || !dataShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`dataShape must be [batch, ...D] with positive integer sizes, got [${dataShape.join(', ')}]`);
  }
  const sch = ctsSolverSchedule(n, eta, spec.sigma1);
  const multistep = CTS_MULTISTEP.has(algorithm);
  const tShape = Array(dataShape.length).fill(1);
  let xHatPrev: tf.Tensor | null = null;

  const step = (i: number, mu: tf.Tensor) => {
    const branch = solverBranch(multistep, i, n, lastDrop);
    const { next, xHat } = tf.tidy(() => {
      const out = net(mu, tf.fill(tShape, sch.t[i]!));
      if (out.shape.join(',') !== mu.shape.join(',')) {
        throw new Error(`the continuous network must return mu's shape [${mu.shape.join(', ')}], got [${out.shape.join(', ')}]`);
      }
      const raw = spec.prediction === 'x' ? out : tf.div(tf.sub(mu, tf.mul(out, sch.sigma[i]!)), sch.gamma[i]!);
      const xHat = tf.clipByValue(raw, -X_CLIP, X_CLIP);
      const z = CTS_DRAWS_NOISE.has(algorithm) ? noise.normal(dataShape) : null;
      if (branch === 'last_drop') return { next: tf.clone(xHat), xHat };
      const c = ctsSolverCoefficients(algorithm, i, sch);
      return { next: linearCombination([[mu, c.mu], [xHat, c.xHat], [xHatPrev, c.xHatPrev], [z, c.z]]), xHat };
    });
    xHatPrev?.dispose();
    xHatPrev = tf.clone(xHat);
    return { next, branch, netT: [sch.t[i]!], dataPrediction: xHat };
  };

  const init = ctsInitialState(dataShape, sch, options);
  const run = await runSolverLoop(init, sch, step, { n, record, onStep: options.onStep, cleanup: () => xHatPrev?.dispose() });
  try {
    const samples = Float32Array.from(await run.final.data());
    if (!record) return { samples };
    return {
      samples,
      trajectory: {
        algorithm, n, eta, lastDrop, dataShape: [...dataShape], stateShape: [...dataShape], t: sch.t,
        init: run.init!, steps: run.steps, final: samples,
      },
    };
  } finally {
    run.final.dispose();
  }
}
