/** The playground's settings, kept in the page URL (history.replaceState) as they change. */
import { useCallback, useEffect, useState } from 'react';
import { readPlaygroundUrl, stateToSearch, type PlaygroundState, type SettingMessage } from '../../state/urlState';

/**
 * The URL's settings, an updater that merges a patch (the URL follows every change), and the messages about the
 * settings of the URL the page was opened with that were invalid and reset (empty when none).
 */
export function useUrlState(): [PlaygroundState, (patch: Partial<PlaygroundState>) => void, readonly SettingMessage[]] {
  const [initial] = useState(() => readPlaygroundUrl(location.search));
  const [state, setState] = useState<PlaygroundState>(initial.state);
  const update = useCallback((patch: Partial<PlaygroundState>) => setState((s) => ({ ...s, ...patch })), []);
  useEffect(() => {
    const next = `${location.pathname}${stateToSearch(state, location.search)}${location.hash}`;
    if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', next);
  }, [state]);
  return [state, update, initial.messages];
}
