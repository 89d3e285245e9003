/**
 * Every user setting of the grey-scale MNIST view, declared once as data (see ./setting.ts), kept in the URL with names
 * prefixed `grey`: the images and steps n of a sampling run, its seed, and the number of bins K (only the K of a
 * shipped model: 16). The data kind is discretized with sigma1^2 = 1e-3 (Graves et al. 2023, §5). No TensorFlow.js here.
 */
import { enumSetting, intSetting, type Values } from './setting';
import { MAX_SEED } from './settings2d';

/** The grey-scale MNIST view's sampling settings, kept in the URL. */
export const SETTINGS_MNIST_GREY = {
  images: intSetting({
    url: 'greyImages', label: 'Images', default: 16, min: 4, max: 16, choices: [4, 9, 16],
    help: 'Digits sampled in parallel (a square number, so that the grids are square).',
  }),
  steps: intSetting({
    url: 'greySteps', label: 'Steps n', default: 100, min: 1, max: 100, step: 1,
    help: 'Sampling steps n: n Bayesian updates of every pixel\'s Gaussian input distribution with accuracies alpha_i = sigma1^(-2i/n) (1 - sigma1^(2/n)), then a last network call at t = 1. The shipped model needs n of about 100: with few steps (n = 10 or 25) most of its samples come out with a light background.',
  }),
  seed: intSetting({
    url: 'greySeed', label: 'Seed', default: 1, min: 0, max: MAX_SEED, step: 1,
    help: 'Seeds the sampler\'s draws (the output distribution\'s samples and the sender noise), so the same seed gives the same digits.',
  }),
  K: enumSetting({
    url: 'greyK', label: 'Bins K', default: '16', values: ['16'],
    help: 'Grey levels per pixel. Only K = 16 is offered: it is the one K a shipped model was trained with (a model is trained for one K).',
  }),
} as const;

/** The grey-scale MNIST view's sampling settings (values). */
export type MnistGreySettings = Values<typeof SETTINGS_MNIST_GREY>;
