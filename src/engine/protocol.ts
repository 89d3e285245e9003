/**
 * The typed contract between the UI (main thread) and the engine worker. This module holds types and plain
 * constants only: importing it never pulls TensorFlow.js into the main thread (type-only imports are erased).
 */
import type { Bench2DBlockRequest, Bench2DBlockResult } from '../bench/bench2d';
import type { CheckResult, VectorFile } from '../conformance/checks';
import type { PointsCard, PointsModelJson } from '../kinds/points2d/files';
import type { Train2DConfig } from '../kinds/points2d/trainer';
import type { MnistCard, MnistModelJson } from '../kinds/mnist-binary/files';
import type { TrainMnistConfig } from '../kinds/mnist-binary/trainer';
import type { MnistBenchRequest, MnistBenchResult } from '../bench/benchMnist';
import type { GreyCard } from '../kinds/mnist-grey/files';
import type { WordsCard } from '../kinds/words/files';
import type { WordShares } from '../data/words/words';
import type { SupportMetrics } from '../train/knnMetrics';
import type { StepLoopResult } from '../train/stepLoop';
import type { SamplerId } from '../bfn/samplerChoices';
import { HELD_OUT_POINTS } from '../data/playgroundPoints';
import { SETTINGS_2D } from '../settings/settings2d';
import type { SimplexApi } from '../kinds/simplex/api';
export type * from '../kinds/simplex/api';
import type { LearnApi } from '../kinds/learn/api';
export type * from '../kinds/learn/api';

/** Types of other modules the UI needs, re-exported so that it imports them from one place. */
export type { Bench2DBlockRequest, Bench2DBlockResult, CheckResult, MnistBenchResult, MnistCard, MnistModelJson, PointsCard, PointsModelJson, Train2DConfig, TrainMnistConfig, VectorFile };

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
  /** How the wasm backend runs when wasm is active, else null. */
  wasm: WasmInfo | null;
  /** The measurement of the current view's workload that chose `active`, once one ran or was read from the cache. */
  measured?: MeasuredBackend | null;
}

/** What measuring the backends on a view's workload found and did (src/engine/measure.ts). */
export interface MeasuredBackend {
  /** The view measured (src/ui/views.tsx id). */
  view: string;
  /** measured now, read from the cache, stopped by the user, or nothing to measure (a view without a network). */
  state: 'measured' | 'cached' | 'aborted' | 'none';
  /** The backend the measurement chose (null: kept the one running). */
  chosen: string | null;
  /** The backend the engine ran on before switching to `chosen`, or null when it did not switch. */
  switchedFrom: string | null;
  /** One line for the status line ("wasm chosen: 12 ms/step vs cpu 80 ms/step, measured ..."). */
  summary: string;
  /** One line per backend: times, kernel counts, or why it was skipped. */
  details: string[];
  /** What one step of the workload is, in words. */
  workload: string | null;
  /** Wall milliseconds the measurement took (null when cached or none). */
  tookMs: number | null;
  /** Milliseconds of it the measurement's own steps kept the engine worker busy (null when cached or none). */
  busyMs: number | null;
}

/**
 * The wasm backend's build and thread count. TF.js picks the threaded SIMD binary only when the browser has SIMD and
 * WebAssembly threads, which need SharedArrayBuffer, which browsers give only to cross-origin isolated pages (COOP
 * `same-origin` + COEP `require-corp` headers); otherwise it runs one thread. The threaded build computes on half
 * the logical cores (at most 8), so one thread on a 2-core machine.
 */
export interface WasmInfo {
  /** Threads XNNPACK computes with (tfjs-backend-wasm's getThreadsCount(); 1 for the single-threaded builds). */
  threads: number;
  /** The browser runs WebAssembly SIMD (the SIMD binaries are used). */
  simd: boolean;
  /** The browser can run WebAssembly threads here (TF.js's WASM_HAS_MULTITHREAD_SUPPORT). */
  threadsSupported: boolean;
  /** `crossOriginIsolated` in the engine worker. */
  crossOriginIsolated: boolean;
  /** `navigator.hardwareConcurrency` in the engine worker: the threaded build uses half of these, at most 8. */
  logicalCores: number;
}

/** Options of {@link EngineApi.init}. */
export interface InitOptions {
  /** Force this backend first (falls back down {@link BACKEND_ORDER} when it fails). */
  backend?: string | null;
  /** Set to false to make the GPU backends run even tiny tensors on the GPU (WEBGPU/WEBGL_CPU_FORWARD). */
  cpuForward?: boolean;
  /**
   * Kinds of model whose worker sessions to load at once, beside the backend (the opened view's kinds), so that the
   * view's first call finds its session's code ready. Unknown ids are ignored.
   */
  prefetch?: readonly KindId[];
}

/** TF.js memory as the worker sees it. */
export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
}

/** Progress callback: `done` of `total` sampling steps are finished. */
export type ProgressCallback = (done: number, total: number) => void;

/**
 * Frames of a recorded trajectory that is still being sampled: frames [from, to) of each frame-major array of the
 * payload `P` (`values[name]` holds frames from..to-1 of `P[name]`, laid out as in `P`). The first chunk of a run also
 * carries `head`: the payload with every array allocated at its full size (frames not yet sampled are zero), which
 * the page fills with the later chunks. The complete payload, returned when the run ends, replaces it.
 */
export interface FrameChunk<P> {
  head?: P;
  from: number;
  to: number;
  values: Partial<Record<keyof P, Float32Array | Float64Array>>;
}

/** Receives the frames of a trajectory as they are sampled ({@link FrameChunk}). */
export type FramesCallback<P> = (chunk: FrameChunk<P>) => void;

// ---------------------------------------------------------------------------------------------------------------
// The 2D playground
// ---------------------------------------------------------------------------------------------------------------

/**
 * The models the 2D sampler can use. `shipped`: the current dataset's model from models/<id>/; `trained`: the
 * network trained in this page (its EMA weights); `file`: a model the user loaded; `ideal`: the closed-form
 * Bayes-optimal denoiser of a few hundred data points (a stand-in that needs no training).
 */
export const MODEL_SOURCES = ['shipped', 'trained', 'file', 'ideal'] as const;
/** One of {@link MODEL_SOURCES}. */
export type ModelSource = (typeof MODEL_SOURCES)[number];

/** Limits of one recorded sampling run: N points, n steps, and N * n (the trajectory's size); declared with the settings. */
export { SAMPLE_LIMITS } from '../settings/settings2d';

/** Data points the closed-form stand-in ('ideal' source) knows: this many of the training points. */
export const IDEAL_POINTS = 256;

/** How the live distance-to-data metric is measured by default: samples, steps and seed (the same every time). */
export const METRIC_SETTINGS = { points: SETTINGS_2D.evalPoints.default, steps: SETTINGS_2D.evalSteps.default, seed: 7, heldOut: HELD_OUT_POINTS } as const;

/**
 * How the page trains while playing (src/kinds/points2d/view/useTraining.ts), and so how the time-to-quality benchmark
 * (src/bench/timeToQuality.ts) trains: worker calls of at most `maxSteps` steps and `batchBudgetMs` milliseconds;
 * the live metric once before the first step, then whenever more than max(`metricEveryMs`, `metricShare` x the last
 * measurement's duration) has passed since the last measurement ended (training gets >= 80% of the time).
 */
export const LIVE_TRAINING = { maxSteps: 1000, batchBudgetMs: 120, metricEveryMs: 2500, metricShare: 4 } as const;

/** Points a 2D session trains and is measured on: row-major [n, 2] arrays in [-1, 1]. */
export interface DataPayload {
  /** Training points (at least 2). */
  train: Float32Array;
  /** Held-out points the distance-to-data metric compares samples with. */
  heldOut: Float32Array;
  /** An independent draw of the same size as `heldOut`, for the data-vs-data baseline of the metric. */
  reference: Float32Array;
}

/** What {@link Points2DApi.setData} reports: the number of training points and the metric's data-vs-data baseline. */
export interface DataInfo {
  points: number;
  baseline: number;
}

/** The trained network's state. */
export interface TrainerInfo {
  /** Completed training steps. */
  step: number;
  /** The configuration it trains with. */
  config: Train2DConfig;
  /** Seconds spent in training steps. */
  wallSeconds: number;
  /** Number of trainable parameters. */
  parameters: number;
}

/** What {@link Points2DApi.configureTrainer} did with new settings. */
export type ConfigureOutcome =
  /** No network yet: the settings apply when training starts. */
  | 'pending'
  /** Nothing changed. */
  | 'unchanged'
  /** Learning rate, batch, loss or EMA changed: the network was kept, the optimizer restarted. */
  | 'updated'
  /** Width, depth, Fourier features, residual layers, sigma1 or seed changed: a fresh network was created. */
  | 'reset';

/** Options of {@link Points2DApi.trainSteps}: at most `maxSteps` steps, stopping once `budgetMs` has passed. */
export interface TrainStepsOptions {
  maxSteps: number;
  budgetMs: number;
}

/** A batch of training steps: the loss of each, and why it stopped early when training halted by itself. */
export interface TrainStepsResult {
  /** The loss of each completed step: nats per dimension for 2D points, nats per image for MNIST (L^inf). */
  losses: Float32Array;
  /** Completed steps after this call. */
  step: number;
  /** Steps per second over this call. */
  stepsPerSecond: number;
  /**
   * Non-null when training halted by itself and must pause: a step's loss was NaN or infinite (that step was not
   * applied), or the run diverged with finite losses (the weights of `restoredStep` were restored).
   */
  halt: StepLoopResult['halt'];
  /** Seconds spent training so far. */
  wallSeconds: number;
}

/** Options of {@link Points2DApi.evaluate}: sample `points` with `steps` steps from the trained network. */
export interface EvaluateOptions {
  points: number;
  steps: number;
  seed: number;
}

/**
 * One measurement of the distance-to-data metrics: the energy distance (METRIC_DESCRIPTION) and the support metrics
 * of src/train/knnMetrics.ts (k-NN precision and recall against the held-out points, the off-support share against
 * the training points), each beside its data-vs-data value.
 */
export interface MetricResult {
  /** Training step it was measured at. */
  step: number;
  /** Energy distance between the samples and the held-out points. */
  value: number;
  /** Energy distance between two independent draws of the data (the noise floor). */
  baseline: number;
  /** Precision, recall (k = `k`) and off-support share (radius `delta`, data units) of the samples; NaN when a set has <= k points. */
  support: SupportMetrics;
  /** The same for the reference draw of the data in place of the samples (data vs data). */
  dataSupport: SupportMetrics;
  k: number;
  delta: number;
  /** The samples it measured, [points, 2], and the sampling steps and seed used. */
  samples: Float32Array;
  steps: number;
  seed: number;
  elapsedMs: number;
  /**
   * Non-null when the samples showed that training diverged (nearly all pinned at the clip of x_hat): the last good
   * weights were restored (step `restoredStep`), everything above describes them, and training must pause.
   */
  halt: StepLoopResult['halt'];
}

/** A description of a model the worker holds. */
export interface ModelInfo {
  source: ModelSource;
  sigma1: number;
  /** The MLP: width, hidden layers, Fourier features of the input (0 = none), residual hidden layers, time features. */
  network: { width: number; depth: number; fourierFeatures: number; residual: boolean; timeFeatures: number; parameters: number };
  /** The validated model card, or null when the model came without one. */
  card: PointsCard | null;
}

/**
 * Options of {@link Points2DApi.loadModel} and {@link MnistApi.loadModel}: the build's shipped model `id`
 * (models/<id>/, fetched and validated by the worker), or a user's files (model.json and card.json parsed but not yet
 * validated, card null when there is none).
 */
export type LoadModelOptions =
  | { slot: 'shipped'; id: string }
  | { slot: 'file'; modelJson: unknown; weights: ArrayBuffer; card: unknown };

/** Options of {@link Points2DApi.restoreTrainer}: a model saved from an earlier training session, and its settings. */
export interface RestoreTrainerOptions {
  modelJson: unknown;
  weights: ArrayBuffer;
  card: unknown;
  config: Train2DConfig;
}

/** Options of {@link Points2DApi.sample}. */
export interface SampleOptions2D {
  source: ModelSource;
  /** The sampler (default 'original'): the BFN sampler or a BFN-Solver (src/bfn/samplerChoices.ts). */
  sampler?: SamplerId;
  /** Points sampled in parallel, N. */
  points: number;
  /** Sampling steps, n. */
  steps: number;
  seed: number;
}

/** Options of {@link Points2DApi.stepsQuality}. */
export interface StepsQualityOptions {
  source: ModelSource;
  samplers: SamplerId[];
  /** Step counts n, each >= 1. */
  steps: number[];
  /** Samples per run (compared with the dataset's held-out points). */
  points: number;
  /** Seed of every run's noise (the same starting noise for every sampler and n). */
  seed: number;
}

/** One run of {@link Points2DApi.stepsQuality}. */
export interface StepsQualityRow {
  sampler: SamplerId;
  n: number;
  precision: number;
  recall: number;
  offSupport: number;
  /** Wall time of the sampling run, ms. */
  ms: number;
  /** The samples, [points, 2] row-major (for the side-by-side view). */
  samples: Float32Array;
}

/** What {@link Points2DApi.stepsQuality} measured, with the data-vs-data values at the same sizes. */
export interface StepsQualityResult {
  rows: StepsQualityRow[];
  data: SupportMetrics;
  points: number;
  heldOut: number;
  k: number;
  delta: number;
}

/** Options of {@link MnistApi.stepsQuality}. */
export interface MnistStepsQualityOptions {
  source: MnistModelSource;
  samplers: SamplerId[];
  /** Step counts n, each >= 1. */
  steps: number[];
  /** Digits per run, 1..MNIST_SAMPLE_LIMITS.images. */
  images: number;
  seed: number;
}

/** One run of {@link MnistApi.stepsQuality}. */
export interface MnistStepsQualityRow {
  sampler: SamplerId;
  n: number;
  /** Mean over the digits of the classifier's top class probability. */
  meanConfidence: number;
  /** Share of digits whose top class probability is at least 0.9. */
  confidentShare: number;
  ms: number;
  /** The digits, {0, 1} pixels [images, 784]. */
  samples: Float32Array;
}

/** What {@link MnistApi.stepsQuality} measured, with the classifier's test accuracy and its values on test digits. */
export interface MnistStepsQualityResult {
  rows: MnistStepsQualityRow[];
  images: number;
  classifier: { title: string; testAccuracy: number; testImages: number; dataMeanConfidence: number; dataConfidentShare: number };
}

/** The `name` of the error a steps-vs-quality run rejects with when it was cancelled (not a failure). */
export const STEPS_QUALITY_CANCELLED = 'StepsQualityCancelled';

/** The accuracy schedule of the sampled model on a fine grid of t: beta(t) and alpha(t) = d beta / dt. */
export interface SchedulePayload {
  t: Float64Array;
  beta: Float64Array;
  alpha: Float64Array;
}

/**
 * A recorded continuous-data sampling run, as frames k = 0..n: frame k is the input distribution after k Bayesian
 * updates (t = k/n); frame n is the final state, at which the output x_hat is the sample.
 */
export interface TrajectoryPayload {
  source: ModelSource;
  /** The sampler that made it. */
  sampler: SamplerId;
  sigma1: number;
  /** Steps n; there are n + 1 frames. */
  n: number;
  /** Points sampled in parallel (P). */
  points: number;
  seed: number;
  /** t of each frame: k/n for the original sampler; the solvers' grid eta + k (1 - eta)/n: n + 1 values. */
  t: Float64Array;
  /** Input precision rho of each frame (1 at t = 0): n + 1 values. */
  rho: Float64Array;
  /** alpha_i of update i = 1..n (the accuracy added between frame i - 1 and frame i): n values. */
  alpha: Float64Array;
  /** Input means mu, frame-major: (n + 1) * P * 2 values, [frame][point][x, y]. */
  mu: Float32Array;
  /** The network's prediction x_hat at each frame, same layout as mu. */
  xHat: Float32Array;
  /**
   * Sender samples y_i of update i = 1..n (the noisy message that moved frame i - 1 to frame i): n * P * 2 values.
   * For a BFN-Solver, the message its update amounts to: y = (rho_i mu_i - rho_{i-1} mu_{i-1}) / alpha_i.
   */
  y: Float32Array;
  /** The final samples (the output mode at t = 1): P * 2 values. */
  samples: Float32Array;
  /** The model's accuracy schedule for the charts. */
  schedule: SchedulePayload;
  /** Backend that ran the sampler. */
  backend: string;
  /** Wall time of the run in the worker, ms. */
  elapsedMs: number;
}

/** Options of {@link Points2DApi.exportModel}. */
export interface ExportOptions {
  source: ModelSource;
  /** Dataset id and display name, for the card of a trained model. */
  dataset: string;
  datasetName: string;
}

/** A model as files: model.json's object, weights.bin's bytes and card.json's object (validated). */
export interface ExportedModel {
  modelJson: PointsModelJson;
  weights: ArrayBuffer;
  card: PointsCard;
}


// ---------------------------------------------------------------------------------------------------------------
// Binarized MNIST (the MNIST view)
// ---------------------------------------------------------------------------------------------------------------

/** The two MNIST splits the page can download: the 60,000 training images and the 10,000 test images. */
export type MnistSplit = 'train' | 'test';

/** Download progress of an MNIST split: bytes received of the compressed file (total 0 when unknown). */
export interface MnistDownloadProgress {
  split: MnistSplit;
  phase: 'download' | 'decode' | 'done';
  loaded: number;
  total: number;
}

/** What {@link MnistApi.loadData} reports about a split once it is in the worker. */
export interface MnistDataInfo {
  split: MnistSplit;
  /** Images in the split (train: the 59,400 of the training split, 600 held out for validation by src/data/mnist/mnist.ts validationSplit). */
  images: number;
  /** Images in the downloaded file (train: 60,000, of which `images` are used and the rest held out for validation). */
  count: number;
  /** Mean intensity / 255: the expected fraction of "on" pixels after dynamic binarization (about 0.13). */
  meanPixel: number;
  /** Compressed bytes downloaded. */
  bytes: number;
}

/** The models the MNIST view can sample: the shipped one, the one trained in this page, or a loaded file. */
export const MNIST_MODEL_SOURCES = ['shipped', 'trained', 'file'] as const;
export type MnistModelSource = (typeof MNIST_MODEL_SOURCES)[number];

/** A description of an MNIST model the worker holds. */
export interface MnistModelInfo {
  source: MnistModelSource;
  beta1: number;
  parameters: number;
  network: { width: number; depth: number; convChannels: number; convLayers: number };
  /** The validated card, or null when the model came without one. */
  card: MnistCard | null;
}


/** The id of the shipped binarized-MNIST model (models/mnist-binary/). */
export const SHIPPED_MNIST_ID = 'mnist-binary';

/** Limits of one recorded MNIST sampling run: images, steps, and images * (steps + 1); declared with the settings. */
export { MNIST_SAMPLE_LIMITS } from '../settings/settingsMnist';

/**
 * The `name` of the error a sampling run rejects with when {@link MnistApi.cancelSample} cancelled it (comlink
 * keeps an error's name across the worker boundary). A cancellation is not a failure.
 */
export const MNIST_SAMPLE_CANCELLED = 'MnistSampleCancelled';

/** Options of {@link MnistApi.sample}. */
export interface MnistSampleOptions {
  source: MnistModelSource;
  /** The sampler (default 'original'): the BFN sampler or a BFN-Solver (src/bfn/samplerChoices.ts). */
  sampler?: SamplerId;
  /** Images sampled in parallel, 1..64. */
  images: number;
  /** Sampling steps n, 1..1000. */
  steps: number;
  seed: number;
}

/**
 * A recorded MNIST sampling run as frames k = 0..n (frame k: the input distribution after k Bayesian updates,
 * t = k/n). Per-pixel arrays are frame-major: [frame][image][pixel], 784 pixels row by row.
 */
export interface MnistTrajectoryPayload {
  source: MnistModelSource;
  /** The sampler that made it. */
  sampler: SamplerId;
  n: number;
  images: number;
  seed: number;
  beta1: number;
  /** t of each frame: k/n for the original sampler; the solvers' grid eta + k (1 - eta)/n: n + 1 values. */
  t: Float64Array;
  /** beta(t) = beta1 t^2 of each frame: the accuracy accumulated so far. */
  beta: Float64Array;
  /** theta: the input distribution's probability that a pixel is on (theta_1 = 1 - theta_0), what the network sees: (n + 1) * images * 784. */
  theta: Float32Array;
  /** The output distribution's probability that a pixel is on, sigmoid(logit), what the network predicts: same layout. */
  output: Float32Array;
  /** The final samples (the output mode at t = 1), {0, 1}: images * 784. */
  samples: Float32Array;
  backend: string;
  elapsedMs: number;
}

/** Options of {@link MnistApi.trainSteps}: at most `maxSteps` steps, stopping once `budgetMs` has passed. */
export interface MnistTrainStepsOptions {
  maxSteps: number;
  budgetMs: number;
}

/** The in-page MNIST trainer's state. */
export interface MnistTrainerInfo {
  step: number;
  config: TrainMnistConfig;
  parameters: number;
  wallSeconds: number;
  /** True when it started from the shipped model's weights (fine-tuning), false when from scratch. */
  fromShipped: boolean;
}


/** The worker API of the 2D-points kind (src/kinds/points2d/session.ts); every method is async across the boundary. */
export interface Points2DApi {
  /** Sets the 2D points to train on and measure against; a trained network keeps its weights. */
  setData(data: DataPayload): Promise<DataInfo>;
  /** Applies training settings to the network (see {@link ConfigureOutcome}); stores them when there is none. */
  configureTrainer(config: Train2DConfig): Promise<{ outcome: ConfigureOutcome; trainer: TrainerInfo | null }>;
  /** Replaces the network with a fresh, untrained one. */
  resetTrainer(config: Train2DConfig): Promise<TrainerInfo>;
  /** Drops the trained network (e.g. when the dataset changes). */
  clearTrainer(): Promise<void>;
  /** Turns a saved model into the trained network, to sample from and to train further. */
  restoreTrainer(options: RestoreTrainerOptions): Promise<TrainerInfo>;
  /** Runs training steps (creating the network from the stored settings when there is none). */
  trainSteps(options: TrainStepsOptions): Promise<TrainStepsResult>;
  /** Measures the distance-to-data metric of the trained network. */
  evaluate(options: EvaluateOptions): Promise<MetricResult>;
  /**
   * Loads a model into a slot, validated by the worker; on any error nothing changes. The shipped slot takes the
   * data set's model from the build (null when the build has none for it).
   */
  loadModel(options: LoadModelOptions): Promise<ModelInfo | null>;
  /** Samples with a recorded trajectory. */
  /** Samples; with `onFrames`, the frames are also sent as they are sampled (the original sampler only). */
  sample(options: SampleOptions2D, onProgress?: ProgressCallback, onFrames?: FramesCallback<TrajectoryPayload>): Promise<TrajectoryPayload>;
  /**
   * Sample quality against the number of steps: k-NN precision, recall and off-support share of `points` samples of
   * a model for each sampler and each n (progress counts runs). Rejects with an error named
   * {@link STEPS_QUALITY_CANCELLED} when cancelled by {@link Points2DApi.cancelStepsQuality}.
   */
  stepsQuality(options: StepsQualityOptions, onProgress?: ProgressCallback): Promise<StepsQualityResult>;
  /** Cancels every steps-vs-quality run requested before this call (running or waiting). */
  cancelStepsQuality(): Promise<void>;
  /** A model as files (model.json, weights.bin, card.json). */
  exportModel(options: ExportOptions): Promise<ExportedModel>;
}

/** The worker API of the binarized-MNIST kind (src/kinds/mnist-binary/session.ts). */
export interface MnistApi {
  /** Downloads (once) and decodes an MNIST split in the worker, reporting progress. */
  loadData(split: MnistSplit, onProgress?: (p: MnistDownloadProgress) => void): Promise<MnistDataInfo>;
  /** Validates and loads the shipped MNIST model (reporting the weights' download in bytes) or a user's files; on any error nothing changes. */
  loadModel(options: LoadModelOptions, onProgress?: (loaded: number, total: number) => void): Promise<MnistModelInfo>;
  /**
   * Samples MNIST digits with a recorded trajectory (theta and output probabilities at every step). Rejects with an
   * error named {@link MNIST_SAMPLE_CANCELLED} when cancelled by {@link MnistApi.cancelSample}.
   */
  /** Samples; with `onFrames`, the frames are also sent as they are sampled (the original sampler only). */
  sample(options: MnistSampleOptions, onProgress?: ProgressCallback, onFrames?: FramesCallback<MnistTrajectoryPayload>): Promise<MnistTrajectoryPayload>;
  /**
   * Cancels every MNIST sampling run requested before this call: the one running stops after its current step (its
   * tensors freed), the ones waiting never start.
   */
  cancelSample(): Promise<void>;
  /** Creates the in-page MNIST trainer, from scratch or from the shipped model's weights. */
  resetTrainer(options: { config: TrainMnistConfig; fromShipped: boolean }): Promise<MnistTrainerInfo>;
  /** Runs MNIST training steps (losses in nats per image). */
  trainSteps(options: MnistTrainStepsOptions): Promise<TrainStepsResult>;
  /** The trained (or a loaded) MNIST model as files. */
  exportModel(source: MnistModelSource): Promise<{ modelJson: MnistModelJson; weights: ArrayBuffer; card: MnistCard }>;
  /**
   * Digit quality against the number of steps: the digit classifier's confidence on `images` digits of a model for
   * each sampler and each n (progress counts runs). Rejects with an error named {@link STEPS_QUALITY_CANCELLED} when
   * cancelled by {@link MnistApi.cancelStepsQuality}.
   */
  stepsQuality(options: MnistStepsQualityOptions, onProgress?: ProgressCallback): Promise<MnistStepsQualityResult>;
  /** Cancels every digit-quality run requested before this call (running or waiting). */
  cancelStepsQuality(): Promise<void>;
}


// ---------------------------------------------------------------------------------------------------------------
// Words, letter by letter (the Words view; src/kinds/words/session.ts)
// ---------------------------------------------------------------------------------------------------------------

export type { WordsCard, WordShares };

/** The id of the shipped words model (models/words/). */
export const SHIPPED_WORDS_ID = 'words';

/** Limits of one recorded run: words sampled in parallel, steps n, and words x (n + 1) (the trajectory is kept in memory). */
export const WORDS_SAMPLE_LIMITS = { words: 64, steps: 1000, wordFrames: 16_016 } as const;

/** What a sampled word is against the word lists. */
export type WordMark = 'train' | 'heldOut' | 'new' | 'malformed';

/** Options of {@link WordsApi.sample}. */
export interface WordsSampleOptions {
  /** Words sampled in parallel, 1..WORDS_SAMPLE_LIMITS.words. */
  words: number;
  /** Sampling steps n. */
  steps: number;
  seed: number;
}

/** A description of the loaded words model. */
export interface WordsModelInfo {
  beta1: number;
  /** L, letter positions per word. */
  length: number;
  parameters: number;
  card: WordsCard | null;
}

/** The word lists the session measures samples against (fetched once, lazily, from the build). */
export interface WordsDataInfo {
  vocabulary: number;
  train: number;
  heldOut: number;
}

/**
 * A recorded sampling run of the original BFN sampler (Graves et al. 2023, Algorithm 9) as frames k = 0..n: frame k is
 * the input distribution theta after k Bayesian updates (t = k / n) and the output distribution p_O the network
 * predicts from it; arrays are [frames, words, L, K] row-major, K = 27 (index 0 the padding symbol, 1..26 a..z).
 */
export interface WordsTrajectoryPayload {
  n: number;
  words: number;
  /** L. */
  length: number;
  /** K = 27. */
  classes: number;
  seed: number;
  beta1: number;
  /** t of each frame, k / n. */
  t: Float64Array;
  /** Input distribution theta of each frame. */
  theta: Float32Array;
  /** Output distribution p_O(. | theta; t) of each frame (the last frame's at t = 1). */
  output: Float32Array;
  /**
   * The sampled words (the output mode at t = 1): raw symbols ('_' for padding), the word (null when it breaks the
   * padding rule) and what it is: a training word, a held-out word (real, never trained on), new (not in the
   * vocabulary) or malformed.
   */
  decoded: { raw: string; word: string | null; mark: WordMark }[];
  /** Their shares against the word lists. */
  shares: WordShares;
  backend: string;
  elapsedMs: number;
}

/** The worker API of the words kind. */
export interface WordsApi {
  /** Loads the shipped model (weights downloaded with progress). @throws Error when the build has none; ModelFileError for bad files. */
  loadModel(onProgress?: (loaded: number, total: number) => void): Promise<WordsModelInfo>;
  /** Downloads the word lists (once). @throws Error for a failed download. */
  loadWords(): Promise<WordsDataInfo>;
  /**
   * Samples words with a recorded trajectory. @throws RangeError for sizes outside {@link WORDS_SAMPLE_LIMITS}; an
   * error named MNIST_SAMPLE_CANCELLED (the client's isSampleCancelled) when cancelled by {@link WordsApi.cancelSample}.
   * With `onFrames`, the frames are also sent as they are sampled.
   */
  sample(options: WordsSampleOptions, onProgress?: ProgressCallback, onFrames?: FramesCallback<WordsTrajectoryPayload>): Promise<WordsTrajectoryPayload>;
  /** Cancels every sampling run requested before this call. */
  cancelSample(): Promise<void>;
}

// The grey-scale MNIST kind (src/kinds/mnist-grey/): its sampling run, its pixel bars and its worker API.

/** The id of the shipped grey-scale model (models/mnist-grey/). */
export const SHIPPED_GREY_ID = 'mnist-grey';

/**
 * Limits of one recorded run: images, steps n, and images x (n + 1) (the worker keeps every frame's K bin
 * probabilities of the last run for the pixel bars: 1616 frames x 784 pixels x 16 bins x 4 bytes = 81 MB at most).
 */
export const GREY_SAMPLE_LIMITS = { images: 16, steps: 200, imageFrames: 16 * 101 } as const;

/** Options of {@link MnistGreyApi.sample}. */
export interface GreySampleOptions {
  /** Images sampled in parallel, 1..16. */
  images: number;
  /** Sampling steps n, 1..200. */
  steps: number;
  seed: number;
}

/**
 * A recorded run of the BFN sampler (Graves et al. 2023, Algorithm 6, discretized data) as frames k = 0..n (frame k:
 * the input distribution after k Bayesian updates, t = k/n; frame n is the state at t = 1). Per-pixel arrays are
 * frame-major: [frame][image][pixel], 784 pixels row by row, values in [-1, 1].
 */
export interface GreyTrajectoryPayload {
  n: number;
  images: number;
  seed: number;
  /** Number of bins K and sigma1 of the model. */
  K: number;
  sigma1: number;
  /** The bin centres k_c = (2k + 1)/K - 1 as float32 values, as the samples hold them. */
  centres: Float32Array;
  /** t of each frame, k/n. */
  t: Float64Array;
  /** The input distribution's precision rho of each frame (1 + the accuracy accumulated by the sender messages). */
  rho: Float64Array;
  /** The input means mu: what the network sees. (n + 1) * images * 784. */
  mu: Float32Array;
  /** The output distribution's mean, sum_k p_O(k) k_c: what the network predicts. Same layout. */
  mean: Float32Array;
  /** The final samples (the mode of p_O at t = 1), bin centres: images * 784. */
  samples: Float32Array;
  backend: string;
  elapsedMs: number;
}

/** One pixel's K-bin output probabilities p_O(k) at every frame of the last run: (n + 1) * K, frame-major. */
export interface GreyPixelProbs {
  image: number;
  pixel: number;
  K: number;
  probs: Float32Array;
}

/** The shipped model as the view shows it. */
export interface GreyModelInfo {
  K: number;
  sigma1: number;
  parameters: number;
  card: GreyCard | null;
}

/** The worker API of the grey-scale MNIST kind (src/kinds/mnist-grey/session.ts). */
export interface MnistGreyApi {
  /** Loads and validates the shipped model (reporting the weights' download in bytes). */
  loadModel(onProgress?: (loaded: number, total: number) => void): Promise<GreyModelInfo>;
  /**
   * Samples with a recorded trajectory. Rejects with an error named {@link MNIST_SAMPLE_CANCELLED} (the client's isSampleCancelled) when cancelled by
   * {@link MnistGreyApi.cancelSample}. With `onFrames`, the frames are also sent as they are sampled.
   */
  sample(options: GreySampleOptions, onProgress?: ProgressCallback, onFrames?: FramesCallback<GreyTrajectoryPayload>): Promise<GreyTrajectoryPayload>;
  /** Cancels every sampling run requested before this call. */
  cancelSample(): Promise<void>;
  /** One pixel's bin probabilities over the last run's frames. */
  pixelProbs(image: number, pixel: number): Promise<GreyPixelProbs>;
  /** The first `count` test images quantised to the model's K bins (values in [-1, 1], count * 784). */
  testDigits(count: number): Promise<Float32Array>;
}

/** The worker API of each kind of model, by kind id: adding a kind adds its line here. */
export interface KindApis {
  points2d: Points2DApi;
  'mnist-binary': MnistApi;
  'mnist-grey': MnistGreyApi;
  words: WordsApi;
  simplex: SimplexApi;
  learn: LearnApi;
}

/** The id of a kind of model. */
export type KindId = keyof KindApis;

/** The engine worker's API (exposed with comlink; every method is async across the boundary). */
/** One kind's sampling benchmark on one backend (src/bench/benchKinds.ts). */
export interface KindSamplingResult {
  kind: string;
  backend: string;
  run: string;
  /** Milliseconds per sampling run: median and minimum over the timed runs. */
  medianMs: number;
  minMs: number;
  repeats: number;
}

export interface EngineApi {
  /** Selects the TF.js backend (once per worker; later calls return the same answer). */
  init(options: InitOptions): Promise<BackendInfo>;
  /**
   * Chooses the backend for a view by timing its workload on every backend that works here (or reading the cached
   * timing for this device and view), switches to the fastest, and returns the updated backend info. Does nothing
   * when the URL named a backend. Runs step by step between other calls; {@link cancelMeasure} stops it.
   */
  measureBackends(view: string): Promise<BackendInfo>;
  /** Stops a running {@link measureBackends} at its next step (it then keeps the backend running and caches nothing). */
  cancelMeasure(): Promise<void>;
  /**
   * Calls `method` of the worker session of `kind` ({@link KindApis}) with `args` (functions among them proxied).
   * @throws Error naming an unknown kind or method.
   */
  call(kind: KindId, method: string, ...args: unknown[]): Promise<unknown>;
  /**
   * Times one block of the 2D benchmark (training steps or sampling runs, src/bench/bench2d.ts `runBench2DBlock`) on
   * the active backend; the worker keeps the benchmark's trainer between blocks of the same config.
   */
  bench2d(request: Bench2DBlockRequest): Promise<Bench2DBlockResult>;
  /**
   * The MNIST benchmark on the active backend (src/bench/benchMnist.ts): ms to sample 16 digits with n = 100, ms per
   * training step at batch 64, optionally the kernels per step; with `keep` the worker keeps its trainer between calls.
   */
  benchMnist(options?: MnistBenchRequest): Promise<MnistBenchResult>;
  /** A kind's sampling benchmark on the active backend (src/bench/benchKinds.ts `benchKindSampling`). */
  benchKindSampling(kind: string, repeats: number): Promise<KindSamplingResult>;
  /** Runs the conformance checks on reference vector files (core or BFN-Solver vectors) on the active backend. */
  runConformance(files: VectorFile[]): Promise<CheckResult[]>;
  memory(): Promise<MemoryInfo>;
}
