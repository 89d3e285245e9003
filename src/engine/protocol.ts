/**
 * The typed contract between the UI (main thread) and the engine worker. This module holds types and plain
 * constants only: importing it never pulls TensorFlow.js into the main thread.
 */
import type { CheckResult, VectorFile } from '../conformance/checks';

/** Conformance types, re-exported so the UI and tests need not import src/conformance. */
export type { CheckResult, VectorFile };

/** The TF.js backends the engine tries, most preferred first. */
export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** One of {@link BACKEND_ORDER}. */
export type BackendName = (typeof BACKEND_ORDER)[number];

/** A backend that was tried and not used, with the reason in words. */
export interface RefusedBackend {
  name: string;
  reason: string;
}

/** What backend selection did: the backend in use, the one the URL asked for, and every refusal on the way. */
export interface BackendInfo {
  /** The active TF.js backend. */
  active: string;
  /** The backend forced by `?backend=...`, or null for the default order. */
  requested: string | null;
  /** Backends tried before `active` and refused, in the order tried. */
  refused: RefusedBackend[];
  /** False when small tensors are kept on the GPU (`?cpuForward=0`); true is TF.js's default. */
  cpuForward: boolean;
  /** A description of the WebGPU adapter when webgpu is active (e.g. "swiftshader (fallback adapter)"), else null. */
  adapter: string | null;
}

/** Options of {@link EngineApi.init}. */
export interface InitOptions {
  /** Force this backend first (falls back down {@link BACKEND_ORDER} when it fails). */
  backend?: string | null;
  /** Set to false to make the GPU backends run even tiny tensors on the GPU (WEBGPU/WEBGL_CPU_FORWARD). */
  cpuForward?: boolean;
}

/** The closed-form stand-in networks the toy sampler can use. */
export const STANDIN_NETS = ['optimal-eight', 'optimal-moons', 'toy-tanh'] as const;
/** One of {@link STANDIN_NETS}. */
export type StandinNet = (typeof STANDIN_NETS)[number];

/** Options of {@link EngineApi.sampleToy}. */
export interface SampleToyOptions {
  /** Number of sampling steps n (1..1000). */
  n: number;
  /** Number of 2D points sampled in parallel (1..20000). */
  points: number;
  /** Seed of the sampler's noise. */
  seed: number;
  /** Continuous-data sigma1 (default 0.02). */
  sigma1?: number;
  /** Which stand-in network (default 'optimal-eight'). */
  net?: StandinNet;
}

/**
 * A recorded continuous-data sampling run, as frames k = 0..n: frame k is the input distribution after k Bayesian
 * updates (t = k/n); frame n is the final state, at which the output x_hat is the sample.
 */
export interface TrajectoryPayload {
  net: StandinNet;
  sigma1: number;
  /** Steps n; there are n + 1 frames. */
  n: number;
  /** Points sampled in parallel (P). */
  points: number;
  seed: number;
  /** t of each frame, k/n: n + 1 values. */
  t: Float64Array;
  /** Input precision rho of each frame (1 at t = 0): n + 1 values. */
  rho: Float64Array;
  /** alpha_i of update i = 1..n (the accuracy added between frame i - 1 and frame i): n values. */
  alpha: Float64Array;
  /** Input means mu, frame-major: (n + 1) * P * 2 values, [frame][point][x, y]. */
  mu: Float32Array;
  /** The network's prediction x_hat at each frame, same layout as mu. */
  xHat: Float32Array;
  /** The final samples (the output mode at t = 1): P * 2 values. */
  samples: Float32Array;
  /** The stand-in's data set (the points an optimal denoiser knows), J * 2 values; null for 'toy-tanh'. */
  dataPoints: Float32Array | null;
  /** Backend that ran the sampler. */
  backend: string;
  /** Wall time of the run in the worker, ms. */
  elapsedMs: number;
}

/** TF.js memory as the worker sees it. */
export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
}

/** Progress callback: `done` of `total` sampling steps are finished. */
export type ProgressCallback = (done: number, total: number) => void;

/** The engine worker's API (exposed with comlink; every method is async across the boundary). */
export interface EngineApi {
  init(options: InitOptions): Promise<BackendInfo>;
  sampleToy(options: SampleToyOptions, onProgress?: ProgressCallback): Promise<TrajectoryPayload>;
  runConformance(files: VectorFile[]): Promise<CheckResult[]>;
  memory(): Promise<MemoryInfo>;
}
