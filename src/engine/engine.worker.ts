/// <reference lib="webworker" />
/**
 * The engine worker: the one place TensorFlow.js runs. It owns the backend, the stand-in networks, the sampler
 * and the conformance checks, and answers the UI through comlink. Calls run one at a time, in arrival order.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { sample, seededNoise } from '../bfn';
import { checkVectorFiles } from '../conformance/checks';
import { selectBackend } from './backend';
import { standinNet } from './standins';
import {
  STANDIN_NETS,
  type BackendInfo,
  type CheckResult,
  type EngineApi,
  type InitOptions,
  type MemoryInfo,
  type ProgressCallback,
  type SampleToyOptions,
  type TrajectoryPayload,
  type VectorFile,
} from './protocol';

let backendInfo: Promise<BackendInfo> | null = null;
let queue: Promise<unknown> = Promise.resolve();

/** Runs `job` after every earlier job has settled (TF.js keeps global state; one job at a time). */
function serial<T>(job: () => Promise<T>): Promise<T> {
  const result = queue.then(job, job);
  queue = result.catch(() => undefined);
  return result;
}

async function requireBackend(): Promise<BackendInfo> {
  if (!backendInfo) throw new Error('the engine is not initialised: call init() first');
  return backendInfo;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

function firstNonFinite(values: ArrayLike<number>): number {
  for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k]!)) return k;
  return -1;
}

async function sampleToy(options: SampleToyOptions, onProgress?: ProgressCallback): Promise<TrajectoryPayload> {
  const info = await requireBackend();
  const { n, points, seed } = options;
  const sigma1 = options.sigma1 ?? 0.02;
  const net = options.net ?? 'optimal-eight';
  checkInteger('n (steps)', n, 1, 1000);
  checkInteger('points', points, 1, 20000);
  checkInteger('seed', seed, 0, 2 ** 31 - 1);
  if (!(sigma1 > 0 && sigma1 < 1)) throw new RangeError(`sigma1 must be in (0, 1), got ${sigma1}`);
  if (!STANDIN_NETS.includes(net)) throw new RangeError(`unknown network '${net}'; choose one of ${STANDIN_NETS.join(', ')}`);

  const started = performance.now();
  const before = tf.memory().numTensors;
  const standin = standinNet(net, sigma1);
  const result = await sample({ kind: 'continuous', sigma1 }, standin.net, [points, 2], {
    n,
    noise: seededNoise(seed),
    record: true,
    onStep: onProgress
      ? (i, total) => {
          // Fire and forget: waiting for the main thread each step would only slow sampling down.
          Promise.resolve(onProgress(i, total)).catch(() => undefined);
        }
      : undefined,
  });
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`the sampler leaked ${leaked} tensors`);
  const trajectory = result.trajectory;
  if (!trajectory) throw new Error('the sampler returned no trajectory');

  const frame = 2 * points;
  const mu = new Float32Array((n + 1) * frame);
  const xHat = new Float32Array((n + 1) * frame);
  const t = new Float64Array(n + 1);
  const rho = new Float64Array(n + 1);
  const alpha = new Float64Array(n);
  trajectory.steps.forEach((step, i) => {
    mu.set(step.theta.mu!, i * frame);
    xHat.set(step.output.x_hat!, i * frame);
    t[i] = step.t;
    rho[i] = step.rho ?? NaN;
    alpha[i] = step.alpha;
  });
  mu.set(trajectory.final.theta.mu!, n * frame);
  xHat.set(trajectory.final.output.x_hat!, n * frame);
  t[n] = 1;
  rho[n] = trajectory.final.rho ?? NaN;

  // A NaN here is a bug in the core or the network: report it instead of drawing it.
  for (const [name, values] of [['mu', mu], ['x_hat', xHat], ['rho', rho], ['alpha', alpha], ['samples', result.samples]] as const) {
    const k = firstNonFinite(values);
    if (k >= 0) throw new Error(`non-finite ${name} at index ${k} (${values[k]}) on backend ${info.active}`);
  }

  const payload: TrajectoryPayload = {
    net, sigma1, n, points, seed, t, rho, alpha, mu, xHat,
    samples: result.samples,
    dataPoints: standin.dataPoints,
    backend: info.active,
    elapsedMs: performance.now() - started,
  };
  const buffers = [t, rho, alpha, mu, xHat, result.samples, ...(standin.dataPoints ? [standin.dataPoints] : [])].map((a) => a.buffer as ArrayBuffer);
  return Comlink.transfer(payload, buffers);
}

const api: EngineApi = {
  init(options: InitOptions): Promise<BackendInfo> {
    // The backend is chosen once per worker; later calls return the same answer.
    backendInfo ??= serial(() => selectBackend(options));
    return backendInfo;
  },
  sampleToy(options: SampleToyOptions, onProgress?: ProgressCallback): Promise<TrajectoryPayload> {
    return serial(() => sampleToy(options, onProgress));
  },
  runConformance(files: VectorFile[]): Promise<CheckResult[]> {
    return serial(async () => {
      await requireBackend();
      return checkVectorFiles(files);
    });
  },
  async memory(): Promise<MemoryInfo> {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  },
};

Comlink.expose(api);
