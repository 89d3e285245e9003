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

/** Ids of the datasets that have a shipped model. */
export function shippedModelIds(): string[] {
  return [...byId.keys()].sort();
}

/** Downloads a shipped model's weights.bin. @throws Error when the request fails. */
export async function fetchShippedWeights(files: ShippedModelFiles): Promise<ArrayBuffer> {
  const response = await fetch(files.weightsUrl);
  if (!response.ok) throw new Error(`could not download the shipped model's weights (${response.status} ${response.statusText})`);
  return response.arrayBuffer();
}
