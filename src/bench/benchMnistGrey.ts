/**
 * The grey-scale MNIST sampling benchmark: milliseconds for the BFN sampler (Graves et al. 2023, Algorithm 6,
 * discretized data; official `BFN.sample`) to draw 16 digits with n = 100 steps from the shipped model
 * (models/mnist-grey/), on whatever TF.js backend is active. For Node (`npm run bench`) and the browser worker alike:
 * the caller reads the model files and passes them in.
 */
import * as tf from '@tensorflow/tfjs-core';
import { timeSampling } from './timeSampling';
import { MNIST_PIXELS } from '../data/mnist/mnist';
import { decodeModel } from '../kinds/modelFiles';
import { MNIST_GREY_FILES } from '../kinds/mnist-grey/files';
import { createGreyNet, DEFAULT_GREY_NET, greySpec } from '../kinds/mnist-grey/trainer';

/** One backend's grey-scale MNIST sampling time. */
export interface MnistGreyBenchResult {
  backend: string;
  /** Milliseconds to sample `images` digits with `n` steps (median of the repeats, after a 2-step warm-up run). */
  sampleMs: number;
  images: number;
  n: number;
  repeats: number;
  K: number;
  parameters: number;
}

/**
 * Times sampling of a grey-scale MNIST model: 16 images, n = 100 steps (the original sampler, no trajectory recorded),
 * the median of `repeats` runs after a warm-up.
 * @param modelJson parsed model.json. @param weights weights.bin's bytes. @param repeats timed runs (>= 1).
 * @throws RangeError for a bad repeat count; ModelFileError when the files are not a valid grey-scale model.
 */
export async function benchMnistGrey(modelJson: unknown, weights: ArrayBuffer, repeats = 3, now: () => number = () => performance.now()): Promise<MnistGreyBenchResult> {
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`benchMnistGrey: repeats must be a positive integer, got ${repeats}`);
  const { spec, net } = decodeModel(MNIST_GREY_FILES, modelJson, weights);
  const images = 16;
  const n = 100;
  try {
    const times = (await timeSampling(spec, net.net, [images, MNIST_PIXELS], n, repeats, now)).sort((a, b) => a - b);
    return { backend: tf.getBackend(), sampleMs: times[Math.floor(times.length / 2)]!, images, n, repeats, K: spec.K, parameters: net.parameterCount };
  } finally {
    net.dispose();
  }
}

/**
 * The grey-scale kind's entry for the kinds' sampling benchmark (src/bench/benchKinds.ts): 16 digits with n = 100 from
 * a network of the shipped size (the trainer's default network) with untrained weights: the same cost, and the
 * browser worker cannot read the files. `time(repeats)` returns the milliseconds of each timed run.
 */
export const MNIST_GREY_SAMPLING_BENCH = {
  run: '16 digits, n = 100',
  async time(repeats: number): Promise<number[]> {
    const net = createGreyNet(DEFAULT_GREY_NET, 1);
    try {
      return await timeSampling(greySpec(), net.net, [16, MNIST_PIXELS], 100, repeats);
    } finally {
      net.dispose();
    }
  },
};
