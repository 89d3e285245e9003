/**
 * The test-set negative log-likelihood bounds of a binarized-MNIST BFN, as the paper reports them (§7.1; official `test.py`):
 * for each test image, dynamically binarized once per evaluation, the continuous-time loss L^inf (one t ~ U(0, 1)
 * per image), the discrete-time losses L^n (one step i ~ U{1..n} per image, 10 Monte-Carlo sender samples, the
 * paper's receiver) and the reconstruction loss L^r, all summed over the 784 pixels: nats per image. The reported
 * values are means over the images of L^inf + L^r and L^n + L^r; the standard error is the spread of the per-image
 * values over sqrt(images). Every draw is seeded, so a re-run with the same seed gives the same numbers.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bfnLossPerVariable, bfnReconstructionPerVariable, sample, seededNoise, type BfnSpec, type Network } from '../../bfn';
import { binarizeBatch, MNIST_PIXELS, type MnistImages } from '../../data/mnist/mnist';
import { createRng } from '../../data/random';
import { meanAndSE } from '../../train/knnMetrics';

/** Settings of an evaluation; the defaults are what the model card reports. */
export interface EvalMnistOptions {
  /** Test images used (the first `images` of the set). */
  images: number;
  /** Step counts n of the discrete-time bounds. */
  steps: number[];
  seed: number;
  /** Images per network call. */
  batch: number;
}

export const DEFAULT_EVAL_MNIST: EvalMnistOptions = { images: 10_000, steps: [10, 25, 50, 100, 784], seed: 20231, batch: 500 };

/** A mean and its standard error, nats per image. */
export interface Estimate {
  value: number;
  se: number;
}

/** The result written into the model card. */
export interface EvalMnistResult {
  unit: 'nats per image';
  testImages: number;
  seed: number;
  reconstruction: Estimate;
  /** L^inf + L^r. */
  continuous: Estimate;
  /** L^n + L^r keyed by n. */
  discrete: Record<string, Estimate>;
}

/** The mean of per-image values with its standard error (0 for a single image, which has no spread to measure). */
function estimate(values: Float64Array): Estimate {
  const { mean, se } = meanAndSE(values);
  return { value: mean, se: values.length > 1 ? se : 0 };
}

/**
 * Evaluates a network on a test set. @param images the test images. @param net Psi(2 theta_0 - 1, t) -> logits
 * [batch, 784, 1]. @param onProgress called with (done, total) work units.
 * @throws RangeError when `images` exceeds the set or a step count is not a positive integer.
 */
export async function evaluateMnist(spec: BfnSpec, net: Network, images: MnistImages, options: Partial<EvalMnistOptions> = {}, onProgress?: (done: number, total: number) => void): Promise<EvalMnistResult> {
  const o = { ...DEFAULT_EVAL_MNIST, ...options };
  if (!Number.isInteger(o.images) || o.images < 1 || o.images > images.count) throw new RangeError(`images must be an integer in 1..${images.count}, got ${o.images}`);
  for (const n of o.steps) if (!Number.isInteger(n) || n < 1) throw new RangeError(`step counts must be positive integers, got ${n}`);
  const N = o.images;
  const recon = new Float64Array(N);
  const inf = new Float64Array(N);
  const disc = o.steps.map(() => new Float64Array(N));
  const batches = Math.ceil(N / o.batch);
  const total = batches * (2 + o.steps.length);
  let done = 0;
  const perImage = async (lossPerVariable: tf.Tensor, into: Float64Array, offset: number) => {
    const sums = tf.tidy(() => tf.sum(lossPerVariable, 1));
    lossPerVariable.dispose();
    const values = await sums.data();
    sums.dispose();
    into.set(Float64Array.from(values), offset);
    onProgress?.(++done, total);
    // Yield so a progress bar can draw.
    await new Promise((r) => setTimeout(r, 0));
  };
  for (let b = 0; b < batches; b++) {
    const start = b * o.batch;
    const indices = Array.from({ length: Math.min(o.batch, N - start) }, (_, k) => start + k);
    // One binarization per image, shared by all the bounds of that image.
    const x = tf.tensor2d(binarizeBatch(images, indices, createRng(`mnist-eval:${o.seed}:${b}`)), [indices.length, MNIST_PIXELS]);
    try {
      await perImage(bfnReconstructionPerVariable(spec, net, x, seededNoise(o.seed * 101 + b * 7 + 1)), recon, start);
      await perImage(bfnLossPerVariable(spec, net, x, seededNoise(o.seed * 101 + b * 7 + 2), { type: 'inf' }), inf, start);
      for (let k = 0; k < o.steps.length; k++) {
        await perImage(bfnLossPerVariable(spec, net, x, seededNoise(o.seed * 101 + b * 7 + 3 + k * 100_003), { type: 'n', n: o.steps[k]!, receiver: 'paper' }), disc[k]!, start);
      }
    } finally {
      x.dispose();
    }
  }
  const plus = (a: Float64Array) => a.map((v, k) => v + recon[k]!);
  return {
    unit: 'nats per image', testImages: N, seed: o.seed,
    reconstruction: estimate(recon),
    continuous: estimate(plus(inf)),
    discrete: Object.fromEntries(o.steps.map((n, k) => [String(n), estimate(plus(disc[k]!))])),
  };
}

/** The share of on-pixels of a model's samples beside the data's, for one step count n. */
export interface OnShare {
  /** Sampling steps n. */
  steps: number;
  /** Samples drawn. */
  samples: number;
  /** Share of pixels on in the samples (class 1), with its standard error over the samples. */
  model: Estimate;
  /** Expected share of pixels on in the dynamically binarized test images: the mean intensity / 255. */
  data: number;
}

/**
 * How dark the samples are against the data: the share of on-pixels in `count` samples (sampler of paper §6,
 * Algorithm 3 for discrete data; official `BFN.sample`, whose answer is the mode of p_O at t = 1) with n steps,
 * beside its expectation under the dynamic binarization of the test images (each pixel on with probability
 * intensity / 255). A speckled or faint model shows here although its NLL looks fine.
 * @param images the test images. @param count samples, drawn in batches of `batch`. @param seed seeds the sampler.
 * @returns one {@link OnShare} per n of `stepCounts`. @throws RangeError for a non-positive count or step count.
 */
export async function onPixelShare(spec: BfnSpec, net: Network, images: MnistImages, stepCounts: number[], count = 1000, seed = 1, batch = 250): Promise<OnShare[]> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  let total = 0;
  for (let k = 0; k < images.count * MNIST_PIXELS; k++) total += images.pixels[k]!;
  const data = total / 255 / (images.count * MNIST_PIXELS);
  const results: OnShare[] = [];
  for (const n of stepCounts) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`step counts must be positive integers, got ${n}`);
    const perSample = new Float64Array(count);
    for (let start = 0; start < count; start += batch) {
      const rows = Math.min(batch, count - start);
      const { samples } = await sample(spec, net, [rows, MNIST_PIXELS], { n, noise: seededNoise(seed * 1_000_003 + n * 1009 + start) });
      for (let r = 0; r < rows; r++) {
        let on = 0;
        for (let p = 0; p < MNIST_PIXELS; p++) on += samples[r * MNIST_PIXELS + p]!;
        perSample[start + r] = on / MNIST_PIXELS;
      }
    }
    results.push({ steps: n, samples: count, model: estimate(perSample), data });
  }
  return results;
}
