import type { Dataset2D } from './types';

/** Points along a heart curve, x = 16 sin^3 s, y = 13 cos s - 5 cos 2s - 2 cos 3s - cos 4s, with jitter. */
export const heart: Dataset2D = {
  id: 'heart',
  name: 'Heart',
  description: 'A thin heart-shaped curve.',
  generate(n, rng) {
    const out = new Float32Array(2 * n);
    for (let k = 0; k < n; k++) {
      const s = 2 * Math.PI * rng.uniform();
      out[2 * k] = 16 * Math.sin(s) ** 3 + 0.4 * rng.normal();
      out[2 * k + 1] = 13 * Math.cos(s) - 5 * Math.cos(2 * s) - 2 * Math.cos(3 * s) - Math.cos(4 * s) + 0.4 * rng.normal();
    }
    return out;
  },
};
