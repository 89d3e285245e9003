/**
 * Grey-scale MNIST as discretized data with K bins (Graves et al. 2023, §5, the discretized CIFAR-10 setting applied
 * to MNIST's grey levels): an 8-bit intensity v becomes x = 2 v / 255 - 1 in [-1, 1], which is quantised to the centre
 * of its bin, k_c = (2k + 1)/K - 1 with k = clamp(floor((x/2 + 1/2) K), 0, K - 1) = min(floor(v K / 255), K - 1)
 * (official `data.py`, `rgb_image_transform`, and `utils_model.py`, `quantize`). Unlike binarized MNIST the data are
 * fixed: no redraw per use. Pure functions over typed arrays, shared by the Node scripts and the browser worker.
 */
import { createRng } from '../random';
import { MNIST_PIXELS, type MnistImages } from './mnist';

/** The bin index of an 8-bit intensity v: min(floor(v K / 255), K - 1). @throws RangeError for K < 2. */
export function greyLevelBin(v: number, K: number): number {
  if (!Number.isInteger(K) || K < 2) throw new RangeError(`the number of bins K must be an integer >= 2, got ${K}`);
  return Math.min(Math.floor((v * K) / 255), K - 1);
}

/**
 * The quantised value of every possible 8-bit intensity: table[v] = (2 k + 1)/K - 1 with k = {@link greyLevelBin}(v, K),
 * computed in float64 and stored as float32. @returns Float32Array(256). @throws RangeError for K < 2.
 */
export function greyLevelTable(K: number): Float32Array {
  return Float32Array.from({ length: 256 }, (_, v) => (2 * greyLevelBin(v, K) + 1) / K - 1);
}

/**
 * The discretized data of some images: pixel p of image b is the bin centre of its intensity (in [-1, 1]).
 * @param images the source set. @param indices which images. @returns float32 [indices.length * 784], row-major.
 * @throws RangeError for an index outside the set or K < 2.
 */
export function quantizeGreyBatch(images: MnistImages, indices: ArrayLike<number>, K: number): Float32Array {
  const table = greyLevelTable(K);
  const out = new Float32Array(indices.length * MNIST_PIXELS);
  for (let b = 0; b < indices.length; b++) {
    const index = indices[b]!;
    if (!(Number.isInteger(index) && index >= 0 && index < images.count)) throw new RangeError(`image index ${index} outside 0..${images.count - 1}`);
    const base = index * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) out[b * MNIST_PIXELS + p] = table[images.pixels[base + p]!]!;
  }
  return out;
}

/**
 * A reproducible training batch: `batch` indices drawn uniformly from `pool` with an RNG seeded by (seed, step), then
 * quantised. A resumed run sees exactly the batches an uninterrupted run would. @returns float32 [batch * 784].
 */
export function greyTrainingBatch(images: MnistImages, pool: ArrayLike<number>, batch: number, K: number, seed: number, step: number): Float32Array {
  const rng = createRng(`mnist-grey:${seed}:${step}`);
  const indices = Array.from({ length: batch }, () => pool[Math.floor(rng.uniform() * pool.length)]!);
  return quantizeGreyBatch(images, indices, K);
}
