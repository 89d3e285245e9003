/**
 * The shipped models, read straight from models/<id>/ at build time (no copy in public/): each card and model.json
 * is bundled as JSON, each weights.bin is emitted as an asset and fetched on demand. The worker validates all three
 * before use. A dataset without a folder simply has no shipped model.
 */
const cards = import.meta.glob<unknown>('/models/*/card.json', { eager: true, import: 'default' });
const modelJsons = import.meta.glob<unknown>('/models/*/model.json', { eager: true, import: 'default' });
const weightUrls = import.meta.glob<string>('/models/*/weights.bin', { eager: true, query: '?url', import: 'default' });

import type { ShippedModelFiles } from './modelFile';

export type { ShippedModelFiles };

const byId = new Map<string, ShippedModelFiles>();
for (const [path, weightsUrl] of Object.entries(weightUrls)) {
  const id = /^\/models\/([^/]+)\/weights\.bin$/.exec(path)?.[1];
  if (!id) continue;
  const modelJson = modelJsons[`/models/${id}/model.json`];
  if (modelJson === undefined) continue;
  byId.set(id, { id, modelJson, card: cards[`/models/${id}/card.json`] ?? null, weightsUrl });
}

/** The shipped model of a dataset, or null when models/<id>/ has none. */
export function shippedModelFiles(datasetId: string): ShippedModelFiles | null {
  return byId.get(datasetId) ?? null;
}
