import type { Dataset2D } from './types';

/** Two interleaved half circles with Gaussian jitter (the scikit-learn `make_moons` shape). */
export const twoMoons: Dataset2D = {
  id: 'two-moons',
  name: 'Two moons',
  description: 'Two interleaving half circles.',
  point(k, rng) {
    const a = Math.PI * rng.uniform();
    const upper = k % 2 === 0;
    const x = upper ? Math.cos(a) : 1 - Math.cos(a);
    const y = upper ? Math.sin(a) : 0.5 - Math.sin(a);
    return [x - 0.5 + 0.06 * rng.normal(), y - 0.25 + 0.06 * rng.normal()];
  },
};
