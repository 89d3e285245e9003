/**
 * The playground's settings as one typed schema (zod) with defaults and limits, read from and written to the page
 * URL, so that a link reproduces the view: dataset, seeds, every training and sampling setting, playback speed and
 * the visible layers. Invalid or missing values fall back to their defaults; nothing here throws.
 *
 * The numbers mirror the engine's own limits (MLP_LIMITS, DEFAULT_TRAIN_2D, SAMPLE_LIMITS); those modules import
 * TensorFlow.js, which must stay out of the page bundle, so they are restated here and a browser test checks that
 * they agree.
 */
import { z } from 'zod';
import { SAMPLER_IDS } from '../bfn/samplerChoices';
import { DATASETS_2D } from '../data/toy2d';
import { METRIC_SETTINGS, SAMPLE_LIMITS, type Train2DConfig } from '../engine/protocol';

/** Id of the user's own points (drawn or uploaded). */
export const CUSTOM_DATASET = 'custom';

/** Every dataset id the URL accepts: the built-ins and {@link CUSTOM_DATASET}. */
export const DATASET_IDS: [string, ...string[]] = [CUSTOM_DATASET, ...DATASETS_2D.map((d) => d.id)];

/** The plot's layers, in drawing order. */
export const LAYER_KEYS = ['data', 'y', 'paths', 'mu', 'xhat'] as const;
/** One of {@link LAYER_KEYS}. */
export type LayerKey = (typeof LAYER_KEYS)[number];
/** Which layers are visible. */
export type Layers = Record<LayerKey, boolean>;

/** Limits of the numeric settings (inclusive). */
export const LIMITS = {
  seed: { min: 0, max: 2 ** 31 - 1 },
  lr: { min: 1e-6, max: 10 },
  batch: { min: 1, max: 4096 },
  sigma1: { min: 0.001, max: 0.5 },
  lossN: { min: 1, max: 1000 },
  /** MLP_LIMITS of src/nets/mlp.ts. */
  width: { min: 1, max: 1024 },
  depth: { min: 1, max: 8 },
  /** Fourier features of the input per dimension (MLP_LIMITS.fourierFeatures). */
  fourier: { min: 0, max: 12 },
  ema: { min: 0, max: 0.9999 },
  samples: { min: 1, max: SAMPLE_LIMITS.points },
  steps: { min: 1, max: SAMPLE_LIMITS.steps },
  evalPoints: { min: 20, max: SAMPLE_LIMITS.points },
  evalSteps: { min: 1, max: 200 },
  speed: { min: 0.1, max: 8 },
} as const;

/** One of the numeric settings. */
export type NumericKey = keyof typeof LIMITS;

/** Keys whose values must be whole numbers. */
const INTEGER_KEYS: ReadonlySet<NumericKey> = new Set(['seed', 'batch', 'lossN', 'width', 'depth', 'fourier', 'samples', 'steps', 'evalPoints', 'evalSteps']);

const int = (key: NumericKey, fallback: number) => z.coerce.number().int().min(LIMITS[key].min).max(LIMITS[key].max).catch(fallback);
const num = (key: NumericKey, fallback: number) => z.coerce.number().min(LIMITS[key].min).max(LIMITS[key].max).catch(fallback);
/** A switch: `1`/`true` or `0`/`false` (what {@link stateToSearch} writes); anything else falls back. */
const flag = (fallback: boolean) => z.enum(['0', '1', 'false', 'true']).transform((v) => v === '1' || v === 'true').catch(fallback);

const DEFAULT_LAYERS: Layers = { data: true, y: false, paths: true, mu: true, xhat: false };

const layersSchema = z
  .string()
  .transform((s, ctx): Layers => {
    // 'none' is how a link says that every layer is off (an empty value would read as "use the defaults").
    const names = s === 'none' ? [] : s.split(',').map((x) => x.trim()).filter((x) => x !== '');
    if (!names.every((x) => (LAYER_KEYS as readonly string[]).includes(x))) {
      ctx.addIssue({ code: 'custom', message: 'unknown layer' });
      return z.NEVER;
    }
    return Object.fromEntries(LAYER_KEYS.map((k) => [k, names.includes(k)])) as Layers;
  })
  .catch({ ...DEFAULT_LAYERS });

/** The schema of the playground's URL state; every field falls back to its default when missing or invalid. */
export const playgroundSchema = z.object({
  /** Built-in dataset id, or 'custom' for the user's own points. */
  dataset: z.enum(DATASET_IDS).catch('two-moons'),
  /** Seed of the network's initialisation, the training batches and the training data. */
  seed: int('seed', 1),
  /** Adam's learning rate. */
  lr: num('lr', 5e-3),
  batch: int('batch', 256),
  /** sigma1 of the continuous-data accuracy schedule. */
  sigma1: num('sigma1', 0.02),
  /** Continuous-time L^inf or discrete-time L^n. */
  loss: z.enum(['inf', 'n']).catch('inf'),
  /** n of L^n. */
  lossN: int('lossN', 20),
  width: int('width', 128),
  depth: int('depth', 3),
  /** Fourier features K of the input: the first layer also reads sin(pi 2^k x), cos(pi 2^k x), k < K (0 = none). */
  fourier: int('fourier', 5),
  /** Residual hidden layers (h + swish(h W + b)). */
  residual: flag(false),
  /** Decay of the moving average of the weights that sampling uses (0 = off). */
  ema: num('ema', 0.99),
  /** Points sampled, N. */
  samples: int('samples', 1000),
  /** Sampling steps, n. */
  steps: int('steps', 100),
  /** Seed of the sampler's noise. */
  sampleSeed: int('seed', 1),
  /** The sampler: the original BFN sampler or a BFN-Solver (Xue et al. 2024). */
  sampler: z.enum(SAMPLER_IDS).catch('original'),
  /** Samples and sampling steps of the live distance-to-data metric. */
  evalPoints: int('evalPoints', METRIC_SETTINGS.points),
  evalSteps: int('evalSteps', METRIC_SETTINGS.steps),
  /** Playback speed, 1 = the whole trajectory in 5 seconds. */
  speed: num('speed', 1),
  layers: layersSchema,
});

/** The playground's settings. */
export type PlaygroundState = z.infer<typeof playgroundSchema>;

/** The keys of {@link PlaygroundState} (the URL parameters it owns). */
export const STATE_KEYS = Object.keys(playgroundSchema.shape) as (keyof PlaygroundState)[];

/** The defaults: what an empty URL gives. */
export const DEFAULT_STATE: PlaygroundState = Object.freeze(playgroundSchema.parse({}));

/** A problem with one numeric setting's value, in words, or null when it is valid. */
export function validateNumber(key: NumericKey, value: number): string | null {
  const { min, max } = LIMITS[key];
  if (!Number.isFinite(value)) return 'enter a number';
  if (INTEGER_KEYS.has(key) && !Number.isInteger(value)) return 'enter a whole number';
  if (value < min || value > max) return `between ${min} and ${max.toLocaleString('en')}`;
  return null;
}

/** Settings from a query string. Missing or invalid values take their defaults; an oversized N x n resets both. */
export function stateFromSearch(search: string): PlaygroundState {
  const params = new URLSearchParams(search);
  const raw: Record<string, string> = {};
  for (const key of STATE_KEYS) {
    const value = params.get(key);
    if (value !== null && value.trim() !== '') raw[key] = value.trim();
  }
  const state = playgroundSchema.parse(raw);
  if (state.samples * state.steps > SAMPLE_LIMITS.pointSteps) {
    state.samples = DEFAULT_STATE.samples;
    state.steps = DEFAULT_STATE.steps;
  }
  return state;
}

function layersToString(layers: Layers): string {
  return LAYER_KEYS.filter((k) => layers[k]).join(',') || 'none';
}

/** The query string for `state` (only values that differ from the defaults), keeping other parameters of `search`. */
export function stateToSearch(state: PlaygroundState, search: string): string {
  const params = new URLSearchParams(search);
  for (const key of STATE_KEYS) {
    const value = key === 'layers' ? layersToString(state.layers) : String(state[key]);
    const fallback = key === 'layers' ? layersToString(DEFAULT_STATE.layers) : String(DEFAULT_STATE[key]);
    if (value === fallback) params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The training settings of a state, in the engine's shape (Train2DConfig). */
export function trainConfigOf(state: Pick<PlaygroundState, 'sigma1' | 'loss' | 'lossN' | 'lr' | 'batch' | 'width' | 'depth' | 'residual' | 'fourier' | 'seed' | 'ema'>): Train2DConfig {
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
