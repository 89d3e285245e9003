/**
 * The backend chosen by measurement, worker side: times a few steps of a view's workload (sampling steps and a
 * training step of the view's shipped network size at its default batch) on every backend that works here, one step
 * per engine job so that the view's own calls run in between, and switches the engine to the fastest, moving every
 * variable's values to it. The result is cached per device and view in IndexedDB (idb-keyval); the choice and its
 * words come from the pure functions of src/engine/backendChoice.ts. Worker-side only.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createStore, get, set, type UseStore } from 'idb-keyval';
import { binaryBfnLossInf, bfnLoss, sample, seededNoise, type BfnSpec } from '../bfn';
import { KINDS } from '../kinds/registry';
import type { TrainableNet } from '../nets/trainable';
import { shippedModelFiles } from '../train/shippedModels';
import { Trainer, type OptimizerConfig } from '../train/trainer';
import type { ModelFileKind, NetworkJson } from '../train/modelFile';
import { activate, gpuDescription, precheck, wasmInfo } from './backend';
import { switchBackendWithVariables } from './moveVariables';
import { chooseBackend, isFreshMeasurement, measurementKey, msText, stepScore, type BackendSkip, type BackendTiming, type Measurement } from './backendChoice';
import { BACKEND_ORDER, type BackendInfo, type KindId, type MeasuredBackend } from './protocol';

/** A view's workload: the kind and shipped model whose network size it runs, the sample shape and the training batch. */
interface Workload {
  kind: KindId;
  model: string;
  /** [batch, ...D] of a sampling run. */
  sampleShape: number[];
  /** The training batch (the kind's default in-page setting). */
  trainBatch: () => Promise<number>;
}

/** Each view's workload, by view id (src/ui/views.tsx); Learn has no network and is not measured. */
const WORKLOADS: Readonly<Record<string, Workload>> = {
  '2d': { kind: 'points2d', model: 'two-moons', sampleShape: [1000, 2], trainBatch: async () => (await import('../kinds/points2d/trainer')).DEFAULT_TRAIN_2D.batch },
  mnist: { kind: 'mnist-binary', model: 'mnist-binary', sampleShape: [16, 784], trainBatch: async () => (await import('../kinds/mnist-binary/trainer')).DEFAULT_TRAIN_MNIST.batch },
  'mnist-grey': { kind: 'mnist-grey', model: 'mnist-grey', sampleShape: [16, 784], trainBatch: async () => (await import('../kinds/mnist-grey/trainer')).DEFAULT_TRAIN_GREY.batch },
  words: { kind: 'words', model: 'words', sampleShape: [16, 8], trainBatch: async () => (await import('../kinds/words/trainer')).DEFAULT_TRAIN_WORDS.batch },
  simplex: { kind: 'simplex', model: 'simplex', sampleShape: [1000, 3], trainBatch: async () => (await import('../kinds/simplex/trainer')).DEFAULT_TRAIN_SIMPLEX.batch },
};

/** Sampling steps per timed sampling run. */
const SAMPLE_STEPS = 2;
/** Timed rounds (a sampling run and a training step) per backend, at most. */
const MAX_ROUNDS = 3;
/** A backend's timed rounds stop once they kept the worker busy this many milliseconds (at least one round runs). */
const BACKEND_BUDGET_MS = 1000;
/**
 * The measurement stops timing once its own steps kept the worker busy this many milliseconds (the view's calls in
 * between do not count); each backend not yet timed then gets only its first, cheap probe.
 */
const TOTAL_BUDGET_MS = 4000;
/** The cpu backend is first probed on this share of the sampling batch: one full step can block the worker for seconds. */
const CPU_PROBE_SHARE = 16;

/** The optimizer of the timed training step: AdamW with clipping and a weight average, as the in-page trainers. */
const STEP_OPTIMIZER: OptimizerConfig = { learningRate: 1e-3, warmupSteps: 0, cosineFloor: 0, beta1Adam: 0.9, beta2Adam: 0.99, epsilon: 1e-8, weightDecay: 0.01, clipNorm: 1, emaDecay: 0.999 };

let abortRequested = false;
/** Milliseconds the measurement's own jobs kept the worker busy. */
let busyMs = 0;

/** Stops a running measurement at its next step. */
export function cancelMeasurement(): void {
  abortRequested = true;
}

class Aborted extends Error {}

let store: UseStore | null = null;
function db(): UseStore {
  store ??= createStore('bfn-backend', 'measurements');
  return store;
}

/** The step functions of one backend: a network of the workload's size on it, a trainer, and a batch. */
interface Bench {
  /** A sampling run of n steps on `rows` rows of the sample shape (all by default). */
  sampleRun(n: number, rows?: number): Promise<void>;
  trainStep(): Promise<void>;
  dispose(): void;
}

/** Builds, on the active backend, an untrained network of the model's size (the time does not depend on the weights). */
function makeBench(kind: ModelFileKind, spec: BfnSpec, network: NetworkJson, shape: number[], batch: number): Bench {
  const build = () => kind.build(network) as TrainableNet;
  const noise = seededNoise(7);
  const trainShape = [batch, ...shape.slice(1)];
  // A batch of data of the spec's kind: class indices for discrete data, values in [-1, 1] otherwise.
  const x = tf.tidy(() => (spec.kind === 'discrete' ? tf.randomUniformInt(trainShape, 0, spec.K, 1) : tf.randomUniform(trainShape, -1, 1, 'float32', 1)));
  const loss = spec.kind === 'discrete' && spec.K === 2 && trainShape.length === 2 ? (net: TrainableNet) => binaryBfnLossInf(spec, net.net, x as tf.Tensor2D, noise) : (net: TrainableNet) => bfnLoss(spec, net.net, x, noise, { type: 'inf' });
  const trainer = new Trainer({ net: build(), twin: build, optimizer: STEP_OPTIMIZER, stepLoss: (net) => ({ loss: () => loss(net), dispose: () => undefined }) });
  return {
    sampleRun: async (n, rows = shape[0]!) => {
      await sample(spec, trainer.ema.net, [rows, ...shape.slice(1)], { n, noise });
    },
    trainStep: async () => {
      await trainer.trainStep();
    },
    dispose: () => {
      trainer.dispose();
      x.dispose();
    },
  };
}

/** The state a measurement needs from the worker. */
export interface MeasureWiring {
  /** Runs a job after every earlier engine job (TF.js keeps global state: one job at a time). */
  serial<T>(job: () => Promise<T>): Promise<T>;
}

/**
 * Runs `job` with `name` as the TF.js backend and puts `home` back after it, as one engine job, after a pause that
 * lets the page's messages in. @throws Aborted when the user stopped the measurement; rethrows the job's errors.
 */
async function onBackend<T>(wiring: MeasureWiring, name: string, home: string, job: () => Promise<T>): Promise<T> {
  await new Promise((r) => setTimeout(r, 0));
  if (abortRequested) throw new Aborted();
  return wiring.serial(async () => {
    if (abortRequested) throw new Aborted();
    const t0 = performance.now();
    await tf.setBackend(name);
    try {
      return await job();
    } finally {
      await tf.setBackend(home);
      busyMs += performance.now() - t0;
    }
  });
}

/** Milliseconds `job` takes. */
async function timed(job: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await job();
  return performance.now() - t0;
}

/** Kernels `job` runs (tf.profile). */
async function kernels(job: () => Promise<void>): Promise<number> {
  const info = await tf.profile(async () => {
    await job();
    return [];
  });
  return info.kernels.length;
}

/**
 * Times one backend. `bestMs` is the best complete score so far: a backend whose first sampling call already takes
 * longer stops there, with that estimate. @throws Aborted when the user stopped the measurement.
 */
async function timeBackend(wiring: MeasureWiring, name: string, home: string, make: () => Bench, rows: number, bestMs: number | null): Promise<BackendTiming> {
  // Past the time cap, a backend still gets its probe: enough to show it slower than the best one.
  const capped = busyMs > TOTAL_BUDGET_MS;
  const timing: BackendTiming = { name, sampleMs: null, trainMs: null, sampleKernels: null, trainKernels: null, estimateMs: null, note: null };
  let bench: Bench | null = null;
  try {
    // First contact: a one-step sampling run (including a GPU backend's first-call compilation); on cpu on a share of
    // the batch, scaled up.
    const probeRows = name === 'cpu' ? Math.max(1, Math.ceil(rows / CPU_PROBE_SHARE)) : rows;
    const probeMs = await onBackend(wiring, name, home, async () => {
      bench = make();
      const b = bench;
      return timed(() => b.sampleRun(1, probeRows));
    });
    const b = bench as unknown as Bench;
    const estimate = (probeMs * rows) / probeRows;
    if (bestMs !== null && estimate > bestMs) {
      timing.estimateMs = estimate;
      timing.note = `stopped early: one sampling step ${probeRows < rows ? `on ${probeRows} of the ${rows} rows took ${msText(probeMs)}, about ${msText(estimate)} for all` : `took ${msText(probeMs)}`}, more than the best backend's whole step (${msText(bestMs)})`;
      return timing;
    }
    if (capped) {
      timing.note = `not timed: the measurement's ${msText(TOTAL_BUDGET_MS)} time cap was reached (one sampling step ${probeRows < rows ? `on ${probeRows} of the ${rows} rows ` : ''}took ${msText(probeMs)})`;
      return timing;
    }
    // Untimed warm-up that counts kernels: a sampling step is the difference of runs with 2 and 1 steps.
    const [k1, k2, kt] = await onBackend(wiring, name, home, async () => [await kernels(() => b.sampleRun(1)), await kernels(() => b.sampleRun(2)), await kernels(() => b.trainStep())]);
    timing.sampleKernels = k2 - k1;
    timing.trainKernels = kt;
    const startBusy = busyMs;
    const sampleTimes: number[] = [];
    const trainTimes: number[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      sampleTimes.push((await onBackend(wiring, name, home, () => timed(() => b.sampleRun(SAMPLE_STEPS)))) / SAMPLE_STEPS);
      trainTimes.push(await onBackend(wiring, name, home, () => timed(() => b.trainStep())));
      if (busyMs - startBusy > BACKEND_BUDGET_MS || busyMs > TOTAL_BUDGET_MS) break;
    }
    // The minimum: the view's own calls run between the steps, and anything else only adds time.
    timing.sampleMs = Math.min(...sampleTimes);
    timing.trainMs = Math.min(...trainTimes);
    return timing;
  } catch (err) {
    if (err instanceof Aborted) throw err;
    timing.note = `failed: ${err instanceof Error ? err.message : String(err)}`;
    return timing;
  } finally {
    const b = bench as Bench | null;
    if (b) await wiring.serial(async () => b.dispose());
  }
}

/** The skip reason of a refused backend in a few words (the status line's refusal list has the full reason). */
function skipReason(reason: string): string {
  if (/software (emulation|renderer)/.test(reason)) return 'software adapter';
  const cut = reason.split(/[;:(]/)[0]!.trim();
  return cut.length > 80 ? `${cut.slice(0, 77)}...` : cut;
}

/** Measures `view`'s workload on every backend that works (cached ones are read back). */
async function measurement(wiring: MeasureWiring, view: string, workload: Workload, info: BackendInfo): Promise<{ m: Measurement; cached: boolean }> {
  const files = shippedModelFiles(workload.model);
  const kind = KINDS[workload.kind].files;
  if (!files || !kind) throw new Error(`this build has no shipped model '${workload.model}' to measure the ${view} view with`);
  const modelJson = files.modelJson as { spec: BfnSpec; network: NetworkJson };
  const batch = await workload.trainBatch();
  const words = `sampling ${workload.sampleShape.join(' x ')} (${kind.label(modelJson.network)}); training batch ${batch}`;
  const device = { adapter: await gpuDescription(), userAgent: globalThis.navigator?.userAgent ?? 'unknown', hardwareConcurrency: globalThis.navigator?.hardwareConcurrency ?? 1 };
  const key = measurementKey(device, view);
  const now = Date.now();
  let cachedValue: unknown = null;
  try {
    cachedValue = await get(key, db());
  } catch {
    // No IndexedDB (a private window): measure again.
  }
  // A cached measurement of another workload (a new network size in this build) is measured again.
  if (isFreshMeasurement(cachedValue, view, now) && cachedValue.workload === words) return { m: cachedValue, cached: true };

  const home = info.active;
  const started = performance.now();
  busyMs = 0;
  const skipped: BackendSkip[] = info.refused.map((r) => ({ name: r.name, reason: skipReason(r.reason) }));
  const timings: BackendTiming[] = [];
  // The running backend first, then the others in rank order.
  const names = [home, ...BACKEND_ORDER.filter((n) => n !== home && !skipped.some((s) => s.name === n))];
  for (const name of names) {
    if (name !== home) {
      const problem = await wiring.serial(async () => {
        const { reason } = await precheck(name, true);
        const failure = reason ?? (await activate(name));
        await tf.setBackend(home);
        return failure;
      });
      if (problem) {
        skipped.push({ name, reason: skipReason(problem) });
        continue;
      }
    }
    const best = Math.min(...timings.map((t) => stepScore(t) ?? Infinity));
    timings.push(await timeBackend(wiring, name, home, () => makeBench(kind, modelJson.spec, modelJson.network, workload.sampleShape, batch), workload.sampleShape[0]!, Number.isFinite(best) ? best : null));
  }
  const m: Measurement = {
    view, workload: words, timings, skipped, measuredAt: now, tookMs: performance.now() - started, busyMs,
  };
  try {
    await set(key, m, db());
  } catch {
    // Not cached: measured again next time.
  }
  return { m, cached: false };
}

/**
 * Chooses the backend for `view` by measurement (or its cached measurement) and switches the engine to it.
 * @param info the current backend info (a URL-requested backend is kept, unmeasured). @returns the updated info, its
 * `measured` saying what was measured and why the backend was chosen. Rejects only on a failed switch.
 */
export async function measureAndChoose(wiring: MeasureWiring, view: string, info: BackendInfo): Promise<BackendInfo> {
  if (info.requested) return info;
  abortRequested = false;
  const workload = WORKLOADS[view];
  if (!workload) {
    const measured: MeasuredBackend = { view, state: 'none', chosen: null, switchedFrom: null, summary: `${info.active} kept: the ${view} view runs no network to measure`, details: [], workload: null, tookMs: null, busyMs: null };
    return { ...info, measured };
  }
  let result: { m: Measurement; cached: boolean };
  try {
    result = await measurement(wiring, view, workload, info);
  } catch (err) {
    if (!(err instanceof Aborted)) throw err;
    const measured: MeasuredBackend = { view, state: 'aborted', chosen: null, switchedFrom: null, summary: `${info.active} kept: the backend measurement stopped when you used the page (it runs again on the next visit)`, details: [], workload: null, tookMs: null, busyMs: null };
    return { ...info, measured };
  }
  const choice = chooseBackend(result.m, result.cached);
  const chosen = choice.chosen;
  let next: BackendInfo = info;
  let failure = '';
  if (chosen && chosen !== info.active) {
    next = await wiring.serial(async () => {
      try {
        await switchBackendWithVariables(chosen);
        return { ...info, active: chosen, adapter: chosen === 'webgpu' ? (await precheck('webgpu', false)).adapter : null, wasm: chosen === 'wasm' ? await wasmInfo() : null };
      } catch (err) {
        // The variables not yet moved still live on the old backend: stay there.
        await tf.setBackend(info.active);
        failure = `; switching to ${chosen} failed (${err instanceof Error ? err.message : String(err)}), so ${info.active} is kept`;
        return info;
      }
    });
  }
  const measured: MeasuredBackend = {
    view, state: result.cached ? 'cached' : 'measured', chosen, switchedFrom: next.active !== info.active ? info.active : null,
    summary: choice.summary + failure, details: choice.details, workload: result.m.workload, tookMs: result.cached ? null : result.m.tookMs, busyMs: result.cached ? null : result.m.busyMs,
  };
  return { ...next, measured };
}
