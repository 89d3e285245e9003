/**
 * Which kinds of model (src/kinds/registry.ts) each view of src/ui/views.tsx uses, by view id, the default view
 * first. Kept apart from views.tsx (which imports every view's React code) so that the page's first module can read
 * it: the engine worker starts loading the opened view's session beside its backend, before React draws.
 */
import type { KindId } from '../engine/protocol';

/** The kinds each view calls, by view id (the same ids, in the same order, as VIEWS). */
export const VIEW_KINDS = {
  '2d': ['points2d'],
  mnist: ['mnist-binary'],
  'mnist-grey': ['mnist-grey'],
  words: ['words'],
  simplex: ['simplex'],
  learn: ['learn'],
} as const satisfies Record<string, readonly KindId[]>;

/** A view's id. */
export type ViewId = keyof typeof VIEW_KINDS;

/**
 * The kinds of the view that a page URL opens (`?view=<id>`; the default view when it names none or no view).
 * @param search the URL's query string, e.g. `location.search`.
 */
export function kindsOfSearch(search: string): readonly KindId[] {
  const id = new URLSearchParams(search).get('view');
  return id !== null && Object.hasOwn(VIEW_KINDS, id) ? VIEW_KINDS[id as ViewId] : VIEW_KINDS['2d'];
}
