/**
 * Every user setting of the K = 3 simplex view, declared once as data (see ./setting.ts), kept in the URL with names
 * prefixed `sx` so that they never clash with the other views': the Bayesian flow distribution's class x, beta1 and t
 * (discrete data, beta(t) = beta1 t^2; Graves et al. 2023, §6), how its heat map is computed, the sample paths of the
 * sender / Bayesian update process, and the toy model's sampling run. No TensorFlow.js here.
 */
import { enumSetting, intSetting, numberSetting, type Values } from './setting';
import { MAX_SEED } from './settings2d';

/** Limits of the simplex view's worker calls: grid cells per edge, flow samples, paths, steps, model samples and samples x (n + 1). */
export const SIMPLEX_LIMITS = { grid: 80, heatmapSamples: 1_000_000, paths: 200, steps: 1000, samples: 2000, sampleFrames: 2000 * 101 } as const;

/** The simplex view's settings. */
export const SETTINGS_SIMPLEX = {
  x: intSetting({
    url: 'sxClass', label: 'Class x', default: 0, min: 0, max: 2, choices: [0, 1, 2],
    help: 'The data class x whose Bayesian flow distribution p_F(θ | x; t) is shown (classes 1, 2, 3 are the triangle’s corners; the URL holds 0, 1 or 2).',
  }),
  beta1: numberSetting({
    url: 'sxBeta1', label: 'β₁ (final accuracy)', default: 3, min: 0.05, max: 20, step: 0.05,
    help: 'The accuracy schedule’s end value β(1) = β₁ (dimensionless); β(t) = β₁ t². Larger β₁ moves θ further towards the corner of x by t = 1.',
  }),
  t: numberSetting({
    url: 'sxT', label: 'Time t', default: 0.5, min: 0, max: 1, step: 0.01,
    help: 'The flow time t in [0, 1]: the heat map shows p_F(θ | x; t) and the sample paths are drawn up to t.',
  }),
  method: enumSetting({
    url: 'sxMethod', label: 'Heat map', default: 'exact', values: ['exact', 'sampled'] as const,
    help: 'Exact: each cell’s probability by deterministic quadrature of the exact density (no sampling). Sampled: the share of flow samples θ = softmax(y) that fall in each cell.',
  }),
  samples: intSetting({
    url: 'sxSamples', label: 'Flow samples', default: 50_000, min: 1000, max: 1_000_000, choices: [10_000, 50_000, 200_000, 1_000_000],
    help: 'How many samples of p_F the sampled heat map bins (its noise shrinks as 1 / √samples).',
  }),
  grid: intSetting({
    url: 'sxGrid', label: 'Grid cells per edge', default: 40, min: 10, max: 80, choices: [20, 40, 60, 80],
    help: 'The heat map’s triangular grid: G cells along each edge, G² equal cells.',
  }),
  n: intSetting({
    url: 'sxN', label: 'Steps n', default: 50, min: 1, max: 1000, step: 1,
    help: 'Bayesian updates of each sample path: step i adds accuracy α_i = β₁ (2i − 1) / n², a sender sample y ~ N(α_i (3 e_x − 1), 3 α_i I).',
  }),
  paths: intSetting({
    url: 'sxPaths', label: 'Paths', default: 12, min: 1, max: 200, step: 1,
    help: 'Sample paths of θ under the sender / Bayesian update process with the true class x.',
  }),
  seed: intSetting({
    url: 'sxSeed', label: 'Seed', default: 1, min: 0, max: MAX_SEED, step: 1,
    help: 'Seeds the sampled heat map, the paths and the model’s samples: the same seed gives the same picture.',
  }),
  modelSteps: intSetting({
    url: 'sxModelSteps', label: 'Model steps n', default: 50, min: 1, max: 1000, step: 1,
    help: 'Sampling steps of the toy model (n Bayesian updates of all three variables, then the output mode at t = 1).',
  }),
  modelSamples: intSetting({
    url: 'sxModelSamples', label: 'Model samples', default: 500, min: 10, max: 2000, choices: [100, 500, 1000, 2000],
    help: 'Samples of the toy model drawn in parallel; the rule check and the joint table count them all, the triangles draw the first 20.',
  }),
} as const;

/** The simplex view's settings (values). */
export type SimplexSettings = Values<typeof SETTINGS_SIMPLEX>;
