import type { Dataset2D } from './types';

/** Five curved blades around the origin (Johnson et al.'s pinwheel). */
export const pinwheel: Dataset2D = {
  id: 'pinwheel',
  name: 'Pinwheel',
  description: 'Five curved blades spinning out of the centre.',
  point(_k, rng) {
    const blades = 5;
    const b = Math.floor(rng.uniform() * blades);
    const x = 1 + 0.3 * rng.normal();
    const y = 0.05 * rng.normal();
    const angle = (2 * Math.PI * b) / blades + 0.25 * Math.exp(x);
    return [x * Math.cos(angle) - y * Math.sin(angle), x * Math.sin(angle) + y * Math.cos(angle)];
  },
};
