/**
 * Unit tests of the BFN-Solver samplers (src/bfn/solvers*.ts) beyond the official vectors (which
 * tests/conformance/solvers.test.ts checks). Where each expectation comes from:
 * - OFFICIAL: the official code's vector files in tests/solver-vectors (the parts the corrected methods share with
 *   the official runs: initial state, first network call, draws, and the first update from the official state).
 * - OWN: plain-JS float64 re-derivations written here from the SDEs, not from the port's coefficients:
 *   continuous data dmu = [f mu - c g^2 grad log p] ds (+ g dw for the SDE, c = 1; c = 1/2 for the probability-flow
 *   ODE) with grad log p = -eps/sigma, eps = (mu - gamma x_hat)/sigma, f = 2 ln(sigma1)(1 - gamma)/gamma,
 *   g^2 = -2 ln(sigma1)(1 - gamma); discrete data dx = -g^2 (p - 1/K) ds + g dw with g^2 = 2 K beta1 t; and the
 *   original BFN updates of the app's sampler (src/bfn/continuous.ts `ctsBayesianUpdate`).
 * The corrected methods checked this way: continuous `ode_euler` (the official dispatch cannot run it), discrete
 * `sde_euler` (the official one returns logits), and the port's continuous `sde_bfnsolver1`.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as bfn from '../../src/bfn';
import { caseDraws, ctsStandIn, discreteStandIn } from '../../src/conformance/solverChecks';
import { toyCategoricalNet } from '../../src/nets/toy';
import { NODE_BACKENDS, useBackend } from '../backends';
import { loadVectorFiles, SOLVER_VECTORS_DIR } from '../../scripts/lib/vectors';

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

/** Standard normals from a fixed seed (mulberry32 + Box-Muller), rounded to float32 as the solvers receive them. */
function normals(count: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float32Array.from({ length: count }, () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()));
}

const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);

/** A replay source of normal draws of one shape: the given arrays, in order. */
function normalDraws(shape: number[], arrays: Float32Array[]): bfn.NoiseSource & { remaining(): number } {
  return bfn.replayNoise(arrays.map((data) => ({ kind: 'normal' as const, shape, data })));
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    const err = Math.abs(actual[k]! - expected[k]!);
    if (!(err <= atol + rtol * Math.abs(expected[k]!))) {
      throw new Error(`${what}: [${k}] got ${actual[k]}, expected ${expected[k]} (|err| ${err}, rtol ${rtol}, atol ${atol})`);
    }
  }
}

// Continuous data, OWN derivation: the schedule and the drift of the reverse SDE / probability-flow ODE.
function ctsSde(t: number, sigma1: number) {
  const gamma = 1 - sigma1 ** (2 * t);
  const sigma = Math.sqrt(gamma * (1 - gamma));
  const f = (2 * Math.log(sigma1) * (1 - gamma)) / gamma;
  const g2 = -2 * Math.log(sigma1) * (1 - gamma);
  return { gamma, sigma, f, g2, beta: sigma1 ** (-2 * t) - 1 };
}

/** d mu / ds of the reverse-time equation with score weight c (1: SDE drift, 1/2: probability-flow ODE). */
function ctsDrift(mu: number, xHat: number, t: number, sigma1: number, c: number): number {
  const { gamma, sigma, f, g2 } = ctsSde(t, sigma1);
  const eps = (mu - gamma * xHat) / sigma;
  const score = -eps / sigma;
  return f * mu - c * g2 * score;
}

/** The x-prediction stand-in used by the float64 runs: x_hat = 1.1 tanh(0.7 mu + 0.3 t - 0.1), clipped to [-1, 1]. */
const xPredJs = (mu: number, t: number) => Math.min(1, Math.max(-1, 1.1 * Math.tanh(0.7 * mu + 0.3 * t - 0.1)));
const xPredNet: bfn.Network = (mu, t) => tf.tidy(() => tf.mul(tf.tanh(tf.add(tf.mul(mu, 0.7), tf.sub(tf.mul(t, 0.3), 0.1))), 1.1));

/**
 * A float64 run of the continuous Euler solvers (OWN): mu <- mu - delta d mu/ds (+ g sqrt(delta) z for the SDE), on the
 * grid t_i = eta + i (1 - eta)/n, with the network called at t_i; last_drop returns x_hat at t_{n-1}.
 */
function ctsEulerRunF64(mu0: Float32Array, zs: Float32Array[], n: number, eta: number, sigma1: number, sde: boolean, lastDrop: boolean, xHatOf: (mu: number, t: number) => number): number[] {
  const delta = (1 - eta) / n;
  let mu = Array.from(mu0);
  for (let i = 0; i < n; i++) {
    const t = 1 - ((n - i) / n) * (1 - eta);
    const xHat = mu.map((m) => xHatOf(m, t));
    if (lastDrop && i === n - 1) return xHat;
    const g = Math.sqrt(ctsSde(t, sigma1).g2);
    mu = mu.map((m, k) => m - delta * ctsDrift(m, xHat[k]!, t, sigma1, sde ? 1 : 0.5) + (sde ? g * Math.sqrt(delta) * zs[i]![k]! : 0));
  }
  return mu;
}

/** Classic RK4 of the probability-flow ODE with a constant x_hat = c, from t0 to t1 (OWN). */
function ctsOdeRk4(mu0: number, c: number, t0: number, t1: number, sigma1: number, steps: number): number {
  const h = (t1 - t0) / steps; // in BFN time; d mu/dt = -d mu/ds
  const F = (mu: number, t: number) => -ctsDrift(mu, c, t, sigma1, 0.5);
  let mu = mu0;
  for (let k = 0; k < steps; k++) {
    const t = t0 + k * h;
    const k1 = F(mu, t);
    const k2 = F(mu + (h / 2) * k1, t + h / 2);
    const k3 = F(mu + (h / 2) * k2, t + h / 2);
    const k4 = F(mu + h * k3, t + h);
    mu += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return mu;
}

// Discrete data, OWN derivation: softmax and the toy network of src/nets/toy.ts in float64.
function softmaxRows(x: number[], K: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length; r += K) {
    const row = x.slice(r, r + K);
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    out.push(...e.map((v) => v / z));
  }
  return out;
}
const toyLogitsJs = (theta: number[], t: number, K: number) => theta.map((th, k) => 4 * th + 0.3 * t * (((k % K) % 3) - 1));

/** A float64 run of the corrected discrete sde_euler (OWN): x <- x + g^2 (p - 1/K) delta + g sqrt(delta) z. */
function discreteEmRunF64(x0: Float32Array, zs: Float32Array[], n: number, eta: number, K: number, beta1: number): number[][] {
  const delta = (1 - eta) / n;
  let x = Array.from(x0);
  const states: number[][] = [];
  for (let i = 0; i < n; i++) {
    const t = 1 - ((n - i) / n) * (1 - eta);
    const p = softmaxRows(toyLogitsJs(softmaxRows(x, K), t, K), K);
    const g2 = 2 * K * beta1 * t;
    x = x.map((v, k) => v + g2 * (p[k]! - 1 / K) * delta + Math.sqrt(g2 * delta) * zs[i]![k]!);
    states.push(x);
  }
  return states;
}

// ---------------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------------

const vectorFile = (name: string) => {
  const f = loadVectorFiles(SOLVER_VECTORS_DIR).find((v) => v.name === name);
  if (!f) throw new Error(`${name} missing from ${SOLVER_VECTORS_DIR}`);
  return f.json as { cases: any[] };
};
const out = (c: any, prefix: string) => c.outputs[Object.keys(c.outputs).find((k) => k.startsWith(prefix))!];
const inp = (c: any, prefix: string) => c.inputs[Object.keys(c.inputs).find((k) => k.startsWith(prefix))!];
const flat = (a: any): number[] => (Array.isArray(a) ? a.flat(Infinity) : [a]);

describe('BFN-Solver options and registry', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });
  const cts: bfn.BfnSpec = { kind: 'continuous', sigma1: 0.02 };
  const disc: bfn.BfnSpec = { kind: 'discrete', K: 3, beta1: 0.5625 };
  const noise = () => bfn.seededNoise(1);

  test.each([
    ['n = 0', cts, { algorithm: 'ode_bfnsolver1', n: 0 }, /positive integer/],
    ['n = 2.5', disc, { algorithm: 'ode_bfnsolver1', n: 2.5 }, /positive integer/],
    ['eta = 0', cts, { algorithm: 'ode_bfnsolver1', n: 2, eta: 0 }, /eta must lie in \(0, 1\)/],
    ['eta = 1', disc, { algorithm: 'ode_bfnsolver1', n: 2, eta: 1 }, /eta must lie in \(0, 1\)/],
    ['eta = NaN', cts, { algorithm: 'sde_euler', n: 2, eta: NaN }, /eta must lie in \(0, 1\)/],
    ['unknown continuous algorithm', cts, { algorithm: 'ode_bfnsolver2_single_step', n: 2 }, /unknown continuous solver algorithm 'ode_bfnsolver2_single_step'/],
    ['unknown discrete algorithm', disc, { algorithm: 'dpm', n: 2 }, /unknown discrete solver algorithm 'dpm'/],
    ['cateSamp on ode_bfnsolver1', disc, { algorithm: 'ode_bfnsolver1', n: 2, cateSamp: true }, /cateSamp applies to/],
    ['addiStep with lastDrop', disc, { algorithm: 'ode_euler', n: 2, addiStep: true }, /addiStep needs lastDrop: false/],
    ['addiStep on sde_bfnsolver1', disc, { algorithm: 'sde_bfnsolver1', n: 2, addiStep: true, lastDrop: false }, /addiStep applies to/],
    ['officialSdeEulerBug on ode_euler', disc, { algorithm: 'ode_euler', n: 2, officialSdeEulerBug: true }, /sde_euler only/],
    ['a discrete option on continuous data', cts, { algorithm: 'sde_euler', n: 2, cateSamp: true }, /discrete data only/],
    ['discretized data', { kind: 'discretized', sigma1: 0.02, K: 16 }, { algorithm: 'ode_bfnsolver1', n: 2 }, /continuous and discrete data, not 'discretized'/],
    ['initial moments of the wrong size', cts, { algorithm: 'ode_bfnsolver1', n: 2, initial: { mean: [0], std: [1] } }, /D = 2 entries/],
  ] as const)('RangeError: %s', async (_what, spec, options, message) => {
    const before = tf.memory().numTensors;
    const run = bfn.solverSample(spec as bfn.BfnSpec, xPredNet, [3, 2], { ...options, noise: noise() } as bfn.SolverOptions);
    await expect(run).rejects.toThrow(RangeError);
    await expect(bfn.solverSample(spec as bfn.BfnSpec, xPredNet, [3, 2], { ...options, noise: noise() } as bfn.SolverOptions)).rejects.toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('the time grid runs from t = eta to t = 1 in n equal steps', () => {
    const { s, t, delta } = bfn.solverTimeGrid(4, 0.2);
    expect(s).toEqual([0.8, 0.6000000000000001, 0.4, 0.2, 0]);
    expect(t[0]).toBeCloseTo(0.2, 15);
    expect(t[4]).toBe(1);
    expect(delta).toBeCloseTo(0.2, 15);
  });

  test('the registry offers the original sampler and the four solvers of each kind, each runnable', async () => {
    const ids = ['original', 'ode_bfnsolver1', 'ode_bfnsolver2_multi_step', 'sde_bfnsolver1', 'sde_bfnsolver2_multi_step'];
    expect(bfn.SAMPLER_CHOICES.continuous.map((c) => c.id)).toEqual(ids);
    expect(bfn.SAMPLER_CHOICES.discrete.map((c) => c.id)).toEqual(ids);
    expect(bfn.SAMPLER_CHOICES.discretized.map((c) => c.id)).toEqual(['original']);
    for (const kind of ['continuous', 'discrete'] as const) {
      for (const choice of bfn.SAMPLER_CHOICES[kind]) {
        expect(choice.label.length).toBeGreaterThan(3);
        if (choice.id === 'original') continue;
        const spec = kind === 'continuous' ? cts : disc;
        const net = kind === 'continuous' ? xPredNet : toyCategoricalNet;
        const r = await bfn.solverSample(kind === 'continuous' ? { ...cts, prediction: 'x' } : spec, net, [2, 3], { algorithm: choice.id, n: 3, noise: noise() } as bfn.SolverOptions);
        expect(r.samples.length).toBe(6);
      }
    }
  });

  test('onStep sees (i, n) after each step; a throwing onStep aborts without leaking tensors', async () => {
    const seen: [number, number][] = [];
    const before = tf.memory().numTensors;
    await bfn.solverSample(disc, toyCategoricalNet, [2, 4], { algorithm: 'sde_bfnsolver2_multi_step', n: 4, noise: noise(), record: true, onStep: (i, n) => { seen.push([i, n]); } });
    expect(seen).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
    const abort = bfn.solverSample({ ...cts, prediction: 'x' }, xPredNet, [2, 4], { algorithm: 'ode_bfnsolver2_multi_step', n: 5, noise: noise(), onStep: (i) => { if (i === 3) throw new Error('cancelled'); } });
    await expect(abort).rejects.toThrow('cancelled');
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a network of the wrong output shape is an Error, and no tensor is left', async () => {
    const before = tf.memory().numTensors;
    const bad: bfn.Network = (mu) => tf.zeros([mu.shape[0]!, 1]);
    await expect(bfn.solverSample(cts, bad, [3, 2], { algorithm: 'ode_bfnsolver1', n: 2, noise: noise() })).rejects.toThrow(/network must return/);
    await expect(bfn.solverSample(disc, bad, [3, 2], { algorithm: 'ode_bfnsolver1', n: 2, noise: noise() })).rejects.toThrow(/network must return logits/);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('K = 2: one Bernoulli logit per variable is the logits [0, l]', async () => {
    const spec: bfn.BfnSpec = { kind: 'discrete', K: 2, beta1: 3 };
    const one: bfn.Network = (inp, t) => tf.tidy(() => tf.add(tf.mul(inp, -2.5), tf.mul(tf.expandDims(t, -1), 0.5)));
    const two: bfn.Network = (inp, t) => tf.tidy(() => tf.concat([tf.zerosLike(inp), one(inp, t)], -1));
    for (const algorithm of ['ode_bfnsolver2_single_step', 'sde_bfnsolver1'] as const) {
      const a = await bfn.solverSample(spec, one, [2, 5], { algorithm, n: 4, noise: bfn.seededNoise(3), record: true });
      const b = await bfn.solverSample(spec, two, [2, 5], { algorithm, n: 4, noise: bfn.seededNoise(3), record: true });
      expect(Array.from(a.samples)).toEqual(Array.from(b.samples));
      // p = [sigmoid(-l), sigmoid(l)] for one logit and softmax([0, l]) for two are equal in closed form; their float32
      // kernels differ by an ulp (1.2e-7 here).
      expectClose(a.trajectory!.final, b.trajectory!.final, 1e-6, 1e-6, `${algorithm} final logits`);
    }
  });
});

describe.each(NODE_BACKENDS)('BFN-Solver derivations on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  test('OWN: continuous ode_euler and sde_euler match a float64 run of the reverse-time equations', async () => {
    const sigma1 = 0.02;
    const shape = [3, 4];
    for (const [algorithm, lastDrop, n, eta] of [['ode_euler', false, 8, 0.05], ['ode_euler', true, 6, 0.2], ['sde_euler', false, 8, 0.05]] as const) {
      const init = normals(size(shape), 11);
      const zs = Array.from({ length: n }, (_, i) => normals(size(shape), 100 + i));
      const sde = algorithm === 'sde_euler';
      const noise = normalDraws(shape, [init, ...(sde ? zs : [])]);
      const r = await bfn.solverSample({ kind: 'continuous', sigma1, prediction: 'x' }, xPredNet, shape, { algorithm, n, eta, lastDrop, noise, record: true });
      expect(noise.remaining()).toBe(0);
      const mu0 = Float32Array.from(init, (z) => z * ctsSde(eta, sigma1).sigma);
      expectClose(r.trajectory!.init, mu0, 1e-6, 1e-7, `${algorithm} initial state`);
      const ref = ctsEulerRunF64(mu0, zs, n, eta, sigma1, sde, lastDrop, xPredJs);
      expectClose(r.samples, ref, 1e-4, 1e-5, `${algorithm} n=${n} lastDrop=${lastDrop} final mu`);
    }
  });

  test('OWN: continuous ode_euler converges at first order to the exact probability-flow ODE solution, which ode_bfnsolver1 gives in one step', async () => {
    const sigma1 = 0.02;
    const eta = 0.1;
    const c = [-0.9, 0.3, 1, 0.55]; // a constant data prediction: the ODE is then linear and ODE-1 is exact
    const cNet: bfn.Network = (mu) => tf.tidy(() => tf.mul(tf.onesLike(mu), tf.tensor2d([c])));
    const init = normals(4, 5);
    const mu0 = Array.from(init, (z) => z * ctsSde(eta, sigma1).sigma);
    // The exact solution, by RK4 with 40000 steps, and ODE-1's closed form [sqrt(b1/b0) rho0 mu0 + (b1 - sqrt(b0 b1)) c]/rho1.
    const exact = mu0.map((m, k) => ctsOdeRk4(m, c[k]!, eta, 1, sigma1, 40000));
    const s0 = ctsSde(eta, sigma1);
    const s1 = ctsSde(1, sigma1);
    const closed = mu0.map((m, k) => (Math.sqrt(s1.beta / s0.beta) * (1 + s0.beta) * m + (s1.beta - Math.sqrt(s0.beta * s1.beta)) * c[k]!) / (1 + s1.beta));
    expectClose(closed, exact, 1e-9, 1e-10, 'ODE-1 closed form vs RK4');
    const run = async (algorithm: 'ode_euler' | 'ode_bfnsolver1', n: number) =>
      (await bfn.solverSample({ kind: 'continuous', sigma1, prediction: 'x' }, cNet, [1, 4], { algorithm, n, eta, lastDrop: false, noise: normalDraws([1, 4], [init]) })).samples;
    expectClose(await run('ode_bfnsolver1', 1), exact, 1e-5, 1e-6, 'ode_bfnsolver1 with n = 1');
    const errors: number[] = [];
    for (const n of [25, 100, 400]) {
      const got = await run('ode_euler', n);
      errors.push(Math.max(...exact.map((e, k) => Math.abs(got[k]! - e))));
    }
    expect(errors[2]!).toBeLessThan(1e-3);
    for (const k of [1, 2]) {
      const ratio = errors[k - 1]! / errors[k]!; // 4 for a first-order method when n quadruples
      expect(ratio, `error ratio ${errors.join(' / ')}`).toBeGreaterThan(3);
      expect(ratio, `error ratio ${errors.join(' / ')}`).toBeLessThan(5.5);
    }
  });

  test('OWN: continuous sde_bfnsolver1 is the original BFN update rho\' = rho + alpha, mu\' = (rho mu + alpha y)/rho\'', async () => {
    const sigma1 = 0.02;
    const eta = 0.01;
    const n = 4;
    const shape = [2, 3];
    const init = normals(6, 21);
    const zs = [0, 1, 2, 3].map((i) => normals(6, 30 + i));
    const r = await bfn.solverSample({ kind: 'continuous', sigma1, prediction: 'x' }, xPredNet, shape, { algorithm: 'sde_bfnsolver1', n, eta, lastDrop: false, noise: normalDraws(shape, [init, ...zs]), record: true });
    const { t } = bfn.solverTimeGrid(n, eta);
    let mu = tf.tensor(r.trajectory!.init, shape);
    for (let i = 0; i < n; i++) {
      const rho = 1 + bfn.ctsBeta(t[i]!, sigma1);
      const alpha = bfn.ctsBeta(t[i + 1]!, sigma1) - bfn.ctsBeta(t[i]!, sigma1);
      const xHat = tf.clipByValue(xPredNet(mu, tf.fill([1, 1], t[i]!)), -1, 1);
      const y = tf.add(xHat, tf.mul(tf.tensor(zs[i]!, shape), 1 / Math.sqrt(alpha)));
      const next = bfn.ctsBayesianUpdate(mu, rho, y, alpha);
      expect(next.rho).toBeCloseTo(1 + bfn.ctsBeta(t[i + 1]!, sigma1), 9);
      expectClose(r.trajectory!.steps[i]!.state, await next.mu.data(), 1e-4, 1e-5, `step ${i}`);
      tf.dispose([mu, xHat, y]);
      mu = next.mu;
    }
    mu.dispose();
  });

  test('OWN: discrete sde_euler is Euler-Maruyama; with zero noise it is the drift step x + g^2 (p - 1/K) delta', async () => {
    const K = 5;
    const beta1 = 0.75;
    const eta = 0.02;
    const n = 6;
    const shape = [2, 3, K];
    const init = normals(size(shape), 41);
    for (const zero of [true, false]) {
      const zs = Array.from({ length: n }, (_, i) => (zero ? new Float32Array(size(shape)) : normals(size(shape), 50 + i)));
      const r = await bfn.solverSample({ kind: 'discrete', K, beta1 }, toyCategoricalNet, [2, 3], { algorithm: 'sde_euler', n, eta, lastDrop: false, noise: normalDraws(shape, [init, ...zs]), record: true });
      const x0 = Float32Array.from(init, (z) => z * Math.sqrt(K * beta1 * eta * eta));
      expectClose(r.trajectory!.init, x0, 1e-6, 1e-8, 'initial state');
      const ref = discreteEmRunF64(x0, zs, n, eta, K, beta1);
      ref.forEach((state, i) => expectClose(r.trajectory!.steps[i]!.state, state, 1e-4, 2e-5, `zero noise ${zero}: state after step ${i}`));
      expect(r.trajectory!.steps.map((s) => s.branch)).toEqual(Array(n).fill('update'));
    }
  });

  test('OFFICIAL + OWN: corrected discrete sde_euler on the official cases agrees with the official run up to its first update, which is Euler-Maruyama', async () => {
    const cases = vectorFile('discrete_sde_euler.json').cases;
    for (const cs of cases) {
      const p = cs.params;
      const K = p.K as number;
      const stateShape = [p.B, p.L, K] as number[];
      const noise = bfn.replayNoise(caseDraws(cs, cs.inputs, cs.id));
      const W = tf.tensor(flat(cs.inputs.W.data), cs.inputs.W.shape);
      const cT = tf.tensor(flat(cs.inputs.c.data));
      const bT = tf.tensor(flat(cs.inputs.b.data));
      const calls: Float32Array[] = [];
      const standIn = discreteStandIn(W, cT, bT, K);
      const net: bfn.Network = (input, t) => {
        const logits = standIn(input, t);
        calls.push(Float32Array.from(logits.dataSync()));
        return logits;
      };
      const r = await bfn.solverSample({ kind: 'discrete', K, beta1: p.beta1 }, net, [p.B, p.L], {
        algorithm: 'sde_euler', n: p.n_steps, eta: p.eta, lastDrop: p.last_drop, cateSamp: p.cate_samp, addiStep: p.addi_step,
        initial: 'mean_ex' in cs.inputs ? { mean: flat(cs.inputs.mean_ex.data), std: flat(cs.inputs.std_ex.data) } : undefined,
        noise, record: true,
      });
      tf.dispose([W, cT, bT]);
      const tol = cs.check.per_output;
      const where = cs.id as string;
      // Shared with the official run: the draws (same kinds, shapes and order), the initial state, the first call.
      expect(noise.remaining(), where).toBe(0);
      expectClose(r.trajectory!.init, flat(out(cs, 'x_init_reference_f64').data), tol.x_init.rtol, tol.x_init.atol, `${where} x_init`);
      const officialLogits = flat(out(cs, 'net_output_logits_reference_f64').data);
      const perCall = size(stateShape);
      expectClose(calls[0]!, officialLogits.slice(0, perCall), tol.net_output.rtol, tol.net_output.atol, `${where} first network call`);
      if (cs.step_branch[0] !== 'update_discarded_returns_logits') continue;
      // The first update from the official x_init and first logits, in float64: x + g^2 (p - 1/K) delta + g sqrt(delta) z.
      const x0 = flat(out(cs, 'x_init_reference_f64').data);
      const classes = p.cate_samp ? flat(out(cs, 'categorical_classes_official').data[0]) : null;
      const prob = classes ? x0.map((_, k) => (classes[Math.floor(k / K)] === k % K ? 1 : 0)) : softmaxRows(officialLogits.slice(0, perCall), K);
      const delta = (1 - p.eta) / p.n_steps;
      const g2 = 2 * K * p.beta1 * p.eta;
      const z0 = flat(inp(cs, 'step_noise').data[0]);
      const em = x0.map((v, k) => v + g2 * (prob[k]! - 1 / K) * delta + Math.sqrt(g2 * delta) * z0[k]!);
      expectClose(r.trajectory!.steps[0]!.state, em, tol.state_after_step.rtol, tol.state_after_step.atol, `${where} first Euler-Maruyama update`);
      expect(r.trajectory!.steps[0]!.branch).toBe('update');
      // ... and it is not the official state (the logits), which the corrected method must not return.
      const official = flat(out(cs, 'state_after_step_reference_f64').data).slice(0, perCall);
      expect(Math.max(...official.map((v, k) => Math.abs(v - r.trajectory!.steps[0]!.state[k]!)))).toBeGreaterThan(1e-2);
    }
  });

  test('OFFICIAL + OWN: continuous ode_euler on the official ode_bfnsolver1 cases shares the initial state and first call, then takes the Euler step', async () => {
    const cases = vectorFile('cts_ode_bfnsolver1.json').cases;
    for (const cs of cases) {
      const p = cs.params;
      if (p.last_drop && p.n_steps === 1) continue; // no update step to compare
      const shape = [p.B, p.D] as number[];
      const W = tf.tensor(flat(cs.inputs.W.data), cs.inputs.W.shape);
      const cT = tf.tensor(flat(cs.inputs.c.data));
      const bT = tf.tensor(flat(cs.inputs.b.data));
      const calls: Float32Array[] = [];
      const standIn = ctsStandIn(W, cT, bT, p.sigma1);
      const net: bfn.Network = (mu, t) => {
        const eps = standIn(mu, t);
        calls.push(Float32Array.from(eps.dataSync()));
        return eps;
      };
      const noise = normalDraws(shape, [Float32Array.from(flat(cs.inputs.init_noise.data))]);
      const r = await bfn.solverSample({ kind: 'continuous', sigma1: p.sigma1 }, net, shape, {
        algorithm: 'ode_euler', n: p.n_steps, eta: p.eta, lastDrop: p.last_drop, noise, record: true,
        initial: 'mean_x' in cs.inputs ? { mean: flat(cs.inputs.mean_x.data), std: flat(cs.inputs.std_x.data) } : undefined,
      });
      tf.dispose([W, cT, bT]);
      const tol = cs.check.per_output;
      const where = cs.id as string;
      const x0 = flat(out(cs, 'x_init_reference_f64').data);
      expectClose(r.trajectory!.init, x0, tol.x_init.rtol, tol.x_init.atol, `${where} x_init`);
      expectClose(calls[0]!, flat(out(cs, 'net_output_eps_hat_reference_f64').data).slice(0, size(shape)), tol.net_output.rtol, tol.net_output.atol, `${where} first call`);
      const xHat0 = flat(out(cs, 'x0_pred_clipped_reference_f64').data).slice(0, size(shape));
      expectClose(r.trajectory!.steps[0]!.dataPrediction, xHat0, tol.x0_pred_clipped.rtol, tol.x0_pred_clipped.atol, `${where} first x_hat`);
      // The probability-flow ODE's Euler step from the official state and prediction, in float64.
      const delta = (1 - p.eta) / p.n_steps;
      const euler = x0.map((m, k) => m - delta * ctsDrift(m, xHat0[k]!, p.eta, p.sigma1, 0.5));
      expectClose(r.trajectory!.steps[0]!.state, euler, tol.state_after_step.rtol, Math.max(tol.state_after_step.atol, 1e-5), `${where} first Euler step`);
    }
  });
});
