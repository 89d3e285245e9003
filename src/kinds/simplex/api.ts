/**
 * The simplex kind's worker API and what it sends (types only: importing this module never pulls TensorFlow.js into the
 * page). The session is ./session.ts; src/engine/protocol.ts lists this API under the kind id 'simplex' and re-exports
 * these types for the view. The limits of the calls are declared with the settings (src/settings/settingsSimplex.ts).
 */
import type { HeatmapMethod } from '../../bfn/simplexFlow';
import type { SimplexCard } from './files';

export type { HeatmapMethod, SimplexCard };

/** What {@link SimplexApi.loadModel} loads: the build's shipped model, or a user's files (parsed, not yet validated). */
export type SimplexLoadOptions = { slot: 'shipped'; id: string } | { slot: 'file'; modelJson: unknown; weights: ArrayBuffer; card: unknown };

/** Options of {@link SimplexApi.heatmap}: p_F(theta | x; t) on a grid of G cells per edge. */
export interface HeatmapOptions {
  x: number;
  beta1: number;
  t: number;
  G: number;
  method: HeatmapMethod;
  /** Samples of the flow for the sampled method. */
  samples: number;
  seed: number;
}

/** A heat map of p_F: cell probabilities and first moments (src/bfn/simplexFlow.ts SimplexHeatmap) and how it was made. */
export interface HeatmapPayload {
  options: HeatmapOptions;
  /** beta(t) with the official clamp (0 at t = 0: a point mass at the centre). */
  beta: number;
  masses: Float64Array;
  moments: Float64Array;
  elapsedMs: number;
  backend: string;
}

/** Options of {@link SimplexApi.flowPaths}: `paths` runs of n Bayesian updates with sender samples of the true class x. */
export interface FlowPathsOptions {
  x: number;
  beta1: number;
  n: number;
  paths: number;
  seed: number;
}

/** Paths theta_0 .. theta_n of the sender / Bayesian update process, frame-major [(n + 1), paths, 3]. */
export interface FlowPathsPayload {
  options: FlowPathsOptions;
  theta: Float32Array;
}

/** What the view shows about the loaded model. */
export interface SimplexModelInfo {
  beta1: number;
  parameters: number;
  card: SimplexCard | null;
}

/** Options of {@link SimplexApi.sample}. */
export interface SimplexSampleOptions {
  samples: number;
  steps: number;
  seed: number;
}

/** A recorded sampling run of the model: theta of every variable at every step, and the final samples. */
export interface SimplexSamplePayload {
  options: SimplexSampleOptions;
  /** theta_{k} for k = 0..n (frame k after k updates), [(n + 1), samples, 3 variables, 3 classes]. */
  theta: Float32Array;
  /** The final samples (the output mode at t = 1), class indices [samples, 3]. */
  samples: Float32Array;
  beta1: number;
  elapsedMs: number;
  backend: string;
}

/** The simplex session's worker API (src/kinds/simplex/session.ts). */
export interface SimplexApi {
  /** The heat map of p_F(theta | x; t): exact (quadrature over the log-ratios) or binned from flow samples. @throws RangeError for bad options. */
  heatmap(options: HeatmapOptions): Promise<HeatmapPayload>;
  /** Sample paths of the sender / Bayesian update process with the true class. @throws RangeError for bad options. */
  flowPaths(options: FlowPathsOptions): Promise<FlowPathsPayload>;
  /** Loads the shipped model (id 'simplex') or a user's files. @throws Error / ModelFileError. */
  loadModel(options: SimplexLoadOptions): Promise<SimplexModelInfo>;
  /**
   * Samples the loaded model with a recorded trajectory. @throws Error without a model; RangeError for bad options; an
   * error named MNIST_SAMPLE_CANCELLED (the client's isSampleCancelled) when cancelled by {@link SimplexApi.cancelSample}.
   */
  sample(options: SimplexSampleOptions): Promise<SimplexSamplePayload>;
  /** Cancels every sampling run requested before this call (running or waiting). */
  cancelSample(): Promise<void>;
}
