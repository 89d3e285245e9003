/**
 * Conformance checks of the BFN-Solver samplers (src/bfn/solvers*.ts) against the reference vectors of the official
 * BFN-Solver code (ML-GSAI/BFN-Solver, `bfnsolver_i.py` and `bfnsolver_t.py`; format in tests/solver-vectors/README.md).
 * Every case is a full sampler run with a stand-in network and stored noise; every array the solver produces
 * (initial state, network times and outputs, state after each step, clipped data predictions, final state, samples,
 * categorical classes) is compared with the official float64 run (`*_reference_f64`) at the case's per-array
 * tolerance, and the branch of every step, the noise consumption and the tensor count are checked too. Shared by the
 * Node test run (cpu, wasm) and the browser run (webgl, webgpu).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as bfn from '../bfn';
import type { Network } from '../bfn';
import { arr, Checker, checkIndex, checkVectorFiles, EXACT, field, flat, num, obj, scoped, type CheckResult, type Json, type Tol, type VectorFile } from './checks';

/** Whether a parsed file is a solver vector file (it names a data kind and an algorithm and holds cases). */
export function isSolverVectorFile(file: VectorFile): boolean {
  const j = file.json as Json | null;
  return !!j && typeof j === 'object' && typeof j.data_kind === 'string' && typeof j.algorithm === 'string' && Array.isArray(j.cases);
}

/**
 * The continuous stand-in network of the solver vectors: eps_hat = (mu - g xt)/sqrt(g (1 - g)), xt = 1.1 tanh(mu W + c t + b),
 * g = 1 - sigma1^(2t). @param W [D, D]. @param c [D]. @param b [D]. @returns a Network: mu [batch, D], t [1, 1] -> [batch, D].
 */
export function ctsStandIn(W: tf.Tensor, c: tf.Tensor, b: tf.Tensor, sigma1: number): Network {
  return (mu, t) =>
    tf.tidy(() => {
      const xt = tf.mul(tf.tanh(tf.add(tf.add(tf.matMul(mu, W), tf.mul(c, t)), b)), 1.1);
      // g = -expm1(ln(sigma1^2) t) and 1 - g = exp(ln(sigma1^2) t), both without cancellation.
      const g = bfn.ctsGammaT(t, sigma1);
      return tf.div(tf.sub(mu, tf.mul(g, xt)), tf.sqrt(tf.mul(g, bfn.ctsPosteriorVarianceT(t, sigma1))));
    });
}

/**
 * The discrete stand-in network of the solver vectors: logits = 4 tanh((2 theta - 1) W + c t + b), from the network input of `discreteNetInputs`
 * (theta for K > 2; 2 theta_0 - 1 for K = 2, whose second column 2 theta_1 - 1 is its negative).
 * @param W [K, K]. @param c [K]. @param b [K]. @returns a Network: input [batch, L, K] (or [batch, L, 1]), t [1, 1] -> [batch, L, K].
 */
export function discreteStandIn(W: tf.Tensor, c: tf.Tensor, b: tf.Tensor, K: number): Network {
  return (inp, t) =>
    tf.tidy(() => {
      const v = K === 2 && inp.shape[inp.rank - 1] === 1 ? tf.concat([inp, tf.neg(inp)], -1) : tf.sub(tf.mul(inp, 2), 1);
      const h = tf.reshape(tf.matMul(tf.reshape(v, [-1, K]), W), v.shape);
      return tf.mul(tf.tanh(tf.add(tf.add(h, tf.mul(c, tf.expandDims(t, -1))), b)), 4);
    });
}

/**
 * A case's stored draws in the order the official code consumed them (its `draw_order`), for `replayNoise`.
 * @param cs the case. @param inputs its inputs. @param where a label for errors. @throws Error for an unknown draw.
 */
export function caseDraws(cs: Json, inputs: Json, where: string): bfn.StoredDraw[] {
  return (field(cs, 'draw_order', where) as [string, number, number | null][]).map(([kind, index]) => {
    if (kind === 'init_noise') {
      const a = arr(inputs, 'init_noise', where);
      return { kind: 'normal', shape: a.shape, data: flat(a.data) };
    }
    const name = kind === 'step_noise' ? 'step_noise' : kind === 'categorical_u' ? 'categorical_u' : '';
    if (!name) throw new Error(`${where}: unknown draw kind '${kind}'`);
    const a = arr(inputs, name, where);
    const rows = a.data as unknown[];
    if (!Array.isArray(rows) || rows[index] === undefined) throw new Error(`${where}: ${name} has no draw ${index}`);
    return { kind: name === 'step_noise' ? 'normal' : 'uniform', shape: a.shape.slice(1), data: flat(rows[index]) };
  });
}

/** The case's tolerance for one output array (check.per_output), else the case-level one. */
function tolFor(check: Json, name: string): Tol {
  const per = (check.per_output as Record<string, Tol> | undefined)?.[name];
  return per ?? { rtol: num(check, 'rtol', 'check'), atol: num(check, 'atol', 'check') };
}

function concat(parts: ArrayLike<number>[]): number[] {
  return parts.flatMap((p) => Array.from(p));
}

/** Records a comparison of two lists of labels (the steps' branches). */
function sameLabels(c: Checker, check: string, actual: string[], expected: string[]): void {
  const ok = actual.length === expected.length && actual.every((a, k) => a === expected[k]);
  c.results.push({ file: c.file, check, ok, count: expected.length, maxAbsErr: 0, message: ok ? '' : `got [${actual.join(', ')}], expected [${expected.join(', ')}]` });
}

async function checkSolverCase(c: Checker, root: Json, cs: Json, caseIndex: number): Promise<void> {
  const kind = root.data_kind as string;
  const algorithm = root.algorithm as string;
  const params = obj(cs.params, 'params');
  const where = `cases[${caseIndex}] ${String(cs.id ?? '')}`;
  const inputs = obj(cs.inputs, `${where}/inputs`);
  const outputs = obj(cs.outputs, `${where}/outputs`);
  const check = obj(cs.check, `${where}/check`);
  const n = num(params, 'n_steps', where);
  const noise = bfn.replayNoise(caseDraws(cs, inputs, where));
  const W = tf.tensor(flat(arr(inputs, 'W', where).data), arr(inputs, 'W', where).shape);
  const cW = tf.tensor(flat(arr(inputs, 'c', where).data));
  const bW = tf.tensor(flat(arr(inputs, 'b', where).data));
  const moments = (mean: string, std: string) =>
    mean in inputs ? { mean: flat(arr(inputs, mean, where).data), std: flat(arr(inputs, std, where).data) } : undefined;
  const common = {
    n, noise, record: true, eta: num(params, 'eta', where), lastDrop: params.last_drop as boolean,
  };
  let standIn: Network;
  let spec: bfn.BfnSpec;
  let options: bfn.SolverOptions;
  let dataShape: number[];
  if (kind === 'continuous') {
    const sigma1 = num(params, 'sigma1', where);
    spec = { kind: 'continuous', sigma1 };
    standIn = ctsStandIn(W, cW, bW, sigma1);
    dataShape = [num(params, 'B', where), num(params, 'D', where)];
    options = { ...common, algorithm: algorithm as bfn.CtsSolverAlgorithm, initial: moments('mean_x', 'std_x') };
  } else if (kind === 'discrete') {
    const K = num(params, 'K', where);
    spec = { kind: 'discrete', K, beta1: num(params, 'beta1', where) };
    standIn = discreteStandIn(W, cW, bW, K);
    dataShape = [num(params, 'B', where), num(params, 'L', where)];
    options = {
      ...common, algorithm: algorithm as bfn.DiscreteSolverAlgorithm, initial: moments('mean_ex', 'std_ex'),
      cateSamp: !!params.cate_samp, addiStep: !!params.addi_step,
      // The official sde_euler returns the logits instead of its update; its vectors record that behaviour.
      officialSdeEulerBug: algorithm === 'sde_euler',
    };
  } else {
    throw new Error(`${where}: unknown data_kind '${kind}'`);
  }

  // The network as the solver calls it, recording what it saw (t) and returned, for the net_t and net_output checks.
  const seen: { t: tf.Tensor; out: tf.Tensor }[] = [];
  const net: Network = (input, t) => {
    const out = standIn(input, t);
    seen.push({ t: tf.keep(tf.clone(t)), out: tf.keep(tf.clone(out)) });
    return out;
  };
  const before = tf.memory().numTensors;
  const result = await bfn.solverSample(spec, net, dataShape, options);
  c.values(`${where} tensors left by the solver`, [tf.memory().numTensors - before - 2 * seen.length], [0], EXACT);
  c.values(`${where} stored draws left unconsumed`, [noise.remaining()], [0], EXACT);
  const traj = result.trajectory!;
  sameLabels(c, `${where} step branches`, traj.steps.map((s) => s.branch), cs.step_branch as string[]);

  const ref = (name: string) => flat(arr(outputs, `${name}_reference_f64`, where).data);
  c.values(`${where} x_init`, traj.init, ref('x_init'), tolFor(check, 'x_init'));
  const seenT: number[] = [];
  const seenOut: number[] = [];
  for (const s of seen) {
    seenT.push((await s.t.data())[0]!);
    seenOut.push(...Array.from(await s.out.data()));
    tf.dispose([s.t, s.out]); // kept past the solver's tidy scopes, so not freed by this case's scope
  }
  c.values(`${where} net_t (as the network saw it)`, seenT, ref('net_t'), tolFor(check, 'net_t'));
  c.values(`${where} net_t (trajectory)`, traj.steps.flatMap((s) => s.netT), ref('net_t'), tolFor(check, 'net_t'));
  c.values(`${where} net_output`, seenOut, ref(kind === 'continuous' ? 'net_output_eps_hat' : 'net_output_logits'), tolFor(check, 'net_output'));
  c.values(`${where} state_after_step`, concat(traj.steps.map((s) => s.state)), ref('state_after_step'), tolFor(check, 'state_after_step'));
  if (kind === 'continuous') {
    c.values(`${where} x0_pred_clipped`, concat(traj.steps.map((s) => s.dataPrediction)), ref('x0_pred_clipped'), tolFor(check, 'x0_pred_clipped'));
    c.values(`${where} final_sample`, result.samples, ref('final_sample'), tolFor(check, 'final'));
  } else {
    c.values(`${where} final_state`, traj.final, ref('final_state'), tolFor(check, 'final_state'));
    c.values(`${where} samples (argmax)`, result.samples, flat(arr(outputs, 'samples_official', where).data), EXACT);
    if (params.cate_samp) {
      const classes = concat(traj.steps.flatMap((s) => (s.classes ? [s.classes] : [])));
      c.values(`${where} categorical classes`, classes, flat(arr(outputs, 'categorical_classes_official', where).data), EXACT);
    }
  }
}

async function checkSolverFile(c: Checker, root: Json): Promise<void> {
  const cases = root.cases as Json[];
  if (!Array.isArray(cases) || cases.length === 0) throw new Error('no cases');
  for (const [k, cs] of cases.entries()) {
    await c.run(`cases[${k}]`, () => scoped(async () => checkSolverCase(c, root, obj(cs, `cases[${k}]`), k)));
  }
}

/**
 * Checks one solver vector file on the active backend: every case, as described in the module header. A malformed
 * file or a case whose run throws yields failed results (never an exception).
 * @returns one result per compared quantity; at least one.
 */
export async function checkSolverVectorFile(file: VectorFile): Promise<CheckResult[]> {
  const c = new Checker(file.name);
  if (!isSolverVectorFile(file)) {
    c.fail('(file)', `'${file.name}' is not a solver vector file (needs data_kind, algorithm and cases)`);
    return c.results;
  }
  await c.run('(file)', () => checkSolverFile(c, obj(file.json, file.name)));
  if (c.results.length === 0) c.fail('(file)', 'the file produced no comparisons');
  return c.results;
}

/**
 * Checks a directory's worth of solver vector files: that INDEX.json lists only present files, then every other
 * file with {@link checkSolverVectorFile}.
 */
export async function checkSolverVectorFiles(files: VectorFile[]): Promise<CheckResult[]> {
  const results = checkIndex(files);
  for (const file of files) if (file.name !== 'INDEX.json') results.push(...(await checkSolverVectorFile(file)));
  return results;
}

/**
 * Checks a directory of either kind: the solver vectors when any file is a solver vector file, else the core
 * vectors (`checkVectorFiles`). Used by the engine worker and `npm run conformance`.
 */
export async function checkAnyVectorFiles(files: VectorFile[]): Promise<CheckResult[]> {
  return files.some(isSolverVectorFile) ? checkSolverVectorFiles(files) : checkVectorFiles(files);
}
