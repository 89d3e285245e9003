/** The playground's settings, kept in the page URL (history.replaceState) as they change. */
import { useCallback, useEffect, useState } from 'react';
import { stateFromSearch, stateToSearch, type PlaygroundState } from '../../state/urlState';

/** The URL's settings and an updater that merges a patch; the URL follows every change. */
export function useUrlState(): [PlaygroundState, (patch: Partial<PlaygroundState>) => void] {
  const [state, setState] = useState<PlaygroundState>(() => stateFromSearch(location.search));
  const update = useCallback((patch: Partial<PlaygroundState>) => setState((s) => ({ ...s, ...patch })), []);
  useEffect(() => {
    const next = `${location.pathname}${stateToSearch(state, location.search)}${location.hash}`;
    if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', next);
  }, [state]);
  return [state, update];
}
