/**
 * A view's settings kept in the page URL (history.replaceState) as they change, for every view: the 2D playground
 * (src/state/urlState.ts) and the MNIST view (src/kinds/mnist-binary/view/mnistConfig.ts) each give their reader and writer over
 * the declared settings of src/settings/; the other views' parameters in the URL stay.
 */
import { useCallback, useEffect, useState } from 'react';
import type { SettingMessage } from '../../settings/url';

/** What a view's URL reader returns: the settings, the messages about invalid values it reset, an optional note. */
export interface UrlRead<S> {
  values: S;
  messages: readonly SettingMessage[];
  /** A note about a value that was adjusted rather than reset (e.g. n lowered to fit the image count), or null. */
  note?: string | null;
}

/** The settings, an updater that merges a patch, and what reading the URL the page was opened with said. */
export interface UrlSettings<S> {
  state: S;
  update: (patch: Partial<S>) => void;
  messages: readonly SettingMessage[];
  note: string | null;
}

/**
 * Reads the view's settings from the URL once, then writes them back on every change.
 * @param read parses a query string. @param write the query string with the view's settings and the others kept.
 */
export function useUrlSettings<S>(read: (search: string) => UrlRead<S>, write: (state: S, search: string) => string): UrlSettings<S> {
  const [initial] = useState(() => read(location.search));
  const [state, setState] = useState<S>(initial.values);
  const update = useCallback((patch: Partial<S>) => setState((s) => ({ ...s, ...patch })), []);
  useEffect(() => {
    const next = `${location.pathname}${write(state, location.search)}${location.hash}`;
    if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', next);
  }, [state, write]);
  return { state, update, messages: initial.messages, note: initial.note ?? null };
}
