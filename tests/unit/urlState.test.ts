/**
 * The page's URL state for the network options (src/state/urlState.ts): `fourier` (Fourier features K, 0..12) and
 * `residual` (residual hidden layers) parse, fall back to their defaults when invalid, round-trip through the link and
 * reach the engine's training config; and the words the page uses for a network (src/train/network2d.ts).
 */
import { describe, expect, test } from 'vitest';
import { networkLabel, sameNetwork } from '../../src/train/network2d';
import { DEFAULT_STATE, LIMITS, stateFromSearch, stateToSearch, trainConfigOf, validateNumber } from '../../src/state/urlState';

describe('URL state: Fourier features and residual layers', () => {
  test('valid values are read', () => {
    for (const k of [0, 1, 4, 12]) expect(stateFromSearch(`?fourier=${k}`).fourier).toBe(k);
    expect(stateFromSearch('?residual=1').residual).toBe(true);
    expect(stateFromSearch('?residual=true').residual).toBe(true);
    expect(stateFromSearch('?residual=0').residual).toBe(false);
    expect(stateFromSearch('?residual=false').residual).toBe(false);
  });

  test.each(['13', '-1', '2.5', 'abc', '1e9', 'Infinity'])('fourier=%s falls back to the default', (value) => {
    expect(stateFromSearch(`?fourier=${value}&width=64`)).toMatchObject({ fourier: DEFAULT_STATE.fourier, width: 64 });
  });

  test.each(['yes', '2', 'TRUE', 'on', '-'])('residual=%s falls back to the default', (value) => {
    expect(stateFromSearch(`?residual=${value}&depth=2`)).toMatchObject({ residual: DEFAULT_STATE.residual, depth: 2 });
  });

  test('an empty value is the default; the defaults are what an empty URL gives', () => {
    expect(stateFromSearch('?fourier=&residual=')).toEqual(DEFAULT_STATE);
    expect(stateFromSearch('')).toEqual(DEFAULT_STATE);
    expect(LIMITS.fourier).toEqual({ min: 0, max: 12 });
  });

  test('both round-trip through the query string, and defaults are left out of it', () => {
    const changed = { ...DEFAULT_STATE, fourier: DEFAULT_STATE.fourier === 6 ? 3 : 6, residual: !DEFAULT_STATE.residual };
    const search = stateToSearch(changed, '?backend=wasm');
    const params = new URLSearchParams(search);
    expect(params.get('fourier')).toBe(String(changed.fourier));
    expect(params.get('residual')).toBe(String(changed.residual));
    expect(params.get('backend')).toBe('wasm');
    expect(stateFromSearch(search)).toEqual(changed);
    const plain = new URLSearchParams(stateToSearch(DEFAULT_STATE, ''));
    expect([plain.has('fourier'), plain.has('residual')]).toEqual([false, false]);
  });

  test('the training config carries them to the engine', () => {
    const config = trainConfigOf(stateFromSearch('?fourier=5&residual=1&width=256'));
    expect(config).toMatchObject({ fourierFeatures: 5, residual: true, width: 256 });
    expect(trainConfigOf(DEFAULT_STATE)).toMatchObject({ fourierFeatures: DEFAULT_STATE.fourier, residual: DEFAULT_STATE.residual });
  });

  test('the panel validates K as a whole number in 0..12', () => {
    expect(validateNumber('fourier', 4)).toBeNull();
    expect(validateNumber('fourier', 2.5)).toBe('enter a whole number');
    expect(validateNumber('fourier', 13)).toMatch(/between 0 and 12/);
  });
});

describe('network words and identity', () => {
  test('networkLabel names only the options in use', () => {
    expect(networkLabel({ width: 128, depth: 3 })).toBe('MLP 128 x 3');
    expect(networkLabel({ width: 256, depth: 3, fourierFeatures: 4, residual: true }, '×')).toBe('MLP 256 × 3, 4 Fourier features, residual');
    expect(networkLabel({ width: 64, depth: 2, fourierFeatures: 1, residual: false })).toBe('MLP 64 x 2, 1 Fourier feature');
    expect(networkLabel({ width: 64, depth: 2, fourierFeatures: 0, residual: true })).toBe('MLP 64 x 2, residual');
  });

  test('sameNetwork: Fourier features and residual layers make a different network; missing means none', () => {
    const base = trainConfigOf(DEFAULT_STATE);
    expect(sameNetwork(base, { ...base, learningRate: 1, batch: 7, emaDecay: 0 })).toBe(true);
    expect(sameNetwork(base, { ...base, fourierFeatures: (base.fourierFeatures ?? 0) + 1 })).toBe(false);
    expect(sameNetwork(base, { ...base, residual: !base.residual })).toBe(false);
    const { fourierFeatures: _k, residual: _r, ...old } = { ...base, fourierFeatures: 0, residual: false };
    expect(sameNetwork(old, { ...old, fourierFeatures: 0, residual: false })).toBe(true);
  });
});
