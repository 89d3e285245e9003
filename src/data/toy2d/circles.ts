import type { Dataset2D } from './types';

/** Two concentric circles (radii 1 and 0.5) with jitter. */
export const circles: Dataset2D = {
  id: 'circles',
  name: 'Concentric circles',
  description: 'Two concentric rings.',
  point(k, rng) {
    const r = k % 2 === 0 ? 1 : 0.5;
    const a = 2 * Math.PI * rng.uniform();
    return [r * Math.cos(a) + 0.03 * rng.normal(), r * Math.sin(a) + 0.03 * rng.normal()];
  },
};
