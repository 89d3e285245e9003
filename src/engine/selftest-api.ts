/**
 * The API that selftest.html exposes on `window.bfnSelfTest` for the browser tests and `npm run bench` (types only).
 */
import type { TimeToQualityRequest, TimeToQualityResult } from '../bench/timeToQuality';
import type { MnistBenchRequest } from '../bench/benchMnist';
import type { BackendInfo, Bench2DBlockRequest, Bench2DBlockResult, CheckResult, KindSamplingResult, MemoryInfo, MnistBenchResult, VectorFile } from './protocol';

/** `window.bfnSelfTest`. */
export interface BfnSelfTest {
  /** Resolves with the backend selection once the engine is ready (rejects when the worker fails). */
  ready: Promise<BackendInfo>;
  /** Runs the conformance checks on the given vector files (core or BFN-Solver vectors) in the worker, on the active backend. */
  run(files: VectorFile[]): Promise<CheckResult[]>;
  /**
   * Times one block of the 2D benchmark in the worker, on the active backend (src/bench/bench2d.ts
   * `runBench2DBlock`: `count` training steps or sampling runs of the request's explicit config).
   */
  bench2d(request: Bench2DBlockRequest): Promise<Bench2DBlockResult>;
  /**
   * Runs the MNIST benchmark (ms to sample 16 digits with n = 100, training steps/s at batch 64) in the worker.
   * @param options timed training steps (default 10) and sampling runs (default 2), kernel counts, keeping the trainer
   *   (src/bench/benchMnist.ts MnistBenchRequest).
   */
  benchMnist(options?: MnistBenchRequest): Promise<MnistBenchResult>;
  /** Times `repeats` sampling runs of a kind's benchmark in the worker (src/bench/benchKinds.ts). */
  benchKindSampling(kind: string, repeats: number): Promise<KindSamplingResult>;
  /**
   * Trains a fresh network in the worker as the page does and reports the wall time until the live metric's k-NN
   * precision and recall both reach the target (src/bench/timeToQuality.ts).
   */
  timeToQuality(request: TimeToQualityRequest): Promise<TimeToQualityResult>;
  /**
   * Samples the shipped model of a 2D dataset with the frames streamed as they are sampled (as the 2D view does) and
   * returns the frames assembled from the chunks beside the complete payload's, with when each chunk came (ms after
   * the call) and when the run ended.
   */
  sampleStreamed2d(options: { dataset: string; points: number; steps: number; seed: number }): Promise<StreamedSample2d>;
  /** TF.js memory in the worker. */
  memory(): Promise<MemoryInfo>;
}

/** What {@link BfnSelfTest.sampleStreamed2d} returns: frame-major arrays as plain numbers. */
export interface StreamedSample2d {
  n: number;
  chunks: { from: number; to: number; ms: number; head: boolean }[];
  doneMs: number;
  streamed: { t: number[]; mu: number[]; xHat: number[]; y: number[] };
  final: { t: number[]; mu: number[]; xHat: number[]; y: number[] };
}

declare global {
  interface Window {
    bfnSelfTest: BfnSelfTest;
  }
}
