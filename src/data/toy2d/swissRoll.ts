import type { Dataset2D } from './types';

/** The 2D swiss roll: a single spiral arm with noise. */
export const swissRoll: Dataset2D = {
  id: 'swiss-roll',
  name: 'Swiss roll',
  description: 'One rolled-up spiral sheet seen from the side.',
  generate(n, rng) {
    const out = new Float32Array(2 * n);
    for (let k = 0; k < n; k++) {
      const t = 1.5 * Math.PI * (1 + 2 * rng.uniform());
      out[2 * k] = t * Math.cos(t) + 0.5 * rng.normal();
      out[2 * k + 1] = t * Math.sin(t) + 0.5 * rng.normal();
    }
    return out;
  },
};
