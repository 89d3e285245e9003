/**
 * What survives a reload, in IndexedDB (idb-keyval): the user's own points and the last trained model with its
 * settings and its training history (the charts' loss, measurements and setting changes). Values read back are
 * checked before use; a malformed model is treated as absent, a malformed or missing history as a note beside the
 * restored model.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { PointsCard, PointsModelJson, Train2DConfig } from '../engine/protocol';
import { historyRecord, readHistoryRecord, type HistoryLoad, type SavedHistory } from './trainingHistory';

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

/** A saved model as read back, with its history (or why the history is missing). */
export interface LoadedModel extends SavedModel {
  history: HistoryLoad;
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

/**
 * Reads a stored model record: null when it is not one, else the model with its history read by
 * {@link readHistoryRecord} (a record saved before histories were kept loads with the note that it has none).
 */
export function readModelRecord(value: unknown): LoadedModel | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<SavedModel> & { history?: unknown };
  if (!(v.weights instanceof ArrayBuffer) || typeof v.dataset !== 'string' || !v.modelJson || !v.card || !v.config) return null;
  const { history, ...model } = v as SavedModel & { history?: unknown };
  // The card is checked when the worker restores the model; here only its step count is read, if present.
  const steps: unknown = (model.card as { training?: { steps?: unknown } }).training?.steps;
  return { ...model, history: readHistoryRecord(history, typeof steps === 'number' ? steps : Infinity) };
}

/** The last trained model and its history, or null when there is none or it is malformed. */
export async function loadTrainedModel(): Promise<LoadedModel | null> {
  return readModelRecord(await get(KEYS.model, db()));
}

/** Saves the last trained model with its training history (replacing the one before). */
export async function saveTrainedModel(model: SavedModel, history: SavedHistory): Promise<void> {
  await set(KEYS.model, { ...model, history: historyRecord(history) }, db());
}

/** Forgets the last trained model. */
export async function clearTrainedModel(): Promise<void> {
  await del(KEYS.model, db());
}
