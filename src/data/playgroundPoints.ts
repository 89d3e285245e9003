/**
 * The points the 2D playground trains and measures on for a built-in dataset: the training draw, and the held-out
 * and reference draws of the live distance-to-data metric (METRIC_SETTINGS.heldOut points each). The page
 * (src/ui/hooks/useDataset.ts) and the time-to-quality benchmark (src/bench/timeToQuality.ts) both draw them here,
 * so that the benchmark measures exactly what the page shows. No TensorFlow.js, no DOM.
 */
import { METRIC_SETTINGS } from '../engine/protocol';
import { sampleDataset } from './toy2d';

/** Training points drawn from a built-in dataset. */
export const TRAIN_POINTS = 20000;
/** Points of a built-in dataset the plot shows (the first of the training points). */
export const DISPLAY_POINTS = 2000;

/** A built-in dataset's points as the playground uses them, all row-major [n, 2] in [-1, 1]. */
export interface PlaygroundPoints {
  /** {@link TRAIN_POINTS} training points (they depend on the seed). */
  train: Float32Array;
  /** Held-out points the metric compares samples with (the same for every seed). */
  heldOut: Float32Array;
  /** An independent draw of as many points, for the metric's data-vs-data values. */
  reference: Float32Array;
}

/**
 * The points of built-in dataset `id` for the playground's `seed` (the training draw is `train:<seed>`).
 * @throws Error for an unknown dataset id.
 */
export function playgroundPoints(id: string, seed: number): PlaygroundPoints {
  return {
    train: sampleDataset(id, TRAIN_POINTS, `train:${seed}`),
    heldOut: sampleDataset(id, METRIC_SETTINGS.heldOut, 'heldout:playground'),
    reference: sampleDataset(id, METRIC_SETTINGS.heldOut, 'reference:playground'),
  };
}
