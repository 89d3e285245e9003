/**
 * The UI's handle on the engine worker. `createEngine()` starts the one long-lived module worker (once per page)
 * and returns a typed client; every call is forwarded with comlink. A worker that fails to load or crashes
 * rejects every pending and later call with the reason, so no call can hang silently.
 */
import * as Comlink from 'comlink';
import { kindsOfSearch } from '../ui/viewKinds';
import { MNIST_SAMPLE_CANCELLED, type EngineApi, type FrameChunk, type InitOptions, type KindApis, type KindId } from './protocol';

/** The protocol's types and constants, for the UI to import from one place. */
export type * from './protocol';
export { decodeOpening, fillFromOpening, isOpeningOf, type Opening } from './opening';
export { BACKEND_ORDER, IDEAL_POINTS, LIVE_TRAINING, METRIC_SETTINGS, MNIST_MODEL_SOURCES, MNIST_SAMPLE_CANCELLED, MNIST_SAMPLE_LIMITS, MODEL_SOURCES, SAMPLE_LIMITS, STEPS_QUALITY_CANCELLED } from './protocol';

/**
 * The typed engine client: the worker API ({@link EngineApi}) and, for each kind of model, its session's API
 * (`engine.kind('points2d').sample(...)`, {@link KindApis}), each call guarded against a worker crash.
 */
export type EngineClient = Omit<EngineApi, 'call'> & {
  /** The worker API of a kind of model's session. */
  kind<K extends KindId>(kind: K): KindApis[K];
};

/**
 * An argument as comlink must send it: a function as a proxy (a progress callback), a user's model files with their
 * weights transferred (moved, not copied).
 */
function wire(arg: unknown): unknown {
  if (typeof arg === 'function') return Comlink.proxy(arg as (...a: unknown[]) => unknown);
  const weights = (arg as { weights?: unknown } | null)?.weights;
  if (weights instanceof ArrayBuffer) return Comlink.transfer(arg, [weights]);
  return arg;
}

let engine: EngineClient | null = null;

/** Returns the page's engine client, starting its worker on the first call. */
export function createEngine(): EngineClient {
  if (engine) return engine;
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'bfn-engine' });
  const remote = Comlink.wrap<EngineApi>(worker);

  let crash: Error | null = null;
  const crashListeners = new Set<(err: Error) => void>();
  const onCrash = (err: Error) => {
    crash ??= err;
    for (const listener of crashListeners) listener(crash);
    crashListeners.clear();
  };
  worker.addEventListener('error', (event: ErrorEvent) => {
    event.preventDefault();
    const where = event.filename ? ` (${event.filename}:${event.lineno})` : '';
    onCrash(new Error(`the engine worker failed: ${event.message || 'it could not be loaded'}${where}`));
  });
  worker.addEventListener('messageerror', () => onCrash(new Error('the engine worker sent a message that could not be read')));

  /** Races a remote call against a worker crash. */
  const guard = <T>(call: () => Promise<T>): Promise<T> => {
    if (crash) return Promise.reject(crash);
    return new Promise<T>((resolve, reject) => {
      const listener = (err: Error) => reject(err);
      crashListeners.add(listener);
      call().then(
        (value) => {
          crashListeners.delete(listener);
          resolve(value);
        },
        (err: unknown) => {
          crashListeners.delete(listener);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  };

  const kinds = new Map<KindId, unknown>();
  engine = {
    init: (options) => guard(() => remote.init(options)),
    kind<K extends KindId>(kind: K): KindApis[K] {
      let session = kinds.get(kind);
      if (!session) {
        // Every method of the kind's API, forwarded as remote.call(kind, method, ...args). Not a thenable: `then` is no
        // method, so that the handle can be passed through promises.
        session = new Proxy({}, {
          get: (_, method) => (typeof method === 'string' && method !== 'then' ? (...args: unknown[]) => guard(() => remote.call(kind, method, ...args.map(wire))) : undefined),
        });
        kinds.set(kind, session);
      }
      return session as KindApis[K];
    },
    measureBackends: (view) => guard(() => remote.measureBackends(view)),
    cancelMeasure: () => guard(() => remote.cancelMeasure()),
    bench2d: (request) => guard(() => remote.bench2d(request)),
    benchMnist: (options) => guard(() => remote.benchMnist(options)),
    benchKindSampling: (kind, repeats) => guard(() => remote.benchKindSampling(kind, repeats)),
    runConformance: (files) => guard(() => remote.runConformance(files)),
    memory: () => guard(() => remote.memory()),
  };
  return engine;
}

/** True when `err` is the rejection of an MNIST sampling run that was cancelled (not a failure). */
export function isSampleCancelled(err: unknown): boolean {
  return err instanceof Error && err.name === MNIST_SAMPLE_CANCELLED;
}

/**
 * Engine options from the page URL: `?backend=webgl` forces a backend, `?cpuForward=0` keeps small tensors on the GPU,
 * and the sessions of the view that `?view=` opens are loaded beside the backend.
 */
export function engineOptionsFromUrl(search: string = globalThis.location?.search ?? ''): InitOptions {
  const params = new URLSearchParams(search);
  const backend = params.get('backend');
  const cpuForward = params.get('cpuForward');
  return {
    backend: backend && backend.trim() !== '' ? backend.trim() : null,
    cpuForward: cpuForward === null ? true : !['0', 'false', 'off', 'no'].includes(cpuForward.toLowerCase()),
    prefetch: kindsOfSearch(search),
  };
}

/**
 * Copies a chunk's frames into `payload`'s arrays: the page's half of the worker's FrameStream
 * (src/engine/frameStream.ts). `payload` is the chunk stream's `head`, kept by the page.
 */
export function applyFrameChunk<P extends object>(payload: P, chunk: FrameChunk<P>): void {
  for (const [name, values] of Object.entries(chunk.values) as [keyof P, Float32Array | Float64Array][]) {
    const full = payload[name] as unknown as Float32Array | Float64Array;
    const size = values.length / (chunk.to - chunk.from);
    full.set(values, chunk.from * size);
  }
}
