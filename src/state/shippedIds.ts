/// <reference types="vite/client" />
/**
 * Which data sets the build ships a model for (models/<id>/), for the page's data-set picker. Only the folders' names
 * and the weights' URLs reach the page bundle: the worker finds, downloads and validates the model files themselves
 * (src/train/shippedModels.ts, src/engine/session.ts ModelStore).
 */
// Eager with ?url: only the asset URLs (strings) reach the bundle; a lazy glob would emit one never-loaded chunk per model.
const weightUrls = import.meta.glob<string>('/models/*/weights.bin', { eager: true, query: '?url', import: 'default' });

/** Ids of the data sets that have a shipped model, sorted. */
export function shippedModelIds(): string[] {
  return Object.keys(weightUrls)
    .map((path) => /^\/models\/([^/]+)\/weights\.bin$/.exec(path)?.[1])
    .filter((id): id is string => id !== undefined)
    .sort();
}
