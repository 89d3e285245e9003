/// <reference lib="webworker" />
/**
 * The engine worker: the one place TensorFlow.js runs. It owns the backend, the 2D playground session (data,
 * trainer, loaded models, sampler), the benchmark and the conformance checks, and answers the UI through comlink.
 * Calls run one at a time, in arrival order; typed arrays in results are transferred, not copied.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { runBench2DBlock } from '../bench/bench2d';
import { checkAnyVectorFiles } from '../conformance/solverChecks';
import { selectBackend } from './backend';
import { Playground2D } from '../kinds/points2d/session';
import { MnistSession } from '../kinds/mnist-binary/session';
import { shippedModelFiles } from '../train/shippedModels';
import { benchMnist } from '../bench/benchMnist';
import type { BackendInfo, EngineApi, InitOptions } from './protocol';

let backendInfo: Promise<BackendInfo> | null = null;
let queue: Promise<unknown> = Promise.resolve();

/** Runs `job` after every earlier job has settled (TF.js keeps global state; one job at a time). */
function serial<T>(job: () => T | Promise<T>): Promise<T> {
  const run = async () => job();
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** Like {@link serial}, once the backend is ready. */
function afterInit<T>(job: () => T | Promise<T>): Promise<T> {
  if (!backendInfo) return Promise.reject(new Error('the engine is not initialised: call init() first'));
  const ready = backendInfo;
  return serial(async () => {
    await ready;
    return job();
  });
}

// The one place shipped models are found: each session fetches and validates them itself (src/engine/session.ts).
const session = new Playground2D(() => tf.getBackend(), shippedModelFiles);
const mnist = new MnistSession(() => tf.getBackend(), import.meta.env.BASE_URL, shippedModelFiles);

const buffersOf = (...arrays: ArrayBufferView[]) => arrays.map((a) => a.buffer as ArrayBuffer);

const api: EngineApi = {
  init(options: InitOptions) {
    // The backend is chosen once per worker; later calls return the same answer.
    backendInfo ??= serial(() => selectBackend(options));
    return backendInfo;
  },
  setData: (data) => afterInit(() => session.setData(data)),
  configureTrainer: (config) => afterInit(() => session.configureTrainer(config)),
  resetTrainer: (config) => afterInit(() => session.resetTrainer(config)),
  clearTrainer: () => afterInit(() => session.clearTrainer()),
  restoreTrainer: (options) => afterInit(() => session.restoreTrainer(options)),
  trainSteps: (options) =>
    afterInit(async () => {
      const result = await session.trainSteps(options);
      return Comlink.transfer(result, buffersOf(result.losses));
    }),
  evaluate: (options) =>
    afterInit(async () => {
      const result = await session.evaluate(options);
      // The session keeps its own record of the metric; hand the UI a copy of the samples to transfer.
      const copy = { ...result, samples: result.samples.slice() };
      return Comlink.transfer(copy, buffersOf(copy.samples));
    }),
  loadModel: (options) => afterInit(() => session.loadModel(options)),
  sample: (options, onProgress) =>
    afterInit(async () => {
      const p = await session.sample(options, onProgress);
      return Comlink.transfer(p, buffersOf(p.t, p.rho, p.alpha, p.mu, p.xHat, p.y, p.samples, p.schedule.t, p.schedule.beta, p.schedule.alpha));
    }),
  stepsQuality: (options, onProgress) => {
    // The ticket is taken on arrival, so that a cancel sent after this request also stops it while it is queued.
    const ticket = session.qualityTicket();
    return afterInit(async () => {
      const r = await session.stepsQuality(options, onProgress, ticket);
      return Comlink.transfer(r, buffersOf(...r.rows.map((row) => row.samples)));
    });
  },
  mnistStepsQuality: (options, onProgress) => {
    const ticket = session.qualityTicket();
    return afterInit(async () => {
      const r = await mnist.stepsQuality(options, onProgress, () => session.qualityCancelled(ticket));
      return Comlink.transfer(r, buffersOf(...r.rows.map((row) => row.samples)));
    });
  },
  // Not queued: it must take effect while a run is going (the runs yield between samplings). One ticket counter
  // serves the 2D and the MNIST runs.
  cancelStepsQuality: async () => session.cancelStepsQuality(),
  exportModel: (options) =>
    afterInit(async () => {
      const m = await session.exportModel(options);
      return Comlink.transfer(m, [m.weights]);
    }),
  bench2d: (request) => afterInit(() => runBench2DBlock(request)),
  // Downloads run outside the job queue so that sampling and training go on while a split arrives.
  mnistLoadData: (split, onProgress) => mnist.loadData(split, onProgress),
  mnistLoadModel: (options, onProgress) => afterInit(() => mnist.loadModel(options, onProgress)),
  mnistSample: (options, onProgress) => {
    // The ticket is taken on arrival, so that a cancel sent after this request also stops it while it is queued.
    const ticket = mnist.sampleTicket();
    return afterInit(async () => {
      const p = await mnist.sample(options, onProgress, ticket);
      return Comlink.transfer(p, buffersOf(p.t, p.beta, p.theta, p.output, p.samples));
    });
  },
  // Not queued: it must take effect while a sampling job runs (the sampler yields between steps).
  mnistCancelSample: async () => mnist.cancelSample(),
  mnistResetTrainer: ({ config, fromShipped }) => afterInit(() => mnist.resetTrainer(config, fromShipped)),
  mnistTrainSteps: (options) =>
    afterInit(async () => {
      const r = await mnist.trainSteps(options);
      return Comlink.transfer(r, buffersOf(r.losses));
    }),
  mnistExportModel: (source) =>
    afterInit(async () => {
      const m = await mnist.exportModel(source);
      return Comlink.transfer(m, [m.weights]);
    }),
  benchMnist: (options = {}) => afterInit(() => benchMnist(options.trainSteps ?? 10, options.sampleRepeats ?? 2)),
  // The core vectors or the BFN-Solver vectors, whichever the files are.
  runConformance: (files) => afterInit(() => checkAnyVectorFiles(files)),
  memory: () =>
    serial(() => {
      const m = tf.memory();
      return { numTensors: m.numTensors, numBytes: m.numBytes };
    }),
};

Comlink.expose(api);
