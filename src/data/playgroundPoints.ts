/**
 * The points the 2D playground trains and measures on: for a built-in dataset the training draw and the held-out and
 * reference draws of the live distance-to-data metric (HELD_OUT_POINTS points each); for the user's own
 * points a training / held-out split of them. The page
 * (src/kinds/points2d/view/useDataset.ts) and the time-to-quality benchmark (src/bench/timeToQuality.ts) both draw them here,
 * so that the benchmark measures exactly what the page shows. No TensorFlow.js, no DOM.
 */
import { createRng } from './random';
import { sampleDataset } from './toy2d';

/** Held-out points the live distance-to-data metric compares samples with (and as many reference points). */
export const HELD_OUT_POINTS = 500;

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
    heldOut: sampleDataset(id, HELD_OUT_POINTS, 'heldout:playground'),
    reference: sampleDataset(id, HELD_OUT_POINTS, 'reference:playground'),
  };
}

/** Your points are split into training and held-out points from this many on; below it the metric uses them all. */
export const MIN_POINTS_TO_HOLD_OUT = 50;
/** The share of your points held out from training for the metric (fewer from 2,500 points on: about HELD_OUT_POINTS). */
export const HELD_OUT_SHARE = 0.2;

/** A fixed pseudo-random number in [0, 1) for point k: the split depends on the point's index only. */
const pointHash = (k: number) => (Math.imul(k + 1, 0x9e3779b1) >>> 0) / 2 ** 32;

/**
 * The training points, held-out points and reference draw for the user's own points ([n, 2] row-major). From
 * {@link MIN_POINTS_TO_HOLD_OUT} points on, a share min(HELD_OUT_SHARE, HELD_OUT_POINTS / n) of them, chosen by
 * a fixed hash of each point's index, is held out (about a fifth, or about HELD_OUT_POINTS points spread over
 * the whole file or drawing): the network never trains on them. As points are added the share can only fall, so a
 * training point never becomes a held-out one. Fewer points are all used for training and for the metric, and
 * `heldOutFromTraining` says so. The reference (the data-vs-data baseline) resamples the training points with
 * replacement, as there is no second draw of a drawing.
 */
export function splitCustomPoints(points: Float32Array): { train: Float32Array; metric: (Omit<PlaygroundPoints, 'train'> & { heldOutFromTraining: boolean }) | null } {
  const n = points.length / 2;
  if (n < 2) return { train: points, metric: null };
  const held: number[] = [];
  const kept: number[] = [];
  const share = n >= MIN_POINTS_TO_HOLD_OUT ? Math.min(HELD_OUT_SHARE, HELD_OUT_POINTS / n) : 0;
  for (let k = 0; k < n; k++) (pointHash(k) < share ? held : kept).push(k);
  const pick = (rows: number[]) => {
    const out = new Float32Array(2 * rows.length);
    rows.forEach((r, j) => out.set(points.subarray(2 * r, 2 * r + 2), 2 * j));
    return out;
  };
  const fromTraining = held.length === 0;
  const train = fromTraining ? points : pick(kept);
  const rng = createRng('reference:custom');
  const m = train.length / 2;
  const reference = pick(Array.from({ length: HELD_OUT_POINTS }, () => Math.floor(rng.uniform() * m)).map((r) => (fromTraining ? r : kept[r]!)));
  return { train, metric: { heldOut: fromTraining ? points : pick(held), reference, heldOutFromTraining: fromTraining } };
}
