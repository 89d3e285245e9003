/**
 * The page's entry: a small module that starts the engine worker first (TF.js, the backend's wasm binary and the
 * opened view's session begin loading at once), then loads React and the views (src/boot.tsx). The first frame of a
 * view waits for both; started one after the other, the worker began only once the page's whole bundle (React, D3,
 * KaTeX, every view: about 740 kB) had been fetched and run. App gets this same engine and the same backend answer
 * (both are made once).
 */
import { createEngine, engineOptionsFromUrl } from './engine/client';
import { fetchOpening, openingIdOfSearch } from './ui/openings';

try {
  void createEngine().init(engineOptionsFromUrl()).catch(() => undefined);
} catch {
  // No worker here: App makes the engine again and shows the error.
}

// The opened view's recorded opening (src/engine/opening.ts) downloads meanwhile too.
const opening = openingIdOfSearch(location.search);
if (opening !== null) void fetchOpening(opening);

void import('./boot');
