/**
 * Conformance of the trainer's optimizer (src/train/trainer.ts: AdamW as `torch.optim.AdamW`, clipping as
 * `torch.nn.utils.clip_grad_norm_`, the weight average) on the active backend, from tests/vectors/optimizer_adamw.json:
 * - six steps of a two-tensor quadratic against PyTorch in float64, with the fused kernels (src/train/fusedAdamW.ts:
 *   WebAssembly SIMD, JS, WGSL or GLSL by backend) and with the update composed of TF.js ops;
 * - a few steps of a network of 13 tensors of assorted shapes (odd sizes, ranks 0 to 4, one of 4,000 values, more
 *   tensors than one GPU program reads) with the fused and the composed update side by side: losses, gradient norms,
 *   weights, moments and averages equal to float32 rounding.
 * Kept apart from checks.ts (which dispatches to it) so that the trainer's dependencies stay out of the BFN checks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Trainer, type OptimizerConfig, type StepReport } from '../train/trainer';
import type { NamedTensor, TensorSpec, TrainableNet } from '../nets/trainable';

/** The comparison side of the conformance `Checker` (checks.ts), as this module uses it. */
export interface ValueChecker {
  values(check: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: { rtol: number; atol: number }): void;
  run(check: string, body: () => Promise<void>): Promise<void>;
}

/** One PyTorch run: losses and gradient norms per step, the final weights and (with an EMA) their average. */
export interface TorchRun {
  losses: number[];
  gradNorms: number[];
  x: number[];
  y: number[];
  emaX?: number[];
  emaY?: number[];
}

/** One case of the file: a run and the optimizer it used (cosineSteps null for none). */
interface TorchCase extends TorchRun {
  name: string;
  optimizer: Omit<OptimizerConfig, 'cosineSteps'> & { cosineSteps: number | null };
}

interface Problem {
  x0: number[];
  y0: number[];
  a: number[];
  tx: number[];
  b: number[];
  ty: number[];
  crossTerm: number;
}

let nets = 0;

/** A TrainableNet of the given starting tensors (its `net` is the identity: the checks train a loss of the weights). */
function netOf(starts: { values: number[]; shape: number[] }[]): TrainableNet {
  const id = nets++;
  const variables = starts.map((s, k) => tf.tidy(() => tf.variable(tf.tensor(s.values, s.shape), true, `optimizerCheck${id}/t${k}`)));
  const names = starts.map((_, k) => `t${k}`);
  return {
    config: { id },
    net: (input) => tf.clone(input),
    variables,
    names,
    parameterCount: starts.reduce((s, t) => s + t.values.length, 0),
    fileSpecs: (): TensorSpec[] => variables.map((v, k) => ({ name: names[k]!, shape: [...v.shape] })),
    fileTensors: (): NamedTensor[] => variables.map((v, k) => ({ name: names[k]!, tensor: tf.clone(v) })),
    setFileTensors: (byName) => names.forEach((n, k) => variables[k]!.assign(byName[n]!)),
    dispose: () => tf.dispose(variables),
  };
}

/** Trains `steps` steps of `loss` from `starts`; returns the reports and the whole final state as numbers. */
async function train(starts: { values: number[]; shape: number[] }[], loss: (w: tf.Variable[]) => tf.Scalar, optimizer: OptimizerConfig, fusedUpdate: boolean, steps: number) {
  const trainer = new Trainer({ net: netOf(starts), twin: () => netOf(starts), optimizer, fusedUpdate, stepLoss: (net) => ({ loss: () => loss(net.variables), dispose: () => undefined }) });
  try {
    const reports: StepReport[] = [];
    for (let s = 0; s < steps; s++) reports.push(await trainer.trainStep());
    const state: Record<string, number[]> = {};
    for (const { name, tensor } of trainer.state().tensors) state[name] = Array.from(await tensor.data());
    return { reports, state, averaged: trainer.ema !== trainer.net };
  } finally {
    trainer.dispose();
  }
}

function torchLoss(p: Problem): (w: tf.Variable[]) => tf.Scalar {
  return ([x, y]) => tf.tidy(() => tf.addN([
    tf.sum(tf.mul(tf.tensor1d(p.a), tf.square(tf.sub(x!, tf.tensor1d(p.tx))))),
    tf.sum(tf.mul(tf.tensor2d(p.b, [2, 2]), tf.square(tf.sub(y!, tf.tensor2d(p.ty, [2, 2]))))),
    tf.sum(tf.mul(p.crossTerm, tf.mul(tf.slice(x!, [0], [1]), tf.slice(tf.reshape(y!, [4]), [3], [1])))),
  ]) as tf.Scalar);
}

/** The assorted shapes of the side-by-side check: more than 8 tensors, odd sizes, one of several GPU chunks. */
const SHAPES = [[3], [2, 2], [5, 7], [1], [40, 101], [2, 3, 4], [129], [7, 9, 11], [], [3, 5], [64, 3], [17], [2, 1, 3, 5]];

/** Deterministic values in (-1, 1) for tensor k. */
const valuesOf = (k: number, n: number, phase: number) => Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.9 * k + phase));

/** sum_k sum(A_k (w_k - T_k)^2 (1 + 0.5 sin(w_k))) + 0.2 sum(w_0) sum(w_1): gradients of assorted sizes per tensor. */
function assortedLoss(w: tf.Variable[]): tf.Scalar {
  return tf.tidy(() => tf.addN([
    ...w.map((wk, k) => {
      const n = wk.size;
      const a = tf.tensor(valuesOf(k, n, 0.3).map((v) => 1.5 + v), wk.shape);
      const t = tf.tensor(valuesOf(k, n, 2.1), wk.shape);
      return tf.sum(tf.mul(tf.mul(a, tf.square(tf.sub(wk, t))), tf.add(1, tf.mul(0.5, tf.sin(wk)))));
    }),
    tf.mul(0.2, tf.mul(tf.sum(w[0]!), tf.sum(w[1]!))),
  ]) as tf.Scalar);
}

/**
 * Checks optimizer_adamw.json on the active backend (see the module's docstring).
 * @param root the parsed file: {problem, tolerance, sideBySideTolerance, cases: [{name, optimizer, losses, gradNorms,
 *   x, y, emaX?, emaY?}]}.
 */
export async function checkOptimizer(c: ValueChecker, root: Record<string, unknown>): Promise<void> {
  const problem = root.problem as Problem;
  const tol = root.tolerance as { rtol: number; atol: number };
  // Fused against composed: a few float32 roundings apart (the cpu backend's loop rounds once per value, in float64).
  const sideBySide = root.sideBySideTolerance as { rtol: number; atol: number };
  const starts = [{ values: problem.x0, shape: [3] }, { values: problem.y0, shape: [2, 2] }];
  for (const torch of root.cases as TorchCase[]) {
    const optimizer: OptimizerConfig = { ...torch.optimizer, cosineSteps: torch.optimizer.cosineSteps ?? undefined };
    for (const fused of [true, false]) {
      const label = `${torch.name}, ${fused ? 'fused' : 'composed'} update`;
      await c.run(label, async () => {
        const got = await train(starts, torchLoss(problem), optimizer, fused, torch.losses.length);
        c.values(`${label}: losses`, got.reports.map((r) => r.loss), torch.losses, tol);
        c.values(`${label}: gradient norms`, got.reports.map((r) => r.gradNorm), torch.gradNorms, tol);
        c.values(`${label}: x`, got.state['model/t0']!, torch.x, tol);
        c.values(`${label}: y`, got.state['model/t1']!, torch.y, tol);
        c.values(`${label}: averaged`, [got.averaged ? 1 : 0], [torch.emaX ? 1 : 0], { rtol: 0, atol: 0 });
        if (torch.emaX && torch.emaY) {
          c.values(`${label}: EMA x`, got.state['ema/t0']!, torch.emaX, tol);
          c.values(`${label}: EMA y`, got.state['ema/t1']!, torch.emaY, tol);
        }
      });
    }
  }
  const assorted = SHAPES.map((shape, k) => ({ shape, values: valuesOf(k, shape.reduce((s, d) => s * d, 1), 0) }));
  const base = (root.cases as TorchCase[])[0]!.optimizer;
  for (const clipNorm of [0, 1]) {
    const label = `${SHAPES.length} assorted tensors, clipNorm ${clipNorm}: fused = composed`;
    await c.run(label, async () => {
      const optimizer: OptimizerConfig = { ...base, cosineSteps: base.cosineSteps ?? undefined, learningRate: 0.05, clipNorm };
      const fused = await train(assorted, assortedLoss, optimizer, true, 4);
      const composed = await train(assorted, assortedLoss, optimizer, false, 4);
      c.values(`${label}: losses`, fused.reports.map((r) => r.loss), composed.reports.map((r) => r.loss), sideBySide);
      c.values(`${label}: gradient norms`, fused.reports.map((r) => r.gradNorm), composed.reports.map((r) => r.gradNorm), sideBySide);
      for (const name of Object.keys(composed.state)) c.values(`${label}: ${name}`, fused.state[name]!, composed.state[name]!, sideBySide);
    });
  }
}
