/**
 * Every user setting of the binarized-MNIST view, declared once as data (see ./setting.ts): the sampler's run (kept in
 * the URL, with names prefixed `mnist` so that they never clash with the 2D view's), the in-browser trainer's
 * learning rate and batch, and the limits of the network's size that the network factory and the model file check
 * (src/nets/mnistNet.ts MNIST_NET_LIMITS, src/kinds/mnist-binary/files.ts). The data kind is discrete with K = 2 and
 * the accuracy schedule beta(t) = beta1 t^2, beta1 = 9 (Graves et al. 2023, §6; official `model.py`,
 * `DiscreteBayesianFlow`). No TensorFlow.js here.
 */
import { SAMPLER_IDS } from '../bfn/samplerChoices';
import { enumSetting, intSetting, numberSetting, rangeOf, type Values } from './setting';
import { MAX_SEED } from './settings2d';

/** Limits of one recorded MNIST sampling run: images, steps, and images * (steps + 1) (the trajectory's size). */
export const MNIST_SAMPLE_LIMITS = { images: 64, steps: 1000, imageFrames: 64 * 201 } as const;

/** The MNIST view's sampling settings, kept in the URL. */
export const SETTINGS_MNIST = {
  images: intSetting({
    url: 'mnistImages', label: 'Images', default: 16, min: 16, max: MNIST_SAMPLE_LIMITS.images, choices: [16, 25, 36, 49, 64],
    help: 'Digits sampled in parallel (a square number, so that the grids are square); images × (n + 1) recorded images are limited.',
  }),
  steps: intSetting({
    url: 'mnistSteps', label: 'Steps n', default: 25, min: 1, max: MNIST_SAMPLE_LIMITS.steps, step: 1,
    help: 'Sampling steps n: n Bayesian updates of the pixels\' Bernoulli input distributions with accuracies alpha_i = beta1 (2i - 1) / n^2, then a last network call at t = 1.',
  }),
  seed: intSetting({
    url: 'mnistSeed', label: 'Seed', default: 1, min: 0, max: MAX_SEED, step: 1,
    help: 'Seeds the sampler\'s draws (the output distribution\'s samples and the sender noise), so the same seed gives the same digits.',
  }),
  sampler: enumSetting({
    url: 'mnistSampler', label: 'Sampler', default: 'original', values: SAMPLER_IDS,
    help: 'The original BFN sampler (n Bayesian updates with sender noise) or a BFN-Solver of Xue et al. 2024 (ODE or SDE, first or second order).',
  }),
} as const;

/** The MNIST view's sampling settings (values). */
export type MnistSettings = Values<typeof SETTINGS_MNIST>;

/** The in-browser trainer's settings the training panel offers (kept in the page, not in links). */
export const SETTINGS_MNIST_TRAIN = {
  learningRate: numberSetting({
    label: 'Learning rate', default: 1e-3, min: 1e-6, max: 1, presets: [3e-5, 1e-4, 3e-4, 1e-3, 2e-3, 3e-3],
    help: 'Peak learning rate of AdamW, reached after a linear warm-up; fine-tuning the shipped model starts at 1e-4.',
  }),
  batch: intSetting({
    label: 'Batch', default: 32, min: 1, max: 4096, choices: [8, 16, 32, 64, 128],
    help: 'Images per training step, each dynamically binarized afresh and paired with its own time t ~ U(0, 1) for the loss L^inf.',
  }),
} as const;

/** The default learning rate when fine-tuning the shipped model (smaller than from scratch, so as not to undo it). */
export const FINE_TUNE_LEARNING_RATE = 1e-4;

/** The size of the MNIST network (src/nets/mnistNet.ts): limits and the shipped model's size (not user controls in the page). */
export const SETTINGS_MNIST_NET = {
  width: intSetting({ label: 'Width', default: 1024, min: 16, max: 4096, help: 'Hidden width of the MLP over the whole 784-pixel image.' }),
  depth: intSetting({ label: 'MLP layers', default: 3, min: 1, max: 8, help: 'Layers of the MLP: the first maps the pixels to the width, the rest are residual.' }),
  convChannels: intSetting({
    label: 'Conv. channels', default: 0, min: 0, max: 64,
    help: 'Channels of the 3 × 3 convolution stack after the MLP: 0 (no convolutions) or 4 to 64.',
  }),
  convLayers: intSetting({ label: 'Conv. layers', default: 3, min: 2, max: 6, help: 'Layers of the 3 × 3 convolution stack when it has channels (the last maps to one logit).' }),
} as const;

/** The network's size limits as [min, max] pairs (MNIST_NET_LIMITS of src/nets/mnistNet.ts). */
export const MNIST_NET_SIZE_LIMITS = {
  width: rangeOf(SETTINGS_MNIST_NET.width),
  depth: rangeOf(SETTINGS_MNIST_NET.depth),
  convChannels: rangeOf(SETTINGS_MNIST_NET.convChannels),
  convLayers: rangeOf(SETTINGS_MNIST_NET.convLayers),
} as const;

/**
 * The trainer's defaults (`npm run train -- mnist-binary`; DEFAULT_TRAIN_MNIST of src/kinds/mnist-binary/trainer.ts): AdamW with
 * the official config's betas (0.9, 0.98) and weight decay 0.01, gradient clipping at global norm 5, a linear
 * warm-up, and an EMA of the weights for sampling.
 */
export const MNIST_TRAIN_DEFAULTS = {
  batch: 64, learningRate: SETTINGS_MNIST_TRAIN.learningRate.default, warmupSteps: 500, beta1Adam: 0.9, beta2Adam: 0.98, weightDecay: 0.01, clipNorm: 5, emaDecay: 0.999, seed: 1,
} as const;

/**
 * The in-browser trainer's defaults: the trainer's, with a smaller batch, a shorter warm-up and a faster EMA, so
 * that a few minutes in a browser show progress.
 */
export const MNIST_UI_TRAIN_DEFAULTS = { ...MNIST_TRAIN_DEFAULTS, batch: SETTINGS_MNIST_TRAIN.batch.default, warmupSteps: 100, emaDecay: 0.99 } as const;

/** The most steps n a run of `images` images may record: images * (n + 1) <= MNIST_SAMPLE_LIMITS.imageFrames. */
export function maxStepsFor(images: number): number {
  return Math.max(1, Math.min(MNIST_SAMPLE_LIMITS.steps, Math.floor(MNIST_SAMPLE_LIMITS.imageFrames / Math.max(1, images)) - 1));
}
