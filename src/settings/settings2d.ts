/**
 * Every user setting of the 2D playground, declared once as data (see ./setting.ts): the data set, the training
 * settings of the continuous-data BFN (Graves et al. 2023, §4: sigma1 of the accuracy schedule
 * beta(t) = sigma1^(-2t) - 1, the loss L^inf or L^n; official `model.py`, `CtsBayesianFlow`), the MLP's size, the
 * sampler and its run, the live metric and the view. The URL reader/writer (src/state/urlState.ts), the controls and
 * the worker's checks (src/nets/mlp.ts MLP_LIMITS, src/kinds/points2d/trainer.ts DEFAULT_TRAIN_2D, src/kinds/points2d/session.ts
 * validateConfig) all read these declarations. No TensorFlow.js here.
 */
import { SAMPLER_IDS } from '../bfn/samplerChoices';
import { DATASETS_2D } from '../data/toy2d';
import { booleanSetting, defaultsOf, enumSetting, intSetting, listSetting, numberSetting, rangeOf, type Values } from './setting';

/** Limits of one recorded sampling run: N points, n steps, and N * n (the trajectory's size, kept in memory). */
export const SAMPLE_LIMITS = { points: 5000, steps: 1000, pointSteps: 500_000 } as const;

/** Id of the user's own points (drawn or uploaded). */
export const CUSTOM_DATASET = 'custom';

/** Every dataset id the URL accepts: the built-ins and {@link CUSTOM_DATASET}. */
export const DATASET_IDS: [string, ...string[]] = [CUSTOM_DATASET, ...DATASETS_2D.map((d) => d.id)];

/** The plot's layers, in drawing order. */
export const LAYER_KEYS = ['data', 'y', 'paths', 'mu', 'xhat'] as const;
/** One of {@link LAYER_KEYS}. */
export type LayerKey = (typeof LAYER_KEYS)[number];

/** The largest seed any control accepts (2^31 - 1). */
export const MAX_SEED = 2 ** 31 - 1;

const seed = (url: string, help: string) => intSetting({ url, label: 'Seed', help, default: 1, min: 0, max: MAX_SEED, step: 1 });

/** The 2D playground's settings, by key (the key is also the URL name except where `url` says otherwise). */
export const SETTINGS_2D = {
  dataset: enumSetting({
    url: 'dataset', label: 'Data set', default: 'two-moons', values: DATASET_IDS,
    help: 'The data distribution the BFN learns: a built-in 2D toy set, or your own drawn or uploaded points ("custom").',
  }),
  seed: seed('seed', 'Seeds the network\'s initial weights, the order of the training batches and the training points drawn from the data set.'),
  lr: numberSetting({
    url: 'lr', label: 'Learning rate', default: 5e-3, min: 1e-6, max: 10,
    presets: [1e-4, 3e-4, 1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 3e-2, 0.1, 1],
    help: 'Adam\'s step size for the network\'s weights; too large a rate makes the loss diverge.',
  }),
  batch: intSetting({
    url: 'batch', label: 'Batch size', default: 256, min: 1, max: 4096, presets: [16, 32, 64, 128, 256, 512, 1024, 2048],
    help: 'Data points per training step; each gets its own time t and its own draw mu of the Bayesian flow distribution p_F(mu | x; t).',
  }),
  sigma1: numberSetting({
    url: 'sigma1', label: 'σ₁', default: 0.02, min: 0.001, max: 0.5, presets: [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2],
    help: 'sigma1 of the continuous-data accuracy schedule beta(t) = sigma1^(-2t) - 1: the input distribution\'s standard deviation at t = 1 (smaller: sharper samples, harder training).',
  }),
  loss: enumSetting({
    url: 'loss', label: 'Loss', default: 'inf', values: ['inf', 'n'] as const,
    help: 'The training loss: the continuous-time loss L^inf (t ~ U(0, 1)), or the discrete-time loss L^n with n steps (t = (i - 1)/n).',
  }),
  lossN: intSetting({
    url: 'lossN', label: 'n of L^n', default: 20, min: 1, max: 1000, step: 1,
    help: 'Steps n of the discrete-time loss L^n: the sender accuracies alpha_i = beta(i/n) - beta((i - 1)/n) of n Bayesian updates.',
  }),
  width: intSetting({
    url: 'width', label: 'Width', default: 128, min: 1, max: 1024, presets: [8, 16, 32, 64, 128, 256, 512, 1024],
    help: 'Units in each hidden layer of the network Psi(mu, t) that predicts the noise eps_hat.',
  }),
  depth: intSetting({
    url: 'depth', label: 'Hidden layers', default: 3, min: 1, max: 8, presets: [1, 2, 3, 4, 5, 6, 7, 8],
    help: 'Hidden layers of the network Psi(mu, t).',
  }),
  fourier: intSetting({
    url: 'fourier', label: 'Fourier features', default: 5, min: 0, max: 12, presets: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    help: 'K: the first layer also reads sin(2^k pi mu) and cos(2^k pi mu) for k < K, which lets a small network draw thin structures (0 = off).',
  }),
  residual: booleanSetting({
    url: 'residual', label: 'Residual layers', default: false,
    help: 'Hidden layers after the first add their input back, h + swish(h W + b), which keeps fine detail in deeper networks.',
  }),
  ema: numberSetting({
    url: 'ema', label: 'Weight averaging', default: 0.99, min: 0, max: 0.9999, presets: [0, 0.9, 0.99, 0.995, 0.999],
    help: 'Decay of the exponential moving average of the weights that sampling and the metric use (0 = off: the raw weights).',
  }),
  samples: intSetting({
    url: 'samples', label: 'Points N', default: 1000, min: 1, max: SAMPLE_LIMITS.points, step: 1,
    help: 'Points sampled at once, each by its own run of the sampler from the prior mu = 0, rho = 1.',
  }),
  steps: intSetting({
    url: 'steps', label: 'Steps n', default: 100, min: 1, max: SAMPLE_LIMITS.steps, step: 1,
    help: 'Sampling steps n: n Bayesian updates with accuracies alpha_i, then a last network call at t = 1; N × n is limited.',
  }),
  sampleSeed: seed('sampleSeed', 'Seeds the sampler\'s noise (the sender samples y ~ N(x_hat, 1/alpha) of each step), so the same seed gives the same samples.'),
  sampler: enumSetting({
    url: 'sampler', label: 'Sampler', default: 'original', values: SAMPLER_IDS,
    help: 'The original BFN sampler (n Bayesian updates with sender noise) or a BFN-Solver of Xue et al. 2024 (ODE or SDE, first or second order).',
  }),
  evalPoints: intSetting({
    url: 'evalPoints', label: 'Metric samples', default: 500, min: 20, max: SAMPLE_LIMITS.points, presets: [100, 250, 500, 1000, 2000],
    help: 'Samples drawn for the live distance-to-data metric, compared with as many held-out data points.',
  }),
  evalSteps: intSetting({
    url: 'evalSteps', label: 'Metric steps', default: 50, min: 1, max: 200, presets: [10, 20, 50, 100],
    help: 'Sampling steps n of the samples the live metric draws.',
  }),
  speed: numberSetting({
    url: 'speed', label: 'Speed', default: 1, min: 0.1, max: 8, presets: [0.25, 0.5, 1, 2, 4],
    help: 'Playback speed of the trajectory from t = 0 to t = 1; 1 plays it in 5 seconds.',
  }),
  layers: listSetting({
    url: 'layers', label: 'Layers', none: 'none', values: LAYER_KEYS,
    default: { data: true, y: false, paths: true, mu: true, xhat: false },
    help: 'What the plot shows: the data, the sender samples y, the paths and input means mu, and the predictions x_hat.',
  }),
} as const;

/** The 2D playground's settings (values). */
export type PlaygroundState = Values<typeof SETTINGS_2D>;

/** The training settings of a state, in the trainer's shape (Train2DConfig of src/kinds/points2d/trainer.ts). */
export function trainConfigOf(state: Pick<PlaygroundState, 'sigma1' | 'loss' | 'lossN' | 'lr' | 'batch' | 'width' | 'depth' | 'residual' | 'fourier' | 'seed' | 'ema'>) {
  return {
    sigma1: state.sigma1,
    loss: state.loss === 'inf' ? ({ type: 'inf' } as const) : ({ type: 'n', n: state.lossN } as const),
    learningRate: state.lr,
    batch: state.batch,
    width: state.width,
    depth: state.depth,
    residual: state.residual,
    fourierFeatures: state.fourier,
    seed: state.seed,
    emaDecay: state.ema,
  };
}

/** The MLP's size limits as [min, max] pairs, for the network factory and the model-file check (src/nets/mlp.ts). */
export const MLP_SIZE_LIMITS = {
  width: rangeOf(SETTINGS_2D.width),
  depth: rangeOf(SETTINGS_2D.depth),
  fourierFeatures: rangeOf(SETTINGS_2D.fourier),
} as const;

/** The trainer's settings that an empty URL gives: the trainer's and the shipped models' defaults (DEFAULT_TRAIN_2D). */
export const DEFAULT_TRAIN_2D_SETTINGS = trainConfigOf(defaultsOf(SETTINGS_2D));
