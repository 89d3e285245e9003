/**
 * Reading a model of one kind with every kind known (src/kinds/registry.ts), so that a file of one kind opened where
 * another is needed is named ("This is a 2D-points model ..."): for the Node scripts and the tests.
 */
import type { BfnSpec } from '../bfn';
import type { TrainableNet } from '../nets/trainable';
import { decodeModelFile, readModelFiles, type CardBase, type ModelFileKind, type ModelJson, type NetworkJson } from '../train/modelFile';
import type { Mlp } from '../nets/mlp';
import type { MnistNet } from '../nets/mnistNet';
import { POINTS_FILES, type PointsModelJson, type PointsSpec } from './points2d/files';
import { MNIST_FILES, type BinarySpec, type MnistModelJson } from './mnist-binary/files';

import { MODEL_FILE_KINDS } from './registry';

export { MODEL_FILE_KINDS };

/**
 * Reads a model of `kind` (src/train/modelFile.ts decodeModelFile), naming any other known kind.
 * @returns the spec, the network (the caller disposes it) and the parsed model.json.
 * @throws ModelFileError naming the first problem; nothing is left allocated then.
 */
export function decodeModel<N extends TrainableNet, J extends NetworkJson, S extends BfnSpec>(kind: ModelFileKind<N, J, S, CardBase>, raw: unknown, weights: ArrayBuffer): { spec: S; net: N; modelJson: ModelJson<J, S> } {
  return decodeModelFile(kind, raw, weights, MODEL_FILE_KINDS);
}

/**
 * Reads a model of `kind` with its card (src/train/modelFile.ts readModelFiles), naming any other known kind.
 * @param card card.json's value, or null / undefined when there is none.
 * @returns the spec, the network (the caller disposes it), model.json and the card (null when none came).
 * @throws ModelFileError naming the first problem; nothing is left allocated then.
 */
export function readModel<N extends TrainableNet, J extends NetworkJson, S extends BfnSpec, C extends CardBase>(kind: ModelFileKind<N, J, S, C>, raw: unknown, weights: ArrayBuffer, card: unknown): { spec: S; net: N; modelJson: ModelJson<J, S>; card: C | null } {
  return readModelFiles(kind, raw, weights, card, MODEL_FILE_KINDS);
}

/** Reads a 2D-points model ({@link decodeModel} with the 2D kind). @throws ModelFileError naming the first problem. */
export function decodePointsModel(raw: unknown, weights: ArrayBuffer): { spec: PointsSpec; mlp: Mlp; modelJson: PointsModelJson } {
  const { spec, net, modelJson } = decodeModel(POINTS_FILES, raw, weights);
  return { spec, mlp: net, modelJson };
}

/** Reads a binarized-MNIST model ({@link decodeModel} with the MNIST kind). @throws ModelFileError naming the first problem. */
export function decodeMnistModel(raw: unknown, weights: ArrayBuffer): { spec: BinarySpec; model: MnistNet; modelJson: MnistModelJson } {
  const { spec, net, modelJson } = decodeModel(MNIST_FILES, raw, weights);
  return { spec, model: net, modelJson };
}
