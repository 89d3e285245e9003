/**
 * The Words view's settings, declared once as data (src/settings/setting.ts) and kept in the URL with names prefixed
 * `words`: words sampled in parallel, steps n, the seed, and which distribution the bars show. No TensorFlow.js here.
 */
import { enumSetting, intSetting, type Values } from '../../../settings/setting';
import { MAX_SEED } from '../../../settings/settings2d';
import { readSettings, writeSettings, type SettingMessage } from '../../../settings/url';
import { WORDS_SAMPLE_LIMITS } from '../../../engine/protocol';

/** The Words view's settings. */
export const SETTINGS_WORDS = {
  words: intSetting({
    url: 'wordsCount', label: 'Words', default: 16, min: 1, max: WORDS_SAMPLE_LIMITS.words, choices: [8, 12, 16, 24, 32, 48, 64],
    help: 'Words sampled in parallel, each of 8 positions.',
  }),
  steps: intSetting({
    url: 'wordsSteps', label: 'Steps n', default: 100, min: 1, max: 500, step: 1,
    help: 'Sampling steps n: n Bayesian updates of every position\'s categorical input distribution with accuracies alpha_i = beta1 (2i - 1) / n^2, then a last network call at t = 1.',
  }),
  seed: intSetting({
    url: 'wordsSeed', label: 'Seed', default: 1, min: 0, max: MAX_SEED, step: 1,
    help: 'Seeds the sampler\'s draws (the output distribution\'s samples and the sender noise): the same seed gives the same words.',
  }),
  bars: enumSetting({
    url: 'wordsBars', label: 'Bars show', default: 'output', values: ['output', 'input'] as const,
    help: 'The output distribution p_O(· | θ; t) (what the network predicts) or the input distribution θ (what it sees) of each position.',
  }),
} as const;

/** The view's settings (values). */
export type WordsSettings = Values<typeof SETTINGS_WORDS>;

/** Reads the settings from a query string: anything missing or invalid falls back to its default, with a message. */
export function readWordsUrl(search: string): { values: WordsSettings; messages: SettingMessage[] } {
  return readSettings(SETTINGS_WORDS, search);
}

/** `search` with the view's settings written in (defaults removed); every other parameter is kept. */
export function wordsSettingsToSearch(settings: WordsSettings, search: string): string {
  return writeSettings(SETTINGS_WORDS, settings, search);
}
