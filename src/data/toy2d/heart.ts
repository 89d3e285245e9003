import type { Dataset2D } from './types';

/** Points along a heart curve, x = 16 sin^3 s, y = 13 cos s - 5 cos 2s - 2 cos 3s - cos 4s, with jitter. */
export const heart: Dataset2D = {
  id: 'heart',
  name: 'Heart',
  description: 'A thin heart-shaped curve.',
  point(_k, rng) {
    const s = 2 * Math.PI * rng.uniform();
    return [16 * Math.sin(s) ** 3 + 0.4 * rng.normal(), 13 * Math.cos(s) - 5 * Math.cos(2 * s) - 2 * Math.cos(3 * s) - Math.cos(4 * s) + 0.4 * rng.normal()];
  },
};
