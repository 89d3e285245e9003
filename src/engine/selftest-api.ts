/**
 * The API that selftest.html exposes on `window.bfnSelfTest` for the browser tests and `npm run bench` (types only).
 */
import type { BackendInfo, Bench2DResult, CheckResult, MemoryInfo, MnistBenchResult, VectorFile } from './protocol';

/** `window.bfnSelfTest`. */
export interface BfnSelfTest {
  /** Resolves with the backend selection once the engine is ready (rejects when the worker fails). */
  ready: Promise<BackendInfo>;
  /** Runs the conformance checks on the given vector files in the worker, on the active backend. */
  run(files: VectorFile[]): Promise<CheckResult[]>;
  /**
   * Runs the 2D benchmark (training steps per second, sampling time) in the worker, on the active backend.
   * @param steps timed training steps (default 50). @param sampleRepeats timed sampling runs (default 3).
   */
  bench2d(steps?: number, sampleRepeats?: number): Promise<Bench2DResult>;
  /**
   * Runs the MNIST benchmark (ms to sample 16 digits with n = 100, training steps/s at batch 64) in the worker.
   * @param options timed training steps (default 10) and sampling runs (default 2).
   */
  benchMnist(options?: { trainSteps?: number; sampleRepeats?: number }): Promise<MnistBenchResult>;
  /** TF.js memory in the worker. */
  memory(): Promise<MemoryInfo>;
}

declare global {
  interface Window {
    bfnSelfTest: BfnSelfTest;
  }
}
