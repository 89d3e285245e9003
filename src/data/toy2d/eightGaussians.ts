import type { Dataset2D } from './types';

/** Eight small Gaussians evenly spaced on a circle (the standard mode-collapse test). */
export const eightGaussians: Dataset2D = {
  id: 'eight-gaussians',
  name: 'Eight Gaussians',
  description: 'Eight small Gaussian blobs on a circle.',
  generate(n, rng) {
    const out = new Float32Array(2 * n);
    for (let k = 0; k < n; k++) {
      const c = Math.floor(rng.uniform() * 8);
      const a = (2 * Math.PI * c) / 8;
      out[2 * k] = Math.cos(a) + 0.08 * rng.normal();
      out[2 * k + 1] = Math.sin(a) + 0.08 * rng.normal();
    }
    return out;
  },
};
