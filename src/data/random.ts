/** Seeded pseudo-random numbers for data generation (seedrandom's Alea), so datasets are reproducible from a seed. */
import seedrandom from 'seedrandom';

/** A source of uniform [0, 1) numbers with Gaussian draws on top. */
export interface Rng {
  uniform(): number;
  /** A standard normal draw (Box-Muller). */
  normal(): number;
}

/** A reproducible {@link Rng} from a seed (any integer or string). */
export function createRng(seed: number | string): Rng {
  const next = seedrandom.alea(String(seed));
  return {
    uniform: () => next(),
    normal: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}
