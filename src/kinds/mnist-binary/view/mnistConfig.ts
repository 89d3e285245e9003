/**
 * Constants and small pure helpers of the MNIST view: image geometry, the choices its controls offer and the
 * in-browser trainer's settings (both read from the declarations in src/settings/settingsMnist.ts), reading and
 * writing the URL settings, and array helpers for frame-major trajectories.
 */
import type { MnistModelSource, TrainMnistConfig } from '../../../engine/client';
import { defaultsOf, numberProblem } from '../../../settings/setting';
import { MAX_SEED } from '../../../settings/settings2d';
import {
  FINE_TUNE_LEARNING_RATE, maxStepsFor, MNIST_SAMPLE_LIMITS, MNIST_UI_TRAIN_DEFAULTS, SETTINGS_MNIST, SETTINGS_MNIST_TRAIN, type MnistSettings,
} from '../../../settings/settingsMnist';
import { readSettings, writeSettings, type SettingMessage } from '../../../settings/url';

// The image geometry and array helpers, shared with the other MNIST views (src/ui/mnistGeometry.ts).
export { frameOffset, gridShape, meanOf, parseDecimal, PIXELS, SIDE, type PixelRef } from '../../../ui/mnistGeometry';

/** Images per sampling run the view offers (square numbers, so that the grids are square; declared in SETTINGS_MNIST). */
export const IMAGE_CHOICES: readonly number[] = SETTINGS_MNIST.images.choices ?? [];

export { MAX_SEED, maxStepsFor, FINE_TUNE_LEARNING_RATE, type MnistSettings };

/** Defaults of {@link MnistSettings}: 16 digits, n = 25, seed 1, the original sampler. */
export const DEFAULT_MNIST_SETTINGS: MnistSettings = Object.freeze(defaultsOf(SETTINGS_MNIST));

/** Why `steps` is not a valid n for `images` images, or null when it is (the limit named is the real one for `images`). */
export function stepsProblem(steps: number, images: number): string | null {
  if (!Number.isInteger(steps) || steps < SETTINGS_MNIST.steps.min) return `a whole number from ${SETTINGS_MNIST.steps.min}`;
  const max = maxStepsFor(images);
  if (steps > max) {
    return max >= MNIST_SAMPLE_LIMITS.steps
      ? `at most ${max.toLocaleString('en')}`
      : `at most ${max.toLocaleString('en')} with ${images} images (images × (n + 1) ≤ ${MNIST_SAMPLE_LIMITS.imageFrames.toLocaleString('en')})`;
  }
  return null;
}

/** The note shown when the URL asked for more steps than `images` images allow (n was lowered), else null. */
export function clampNote(images: number, max: number): string {
  return `n was lowered to ${max}: ${images} images × (n + 1) may be at most ${MNIST_SAMPLE_LIMITS.imageFrames.toLocaleString('en')} recorded images.`;
}

/** Why `seed` is not a valid seed, or null when it is. */
export function seedProblem(seed: number): string | null {
  return numberProblem(SETTINGS_MNIST.seed, seed) === null ? null : 'a whole number ≥ 0';
}

/**
 * Reads the view's settings from a query string with the URL reader shared by both views (src/settings/url.ts):
 * anything missing or invalid falls back to its default, with a message for each invalid value; a valid n larger
 * than the images allow (images × (n + 1) recorded images) is lowered to the most they allow, with `note` saying so.
 */
export function readMnistUrl(search: string): { values: MnistSettings; messages: SettingMessage[]; note: string | null } {
  const { values, messages } = readSettings(SETTINGS_MNIST, search);
  const max = maxStepsFor(values.images);
  let note: string | null = null;
  if (values.steps > max) {
    values.steps = max;
    note = clampNote(values.images, max);
  }
  return { values, messages, note };
}

/** The view's settings from a query string (see {@link readMnistUrl}, without the messages). */
export function mnistSettingsFromSearch(search: string): MnistSettings {
  return readMnistUrl(search).values;
}

/** `search` with the view's settings written in (defaults removed); every other parameter is kept. */
export function mnistSettingsToSearch(settings: MnistSettings, search: string): string {
  return writeSettings(SETTINGS_MNIST, settings, search);
}

/** Where the in-browser trainer starts: a fresh network, or the shipped model's weights. */
export type TrainMode = 'scratch' | 'finetune';

/**
 * The in-browser trainer's settings (smaller batch and shorter warm-up than the command line's, so that a few
 * minutes in a browser show progress). Fine-tuning uses {@link FINE_TUNE_LEARNING_RATE}.
 */
export const UI_TRAIN_MNIST: TrainMnistConfig = { net: {}, ...MNIST_UI_TRAIN_DEFAULTS };

/** Learning rates and batch sizes the training panel offers (declared in SETTINGS_MNIST_TRAIN). */
export const TRAIN_CHOICES = {
  learningRate: SETTINGS_MNIST_TRAIN.learningRate.presets ?? [],
  batch: SETTINGS_MNIST_TRAIN.batch.choices ?? [],
} as const;

/** The trainer's settings with a learning rate and batch (the network's size is the default, or the shipped one's when fine-tuning). */
export function trainConfigFor(learningRate: number, batch: number): TrainMnistConfig {
  return { ...UI_TRAIN_MNIST, learningRate, batch, net: {} };
}

/** Human words for each model source. */
export const SOURCE_WORDS: Record<MnistModelSource, string> = {
  shipped: 'the shipped model',
  trained: 'the network trained in this page',
  file: 'the loaded model',
};

/** How many values of `arrays` are NaN or infinite. */
export function countNonFinite(arrays: ArrayLike<number>[]): number {
  let bad = 0;
  for (const a of arrays) for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k]!)) bad++;
  return bad;
}

/** One L^n + L^r row of a card: the number of steps n and the estimate (nats per image) with its standard error. */
export interface BoundRow {
  n: number;
  value: number;
  se: number;
}

/**
 * What the L^n table may be read to say, in words. In expectation the discrete-time bound L^n + L^r falls as n grows
 * towards L^inf + L^r (Graves et al. 2023, §6 and the binarized-MNIST results), but each row is a Monte-Carlo
 * estimate with one draw per image (one step i and one sender sample), so neighbouring rows can swap. Every swap of
 * neighbouring rows (a larger n with a larger value) is named with its difference and the combined standard error
 * sqrt(se_a^2 + se_b^2); a swap larger than 2 combined SE is called out as more than noise.
 * @param rows the table's rows in any order (n >= 1).
 */
export function boundTrendNote(rows: readonly BoundRow[]): string {
  const sorted = [...rows].sort((a, b) => a.n - b.n);
  const swaps: { a: BoundRow; b: BoundRow; diff: number; se: number }[] = [];
  for (let k = 1; k < sorted.length; k++) {
    const a = sorted[k - 1]!;
    const b = sorted[k]!;
    if (b.value > a.value) swaps.push({ a, b, diff: b.value - a.value, se: Math.hypot(a.se, b.se) });
  }
  const expected = 'In expectation more steps n give a tighter (lower) bound, approaching the n = ∞ row.';
  if (swaps.length === 0) return `${expected} Each row is a one-draw-per-image Monte-Carlo estimate (± its standard error over images).`;
  const words = swaps.map((s) => `n = ${s.b.n} is ${s.diff.toFixed(2)} ± ${s.se.toFixed(2)} above n = ${s.a.n}`);
  const beyond = swaps.filter((s) => s.diff > 2 * s.se);
  const verdict =
    beyond.length === 0
      ? 'within two standard errors: Monte-Carlo noise, as each row is an estimate with one draw per image.'
      : `more than two standard errors for ${beyond.map((s) => `n = ${s.b.n}`).join(', ')}: more than the noise of the one-draw-per-image estimates, so the model or its evaluation deserves a look.`;
  return `${expected} Here ${words.join('; ')} (nats per image), ${verdict}`;
}
