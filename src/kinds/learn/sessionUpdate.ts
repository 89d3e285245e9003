/**
 * Worker methods of the Learn widgets on the Bayesian update, many updates and the accuracy schedule: every number
 * comes from the src/bfn functions the models use (the sender sample, the Bayesian update, the flow, the schedules).
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  ctsAlpha, ctsAlphaI, ctsBayesianUpdate, ctsBeta, ctsFlowMoments, ctsLossInfWeight, ctsSenderSample, discreteAlpha,
  discreteBeta, discreteLossInfWeight, normalLogPdf, seededNoise,
} from '../../bfn';
import { ctsInputEntropy, discreteInputEntropy } from '../../bfn/inputEntropy';
import { buffersOf, type SessionEnv, type SessionWiring } from '../../engine/session';
import type {
  LearnFlowOptions, LearnFlowPayload, LearnScheduleOptions, LearnSchedulePayload, LearnUpdateApi, LearnUpdateOptions,
  LearnUpdatePayload, ScheduleCurves,
} from './apiUpdate';

/** The largest sizes a call accepts (a slip of the URL or a field must not freeze the worker). */
export const LEARN_UPDATE_LIMITS = { points: 2001, runs: 20_000, n: 1000, paths: 20, pathSteps: 1000, samples: 5000, K: 256 } as const;

function checkInt(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${name} must be a whole number from ${lo} to ${hi}, got ${v}`);
}

function checkFinite(name: string, v: number, positive = false): void {
  if (!Number.isFinite(v) || (positive && !(v > 0))) throw new RangeError(`${name} must be a ${positive ? 'positive ' : ''}finite number, got ${v}`);
}

function checkTime(t: number): void {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`t must lie in [0, 1], got ${t}`);
}

/** `points` evenly spaced values from lo to hi (lo when points = 1). */
function linspace(lo: number, hi: number, points: number): Float64Array {
  return Float64Array.from({ length: points }, (_, k) => (points === 1 ? lo : lo + ((hi - lo) * k) / (points - 1)));
}

/** The density N(mean, 1/precision) on a grid, from src/bfn's normalLogPdf. */
function density(grid: tf.Tensor, mean: number, precision: number): tf.Tensor {
  return tf.tidy(() => tf.exp(normalLogPdf(grid, mean, 1 / Math.sqrt(precision))));
}

/** One Bayesian update (paper §4.1–4.2, eq. 49–50): y ~ p_S(. | x; alpha), rho' = rho + alpha, mu' = (mu rho + y alpha) / rho'. */
async function bayesianUpdate(options: LearnUpdateOptions): Promise<LearnUpdatePayload> {
  const { x, alpha, mu, rho, seed, lo, hi, points } = options;
  checkFinite('x', x);
  checkFinite('mu', mu);
  checkFinite('alpha', alpha, true);
  checkFinite('rho', rho, true);
  checkInt('points', points, 2, LEARN_UPDATE_LIMITS.points);
  if (!(hi > lo)) throw new RangeError(`the plot range must have lo < hi, got ${lo}, ${hi}`);
  const xT = tf.tensor1d([x]);
  const muT = tf.tensor1d([mu]);
  const yT = ctsSenderSample(xT, alpha, seededNoise(seed));
  const post = ctsBayesianUpdate(muT, rho, yT, alpha);
  const grid = tf.tensor1d(Float32Array.from(linspace(lo, hi, points)));
  try {
    const y = (await yT.data())[0]!;
    const muPost = (await post.mu.data())[0]!;
    const curves = [density(grid, mu, rho), density(grid, x, alpha), density(grid, muPost, post.rho)];
    const [prior, sender, posterior] = (await Promise.all(curves.map((c) => c.data()))) as Float32Array[];
    curves.forEach((c) => c.dispose());
    return { options, y, muPost, rhoPost: post.rho, grid: (await grid.data()) as Float32Array, prior: prior!, sender: sender!, posterior: posterior!, backend: tf.getBackend() };
  } finally {
    tf.dispose([xT, muT, yT, post.mu, grid]);
  }
}

/** Runs `steps` updates from the prior N(0, 1) for `runs` copies of x with the given accuracies; returns the final mu [runs] and every frame when asked. */
function updateRuns(x: number, runs: number, alphas: ArrayLike<number>, noise: ReturnType<typeof seededNoise>, record: boolean): { final: tf.Tensor; frames: tf.Tensor[] } {
  const xT = tf.fill([runs], x);
  let mu: tf.Tensor = tf.zeros([runs]);
  let rho = 1;
  const frames: tf.Tensor[] = record ? [tf.clone(mu)] : [];
  for (let i = 0; i < alphas.length; i++) {
    const y = ctsSenderSample(xT, alphas[i]!, noise);
    const next = ctsBayesianUpdate(mu, rho, y, alphas[i]!);
    y.dispose();
    mu.dispose();
    mu = next.mu;
    rho = next.rho;
    if (record) frames.push(tf.clone(mu));
  }
  xT.dispose();
  return { final: mu, frames };
}

/** Many small updates versus one with their summed accuracy (paper §3, §4.3), and the flow band and paths (§4.4). */
async function flow(options: LearnFlowOptions): Promise<LearnFlowPayload> {
  const { x, sigma1, t, n, runs, paths, pathSteps, points, seed } = options;
  checkFinite('x', x);
  checkTime(t);
  checkInt('n', n, 1, LEARN_UPDATE_LIMITS.n);
  checkInt('runs', runs, 2, LEARN_UPDATE_LIMITS.runs);
  checkInt('paths', paths, 0, LEARN_UPDATE_LIMITS.paths);
  checkInt('path steps', pathSteps, 1, LEARN_UPDATE_LIMITS.pathSteps);
  checkInt('points', points, 2, LEARN_UPDATE_LIMITS.points);
  const betaT = ctsBeta(t, sigma1);
  if (!(betaT > 0)) throw new RangeError('t must be above 0: at t = 0 no update has happened yet');
  const alphas = Float64Array.from({ length: n }, (_, k) => ctsBeta((t * (k + 1)) / n, sigma1) - ctsBeta((t * k) / n, sigma1));
  const noise = seededNoise(seed);
  const many = updateRuns(x, runs, alphas, noise, false).final;
  const one = updateRuns(x, runs, [betaT], noise, false).final;
  const pathAlphas = Float64Array.from({ length: pathSteps }, (_, k) => ctsAlphaI(k + 1, pathSteps, sigma1));
  const run = paths > 0 ? updateRuns(x, paths, pathAlphas, seededNoise(seed + 7919), true) : { final: null, frames: [] };
  try {
    const pathMu = new Float32Array(paths > 0 ? (pathSteps + 1) * paths : 0);
    for (let f = 0; f < run.frames.length; f++) pathMu.set(await run.frames[f]!.data(), f * paths);
    const bandT = linspace(0, 1, points);
    const moments = Array.from(bandT, (s) => ctsFlowMoments(x, s, sigma1));
    const at = ctsFlowMoments(x, t, sigma1);
    const gridT = tf.tensor1d(Float32Array.from(linspace(at.mean - 4.5 * at.std, at.mean + 4.5 * at.std, 161)));
    const densT = density(gridT, at.mean, 1 / (at.std * at.std));
    const [densityGrid, dens] = [(await gridT.data()) as Float32Array, (await densT.data()) as Float32Array];
    tf.dispose([gridT, densT]);
    return {
      options, many: (await many.data()) as Float32Array, one: (await one.data()) as Float32Array, alphas, betaT,
      gamma: at.gamma, mean: at.mean, std: at.std, densityGrid, density: dens, bandT: Float32Array.from(bandT),
      bandMean: Float32Array.from(moments, (m) => m.mean), bandStd: Float32Array.from(moments, (m) => m.std), pathMu, backend: tf.getBackend(),
    };
  } finally {
    tf.dispose([many, one, ...run.frames]);
    run.final?.dispose();
  }
}

/** The accuracy schedules over t (paper §4.5, eq. 72–74; §6, eq. 182–183), expected input entropies and L^inf weights. */
async function schedule(options: LearnScheduleOptions): Promise<LearnSchedulePayload> {
  const { sigma1, beta1, K, t, points, samples, seed } = options;
  checkTime(t);
  checkInt('points', points, 2, LEARN_UPDATE_LIMITS.points);
  checkInt('samples', samples, 2, LEARN_UPDATE_LIMITS.samples);
  checkInt('K', K, 2, LEARN_UPDATE_LIMITS.K);
  const grid = linspace(0, 1, points);
  const ctsAt = (s: number) => ({ beta: ctsBeta(s, sigma1), alpha: ctsAlpha(s, sigma1), entropy: ctsInputEntropy(s, sigma1), weight: ctsLossInfWeight(s, sigma1) });
  const cts = Array.from(grid, ctsAt);
  const ctsNow = ctsAt(t);
  const est = discreteInputEntropy([...grid, t], K, beta1, samples, seededNoise(seed));
  const [mean, se] = [await est.mean.data(), await est.se.data()];
  tf.dispose([est.mean, est.se]);
  const discAt = (s: number) => ({ beta: discreteBeta(s, beta1), alpha: discreteAlpha(s, beta1), weight: discreteLossInfWeight(s, beta1, K) });
  const disc = Array.from(grid, discAt);
  const curves = <R extends Record<string, number>>(rows: R[], key: keyof R) => Float64Array.from(rows, (r) => r[key]!);
  const ctsCurves: ScheduleCurves = {
    beta: curves(cts, 'beta'), alpha: curves(cts, 'alpha'), entropy: curves(cts, 'entropy'), entropySe: null, weight: curves(cts, 'weight'),
    at: { ...ctsNow, entropySe: null },
  };
  const discCurves: ScheduleCurves = {
    beta: curves(disc, 'beta'), alpha: curves(disc, 'alpha'), entropy: Float64Array.from(mean.subarray(0, points)), entropySe: Float64Array.from(se.subarray(0, points)),
    weight: curves(disc, 'weight'), at: { ...discAt(t), entropy: mean[points]!, entropySe: se[points]! },
  };
  return { options, t: grid, cts: ctsCurves, discrete: discCurves, backend: tf.getBackend() };
}

/** The update widgets' methods, each queued after earlier jobs, typed arrays transferred. */
export function updateMethods(_env: SessionEnv, wiring: SessionWiring): LearnUpdateApi {
  const { afterInit, transfer } = wiring;
  return {
    bayesianUpdate: (options) => afterInit(async () => {
      const p = await bayesianUpdate(options);
      return transfer(p, buffersOf(p.grid, p.prior, p.sender, p.posterior));
    }),
    flow: (options) => afterInit(async () => {
      const p = await flow(options);
      return transfer(p, buffersOf(p.many, p.one, p.alphas, p.densityGrid, p.density, p.bandT, p.bandMean, p.bandStd, p.pathMu));
    }),
    schedule: (options) => afterInit(async () => {
      const p = await schedule(options);
      const { cts, discrete } = p;
      return transfer(p, buffersOf(p.t, cts.beta, cts.alpha, cts.entropy, cts.weight, discrete.beta, discrete.alpha, discrete.entropy, discrete.entropySe!, discrete.weight));
    }),
  };
}
