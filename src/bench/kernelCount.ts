/**
 * Counting the TensorFlow.js kernels a piece of work dispatches, a proxy for its cost on a GPU backend, where each
 * kernel is one shader dispatch with its own fixed overhead whatever its size. Pure TF.js: no DOM, so the Node
 * benchmark and the browser worker's selftest harness share it.
 *
 * How it counts: `tf.profile` (the engine's own profiler) records one entry per `runKernel` call while the work runs,
 * forward passes, gradients (`tf.variableGrads`) and optimizer updates alike, awaited reads included. Its list also
 * holds one entry per `tf.customGrad` call (named after the op's scope, e.g. `denseMatMul__op`-like names ending in
 * `__op`, or an empty name), whose own kernels are listed separately; those wrapper entries are dropped by keeping only
 * names registered as kernels of the active backend (`tf.getKernel`). What is not a kernel is not counted: tensors
 * made from JS arrays (`tf.tensor`, seeded `tf.randomNormal`, which draws on the CPU), `Variable.assign`, `dispose`,
 * and reads (`data()`). A backend's kernel that runs several programs inside (webgl packs and unpacks) still counts
 * once, and one that calls another kernel's function directly, not through the engine, hides that call: the count is
 * of engine dispatches, the same on every backend up to the kernels a backend implements by calling others.
 * Chosen over counting `tf.engine().state` (no per-kernel counter there) and over wrapping `tf.engine().runKernel`
 * (internal, and customGrad bypasses it).
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Kernels that only make a new handle on their input's data on every backend (no arithmetic, no program run):
 * Identity (the engine's clone, e.g. of every tensor a kernel saves for its gradient) and Reshape.
 */
export const ALIAS_KERNELS: readonly string[] = ['Identity', 'Reshape'];

/** The kernels one piece of work dispatched. */
export interface KernelCount {
  /** Kernel dispatches in all. */
  total: number;
  /** Dispatches that compute: total less the {@link ALIAS_KERNELS}. */
  compute: number;
  /** Dispatches per kernel name (e.g. BatchMatMul, Add, Sigmoid), sorted by count, then name. */
  byName: [string, number][];
}

/**
 * Runs `work` under TF.js's profiler and counts the kernels it dispatched on the active backend (see the module's
 * docstring for what counts). The work's result is returned untouched (the caller disposes tensors in it).
 * @param work synchronous or async work. @returns the count and the work's result.
 * @throws whatever `work` throws (the profiler is stopped then too, by tf.profile's own handling of the rejection).
 */
export async function countKernels<T extends tf.TensorContainer>(work: () => T | Promise<T>): Promise<{ count: KernelCount; result: T }> {
  const backend = tf.getBackend();
  let result: T | undefined;
  const info = await tf.profile(async () => {
    result = await work();
    return [];
  });
  return { count: tallyKernels(info.kernels.map((k) => k.name), backend), result: result as T };
}

/**
 * Tallies profiler entry names: only names registered as kernels of `backend` count (customGrad's wrapper entries do not).
 * @param names the profiler's entry names in order. @param backend the backend they ran on.
 */
export function tallyKernels(names: readonly string[], backend: string): KernelCount {
  const counts = new Map<string, number>();
  for (const name of names) if (name && tf.getKernel(name, backend)) counts.set(name, (counts.get(name) ?? 0) + 1);
  const byName = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return summed(byName);
}

function summed(byName: [string, number][]): KernelCount {
  const total = byName.reduce((s, [, c]) => s + c, 0);
  return { total, compute: total - byName.reduce((s, [name, c]) => s + (ALIAS_KERNELS.includes(name) ? c : 0), 0), byName };
}

/**
 * Kernels per step of an n-step process whose runs also have a fixed part (set-up, a final network call, reads):
 * count(run with n + 1 steps) - count(run with n steps), exact when every step dispatches the same kernels.
 * @param run runs the process with the given number of steps. @param n the smaller run's steps (>= 1).
 * @returns the per-step count: total, compute, and byName as the difference per kernel (names with a zero difference dropped).
 */
export async function kernelsPerStep(run: (steps: number) => Promise<unknown>, n = 1): Promise<KernelCount> {
  const a = (await countKernels(async () => (await run(n), []))).count;
  const b = (await countKernels(async () => (await run(n + 1), []))).count;
  const before = new Map(a.byName);
  const names = new Set([...a.byName.map(([name]) => name), ...b.byName.map(([name]) => name)]);
  const byName = [...names].map((name): [string, number] => [name, (new Map(b.byName).get(name) ?? 0) - (before.get(name) ?? 0)])
    .filter(([, c]) => c !== 0).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
  return summed(byName);
}
