import type { Dataset2D } from './types';

/** Uniform points on the dark squares of a 4 x 4 checkerboard. */
export const checkerboard: Dataset2D = {
  id: 'checkerboard',
  name: 'Checkerboard',
  description: 'Uniform density on the dark squares of a 4 x 4 board.',
  generate(n, rng) {
    const out = new Float32Array(2 * n);
    for (let k = 0; k < n; k++) {
      const col = Math.floor(rng.uniform() * 4);
      const row = 2 * Math.floor(rng.uniform() * 2) + (col % 2);
      out[2 * k] = col + rng.uniform() - 2;
      out[2 * k + 1] = row + rng.uniform() - 2;
    }
    return out;
  },
};
