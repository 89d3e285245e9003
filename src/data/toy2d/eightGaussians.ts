import type { Dataset2D } from './types';

/** Eight small Gaussians evenly spaced on a circle (the standard mode-collapse test). */
export const eightGaussians: Dataset2D = {
  id: 'eight-gaussians',
  name: 'Eight Gaussians',
  description: 'Eight small Gaussian blobs on a circle.',
  point(_k, rng) {
    const c = Math.floor(rng.uniform() * 8);
    const a = (2 * Math.PI * c) / 8;
    return [Math.cos(a) + 0.08 * rng.normal(), Math.sin(a) + 0.08 * rng.normal()];
  },
};
