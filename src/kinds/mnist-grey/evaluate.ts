/**
 * The test-set negative log-likelihood bounds of a grey-scale MNIST BFN (discretized data, paper §5 and §7; official
 * `test.py`): for each test image, quantised to the K bins, the continuous-time loss L^inf (one t ~ U(0, 1) per image),
 * the discrete-time losses L^n (one step i ~ U{1..n} per image, 10 Monte-Carlo sender samples) and the reconstruction
 * loss L^r, averaged over the 784 pixels and divided by ln 2: bits per dimension, the unit of the paper's CIFAR-10
 * results. The reported values are means over the images of L^inf + L^r and L^n + L^r; the standard error is the
 * spread of the per-image values over sqrt(images). Every draw is seeded, so a re-run gives the same numbers.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mean as d3Mean, quantileSorted } from 'd3';
import { bfnLossPerVariable, bfnReconstructionPerVariable, sample, seededNoise, type BfnSpec, type Network } from '../../bfn';
import { MNIST_PIXELS, type MnistImages } from '../../data/mnist/mnist';
import { quantizeGreyBatch } from '../../data/mnist/grey';
import { meanAndSE } from '../../train/knnMetrics';

/** Settings of an evaluation; the defaults are what the model card reports. */
export interface EvalGreyOptions {
  /** Test images used (the first `images` of the set). */
  images: number;
  /** Step counts n of the discrete-time bounds. */
  steps: number[];
  seed: number;
  /** Images per network call. */
  batch: number;
}

export const DEFAULT_EVAL_GREY: EvalGreyOptions = { images: 10_000, steps: [10, 25, 100], seed: 20231, batch: 200 };

/** A mean and its standard error, bits per dimension. */
export interface BitsEstimate {
  value: number;
  se: number;
}

/** The result written into the model card. */
export interface EvalGreyResult {
  unit: 'bits per dimension';
  testImages: number;
  seed: number;
  reconstruction: BitsEstimate;
  /** L^inf + L^r. */
  continuous: BitsEstimate;
  /** L^n + L^r keyed by n. */
  discrete: Record<string, BitsEstimate>;
}

/**
 * The paper's nearest figure: CIFAR-10 with 256 bins, L^inf + L^r (Graves et al. 2023, §7, the discretized CIFAR-10
 * table's continuous-time row), with why it cannot be compared.
 */
export const GREY_PAPER = {
  continuous: 2.66,
  source: 'Graves et al. 2023, CIFAR-10 (8-bit, 256 bins), discretized-data BFN, L^inf + L^r, bits per dimension',
  note: 'Not comparable: CIFAR-10 is 32 x 32 x 3 natural images at 256 bins; this is 28 x 28 grey digits at 16 bins, mostly black background, which carry far fewer bits per dimension.',
};

/**
 * Bits per dimension of each image from per-variable losses in nats: the mean over an image's D variables divided
 * by ln 2 (nats per dimension / ln 2; official `test.py` reports the per-dimension mean).
 * @param natsSums per-image sums of the per-variable losses, nats. @param D variables per image (784 for MNIST).
 * @returns per-image bits per dimension. @throws RangeError for D < 1.
 */
export function bitsPerDimension(natsSums: ArrayLike<number>, D: number): Float64Array {
  if (!(Number.isInteger(D) && D >= 1)) throw new RangeError(`the number of dimensions must be a positive integer, got ${D}`);
  return Float64Array.from(natsSums, (v) => v / D / Math.LN2);
}

/** The mean of per-image values with its standard error (0 for a single image). */
function estimate(values: Float64Array): BitsEstimate {
  const { mean, se } = meanAndSE(values);
  return { value: mean, se: values.length > 1 ? se : 0 };
}

/**
 * Evaluates a network on a test set. @param spec a discretized spec. @param images the test images (grey levels).
 * @param net Psi(mu, t) -> (mu_eps, ln sigma_eps) [batch, 784, 2]. @param onProgress called with (done, total) work units.
 * @returns the bounds in bits per dimension. @throws RangeError when the spec is not discretized, `images` exceeds
 *   the set or a step count is not a positive integer.
 */
export async function evaluateMnistGrey(spec: BfnSpec, net: Network, images: MnistImages, options: Partial<EvalGreyOptions> = {}, onProgress?: (done: number, total: number) => void): Promise<EvalGreyResult> {
  if (spec.kind !== 'discretized') throw new RangeError(`a grey-scale MNIST model has a discretized spec, got ${spec.kind}`);
  const o = { ...DEFAULT_EVAL_GREY, ...options };
  if (!Number.isInteger(o.images) || o.images < 1 || o.images > images.count) throw new RangeError(`images must be an integer in 1..${images.count}, got ${o.images}`);
  for (const n of o.steps) if (!Number.isInteger(n) || n < 1) throw new RangeError(`step counts must be positive integers, got ${n}`);
  const N = o.images;
  // Rows: L^r, L^inf, then L^n for each n; one per image each.
  const rows = Array.from({ length: 2 + o.steps.length }, () => new Float64Array(N));
  const batches = Math.ceil(N / o.batch);
  const total = batches * rows.length;
  let done = 0;
  for (let b = 0; b < batches; b++) {
    const start = b * o.batch;
    const indices = Array.from({ length: Math.min(o.batch, N - start) }, (_, k) => start + k);
    const x = tf.tensor2d(quantizeGreyBatch(images, indices, spec.K), [indices.length, MNIST_PIXELS]);
    const bounds: (() => tf.Tensor)[] = [
      () => bfnReconstructionPerVariable(spec, net, x, seededNoise(o.seed * 101 + b * 7 + 1)),
      () => bfnLossPerVariable(spec, net, x, seededNoise(o.seed * 101 + b * 7 + 2), { type: 'inf' }),
      ...o.steps.map((n, k) => () => bfnLossPerVariable(spec, net, x, seededNoise(o.seed * 101 + b * 7 + 3 + k * 100_003), { type: 'n', n })),
    ];
    try {
      for (let r = 0; r < bounds.length; r++) {
        const sums = tf.tidy(() => tf.sum(bounds[r]!(), 1));
        const values = await sums.data();
        sums.dispose();
        rows[r]!.set(bitsPerDimension(values, MNIST_PIXELS), start);
        onProgress?.(++done, total);
        // Yield so a progress bar can draw.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    } finally {
      x.dispose();
    }
  }
  const [recon, inf, ...disc] = rows as [Float64Array, Float64Array, ...Float64Array[]];
  const plus = (a: Float64Array) => a.map((v, k) => v + recon[k]!);
  return {
    unit: 'bits per dimension', testImages: N, seed: o.seed,
    reconstruction: estimate(recon),
    continuous: estimate(plus(inf)),
    discrete: Object.fromEntries(o.steps.map((n, k) => [String(n), estimate(plus(disc[k]!))])),
  };
}

/** Settings of the samples' brightness check; the defaults are what the model card reports. */
export interface GreySampleCheckOptions {
  /** Samples drawn (in batches of 16, the view's grid). */
  samples: number;
  /** Sampling steps n (the view's default). */
  n: number;
  seed: number;
}

export const DEFAULT_GREY_SAMPLE_CHECK: GreySampleCheckOptions = { samples: 256, n: 100, seed: 7 };

/**
 * What a person sees first in a grid of grey-scale samples: how bright each image is. An image's brightness is the
 * mean of its pixels mapped from [-1, 1] to [0, 1] (0 black, 1 white). A "washed-out" image is brighter than 99.9 %
 * of the test images: the light-background failure where a sample settles on grey or white instead of a digit on
 * black, which the NLL bounds do not show.
 */
export interface GreySampleCheck {
  samples: number;
  n: number;
  seed: number;
  /** Mean brightness of the samples (SE over samples) and of the test images. */
  brightness: { value: number; se: number; data: number };
  /** The test images' 99.9th brightness percentile, the washed-out threshold. */
  threshold: number;
  /** Share of samples above the threshold (binomial SE); the test images' share is 0.001 by construction. */
  washedOut: { value: number; se: number; data: number };
}

/** Brightness in [0, 1] of each image of a [count * 784] array of values in [-1, 1]. */
export function imageBrightness(values: Float32Array, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    let s = 0;
    for (let p = 0; p < MNIST_PIXELS; p++) s += values[b * MNIST_PIXELS + p]!;
    out[b] = (s / MNIST_PIXELS + 1) / 2;
  }
  return out;
}

/**
 * Draws `samples` images with the original sampler (n steps; the final mode, as the view shows) and compares their
 * brightness with the test images' ({@link GreySampleCheck}).
 * @param images the test images. @throws RangeError for a non-discretized spec or counts that are not positive integers.
 */
export async function checkGreySamples(spec: BfnSpec, net: Network, images: MnistImages, options: Partial<GreySampleCheckOptions> = {}, onProgress?: (done: number, total: number) => void): Promise<GreySampleCheck> {
  if (spec.kind !== 'discretized') throw new RangeError(`a grey-scale MNIST model has a discretized spec, got ${spec.kind}`);
  const o = { ...DEFAULT_GREY_SAMPLE_CHECK, ...options };
  if (!(Number.isInteger(o.samples) && o.samples >= 1 && Number.isInteger(o.n) && o.n >= 1)) throw new RangeError(`samples and n must be positive integers, got ${o.samples}, ${o.n}`);
  const data = imageBrightness(quantizeGreyBatch(images, Array.from({ length: images.count }, (_, k) => k), spec.K), images.count);
  const threshold = quantileSorted(Array.from(data).sort((a, b) => a - b), 0.999)!;
  const drawn = new Float64Array(o.samples);
  const batches = Math.ceil(o.samples / 16);
  for (let b = 0; b < batches; b++) {
    const count = Math.min(16, o.samples - b * 16);
    const { samples } = await sample(spec, net, [count, MNIST_PIXELS], { n: o.n, noise: seededNoise(o.seed * 1009 + b) });
    drawn.set(imageBrightness(samples, count), b * 16);
    onProgress?.(b + 1, batches);
  }
  const { mean, se } = meanAndSE(drawn);
  const share = drawn.filter((v) => v > threshold).length / o.samples;
  return {
    samples: o.samples, n: o.n, seed: o.seed,
    brightness: { value: mean, se, data: d3Mean(data)! },
    threshold,
    washedOut: { value: share, se: Math.sqrt(share * (1 - share) / o.samples), data: data.filter((v) => v > threshold).length / images.count },
  };
}
