/**
 * Worker calls of the Learn widgets on the Bayesian update, many updates and the accuracy schedule (paper §4).
 */

/** One Bayesian update of a continuous variable (paper §4.1–4.2): the true x, the accuracy alpha and the prior N(mu, 1/rho). */
export interface LearnUpdateOptions {
  x: number;
  alpha: number;
  mu: number;
  rho: number;
  /** Seed of the sender sample's noise: the same seed gives the same y on every backend. */
  seed: number;
  /** The plot's range of values: densities are evaluated at `points` points from lo to hi. */
  lo: number;
  hi: number;
  points: number;
}

/** The update's result: the sender sample, the posterior, and the three densities on the grid. */
export interface LearnUpdatePayload {
  options: LearnUpdateOptions;
  /** The sender sample y ~ N(x, 1/alpha). */
  y: number;
  /** The posterior mean mu' and precision rho'. */
  muPost: number;
  rhoPost: number;
  /** Grid of values [points] and the densities of the prior, the sender and the posterior on it [points] each. */
  grid: Float32Array;
  prior: Float32Array;
  sender: Float32Array;
  posterior: Float32Array;
  backend: string;
}

/** Many updates versus one, and the Bayesian flow over t (paper §3, §4.3–4.4). */
export interface LearnFlowOptions {
  x: number;
  sigma1: number;
  /** The time whose flow distribution the histograms show. */
  t: number;
  /** Number of small updates that reach beta(t). */
  n: number;
  /** Independent runs of each process. */
  runs: number;
  /** Sample paths of mu over t drawn over the band, and their number of steps from t = 0 to 1. */
  paths: number;
  pathSteps: number;
  /** Points of the band's t grid. */
  points: number;
  seed: number;
}

/** Final means of both processes, the closed form, the band and the paths. */
export interface LearnFlowPayload {
  options: LearnFlowOptions;
  /** Final mu of each run after n updates with alpha_i = beta(i t / n) - beta((i - 1) t / n) [runs]. */
  many: Float32Array;
  /** Final mu of each run after one update with alpha = beta(t) [runs]. */
  one: Float32Array;
  /** The accuracies of the n small updates [n] and their sum (= beta(t)). */
  alphas: Float64Array;
  betaT: number;
  /** p_F(mu | x; t) = N(gamma x, gamma (1 - gamma)): gamma, mean and standard deviation at t. */
  gamma: number;
  mean: number;
  std: number;
  /** The closed-form density of p_F(mu | x; t) on a grid over mean ± 4.5 sd: values [161] and densities [161]. */
  densityGrid: Float32Array;
  density: Float32Array;
  /** The band: t grid [points], mean and sd of p_F there [points]. */
  bandT: Float32Array;
  bandMean: Float32Array;
  bandStd: Float32Array;
  /** mu along each path, frame-major: [(pathSteps + 1) * paths], frame f at t = f / pathSteps. */
  pathMu: Float32Array;
  backend: string;
}

/** The accuracy schedules (paper §4.5 for continuous data, §6 for discrete data). */
export interface LearnScheduleOptions {
  sigma1: number;
  beta1: number;
  /** Number of classes of the discrete data. */
  K: number;
  /** The time whose values are read out. */
  t: number;
  /** Points of the t grid of the curves. */
  points: number;
  /** Monte Carlo draws per time of the discrete expected entropy. */
  samples: number;
  seed: number;
}

/** One family's curves over the t grid and its values at the read-out time. */
export interface ScheduleCurves {
  beta: Float64Array;
  alpha: Float64Array;
  /** Expected entropy of the input distribution (nats) and, for a Monte Carlo estimate, its standard error. */
  entropy: Float64Array;
  entropySe: Float64Array | null;
  /** L^inf weight w(t). */
  weight: Float64Array;
  at: { beta: number; alpha: number; entropy: number; entropySe: number | null; weight: number };
}

/** The schedules' payload. */
export interface LearnSchedulePayload {
  options: LearnScheduleOptions;
  t: Float64Array;
  cts: ScheduleCurves;
  discrete: ScheduleCurves;
  backend: string;
}

/** The calls of the update widgets (a, b, c). */
export interface LearnUpdateApi {
  /** One Bayesian update with a seeded sender sample. @throws RangeError for bad options. */
  bayesianUpdate(options: LearnUpdateOptions): Promise<LearnUpdatePayload>;
  /** Many small updates versus one, the flow band and sample paths. @throws RangeError for bad options. */
  flow(options: LearnFlowOptions): Promise<LearnFlowPayload>;
  /** The accuracy schedules, expected entropies and L^inf weights over t. @throws RangeError for bad options. */
  schedule(options: LearnScheduleOptions): Promise<LearnSchedulePayload>;
}
