/**
 * The API that selftest.html exposes on `window.bfnSelfTest` for the browser tests (types only).
 */
import type { BackendInfo, CheckResult, MemoryInfo, VectorFile } from './protocol';

/** `window.bfnSelfTest`. */
export interface BfnSelfTest {
  /** Resolves with the backend selection once the engine is ready (rejects when the worker fails). */
  ready: Promise<BackendInfo>;
  /** Runs the conformance checks on the given vector files in the worker, on the active backend. */
  run(files: VectorFile[]): Promise<CheckResult[]>;
  /** TF.js memory in the worker. */
  memory(): Promise<MemoryInfo>;
}

declare global {
  interface Window {
    bfnSelfTest: BfnSelfTest;
  }
}
