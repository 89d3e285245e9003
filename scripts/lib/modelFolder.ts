/**
 * Reading a model folder (`models/<id>/`: model.json, weights.bin, card.json) in Node, shared by `npm run eval`,
 * `npm run sample` and `npm run figures`. Every problem is a {@link ModelFileError} whose one-line message names the
 * folder or file and what is wrong with it: a missing folder or file, a file that is not JSON, or (from
 * src/train/modelFile.ts) a model or card that does not validate.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModel, decodePointsModel } from '../../src/kinds/modelFiles';
import { ModelFileError, parseCard, type CardBase, type ModelFileKind, type NetworkJson } from '../../src/train/modelFile';
import type { BfnSpec } from '../../src/bfn';
import type { TrainableNet } from '../../src/nets/trainable';
import { POINTS_FILES, type PointsCard } from '../../src/kinds/points2d/files';

/** The files of a model folder. */
export type ModelFolderFile = 'model.json' | 'weights.bin' | 'card.json';

/**
 * Checks that `dir` is a folder holding the given files.
 * @throws ModelFileError `model folder '<dir>' does not exist` or `model folder '<dir>' has no <file>`.
 */
export function checkModelFolder(dir: string, files: readonly ModelFolderFile[] = ['model.json', 'weights.bin', 'card.json']): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ModelFileError(`model folder '${dir}' does not exist`);
  for (const file of files) {
    if (!existsSync(join(dir, file))) throw new ModelFileError(`model folder '${dir}' has no ${file}`);
  }
}

/**
 * Reads and parses one JSON file of a model folder (not validated).
 * @throws ModelFileError when the folder or file is missing, or `<path>: <parser message>` when it is not JSON.
 */
export function readFolderJson(dir: string, file: 'model.json' | 'card.json'): unknown {
  checkModelFolder(dir, [file]);
  const path = join(dir, file);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (err) {
    if (err instanceof SyntaxError) throw new ModelFileError(`${path}: ${err.message.split('\n')[0]}`);
    throw err;
  }
}

/** Reads and validates a folder's card.json. @throws ModelFileError (missing file, not JSON, or a bad field). */
export function readCard(dir: string): PointsCard {
  return parseCard(POINTS_FILES, readFolderJson(dir, 'card.json'));
}

/**
 * Reads a folder's model.json and weights.bin and hands them to `decode`.
 * @throws ModelFileError: the folder or a file is missing, or `<dir>/model.json: <problem>` when model.json is not JSON
 *   or `decode` refuses it.
 */
function decodeFolder<T>(dir: string, decode: (raw: unknown, weights: ArrayBuffer) => T): T {
  checkModelFolder(dir, ['model.json', 'weights.bin']);
  const raw = readFolderJson(dir, 'model.json');
  const bytes = readFileSync(join(dir, 'weights.bin'));
  try {
    return decode(raw, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } catch (err) {
    if (err instanceof ModelFileError) throw new ModelFileError(`${join(dir, 'model.json')}: ${err.message.split('\n')[0]}`);
    throw err;
  }
}

/**
 * Reads model.json, weights.bin and card.json of a model folder of `kind` and builds its network with
 * decodeModel() (src/kinds/modelFiles.ts). @returns the spec, the network (the caller owns it and must dispose it) and
 * the validated card. @throws ModelFileError: the folder or a file is missing, `<dir>/model.json: <problem>` when
 * model.json is not JSON or does not describe the weights, or a card field that does not validate.
 */
export function loadKindModelFolder<N extends TrainableNet, J extends NetworkJson, S extends BfnSpec, C extends CardBase>(kind: ModelFileKind<N, J, S, C>, dir: string): { spec: S; net: N; card: C } {
  const card = parseCard(kind, readFolderJson(dir, 'card.json'));
  const { spec, net } = decodeFolder(dir, (raw, weights) => decodeModel(kind, raw, weights));
  return { spec, net, card };
}

/**
 * Reads model.json and weights.bin of a 2D (MLP) model folder and builds the network with decodePointsModel().
 * @returns the spec and the network (the caller owns it and must dispose it).
 * @throws ModelFileError: the folder or a file is missing, or `<dir>/model.json: <problem>` when model.json is not
 *   JSON or does not describe the weights (decodePointsModel's message).
 */
export function loadModelFolder(dir: string): Pick<ReturnType<typeof decodePointsModel>, 'spec' | 'mlp'> {
  const { spec, mlp } = decodeFolder(dir, decodePointsModel);
  return { spec, mlp };
}
