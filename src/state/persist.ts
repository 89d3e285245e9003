/**
 * What survives a reload, in IndexedDB (idb-keyval): the user's own points and the last trained model with its
 * settings. Values read back are checked before use; anything malformed is treated as absent.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { PointsCard, PointsModelJson, Train2DConfig } from '../engine/protocol';

const KEYS = { points: 'custom-points', model: 'trained-model' } as const;

let store: UseStore | null = null;
/** The playground's object store, opened on first use. */
function db(): UseStore {
  store ??= createStore('bfn-playground', 'state');
  return store;
}

/** A trained model as saved: its files, the settings it trained with, and the dataset it trained on. */
export interface SavedModel {
  modelJson: PointsModelJson;
  weights: ArrayBuffer;
  card: PointsCard;
  config: Train2DConfig;
  dataset: string;
  savedAt: string;
}

/** The user's saved points, or null when there are none (or they cannot be read). */
export async function loadCustomPoints(): Promise<Float32Array | null> {
  const value: unknown = await get(KEYS.points, db());
  return value instanceof Float32Array && value.length % 2 === 0 ? value : null;
}

/** Saves the user's points (an empty array clears them). */
export async function saveCustomPoints(points: Float32Array): Promise<void> {
  if (points.length === 0) await del(KEYS.points, db());
  else await set(KEYS.points, points, db());
}

/** The last trained model, or null when there is none or it is malformed. */
export async function loadTrainedModel(): Promise<SavedModel | null> {
  const value: unknown = await get(KEYS.model, db());
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<SavedModel>;
  if (!(v.weights instanceof ArrayBuffer) || typeof v.dataset !== 'string' || !v.modelJson || !v.card || !v.config) return null;
  return v as SavedModel;
}

/** Saves the last trained model (replacing the one before). */
export async function saveTrainedModel(model: SavedModel): Promise<void> {
  await set(KEYS.model, model, db());
}

/** Forgets the last trained model. */
export async function clearTrainedModel(): Promise<void> {
  await del(KEYS.model, db());
}
