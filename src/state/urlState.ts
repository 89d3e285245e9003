/**
 * The playground's settings in the page URL, so that a link reproduces the view: dataset, seeds, every training and
 * sampling setting, playback speed and the visible layers. The settings, their defaults and limits are declared once
 * in src/settings/settings2d.ts; this module reads and writes them with the URL reader shared by every view
 * (src/settings/url.ts). Invalid or missing values fall back to their defaults, with a message for each invalid one;
 * nothing here throws.
 */
import { defaultsOf, numberProblem, type NumberSetting } from '../settings/setting';
import { SAMPLE_LIMITS, SETTINGS_2D, trainConfigOf as trainSettingsOf, type PlaygroundState } from '../settings/settings2d';
import { readSettings, writeSettings, type SettingMessage } from '../settings/url';
import type { Train2DConfig } from '../engine/protocol';

export { CUSTOM_DATASET, DATASET_IDS, LAYER_KEYS, SETTINGS_2D, type LayerKey, type PlaygroundState } from '../settings/settings2d';
export type { SettingMessage } from '../settings/url';

/** Which layers are visible. */
export type Layers = PlaygroundState['layers'];

/** The numeric settings. */
export type NumericKey = { [K in keyof typeof SETTINGS_2D]: (typeof SETTINGS_2D)[K] extends NumberSetting ? K : never }[keyof typeof SETTINGS_2D];

/** Limits of the numeric settings (inclusive), read from their declarations. */
export const LIMITS = Object.fromEntries(
  Object.entries(SETTINGS_2D).flatMap(([k, s]) => (s.type === 'int' || s.type === 'number' ? [[k, { min: s.min, max: s.max }]] : [])),
) as Record<NumericKey, { min: number; max: number }>;

/** The keys of {@link PlaygroundState} (the URL parameters it owns). */
export const STATE_KEYS = Object.keys(SETTINGS_2D) as (keyof PlaygroundState)[];

/** The defaults: what an empty URL gives. */
export const DEFAULT_STATE: PlaygroundState = Object.freeze(defaultsOf(SETTINGS_2D));

/** A problem with one numeric setting's value, in words, or null when it is valid. */
export function validateNumber(key: NumericKey, value: number): string | null {
  return numberProblem(SETTINGS_2D[key], value);
}

/**
 * Settings from a query string, with a message for every value that was reset: missing or invalid values take their
 * defaults, and an N x n above SAMPLE_LIMITS.pointSteps resets both N and n.
 */
export function readPlaygroundUrl(search: string): { values: PlaygroundState; messages: SettingMessage[] } {
  const { values: state, messages } = readSettings(SETTINGS_2D, search);
  if (state.samples * state.steps > SAMPLE_LIMITS.pointSteps) {
    const reason = `gives N × n = ${(state.samples * state.steps).toLocaleString('en')}, above the limit ${SAMPLE_LIMITS.pointSteps.toLocaleString('en')}`;
    messages.push({
      key: 'samples', param: 'samples', value: String(state.samples), reason,
      text: `Points N = ${state.samples} with steps n = ${state.steps} ${reason}; both reset to ${DEFAULT_STATE.samples} and ${DEFAULT_STATE.steps}.`,
    });
    state.samples = DEFAULT_STATE.samples;
    state.steps = DEFAULT_STATE.steps;
  }
  return { values: state, messages };
}

/** Settings from a query string (see {@link readPlaygroundUrl}, without the messages). */
export function stateFromSearch(search: string): PlaygroundState {
  return readPlaygroundUrl(search).values;
}

/** The query string for `state` (only values that differ from the defaults), keeping other parameters of `search`. */
export function stateToSearch(state: PlaygroundState, search: string): string {
  return writeSettings(SETTINGS_2D, state, search);
}

/** The training settings of a state, in the engine's shape (Train2DConfig). */
export function trainConfigOf(state: Parameters<typeof trainSettingsOf>[0]): Train2DConfig {
  return trainSettingsOf(state);
}
