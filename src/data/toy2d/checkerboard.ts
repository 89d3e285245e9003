import type { Dataset2D } from './types';

/** Uniform points on the dark squares of a 4 x 4 checkerboard. */
export const checkerboard: Dataset2D = {
  id: 'checkerboard',
  name: 'Checkerboard',
  description: 'Uniform density on the dark squares of a 4 x 4 board.',
  point(_k, rng) {
    const col = Math.floor(rng.uniform() * 4);
    const row = 2 * Math.floor(rng.uniform() * 2) + (col % 2);
    return [col + rng.uniform() - 2, row + rng.uniform() - 2];
  },
};
