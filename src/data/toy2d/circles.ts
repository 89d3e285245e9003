import type { Dataset2D } from './types';

/** Two concentric circles (radii 1 and 0.5) with jitter. */
export const circles: Dataset2D = {
  id: 'circles',
  name: 'Concentric circles',
  description: 'Two concentric rings.',
  generate(n, rng) {
    const out = new Float32Array(2 * n);
    for (let k = 0; k < n; k++) {
      const r = k % 2 === 0 ? 1 : 0.5;
      const a = 2 * Math.PI * rng.uniform();
      out[2 * k] = r * Math.cos(a) + 0.03 * rng.normal();
      out[2 * k + 1] = r * Math.sin(a) + 0.03 * rng.normal();
    }
    return out;
  },
};
