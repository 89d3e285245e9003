/** The interface of a built-in 2D dataset (the registry in `index.ts` lists them). */
import type { Rng } from '../random';

/** A 2D point-cloud generator. Points are row-major [n, 2] in the continuous-data range [-1, 1]. */
export interface Dataset2D {
  /** URL-safe identifier, e.g. 'two-moons'. */
  id: string;
  /** Display name. */
  name: string;
  /** One sentence for the UI. */
  description: string;
  /**
   * Draws the k-th point (k = 0, 1, ...; some datasets alternate components by k). Implementations return raw
   * coordinates of any scale; {@link sampleDataset} rescales them.
   * @returns [x, y].
   */
  point(k: number, rng: Rng): [number, number];
}

/** Half-width of the box the registry scales every dataset into, leaving a margin inside [-1, 1]. */
export const DATA_EXTENT = 0.9;
