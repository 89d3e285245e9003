/** The MNIST view's sampling settings, kept in the page URL (history.replaceState) as they change. */
import { useCallback, useEffect, useState } from 'react';
import { mnistSettingsFromSearch, mnistSettingsToSearch, mnistUrlClampNote, type MnistSettings } from './mnistConfig';

/**
 * The URL's MNIST settings, an updater that merges a patch (the URL follows every change, other parameters stay), and
 * the note to show when the URL's n was too large and was lowered (null otherwise).
 */
export function useMnistUrlState(): [MnistSettings, (patch: Partial<MnistSettings>) => void, string | null] {
  const [state, setState] = useState<MnistSettings>(() => mnistSettingsFromSearch(location.search));
  const [clamped] = useState(() => mnistUrlClampNote(location.search));
  const update = useCallback((patch: Partial<MnistSettings>) => setState((s) => ({ ...s, ...patch })), []);
  useEffect(() => {
    const next = `${location.pathname}${mnistSettingsToSearch(state, location.search)}${location.hash}`;
    if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', next);
  }, [state]);
  return [state, update, clamped];
}
