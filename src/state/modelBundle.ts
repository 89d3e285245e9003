/**
 * Model files on the user's side: the one-file bundle the page downloads ({format, modelJson, weightsBase64, card},
 * where modelJson is TensorFlow.js's model.json and the weights are weights.bin in base64), the three separate files
 * (model.json, weights.bin, card.json), and reading either back from a file input. Only the container is checked
 * here; the worker validates the model itself (format, kind, shapes, byte count) before anything changes.
 */
import { z } from 'zod';
import type { ExportedModel } from '../engine/protocol';
import { fromBase64, toBase64 } from './base64';

/** The bundle's format tag. */
export const BUNDLE_FORMAT = 'bfn-playground-bundle';

/** Largest model file accepted, bytes. */
export const MAX_MODEL_BYTES = 64 * 1024 * 1024;

/** A user-facing problem with a model file (the current model stays as it was). */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/** Model files read from the user, not yet validated. */
export interface ModelFiles {
  modelJson: unknown;
  weights: ArrayBuffer;
  card: unknown;
  /** What was read, for messages. */
  label: string;
}

const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(1),
  modelJson: z.record(z.string(), z.unknown()),
  weightsBase64: z.string(),
  card: z.unknown(),
});

function weightsFromBase64(text: string): ArrayBuffer {
  try {
    return fromBase64(text).buffer as ArrayBuffer;
  } catch {
    throw new ModelLoadError('The bundle\'s weights are not valid base64: the file is damaged.');
  }
}

/** The one-file bundle of an exported model, as JSON text. */
export function bundleText(model: ExportedModel): string {
  return JSON.stringify({ format: BUNDLE_FORMAT, version: 1, modelJson: model.modelJson, weightsBase64: toBase64(model.weights), card: model.card });
}

/** Offers `data` as a download named `name`. */
export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ModelLoadError(`${name} is not valid JSON (${(err as Error).message}).`);
  }
}

const formatOf = (value: unknown): unknown => (value && typeof value === 'object' && 'format' in value ? (value as { format: unknown }).format : undefined);

/**
 * Reads the model a user chose: one bundle (.json) downloaded from this page, or model.json + weights.bin
 * (+ card.json). @throws ModelLoadError naming the problem (empty, too big, not JSON, not a model, missing part).
 */
export async function readModelFiles(files: readonly File[]): Promise<ModelFiles> {
  if (files.length === 0) throw new ModelLoadError('No file was chosen.');
  for (const f of files) {
    if (f.size === 0) throw new ModelLoadError(`${f.name} is empty.`);
    if (f.size > MAX_MODEL_BYTES) throw new ModelLoadError(`${f.name} is ${(f.size / 1048576).toFixed(1)} MB; the limit is ${MAX_MODEL_BYTES / 1048576} MB.`);
  }
  const binaries = files.filter((f) => f.name.toLowerCase().endsWith('.bin'));
  const jsons = files.filter((f) => !f.name.toLowerCase().endsWith('.bin'));
  if (files.length === 1 && jsons.length === 1) {
    const file = jsons[0]!;
    const value = parseJson(await file.text(), file.name);
    const format = formatOf(value);
    if (format === 'bfn-playground-model') {
      throw new ModelLoadError(`${file.name} is a model.json on its own: choose it together with its weights.bin (and card.json).`);
    }
    if (format !== BUNDLE_FORMAT) {
      throw new ModelLoadError(`${file.name} is not a BFN Playground model: expected a model bundle downloaded from this page (format '${BUNDLE_FORMAT}'), or model.json with weights.bin.`);
    }
    const parsed = bundleSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ModelLoadError(`${file.name} is a damaged model bundle: '${issue.path.join('.') || 'top level'}': ${issue.message}.`);
    }
    return { modelJson: parsed.data.modelJson, weights: weightsFromBase64(parsed.data.weightsBase64), card: parsed.data.card ?? null, label: file.name };
  }
  if (binaries.length !== 1) {
    throw new ModelLoadError(binaries.length === 0
      ? 'weights.bin is missing: choose model.json together with weights.bin (and card.json), or one model bundle.'
      : 'More than one .bin file was chosen: choose one model.json, one weights.bin and optionally card.json.');
  }
  let modelJson: unknown = undefined;
  let card: unknown = null;
  for (const f of jsons) {
    const value = parseJson(await f.text(), f.name);
    if (formatOf(value) === 'bfn-playground-model') {
      if (modelJson !== undefined) throw new ModelLoadError('More than one model.json was chosen.');
      modelJson = value;
    } else if (formatOf(value) === BUNDLE_FORMAT) {
      throw new ModelLoadError(`${f.name} is a model bundle: choose it on its own.`);
    } else {
      card = value;
    }
  }
  if (modelJson === undefined) throw new ModelLoadError('model.json is missing (no chosen JSON file has format \'bfn-playground-model\').');
  return { modelJson, weights: await binaries[0]!.arrayBuffer(), card, label: files.map((f) => f.name).join(', ') };
}

/**
 * What the page says when a model the user chose was refused: the reason (a ModelLoadError from reading the files, or
 * the worker's ModelFileError from validating them; other errors in their own words) and that nothing changed.
 */
export function refusalText(err: unknown): string {
  const why = (err instanceof Error ? err.message : String(err)).trim();
  return `This model was not loaded: ${why}${/[.!?]$/.test(why) ? '' : '.'} The current model is unchanged.`;
}
