/// <reference lib="webworker" />
/**
 * The engine worker: the one place TensorFlow.js runs. It owns the backend, one session per kind of model (its data,
 * trainer, loaded models and sampler; src/kinds/<kind>/session.ts), the benchmark and the conformance checks, and
 * answers the UI through comlink: `call(kind, method, ...args)` reaches a kind's session. Calls run one at a time, in
 * arrival order; typed arrays in results are transferred, not copied.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import { runBench2DBlock } from '../bench/bench2d';
import { checkAnyVectorFiles } from '../conformance/solverChecks';
import { selectBackend } from './backend';
import { KINDS, sessionLoader } from '../kinds/registry';
import { shippedModelFiles } from '../train/shippedModels';
import { benchMnist } from '../bench/benchMnist';
import { benchKindSampling } from '../bench/benchKinds';
import type { BackendInfo, EngineApi, InitOptions } from './protocol';
import type { SessionWiring } from './session';

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

const wiring: SessionWiring = { afterInit, transfer: Comlink.transfer };

/**
 * Every kind's worker session, by kind id (protocol.ts KindApis; the kinds are listed in src/kinds/registry.ts). Each finds,
 * downloads and validates the build's shipped models itself (src/engine/session.ts ModelStore).
 */
const sessionOf = sessionLoader({ backend: () => tf.getBackend(), shipped: shippedModelFiles, baseUrl: import.meta.env.BASE_URL }, wiring);

const api: EngineApi = {
  init(options: InitOptions) {
    // The backend is chosen once per worker; later calls return the same answer.
    if (!backendInfo) {
      backendInfo = serial(() => selectBackend(options));
      // The opened view's session modules load while the backend starts (making a session touches no tensor).
      for (const kind of options.prefetch ?? []) if (Object.hasOwn(KINDS, kind)) void sessionOf(kind).catch(() => undefined);
    }
    return backendInfo;
  },
  // Calls run in arrival order: each waits for its kind's session (made on first use, src/kinds/registry.ts).
  call: (kind, method, ...args) =>
    (Object.hasOwn(KINDS, kind) ? sessionOf(kind) : Promise.resolve(undefined)).then((session) => {
      const fn = (session as unknown as Record<string, unknown> | undefined)?.[method];
      if (typeof fn !== 'function') throw new Error(`the engine has no method '${method}' for the kind '${kind}'`);
      return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
    }),
  // The measurement module loads only when the page asks for it (after the view's first frame).
  measureBackends: async (view) => {
    if (!backendInfo) throw new Error('the engine is not initialised: call init() first');
    const info = await backendInfo;
    const { measureAndChoose } = await import('./measure');
    const next = await measureAndChoose({ serial }, view, info);
    backendInfo = Promise.resolve(next);
    return next;
  },
  cancelMeasure: async () => (await import('./measure')).cancelMeasurement(),
  bench2d: (request) => afterInit(() => runBench2DBlock(request)),
  benchMnist: (options = {}) => afterInit(() => benchMnist(options)),
  benchKindSampling: (kind, repeats) => afterInit(() => benchKindSampling(kind, repeats)),
  // The core vectors or the BFN-Solver vectors, whichever the files are.
  runConformance: (files) => afterInit(() => checkAnyVectorFiles(files)),
  memory: () =>
    serial(() => {
      const m = tf.memory();
      return { numTensors: m.numTensors, numBytes: m.numBytes };
    }),
};

Comlink.expose(api);
