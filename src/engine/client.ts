/**
 * The UI's handle on the engine worker. `createEngine()` starts the one long-lived module worker (once per page)
 * and returns a typed client; every call is forwarded with comlink. A worker that fails to load or crashes
 * rejects every pending and later call with the reason, so no call can hang silently.
 */
import * as Comlink from 'comlink';
import type {
  BackendInfo,
  CheckResult,
  EngineApi,
  InitOptions,
  MemoryInfo,
  ProgressCallback,
  SampleToyOptions,
  TrajectoryPayload,
  VectorFile,
} from './protocol';

/** The protocol types the UI needs, re-exported. */
export type { BackendInfo, CheckResult, InitOptions, MemoryInfo, SampleToyOptions, TrajectoryPayload, VectorFile };

/** The typed engine client (same methods as the worker API). */
export interface EngineClient {
  init(options: InitOptions): Promise<BackendInfo>;
  sampleToy(options: SampleToyOptions, onProgress?: ProgressCallback): Promise<TrajectoryPayload>;
  runConformance(files: VectorFile[]): Promise<CheckResult[]>;
  memory(): Promise<MemoryInfo>;
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

  engine = {
    init: (options) => guard(() => remote.init(options)),
    sampleToy: (options, onProgress) =>
      guard(() => (onProgress ? remote.sampleToy(options, Comlink.proxy(onProgress)) : remote.sampleToy(options))),
    runConformance: (files) => guard(() => remote.runConformance(files)),
    memory: () => guard(() => remote.memory()),
  };
  return engine;
}

/** Engine options from the page URL: `?backend=webgl` forces a backend, `?cpuForward=0` keeps small tensors on the GPU. */
export function engineOptionsFromUrl(search: string = globalThis.location?.search ?? ''): InitOptions {
  const params = new URLSearchParams(search);
  const backend = params.get('backend');
  const cpuForward = params.get('cpuForward');
  return {
    backend: backend && backend.trim() !== '' ? backend.trim() : null,
    cpuForward: cpuForward === null ? true : !['0', 'false', 'off', 'no'].includes(cpuForward.toLowerCase()),
  };
}
