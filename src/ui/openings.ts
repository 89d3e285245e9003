/**
 * The page's side of the recorded openings (src/engine/opening.ts): finds and fetches models/<id>/opening.bin of a
 * shipped model, so that a view can play the first frames of its first run while the engine worker starts.
 */
import { decodeOpening, type Opening } from '../engine/client';
import { SHIPPED_GREY_ID, SHIPPED_MNIST_ID, SHIPPED_WORDS_ID } from '../engine/protocol';
import { SETTINGS_2D } from '../settings/settings2d';
import { kindsOfSearch } from './viewKinds';

/** The build's opening files, by model id (emitted as assets, fetched on demand). */
const urls = new Map<string, string>(
  Object.entries(import.meta.glob<string>('/models/*/opening.bin', { eager: true, query: '?url', import: 'default' }))
    .map(([path, url]) => [/^\/models\/([^/]+)\/opening\.bin$/.exec(path)?.[1] ?? '', url] as const)
    .filter(([id]) => id !== ''),
);

const fetched = new Map<string, Promise<Opening<unknown> | null>>();

/**
 * The recorded opening of shipped model `id`, or null when the build has none or it cannot be read (a warning is
 * logged then: the view simply waits for its live run). Fetched once per page.
 */
export function fetchOpening<P>(id: string): Promise<Opening<P> | null> {
  let opening = fetched.get(id);
  if (!opening) {
    const url = urls.get(id);
    opening = url === undefined
      ? Promise.resolve(null)
      : fetch(url)
        .then(async (response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return decodeOpening<unknown>(new Uint8Array(await response.arrayBuffer()));
        })
        .catch((err: unknown) => {
          console.warn(`The recorded opening of ${id} could not be read (${err instanceof Error ? err.message : String(err)}); the live run will show instead.`);
          return null;
        });
    fetched.set(id, opening);
  }
  return opening as Promise<Opening<P> | null>;
}

/**
 * The shipped model whose opening the page at `search` plays first: the 2D data set of `?dataset=` (or the default),
 * or the MNIST, grey-scale MNIST or words model; null for a view without one. The page's entry fetches it while React
 * loads (src/main.tsx), so that the view finds it ready.
 */
export function openingIdOfSearch(search: string): string | null {
  switch (kindsOfSearch(search)[0]) {
    case 'points2d':
      return new URLSearchParams(search).get('dataset') ?? SETTINGS_2D.dataset.default;
    case 'mnist-binary':
      return SHIPPED_MNIST_ID;
    case 'mnist-grey':
      return SHIPPED_GREY_ID;
    case 'words':
      return SHIPPED_WORDS_ID;
    default:
      return null;
  }
}
