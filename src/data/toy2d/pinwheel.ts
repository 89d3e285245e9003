import type { Dataset2D } from './types';

/** Five curved blades around the origin (Johnson et al.'s pinwheel). */
export const pinwheel: Dataset2D = {
  id: 'pinwheel',
  name: 'Pinwheel',
  description: 'Five curved blades spinning out of the centre.',
  generate(n, rng) {
    const out = new Float32Array(2 * n);
    const blades = 5;
    for (let k = 0; k < n; k++) {
      const b = Math.floor(rng.uniform() * blades);
      const x = 1 + 0.3 * rng.normal();
      const y = 0.05 * rng.normal();
      const angle = (2 * Math.PI * b) / blades + 0.25 * Math.exp(x);
      out[2 * k] = x * Math.cos(angle) - y * Math.sin(angle);
      out[2 * k + 1] = x * Math.sin(angle) + y * Math.cos(angle);
    }
    return out;
  },
};
