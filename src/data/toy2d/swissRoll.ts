import type { Dataset2D } from './types';

/** The 2D swiss roll: a single spiral arm with noise. */
export const swissRoll: Dataset2D = {
  id: 'swiss-roll',
  name: 'Swiss roll',
  description: 'One rolled-up spiral sheet seen from the side.',
  point(_k, rng) {
    const t = 1.5 * Math.PI * (1 + 2 * rng.uniform());
    return [t * Math.cos(t) + 0.5 * rng.normal(), t * Math.sin(t) + 0.5 * rng.normal()];
  },
};
