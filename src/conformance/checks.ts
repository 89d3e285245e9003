/**
 * Conformance checks of `src/bfn/` against the reference vectors computed by the official PyTorch implementation
 * (tests/vectors). Given the parsed vector files, every case of every file is recomputed on the active TF.js backend and
 * compared with the official float32 values (and, where given, the float64 references) at the tolerances the files
 * suggest. Shared by the Node test run (cpu, wasm) and the browser run (webgl, webgpu).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as bfn from '../bfn';
import { toyBernoulliNet, toyCategoricalNet, toyContinuousNet, toyDiscretizedNet } from '../nets/toy';
import type { Network } from '../bfn';
import { checkOptimizer } from './optimizerChecks';

/** One parsed vector file. */
export interface VectorFile {
  name: string;
  json: unknown;
}

/** The outcome of one comparison (one quantity of one case). */
export interface CheckResult {
  file: string;
  check: string;
  ok: boolean;
  /** Number of values compared. */
  count: number;
  /** Largest |actual - expected| seen. */
  maxAbsErr: number;
  /** Description of the worst value or of the error that stopped the check. */
  message: string;
}

/** The vector files this module knows how to check (INDEX.json is read for the list, not checked as data). */
export const KNOWN_FILES = [
  'schedules.json', 'cts_flow.json', 'cts_output_xhat.json', 'cts_losses.json', 'cts_reconstruction.json',
  'discretized_bins.json', 'discretized_output.json', 'discretized_losses.json', 'discrete_flow.json',
  'discrete_losses.json', 'sampling.json', 'optimizer_adamw.json',
] as const;

// ------------------------------------------------------------------------------------------------------------
// Reading the files
// ------------------------------------------------------------------------------------------------------------

/** A parsed JSON object. */
export type Json = Record<string, unknown>;
/** A stored array: shape and nested row-major data. */
export interface Arr { shape: number[]; data: unknown }
/** A tolerance: |actual - expected| <= atol + rtol |expected|. */
export interface Tol { rtol: number; atol: number }

/** The object x, or an Error naming where. */
export function obj(x: unknown, where: string): Json {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new Error(`${where}: expected an object`);
  return x as Json;
}

/** A field by exact name, or the unique field whose name starts with `prefix` followed by a space or '['. */
export function field(o: Json, prefix: string, where: string): unknown {
  if (prefix in o) return o[prefix];
  const keys = Object.keys(o).filter((k) => k.startsWith(prefix + ' ') || k.startsWith(prefix + '['));
  if (keys.length !== 1) throw new Error(`${where}: expected one field '${prefix}', found ${keys.length ? keys.join(', ') : 'none'}`);
  return o[keys[0]!];
}

/** The stored array field `name` of o. */
export function arr(o: Json, name: string, where: string): Arr {
  const a = obj(field(o, name, where), `${where}/${name}`);
  if (!Array.isArray(a.shape)) throw new Error(`${where}/${name}: missing shape`);
  return { shape: a.shape as number[], data: a.data };
}

/** The number field `name` of o. */
export function num(o: Json, name: string, where: string): number {
  const v = field(o, name, where);
  if (typeof v !== 'number') throw new Error(`${where}/${name}: expected a number`);
  return v;
}

/** Nested row-major data as a flat list. */
export function flat(data: unknown): number[] {
  return Array.isArray(data) ? (data.flat(Infinity) as number[]) : [data as number];
}

function tensor(a: Arr, dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  return tf.tensor(flat(a.data), a.shape, dtype);
}

function tolOf(o: Json, where: string): Tol {
  const check = obj(field(o, 'check', where), `${where}/check`);
  return { rtol: num(check, 'rtol', where), atol: num(check, 'atol', where) };
}

// ------------------------------------------------------------------------------------------------------------
// Comparing
// ------------------------------------------------------------------------------------------------------------

/** Collects the results of one file's comparisons. */
export class Checker {
  readonly results: CheckResult[] = [];
  constructor(readonly file: string) {}

  /** numpy-style allclose: |a - e| <= atol + rtol |e|, elementwise; NaN never passes. */
  values(check: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tol): void {
    let ok = actual.length === expected.length;
    let maxAbsErr = 0;
    let message = ok ? '' : `length ${actual.length} vs expected ${expected.length}`;
    let worstExcess = -Infinity;
    for (let k = 0; k < Math.min(actual.length, expected.length); k++) {
      const a = actual[k]!;
      const e = expected[k]!;
      const err = Math.abs(a - e);
      const excess = err - (tol.atol + tol.rtol * Math.abs(e));
      if (Number.isNaN(err) || excess > 0) ok = false;
      if (err > maxAbsErr || Number.isNaN(err)) maxAbsErr = Number.isNaN(err) ? NaN : err;
      if (Number.isNaN(err) || excess > worstExcess) {
        worstExcess = Number.isNaN(err) ? Infinity : excess;
        if (actual.length === expected.length) message = `worst at [${k}]: got ${a}, expected ${e} (rtol ${tol.rtol}, atol ${tol.atol})`;
      }
    }
    this.results.push({ file: this.file, check, ok, count: expected.length, maxAbsErr, message });
  }

  async tensor(check: string, actual: tf.Tensor, expected: Arr | ArrayLike<number>, tol: Tol): Promise<void> {
    const exp = 'shape' in expected && !('length' in expected) ? expected : undefined;
    if (exp && exp.shape.join(',') !== actual.shape.join(',')) {
      this.fail(check, `shape [${actual.shape.join(', ')}] vs expected [${exp.shape.join(', ')}]`);
      return;
    }
    const values = await actual.data();
    this.values(check, Array.from(values, Number), exp ? flat(exp.data) : (expected as ArrayLike<number>), tol);
  }

  fail(check: string, message: string): void {
    this.results.push({ file: this.file, check, ok: false, count: 0, maxAbsErr: NaN, message });
  }

  /** Runs one group of checks; an exception becomes a failed result instead of aborting the file. */
  async run(check: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      this.fail(check, `threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

const F64 = { rtol: 1e-9, atol: 1e-12 };
/** Exact equality. */
export const EXACT = { rtol: 0, atol: 0 };
/** INDEX.json's suggested tolerance for a float32 port, used where a case states none. */
const DEFAULT_TOL = { rtol: 1e-4, atol: 1e-5 };

/**
 * Runs body inside a TF.js engine scope: every tensor created while it runs, including intermediates of nested calls,
 * is disposed when it ends, even across awaits (the checks run one at a time). `keep` marks the tensors a check
 * names; it is kept for readability and returns its argument.
 */
export async function scoped(body: (keep: <T extends tf.Tensor>(t: T) => T) => Promise<void>): Promise<void> {
  tf.engine().startScope();
  try {
    await body((t) => t);
  } finally {
    tf.engine().endScope();
  }
}

// ------------------------------------------------------------------------------------------------------------
// One checker per file
// ------------------------------------------------------------------------------------------------------------

async function checkSchedules(c: Checker, root: Json): Promise<void> {
  const ts = root.t as number[];
  const cts = root.continuous as Json[];
  for (const [ci, cs] of cts.entries()) {
    const where = `continuous[${ci}] sigma1=${cs.sigma1}`;
    const sigma1 = num(cs, 'sigma1', where);
    await c.run(`${where} beta/gamma/alpha (float64)`, async () => {
      c.values(`${where} beta(t) float64`, ts.map((t) => bfn.ctsBeta(t, sigma1)), cs.beta_f64 as number[], F64);
      c.values(`${where} gamma(t) float64`, ts.map((t) => bfn.ctsGamma(t, sigma1)), cs.gamma_f64 as number[], F64);
      c.values(`${where} alpha(t) float64`, ts.map((t) => bfn.ctsAlpha(t, sigma1)), cs.alpha_cts_f64 as number[], F64);
    });
    await c.run(`${where} gamma(t) float32 tensor`, () =>
      scoped(async (keep) => {
        const g = keep(bfn.ctsGammaT(keep(tf.tensor1d(ts)), sigma1));
        // The official float32 gamma carries cancellation error at small t (~0.2% at t = 1e-6): rtol 5e-3 there.
        await c.tensor(`${where} gamma(t) float32 vs official`, g, cs.gamma_official_f32 as number[], { rtol: 5e-3, atol: 1e-7 });
        await c.tensor(`${where} gamma(t) float32 vs float64 (expm1)`, g, cs.gamma_f64 as number[], { rtol: 2e-6, atol: 1e-9 });
      }));
    for (const ai of cs.alpha_i as Json[]) {
      const n = ai.n as number;
      const is = ai.i as number[];
      await c.run(`${where} alpha_i n=${n}`, () =>
        scoped(async (keep) => {
          c.values(`${where} alpha_i n=${n} float64`, is.map((i) => bfn.ctsAlphaI(i, n, sigma1)), ai.official_python_float64 as number[], F64);
          const sum = Array.from({ length: n }, (_, k) => bfn.ctsAlphaI(k + 1, n, sigma1)).reduce((a, b) => a + b, 0);
          c.values(`${where} sum_i alpha_i = beta(1) n=${n}`, [sum], [num(ai, 'beta(1)_f64', where)], F64);
          const t = keep(bfn.ctsAlphaIT(keep(tf.tensor1d(is)), n, sigma1));
          await c.tensor(`${where} alpha_i n=${n} float32 tensor`, t, ai.official_tensor_f32 as number[], { rtol: 2e-6, atol: 0 });
        }));
    }
  }
  for (const [ci, ds] of (root.discrete as Json[]).entries()) {
    const beta1 = num(ds, 'beta1', `discrete[${ci}]`);
    const where = `discrete[${ci}] beta1=${beta1}`;
    await c.run(`${where} schedules`, async () => {
      c.values(`${where} beta(t)`, ts.map((t) => bfn.discreteBeta(t, beta1)), ds.beta_f64 as number[], F64);
      c.values(`${where} alpha(t)`, ts.map((t) => bfn.discreteAlpha(t, beta1)), ds.alpha_f64 as number[], F64);
      for (const ai of ds.alpha_i as Json[]) {
        const n = ai.n as number;
        c.values(`${where} alpha_i n=${n}`, (ai.i as number[]).map((i) => bfn.discreteAlphaI(i, n, beta1)), ai.official_python_float64 as number[], F64);
        const sum = Array.from({ length: n }, (_, k) => bfn.discreteAlphaI(k + 1, n, beta1)).reduce((a, b) => a + b, 0);
        c.values(`${where} sum_i alpha_i = beta1 n=${n}`, [sum], [beta1], F64);
      }
    });
  }
}

async function checkCtsFlow(c: Checker, root: Json): Promise<void> {
  for (const [ci, cs] of (root.cases as Json[]).entries()) {
    const sigma1 = num(cs, 'sigma1', `cases[${ci}]`);
    const where = `flow cases[${ci}] sigma1=${sigma1}`;
    const tol = tolOf(cs, where);
    await c.run(where, () =>
      scoped(async (keep) => {
        const inp = obj(cs.inputs, where);
        const out = obj(cs.outputs, where);
        const eps = arr(inp, 'eps', where);
        const noise = bfn.replayNoise([{ kind: 'normal', shape: eps.shape, data: flat(eps.data) }]);
        const mu = keep(bfn.ctsFlowSample(keep(tensor(arr(inp, 'x', where))), keep(tensor(arr(inp, 't', where))), sigma1, noise));
        await c.tensor(`${where} mu vs official`, mu, arr(out, 'mu_official_f32', where), tol);
        await c.tensor(`${where} mu vs float64`, mu, arr(out, 'mu_reference_f64', where), tol);
      }));
  }
  const up = obj(root.update, 'update');
  await c.run('update', () =>
    scoped(async (keep) => {
      const inp = obj(up.inputs, 'update');
      const out = obj(up.outputs, 'update');
      const tol = tolOf(up, 'update');
      const r = bfn.ctsBayesianUpdate(keep(tensor(arr(inp, 'mu', 'update'))), keep(tensor(arr(inp, 'rho', 'update'))), keep(tensor(arr(inp, 'y', 'update'))), num(inp, 'alpha', 'update'));
      keep(r.mu);
      keep(r.rho);
      await c.tensor('update mu', r.mu, arr(out, 'mu_new_official_f32', 'update'), tol);
      await c.tensor('update rho', r.rho, arr(out, 'rho_new_official_f32', 'update'), tol);
      await c.tensor('update mu vs float64', r.mu, arr(out, 'mu_new_reference_f64', 'update'), tol);
    }));
}

async function checkCtsOutput(c: Checker, root: Json): Promise<void> {
  const sigma1 = num(root, 'sigma1', 'root');
  const tol = tolOf(root, 'root');
  await c.run('x_hat', () =>
    scoped(async (keep) => {
      const inp = obj(root.inputs, 'inputs');
      const out = obj(root.outputs, 'outputs');
      const mu = keep(tensor(arr(inp, 'mu', 'inputs')));
      const eps = keep(tensor(arr(inp, 'eps_hat', 'inputs')));
      const t = keep(tensor(arr(inp, 't', 'inputs')));
      const xHat = keep(bfn.ctsXHatFromEps(mu, eps, t, sigma1));
      await c.tensor('x_hat (clipped) vs official', xHat, arr(out, 'x_hat_official_f32', 'outputs'), tol);
      await c.tensor('x_hat (clipped) vs float64', xHat, arr(out, 'x_hat_reference_f64', 'outputs'), tol);
      const raw = keep(bfn.ctsXHatFromEps(mu, eps, t, sigma1, false));
      // Unclipped values reach ~1e2 at t = 1e-6, where they are mu / gamma of a float32 mu: relative comparison.
      await c.tensor('x_hat unclipped vs float64', raw, arr(out, 'x_hat_unclipped_reference_f64', 'outputs'), { rtol: 1e-4, atol: tol.atol });
    }));
}

async function checkCtsLosses(c: Checker, root: Json): Promise<void> {
  for (const [ci, cs] of (root.cases as Json[]).entries()) {
    const sigma1 = num(cs, 'sigma1', `cases[${ci}]`);
    const n = num(cs, 'n_steps', `cases[${ci}]`);
    const base = `cases[${ci}] sigma1=${sigma1}`;
    const ct = obj(cs.continuous_time, base);
    await c.run(`${base} L^inf`, () =>
      scoped(async (keep) => {
        const inp = obj(ct.inputs, base);
        const out = obj(ct.outputs, base);
        const t = keep(tensor(arr(inp, 't', base)));
        const x = keep(tensor(arr(inp, 'x', base)));
        const xHat = keep(bfn.ctsXHatFromEps(keep(tensor(arr(inp, 'mu', base))), keep(tensor(arr(inp, 'eps_hat', base))), t, sigma1));
        const loss = keep(bfn.ctsLossInf(x, xHat, t, sigma1));
        const tol = tolOf(ct, base);
        await c.tensor(`${base} L^inf per element`, loss, arr(out, 'loss_per_element_official_f32', base), tol);
        await c.tensor(`${base} L^inf mean`, keep(tf.mean(loss)), [num(out, 'loss_mean_official_f32', base)], tol);
      }));
    const dt = obj(cs.discrete_time, base);
    await c.run(`${base} L^n`, () =>
      scoped(async (keep) => {
        const inp = obj(dt.inputs, base);
        const out = obj(dt.outputs, base);
        const t = keep(tensor(arr(inp, 't', base)));
        const x = keep(tensor(arr(inp, 'x', base)));
        const i = keep(tf.tensor2d(inp.i as number[], [(inp.i as number[]).length, 1]));
        const iFromT = keep(bfn.stepIndexFromT(t, n));
        const tol = tolOf(dt, base);
        await c.tensor(`${base} i = t n + 1`, keep(tf.mul(tf.onesLike(x), i)), await iFromT.data(), EXACT);
        await c.tensor(`${base} alpha_i tensor`, keep(bfn.ctsAlphaIT(keep(tf.mul(tf.onesLike(x), i)), n, sigma1)), arr(out, 'alpha_i_f64', base), { rtol: 2e-6, atol: 0 });
        const xHat = keep(bfn.ctsXHatFromEps(keep(tensor(arr(inp, 'mu', base))), keep(tensor(arr(inp, 'eps_hat', base))), t, sigma1));
        const loss = keep(bfn.ctsLossN(x, xHat, i, n, sigma1));
        await c.tensor(`${base} L^n per element`, loss, arr(out, 'loss_per_element_official_f32', base), tol);
        await c.tensor(`${base} L^n mean`, keep(tf.mean(loss)), [num(out, 'loss_mean_official_f32', base)], tol);
      }));
    const xpKey = Object.keys(cs).find((k) => k.startsWith('continuous_time_x_prediction'));
    if (xpKey) {
      const xp = obj(cs[xpKey], base);
      await c.run(`${base} L^inf x-prediction`, () =>
        scoped(async (keep) => {
          const inp = obj(xp.inputs, base);
          const out = obj(xp.outputs, base);
          const xHat = keep(bfn.ctsXHatFromX(keep(tensor(arr(inp, 'x_pred_raw_network_output', base)))));
          const loss = keep(bfn.ctsLossInf(keep(tensor(arr(inp, 'x', base))), xHat, keep(tensor(arr(inp, 't', base))), sigma1));
          await c.tensor(`${base} L^inf x-prediction per element`, loss, arr(out, 'loss_per_element_official_f32', base), tolOf(xp, base));
        }));
    }
  }
}

async function checkCtsReconstruction(c: Checker, root: Json): Promise<void> {
  for (const [ci, cs] of (root.cases as Json[]).entries()) {
    const mv = num(cs, 'min_variance', `cases[${ci}]`);
    const sigma1 = Math.sqrt(mv);
    const where = `cases[${ci}] min_variance=${mv}`;
    await c.run(where, () =>
      scoped(async (keep) => {
        const bins = bfn.ctsReconstructionBins(sigma1);
        c.values(`${where} bins and std`, [bins.numBins, bins.std], [num(cs, 'num_bins', where), num(cs, 'final_noise_std', where)], { rtol: 1e-12, atol: 0 });
        const inp = obj(cs.inputs, where);
        const out = obj(cs.outputs, where);
        const mu = keep(tensor(arr(inp, 'mu', where)));
        const xHat = keep(bfn.ctsXHatFromEps(mu, keep(tensor(arr(inp, 'eps_hat', where))), keep(tf.onesLike(mu)), sigma1));
        await c.tensor(`${where} x_hat(t=1)`, xHat, arr(out, 'x_hat_reference_f64', where), { rtol: 1e-4, atol: 1e-6 });
        const loss = keep(bfn.ctsReconstructionLoss(keep(tensor(arr(inp, 'x', where))), xHat, sigma1));
        const tol = tolOf(cs, where);
        await c.tensor(`${where} L^r vs official`, loss, arr(out, 'recon_loss_official_f32', where), tol);
        await c.tensor(`${where} L^r vs float64`, loss, arr(out, 'recon_loss_reference_f64', where), tol);
      }));
  }
}

async function checkDiscretizedBins(c: Checker, root: Json): Promise<void> {
  for (const [ci, cs] of (root.cases as Json[]).entries()) {
    const K = num(cs, 'K', `cases[${ci}]`);
    const where = `K=${K}`;
    await c.run(where, () =>
      scoped(async (keep) => {
        c.values(`${where} bin width`, [bfn.binWidth(K)], [num(cs, 'bin_width', where)], F64);
        c.values(`${where} centres float64`, bfn.binCentres(K), flat(arr(cs, 'class_centres_f64', where).data), F64);
        c.values(`${where} centres float32`, Float32Array.from(bfn.binCentres(K)), flat(arr(cs, 'class_centres_official_f32', where).data), { rtol: 0, atol: 1e-7 });
        c.values(`${where} boundaries float64`, bfn.binBoundaries(K), flat(arr(cs, 'class_boundaries_f64', where).data), F64);
        c.values(`${where} boundaries float32`, Float32Array.from(bfn.binBoundaries(K)), flat(arr(cs, 'class_boundaries_official_f32', where).data), { rtol: 0, atol: 1e-7 });
        const probe = keep(tensor(arr(cs, 'probe_x', where)));
        await c.tensor(`${where} float_to_idx`, keep(bfn.floatToIdx(probe, K)), arr(cs, 'float_to_idx(probe)', where), EXACT);
        await c.tensor(`${where} quantize`, keep(bfn.quantize(probe, K)), arr(cs, 'quantize(probe)_official_f32', where), { rtol: 0, atol: 1e-7 });
        const pixKey = Object.keys(cs).find((k) => k.startsWith('cifar_pixel'));
        if (pixKey) {
          const pixels = keep(tf.tensor1d(Array.from({ length: 256 }, (_, p) => p)));
          const values = keep(bfn.quantize(keep(tf.sub(tf.div(tf.mul(pixels, 2), 255), 1)), K));
          await c.tensor(`${where} pixel -> value`, values, arr(cs, pixKey, where), { rtol: 0, atol: 1e-7 });
        }
      }));
  }
}

async function checkDiscretizedOutput(c: Checker, root: Json): Promise<void> {
  for (const [ci, cs] of (root.cases as Json[]).entries()) {
    const K = num(cs, 'K', `cases[${ci}]`);
    const sigma1 = num(cs, 'sigma1', `cases[${ci}]`);
    const where = `cases[${ci}] K=${K}`;
    const tol = tolOf(cs, where);
    await c.run(where, () =>
      scoped(async (keep) => {
        const inp = obj(cs.inputs, where);
        const out = obj(cs.outputs, where);
        const params = bfn.discretizedOutputParams(keep(tensor(arr(inp, 'mu', where))), keep(tensor(arr(inp, 'network_output', where))), keep(tensor(arr(inp, 't', where))), sigma1);
        keep(params.muX);
        keep(params.sigmaX);
        const official = keep(tensor(arr(out, 'data_pred_params_official_f32', where)));
        const [offMu, offSigma] = tf.unstack(official, 2).map(keep) as [tf.Tensor, tf.Tensor];
        await c.tensor(`${where} mu_x vs official`, params.muX, await offMu.data(), tol);
        await c.tensor(`${where} mu_x vs float64`, params.muX, arr(out, 'mu_x_reference_f64', where), tol);
        const offSigmaClamped = keep(tf.clipByValue(offSigma, bfn.SIGMA_X_MIN, bfn.SIGMA_X_MAX));
        await c.tensor(`${where} sigma_x vs official (clamped)`, params.sigmaX, await offSigmaClamped.data(), tol);
        await c.tensor(`${where} sigma_x vs float64`, params.sigmaX, arr(out, 'sigma_x_reference_f64', where), tol);
        const probs = keep(bfn.discretizedProbs(params.muX, params.sigmaX, K));
        await c.tensor(`${where} probs vs official`, probs, arr(out, 'probs_official_f32', where), tol);
        await c.tensor(`${where} probs vs float64`, probs, arr(out, 'probs_reference_f64', where), tol);
        const mean = keep(bfn.discretizedMean(probs, K));
        await c.tensor(`${where} k_hat vs official`, mean, arr(out, 'mean_k_hat_official_f32', where), tol);
        await c.tensor(`${where} k_hat vs float64`, mean, arr(out, 'mean_k_hat_reference_f64', where), tol);
        await c.tensor(`${where} mode`, keep(bfn.discretizedMode(probs, K)), arr(out, 'mode_official_f32', where), { rtol: 0, atol: 1e-7 });
      }));
  }
}

async function checkDiscretizedLosses(c: Checker, root: Json): Promise<void> {
  for (const [ci, cs] of (root.cases as Json[]).entries()) {
    const K = num(cs, 'K', `cases[${ci}]`);
    const sigma1 = num(cs, 'sigma1', `cases[${ci}]`);
    const base = `cases[${ci}] K=${K}`;
    const ct = obj(cs.continuous_time, base);
    await c.run(`${base} L^inf`, () =>
      scoped(async (keep) => {
        const inp = obj(ct.inputs, base);
        const out = obj(ct.outputs, base);
        const t = keep(tensor(arr(inp, 't', base)));
        const params = bfn.discretizedOutputParams(keep(tensor(arr(inp, 'mu', base))), keep(tensor(arr(inp, 'network_output', base))), t, sigma1);
        keep(params.muX);
        keep(params.sigmaX);
        const kHat = keep(bfn.discretizedMean(keep(bfn.discretizedProbs(params.muX, params.sigmaX, K)), K));
        // k_hat is checked on its own; the loss below uses the cancellation-free residual.
        const tol = tolOf(ct, base);
        await c.tensor(`${base} k_hat`, kHat, arr(out, 'k_hat_reference_f64', base), tol);
        const probs = keep(bfn.discretizedProbs(params.muX, params.sigmaX, K));
        const loss = keep(bfn.discretizedLossInf(keep(tensor(arr(inp, 'x', base))), probs, t, sigma1, K));
        await c.tensor(`${base} L^inf per element vs official`, loss, arr(out, 'loss_per_element_official_f32', base), tol);
        await c.tensor(`${base} L^inf per element vs float64`, loss, arr(out, 'loss_per_element_reference_f64', base), tol);
      }));
    const dt = obj(cs.discrete_time, base);
    await c.run(`${base} L^n`, () =>
      scoped(async (keep) => {
        const n = num(dt, 'n_steps', base);
        const inp = obj(dt.inputs, base);
        const out = obj(dt.outputs, base);
        const t = keep(tensor(arr(inp, 't', base)));
        const x = keep(tensor(arr(inp, 'x', base)));
        const iList = inp.i as number[];
        const i = keep(tf.tensor2d(iList, [iList.length, 1]));
        const params = bfn.discretizedOutputParams(keep(tensor(arr(inp, 'mu', base))), keep(tensor(arr(inp, 'network_output', base))), t, sigma1);
        keep(params.muX);
        keep(params.sigmaX);
        const probs = keep(bfn.discretizedProbs(params.muX, params.sigmaX, K));
        const tol = tolOf(dt, base);
        await c.tensor(`${base} probs at t_(i-1)`, probs, arr(out, 'probs_reference_f64', base), { rtol: 1e-4, atol: 2e-6 });
        const z = keep(tensor(arr(inp, 'sender_noise', base)));
        const alpha = keep(tf.mul(tf.onesLike(x), bfn.ctsAlphaIT(i, n, sigma1)));
        await c.tensor(`${base} alpha_i`, alpha, arr(out, 'alpha_i_f64', base), { rtol: 2e-6, atol: 0 });
        const y = keep(tf.add(x, tf.div(z, tf.sqrt(alpha))));
        const ratio = keep(bfn.discretizedLogRatio(y, x, probs, alpha, K));
        await c.tensor(`${base} ln p_S - ln p_R per sample`, ratio, arr(out, 'log_sender_minus_log_receiver_per_sample_reference_f64', base), tol);
        const perRow = keep(tf.mean(bfn.discretizedLossN(x, probs, i, n, sigma1, z, K), -1, true));
        await c.tensor(`${base} L^n per row vs official`, perRow, arr(out, 'loss_per_row_official_f32', base), tol);
        await c.tensor(`${base} L^n per row vs float64`, perRow, arr(out, 'loss_per_row_reference_f64', base), tol);
      }));
    const rc = obj(cs.reconstruction, base);
    await c.run(`${base} L^r`, () =>
      scoped(async (keep) => {
        const inp = obj(rc.inputs, base);
        const out = obj(rc.outputs, base);
        const mu = keep(tensor(arr(inp, 'mu', base)));
        const params = bfn.discretizedOutputParams(mu, keep(tensor(arr(inp, 'network_output', base))), keep(tf.onesLike(mu)), sigma1);
        keep(params.muX);
        keep(params.sigmaX);
        const tol = tolOf(rc, base);
        await c.tensor(`${base} mu_x(t=1)`, params.muX, arr(out, 'mu_x_reference_f64', base), { rtol: 1e-4, atol: 1e-5 });
        await c.tensor(`${base} sigma_x(t=1)`, params.sigmaX, arr(out, 'sigma_x_reference_f64', base), { rtol: 1e-4, atol: 1e-7 });
        const loss = keep(bfn.discretizedReconstructionLoss(keep(tensor(arr(inp, 'x', base))), params, K));
        await c.tensor(`${base} L^r vs official`, loss, arr(out, 'recon_loss_official_f32', base), tol);
        await c.tensor(`${base} L^r vs float64`, loss, arr(out, 'recon_loss_reference_f64', base), tol);
      }));
  }
}

async function checkDiscreteFlow(c: Checker, root: Json): Promise<void> {
  for (const [ci, cs] of (root.cases as Json[]).entries()) {
    const K = num(cs, 'K', `cases[${ci}]`);
    const beta1 = num(cs, 'beta1', `cases[${ci}]`);
    const where = `cases[${ci}] K=${K} beta1=${beta1}`;
    const tol = tolOf(cs, where);
    await c.run(where, () =>
      scoped(async (keep) => {
        const inp = obj(cs.inputs, where);
        const out = obj(cs.outputs, where);
        const eps = arr(inp, 'eps', where);
        const noise = bfn.replayNoise([{ kind: 'normal', shape: eps.shape, data: flat(eps.data) }]);
        const x = keep(tensor(arr(inp, 'x', where), 'int32'));
        const theta = keep(bfn.discreteFlowSample(x, keep(tensor(arr(inp, 't', where))), K, beta1, noise));
        await c.tensor(`${where} theta vs float64`, theta, arr(out, 'theta_full_reference_f64', where), tol);
        const netIn = keep(bfn.discreteNetInputs(theta));
        if (K === 2) {
          // The official K = 2 flow returns theta_0 only, with the data's shape (`DiscreteBayesianFlow.forward`).
          const theta0 = keep(tf.squeeze(tf.slice(theta, [0, 0, 0], [-1, -1, 1]), [2]));
          await c.tensor(`${where} theta_0 vs official`, theta0, arr(out, 'theta_official_f32', where), tol);
          // The official net input (2 theta - 1)[..., :1] of that reduced theta is the first variable's column.
          const firstColumn = keep(tf.reshape(tf.slice(netIn, [0, 0, 0], [-1, 1, 1]), [-1, 1]));
          await c.tensor(`${where} net input 2 theta_0 - 1`, firstColumn, arr(out, 'net_inputs_official_f32', where), tol);
        } else {
          await c.tensor(`${where} theta vs official`, theta, arr(out, 'theta_official_f32', where), tol);
          await c.tensor(`${where} net input (theta)`, netIn, arr(out, 'net_inputs_official_f32', where), tol);
        }
      }));
  }
  const up = obj(root.update, 'update');
  await c.run('update', () =>
    scoped(async (keep) => {
      const inp = obj(up.inputs, 'update');
      const out = obj(up.outputs, 'update');
      const theta = keep(bfn.discreteBayesianUpdate(keep(tensor(arr(inp, 'theta', 'update'))), keep(tensor(arr(inp, 'y', 'update')))));
      const tol = tolOf(up, 'update');
      await c.tensor('update theta vs official', theta, arr(out, 'theta_new_official_f32', 'update'), tol);
      await c.tensor('update theta vs float64', theta, arr(out, 'theta_new_reference_f64', 'update'), tol);
    }));
}

async function checkDiscreteLosses(c: Checker, root: Json): Promise<void> {
  for (const [ci, cs] of (root.cases as Json[]).entries()) {
    const K = num(cs, 'K', `cases[${ci}]`);
    const beta1 = num(cs, 'beta1', `cases[${ci}]`);
    const base = `cases[${ci}] K=${K} beta1=${beta1}`;
    const inp = obj(cs.inputs, base);
    const out = obj(cs.outputs, base);
    await c.run(`${base} probs`, () =>
      scoped(async (keep) => {
        const probs = keep(bfn.discreteOutputProbs(keep(tensor(arr(inp, 'network_output', base))), K));
        await c.tensor(`${base} probs vs official`, probs, arr(out, 'probs_official_f32', base), { rtol: 1e-4, atol: 1e-6 });
        await c.tensor(`${base} probs vs float64`, probs, arr(out, 'probs_reference_f64', base), { rtol: 1e-4, atol: 1e-6 });
      }));
    const ct = obj(cs.continuous_time, base);
    await c.run(`${base} L^inf`, () =>
      scoped(async (keep) => {
        const probs = keep(bfn.discreteOutputProbs(keep(tensor(arr(inp, 'network_output', base))), K));
        const loss = keep(bfn.discreteLossInf(keep(tensor(arr(inp, 'x', base), 'int32')), probs, keep(tensor(arr(obj(ct.inputs, base), 't', base))), beta1));
        const tol = tolOf(ct, base);
        await c.tensor(`${base} L^inf vs official`, loss, arr(obj(ct.outputs, base), 'loss_per_variable_official_f32', base), tol);
        await c.tensor(`${base} L^inf vs float64`, loss, arr(obj(ct.outputs, base), 'loss_per_variable_reference_f64', base), tol);
      }));
    const dt = obj(cs.discrete_time, base);
    await c.run(`${base} L^n`, () =>
      scoped(async (keep) => {
        const n = num(dt, 'n_steps', base);
        const dIn = obj(dt.inputs, base);
        const dOut = obj(dt.outputs, base);
        const x = keep(tensor(arr(inp, 'x', base), 'int32'));
        const logProbs = keep(bfn.discreteOutputLogProbs(keep(tensor(arr(inp, 'network_output', base))), K));
        const iList = dIn.i as number[];
        const i = keep(tf.tensor2d(iList, [iList.length, 1]));
        const iFromT = keep(bfn.stepIndexFromT(keep(tensor(arr(dIn, 't', base))), n));
        await c.tensor(`${base} i = t n + 1`, keep(tf.mul(tf.onesLike(iFromT), i)), await iFromT.data(), EXACT);
        c.values(`${base} alpha_i`, iList.map((k) => bfn.discreteAlphaI(k, n, beta1)), dOut.alpha_i_f64 as number[], F64);
        const z = keep(tensor(arr(dIn, 'sender_noise', base)));
        const tol = tolOf(dt, base);
        const official = keep(tf.mean(bfn.discreteLossN(x, logProbs, i, n, beta1, z, 'factorised'), -1, true));
        await c.tensor(`${base} L^n factorised receiver vs official`, official, arr(dOut, 'loss_per_row_official_f32', base), tol);
        await c.tensor(`${base} L^n factorised receiver vs float64`, official, arr(dOut, 'loss_per_row_reference_f64', base), tol);
        const paper = keep(tf.mean(bfn.discreteLossN(x, logProbs, i, n, beta1, z, 'paper'), -1, true));
        await c.tensor(`${base} L^n paper receiver vs float64`, paper, arr(dOut, 'loss_per_row_PAPER_receiver_f64', base), tol);
      }));
    const rc = obj(cs.reconstruction, base);
    await c.run(`${base} L^r`, () =>
      scoped(async (keep) => {
        const logProbs = keep(bfn.discreteOutputLogProbs(keep(tensor(arr(inp, 'network_output', base))), K));
        const loss = keep(bfn.discreteReconstructionLoss(keep(tensor(arr(inp, 'x', base), 'int32')), logProbs));
        const tol = tolOf(rc, base);
        await c.tensor(`${base} L^r vs official`, loss, arr(obj(rc.outputs, base), 'recon_loss_official_f32', base), tol);
        await c.tensor(`${base} L^r vs float64`, loss, arr(obj(rc.outputs, base), 'recon_loss_reference_f64', base), tol);
      }));
  }
}

const TOY_NETS: Record<string, { net: Network; spec: (tr: Json) => bfn.BfnSpec }> = {
  continuous: { net: toyContinuousNet, spec: (tr) => ({ kind: 'continuous', sigma1: num(tr, 'sigma1', 'continuous') }) },
  discretized: { net: toyDiscretizedNet, spec: (tr) => ({ kind: 'discretized', sigma1: num(tr, 'sigma1', 'discretized'), K: num(tr, 'K', 'discretized') }) },
  discrete_K27: { net: toyCategoricalNet, spec: (tr) => ({ kind: 'discrete', K: num(tr, 'K', 'K27'), beta1: num(tr, 'beta1', 'K27') }) },
  discrete_K2: { net: toyBernoulliNet, spec: (tr) => ({ kind: 'discrete', K: num(tr, 'K', 'K2'), beta1: num(tr, 'beta1', 'K2') }) },
};

async function checkSampling(c: Checker, root: Json): Promise<void> {
  for (const [name, trRaw] of Object.entries(obj(root.trajectories, 'trajectories'))) {
    const tr = obj(trRaw, name);
    const toy = TOY_NETS[name];
    if (!toy) {
      c.fail(name, `no toy network is known for trajectory '${name}'`);
      continue;
    }
    await c.run(name, async () => {
      const spec = toy.spec(tr);
      const steps = tr.steps as Json[];
      const n = num(tr, 'n_steps', name);
      // Trajectories without their own check use INDEX.json's general suggestion (rel 1e-4 / abs 1e-5).
      const tol = tr.check ? tolOf(tr, name) : DEFAULT_TOL;
      const draws: bfn.StoredDraw[] = [];
      for (const s of steps) {
        for (const [key, kind] of [['output_noise', 'normal'], ['uniform', 'uniform'], ['sender_noise', 'normal']] as const) {
          const k = Object.keys(s).find((f) => f.startsWith(key));
          if (k) {
            const a = obj(s[k], k) as unknown as Arr;
            draws.push({ kind, shape: a.shape, data: flat(a.data) });
          }
        }
      }
      const noise = bfn.replayNoise(draws);
      const before = tf.memory().numTensors;
      const result = await bfn.sample(spec, toy.net, tr.data_shape as number[], { n, noise, record: true });
      c.values(`${name} tensors leaked by the sampler`, [tf.memory().numTensors - before], [0], EXACT);
      c.values(`${name} noise draws consumed`, [noise.remaining()], [0], EXACT);
      const traj = result.trajectory!;
      c.values(`${name} t_(i-1)`, traj.steps.map((s) => s.t), steps.map((s) => s.t as number), F64);
      c.values(`${name} alpha_i`, traj.steps.map((s) => s.alpha), steps.map((s) => s.alpha_i as number), F64);
      const after = (i: number) => (i + 1 < traj.steps.length ? traj.steps[i + 1]! : traj.final);
      for (const [i, s] of steps.entries()) {
        const got = traj.steps[i]!;
        const label = `${name} step ${i + 1}`;
        const expect = (prefix: string) => flat((obj(field(s, prefix, label), prefix) as unknown as Arr).data);
        if (spec.kind === 'continuous') {
          c.values(`${label} x_hat`, got.output.x_hat!, expect('x_hat'), tol);
          c.values(`${label} y`, got.y, expect('y'), tol);
          c.values(`${label} mu after`, after(i).theta.mu!, expect('mu_after'), tol);
          c.values(`${label} rho after`, [after(i).rho!], [field(s, 'rho_after', label) as number], F64);
        } else if (spec.kind === 'discretized') {
          c.values(`${label} mu_x`, got.output.mu_x!, expect('mu_x'), tol);
          c.values(`${label} sigma_x`, got.output.sigma_x!, expect('sigma_x'), tol);
          c.values(`${label} output sample`, got.sample, expect('output_sample'), tol);
          c.values(`${label} y`, got.y, expect('y'), tol);
          c.values(`${label} mu after`, after(i).theta.mu!, expect('mu_after'), tol);
          c.values(`${label} rho after`, [after(i).rho!], [field(s, 'rho_after', label) as number], F64);
        } else if (spec.K === 2) {
          const p1 = Array.from(got.output.probs!).filter((_, k) => k % 2 === 1);
          c.values(`${label} p(class 1)`, p1, expect('p(class 1)'), tol);
          c.values(`${label} sampled class`, got.sample, expect('sampled class'), EXACT);
          c.values(`${label} y`, got.y, expect('y'), tol);
          c.values(`${label} theta after`, after(i).theta.theta!, expect('theta_after'), tol);
        } else {
          c.values(`${label} probs`, got.output.probs!, expect('probs'), tol);
          c.values(`${label} sampled class`, got.sample, expect('sampled class'), EXACT);
          c.values(`${label} y`, got.y, expect('y'), tol);
          c.values(`${label} theta after`, after(i).theta.theta!, expect('theta_after'), tol);
        }
      }
      const final = obj(tr.final, `${name} final`);
      c.values(`${name} final output`, result.samples, flat((obj(field(final, 'output', name), 'output') as unknown as Arr).data), tol);
    });
  }
}

const CHECKERS: Record<string, (c: Checker, root: Json) => Promise<void>> = {
  'schedules.json': checkSchedules,
  'cts_flow.json': checkCtsFlow,
  'cts_output_xhat.json': checkCtsOutput,
  'cts_losses.json': checkCtsLosses,
  'cts_reconstruction.json': checkCtsReconstruction,
  'discretized_bins.json': checkDiscretizedBins,
  'discretized_output.json': checkDiscretizedOutput,
  'discretized_losses.json': checkDiscretizedLosses,
  'discrete_flow.json': checkDiscreteFlow,
  'discrete_losses.json': checkDiscreteLosses,
  'sampling.json': checkSampling,
  'optimizer_adamw.json': checkOptimizer,
};

/**
 * Checks one vector file on the active backend. A file with no checker, a malformed file, or a case whose
 * computation throws yields failed results (never an exception), so every problem is reported.
 * @returns one result per compared quantity; at least one.
 */
export async function checkVectorFile(file: VectorFile): Promise<CheckResult[]> {
  const c = new Checker(file.name);
  const checker = CHECKERS[file.name];
  if (!checker) {
    c.fail('(file)', `no conformance checker for '${file.name}'; known files: ${KNOWN_FILES.join(', ')}`);
    return c.results;
  }
  await c.run('(file)', () => checker(c, obj(file.json, file.name)));
  if (c.results.length === 0) c.fail('(file)', 'the file produced no comparisons');
  return c.results;
}

/**
 * Checks that INDEX.json lists only files that are present. @param files every file of the directory.
 * @returns one result (absent when there is no INDEX.json).
 */
export function checkIndex(files: VectorFile[]): CheckResult[] {
  const index = files.find((f) => f.name === 'INDEX.json');
  if (!index) return [];
  const listed = ((obj(index.json, 'INDEX.json').files as Json[] | undefined) ?? []).map((f) => String(f.file));
  const present = new Set(files.map((f) => f.name));
  const missing = listed.filter((name) => !present.has(name));
  return [{ file: 'INDEX.json', check: 'listed files are present', ok: missing.length === 0, count: listed.length, maxAbsErr: 0, message: missing.length ? `missing: ${missing.join(', ')}` : '' }];
}

/**
 * Checks a directory's worth of vector files: {@link checkIndex}, then every other file with {@link checkVectorFile}.
 */
export async function checkVectorFiles(files: VectorFile[]): Promise<CheckResult[]> {
  const results = checkIndex(files);
  for (const file of files) if (file.name !== 'INDEX.json') results.push(...(await checkVectorFile(file)));
  return results;
}
