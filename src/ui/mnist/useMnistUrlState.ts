/** The MNIST view's sampling settings, kept in the page URL (history.replaceState) as they change. */
import { useCallback, useEffect, useState } from 'react';
import type { SettingMessage } from '../../settings/url';
import { mnistSettingsToSearch, readMnistUrl, type MnistSettings } from './mnistConfig';

/**
 * The URL's MNIST settings, an updater that merges a patch (the URL follows every change, other parameters stay), the
 * note to show when the URL's n was too large and was lowered (null otherwise), and the messages about the URL's
 * settings that were invalid and reset (empty when none).
 */
export function useMnistUrlState(): [MnistSettings, (patch: Partial<MnistSettings>) => void, string | null, readonly SettingMessage[]] {
  const [initial] = useState(() => readMnistUrl(location.search));
  const [state, setState] = useState<MnistSettings>(initial.settings);
  const update = useCallback((patch: Partial<MnistSettings>) => setState((s) => ({ ...s, ...patch })), []);
  useEffect(() => {
    const next = `${location.pathname}${mnistSettingsToSearch(state, location.search)}${location.hash}`;
    if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', next);
  }, [state]);
  return [state, update, initial.clamped, initial.messages];
}
