/**
 * Saving an MNIST model from the page, in the same containers as the 2D models (src/state/modelBundle.ts): the
 * one-file bundle {format, version, modelJson, weightsBase64, card}, or model.json + weights.bin + card.json. Reading
 * them back uses readModelFiles from that module, which accepts either.
 */
import type { MnistCard, MnistModelJson } from '../../../engine/client';
import { toBase64 } from '../../../state/base64';
import { BUNDLE_FORMAT, download } from '../../../state/modelBundle';

/** An MNIST model as the worker exports it. */
export interface ExportedMnistModel {
  modelJson: MnistModelJson;
  weights: ArrayBuffer;
  card: MnistCard;
}

/** The one-file bundle of an MNIST model, as JSON text (the format the 2D view's bundles use). */
export function mnistBundleText(model: ExportedMnistModel): string {
  return JSON.stringify({ format: BUNDLE_FORMAT, version: 1, modelJson: model.modelJson, weightsBase64: toBase64(model.weights), card: model.card });
}

/** The three files of a model, each offered on its own (one click, one download). */
export const MNIST_FILE_NAMES = ['model.json', 'weights.bin', 'card.json'] as const;

/** What one download click saves: the one-file bundle or one of {@link MNIST_FILE_NAMES}. */
export type MnistDownloadFormat = 'bundle' | (typeof MNIST_FILE_NAMES)[number];

/** Offers an MNIST model as one download: the bundle named `${stem}.json`, or one of its three files. */
export function downloadMnistModel(model: ExportedMnistModel, stem: string, format: MnistDownloadFormat): void {
  if (format === 'bundle') download(`${stem}.json`, mnistBundleText(model), 'application/json');
  else if (format === 'model.json') download('model.json', JSON.stringify(model.modelJson, null, 1), 'application/json');
  else if (format === 'weights.bin') download('weights.bin', model.weights, 'application/octet-stream');
  else download('card.json', JSON.stringify(model.card, null, 1), 'application/json');
}
