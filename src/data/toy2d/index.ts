/**
 * The registry of built-in 2D datasets. Each lives in its own module; this file lists them and scales every
 * sample into [-DATA_EXTENT, DATA_EXTENT]^2, inside the continuous-data range [-1, 1] (paper §4).
 */
import { createRng, type Rng } from '../random';
import { checkerboard } from './checkerboard';
import { circles } from './circles';
import { eightGaussians } from './eightGaussians';
import { heart } from './heart';
import { pinwheel } from './pinwheel';
import { spirals } from './spirals';
import { swissRoll } from './swissRoll';
import { twoMoons } from './twoMoons';
import { DATA_EXTENT, type Dataset2D } from './types';

export type { Dataset2D } from './types';
export { DATA_EXTENT } from './types';

/** Every built-in dataset, in display order. */
export const DATASETS_2D: readonly Dataset2D[] = [twoMoons, eightGaussians, checkerboard, swissRoll, spirals, circles, pinwheel, heart];

/** Looks a dataset up by id. @throws Error naming the known ids when there is none. */
export function getDataset2D(id: string): Dataset2D {
  const d = DATASETS_2D.find((x) => x.id === id);
  if (!d) throw new Error(`unknown 2D dataset '${id}'; known: ${DATASETS_2D.map((x) => x.id).join(', ')}`);
  return d;
}

/** n raw points of a dataset, [n, 2] row-major. */
function generate(d: Dataset2D, n: number, rng: Rng): Float32Array {
  const out = new Float32Array(2 * n);
  for (let k = 0; k < n; k++) out.set(d.point(k, rng), 2 * k);
  return out;
}

/**
 * A reference scale per dataset: the largest |coordinate| of a large fixed sample, so that every draw of the same
 * dataset is scaled identically (a fresh sample's own maximum would move with the seed).
 */
const scaleCache = new Map<string, number>();
function referenceScale(d: Dataset2D): number {
  let s = scaleCache.get(d.id);
  if (s === undefined) {
    const ref = generate(d, 20000, createRng(`scale:${d.id}`));
    s = 0;
    for (const v of ref) s = Math.max(s, Math.abs(v));
    scaleCache.set(d.id, s);
  }
  return s;
}

/**
 * Draws n points of a dataset, scaled into [-0.9, 0.9]^2 and clipped to [-1, 1].
 * @param seed integer or string seed; the same seed gives the same points.
 * @returns Float32Array [n, 2] row-major. @throws Error for an unknown id or n not a positive integer.
 */
export function sampleDataset(id: string, n: number, seed: number | string): Float32Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`number of points must be a positive integer, got ${n}`);
  const d = getDataset2D(id);
  const raw = generate(d, n, createRng(`${id}:${seed}`));
  const scale = DATA_EXTENT / referenceScale(d);
  return raw.map((v) => Math.max(-1, Math.min(1, v * scale)));
}
