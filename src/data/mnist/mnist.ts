/**
 * Binarized MNIST as the BFN paper uses it (paper §7.1; official `data.py`): 28 x 28 grey images from the IDX files, dynamically
 * binarized (each pixel is 1 with probability intensity / 255, redrawn every time an image is used; the official
 * `bin_mnist` transform), a validation split of 1 % of the training set drawn with seed 2147483647, and the 10,000
 * test images. Pure functions over typed arrays; the files are read by scripts/lib/mnist-node.ts (Node) or
 * src/data/mnist/fetch.ts (browser).
 */
import { createRng, type Rng } from '../random';
import { IdxError, parseIdx } from './idx';

/** Pixels per image, and the image side. */
export const MNIST_PIXELS = 784;
export const MNIST_SIDE = 28;
/** Fraction of the training set held out for validation, and the seed of the split (official `data.py`). */
export const VALIDATION_FRACTION = 0.01;
export const VALIDATION_SPLIT_SEED = 2147483647;

/** A set of grey images: intensities 0..255, [count, 784] row-major, with their digit labels when known. */
export interface MnistImages {
  count: number;
  pixels: Uint8Array;
  labels?: Uint8Array;
}

/**
 * Builds an image set from the bytes of an images IDX file and (optionally) a labels IDX file.
 * @throws IdxError for a malformed file, images that are not 28 x 28, or label and image counts that differ.
 */
export function mnistFromIdx(imagesFile: Uint8Array, labelsFile?: Uint8Array, name = 'MNIST images'): MnistImages {
  const images = parseIdx(imagesFile, name, [MNIST_SIDE, MNIST_SIDE]);
  const count = images.dims[0]!;
  if (!labelsFile) return { count, pixels: images.data };
  const labels = parseIdx(labelsFile, `${name} (labels)`, []);
  if (labels.dims[0] !== count) throw new IdxError(`${name}: ${count} images but ${labels.dims[0]} labels`);
  return { count, pixels: images.data, labels: labels.data };
}

/**
 * Splits the training set into training and validation images (official `data.py`: 1 % held out with generator seed
 * 2147483647). The permutation is a Fisher-Yates shuffle driven by seedrandom's Alea seeded with that number, so the
 * split is fixed and reproducible here, though not index-for-index the one torch's `random_split` draws.
 * @returns the training and validation index lists (sorted, disjoint, covering 0..count-1).
 */
export function validationSplit(count: number, fraction = VALIDATION_FRACTION, seed = VALIDATION_SPLIT_SEED): { train: Uint32Array; validation: Uint32Array } {
  const order = Uint32Array.from({ length: count }, (_, k) => k);
  const rng = createRng(seed);
  for (let k = count - 1; k > 0; k--) {
    const j = Math.floor(rng.uniform() * (k + 1));
    const tmp = order[k]!;
    order[k] = order[j]!;
    order[j] = tmp;
  }
  const held = Math.round(count * fraction);
  return { train: order.slice(held).sort(), validation: order.slice(0, held).sort() };
}

/**
 * Dynamic binarization of a batch (official `bin_mnist`: torch.bernoulli(intensity / 255)): pixel p of image k is
 * class 1 ("on") when u < intensity / 255 for a fresh uniform u from `rng`.
 * @param images the source set. @param indices which images, `indices.length` of them. @returns class indices {0, 1} as float32 [indices.length * 784].
 * @throws RangeError for an index outside the set.
 */
export function binarizeBatch(images: MnistImages, indices: ArrayLike<number>, rng: Rng): Float32Array {
  const out = new Float32Array(indices.length * MNIST_PIXELS);
  for (let b = 0; b < indices.length; b++) {
    const index = indices[b]!;
    if (!(Number.isInteger(index) && index >= 0 && index < images.count)) throw new RangeError(`image index ${index} outside 0..${images.count - 1}`);
    const base = index * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) out[b * MNIST_PIXELS + p] = rng.uniform() * 255 < images.pixels[base + p]! ? 1 : 0;
  }
  return out;
}

/** Mean pixel intensity / 255 of a set: the expected fraction of "on" pixels after binarization (about 0.13 for MNIST). */
export function meanIntensity(images: MnistImages): number {
  let sum = 0;
  for (let k = 0; k < images.pixels.length; k++) sum += images.pixels[k]!;
  return sum / (255 * images.pixels.length);
}

/**
 * A reproducible stream of training batches: batch s draws `batch` indices uniformly from `pool` and binarizes them with an
 * RNG seeded by (seed, s), so a resumed run sees exactly the batches an uninterrupted run would.
 */
export function trainingBatch(images: MnistImages, pool: ArrayLike<number>, batch: number, seed: number, step: number): Float32Array {
  const rng = createRng(`mnist:${seed}:${step}`);
  const indices = Array.from({ length: batch }, () => pool[Math.floor(rng.uniform() * pool.length)]!);
  return binarizeBatch(images, indices, rng);
}
