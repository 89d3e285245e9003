/**
 * The sampler panel's settings: one typed schema with defaults, limits and URL (de)serialisation, so a page's
 * state can be reproduced from its address (`?points=1000&steps=50&sigma1=0.02&net=optimal-eight&seed=1`).
 */
import { STANDIN_NETS, type StandinNet } from '../engine/protocol';

/** The settings of one sampling run. */
export interface SamplerSettings {
  points: number;
  steps: number;
  sigma1: number;
  net: StandinNet;
  seed: number;
}

/** Defaults: 1000 points, 50 steps, sigma1 = 0.02, the eight-point optimal denoiser, seed 1. */
export const DEFAULT_SETTINGS: SamplerSettings = { points: 1000, steps: 50, sigma1: 0.02, net: 'optimal-eight', seed: 1 };

/** Limits of the numeric settings (inclusive), with the step used by the inputs. */
export const LIMITS = {
  points: { min: 1, max: 20000, step: 1 },
  steps: { min: 1, max: 1000, step: 1 },
  sigma1: { min: 0.001, max: 0.5, step: 0.001 },
  seed: { min: 0, max: 2 ** 31 - 1, step: 1 },
} as const;

/** Human names of the stand-in networks. */
export const NET_LABELS: Record<StandinNet, string> = {
  'optimal-eight': 'Optimal denoiser: 8-point circle',
  'optimal-moons': 'Optimal denoiser: two moons',
  'toy-tanh': 'Toy tanh net (test vectors)',
};

type NumericKey = keyof typeof LIMITS;

/** A problem with one setting, in words, or null when it is valid. */
export function validate(key: NumericKey, value: number): string | null {
  const { min, max } = LIMITS[key];
  if (!Number.isFinite(value)) return 'enter a number';
  if (key !== 'sigma1' && !Number.isInteger(value)) return 'enter a whole number';
  if (value < min || value > max) return `between ${min} and ${max}`;
  return null;
}

/** Settings from a query string; invalid or missing values take their defaults. */
export function settingsFromUrl(search: string): SamplerSettings {
  const params = new URLSearchParams(search);
  const out: SamplerSettings = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(LIMITS) as NumericKey[]) {
    const raw = params.get(key);
    if (raw === null || raw.trim() === '') continue;
    const value = Number(raw);
    if (validate(key, value) === null) out[key] = value;
  }
  const net = params.get('net');
  if (net && (STANDIN_NETS as readonly string[]).includes(net)) out.net = net as StandinNet;
  return out;
}

/** The query string for `settings`, keeping unrelated parameters (such as backend) of `search`. */
export function settingsToUrl(settings: SamplerSettings, search: string): string {
  const params = new URLSearchParams(search);
  for (const key of ['points', 'steps', 'sigma1', 'net', 'seed'] as const) {
    if (settings[key] === DEFAULT_SETTINGS[key]) params.delete(key);
    else params.set(key, String(settings[key]));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}
