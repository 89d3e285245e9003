import type { Dataset2D } from './types';

/** Two intertwined spirals. */
export const spirals: Dataset2D = {
  id: 'spirals',
  name: 'Two spirals',
  description: 'Two intertwined spiral arms.',
  generate(n, rng) {
    const out = new Float32Array(2 * n);
    for (let k = 0; k < n; k++) {
      const r = Math.sqrt(rng.uniform()) * 3 * Math.PI;
      const sign = k % 2 === 0 ? 1 : -1;
      out[2 * k] = sign * -Math.cos(r) * r + 0.25 * rng.normal();
      out[2 * k + 1] = sign * Math.sin(r) * r + 0.25 * rng.normal();
    }
    return out;
  },
};
