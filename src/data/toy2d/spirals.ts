import type { Dataset2D } from './types';

/** Two intertwined spirals. */
export const spirals: Dataset2D = {
  id: 'spirals',
  name: 'Two spirals',
  description: 'Two intertwined spiral arms.',
  point(k, rng) {
    const r = Math.sqrt(rng.uniform()) * 3 * Math.PI;
    const sign = k % 2 === 0 ? 1 : -1;
    return [sign * -Math.cos(r) * r + 0.25 * rng.normal(), sign * Math.sin(r) * r + 0.25 * rng.normal()];
  },
};
