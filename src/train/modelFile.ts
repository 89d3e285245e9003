/**
 * The one model-file format of every kind of model (2D points, binarized MNIST, and any kind added later): a folder
 * (or a download) with `model.json` (the BFN spec, the network's size and a TensorFlow.js weights manifest),
 * `weights.bin` (tensors in `tf.io.encodeWeights` layout, matched to the network BY NAME: float32, or quantized to
 * float16 / affine uint8 / uint16 as the manifest says, src/train/weightsQuantization.ts) and `card.json` (how
 * the model was trained and how good it is). One validator reads them all: a bad file raises {@link ModelFileError}
 * with the same message for every kind and changes nothing. A kind declares what is its own (its spec, its network
 * type and card) as a {@link ModelFileKind}; this module knows no kind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { BfnSpec } from '../bfn';
import { fileTensorProblem, type TensorSpec, type TrainableNet } from '../nets/trainable';
import { BYTES_PER_VALUE, encodeWeightsAs, firstNonFinite, maxAbsError, storageDtype, WEIGHTS_DTYPES, type WeightsDtype } from './weightsQuantization';

/** A user-facing error about a model file. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

/** A shipped model's files as the build provides them: model.json and card.json (unvalidated), where weights.bin is served. */
export interface ShippedModelFiles {
  id: string;
  modelJson: unknown;
  card: unknown;
  weightsUrl: string;
}

/** The format tag of model.json. */
export const MODEL_FORMAT = 'bfn-playground-model';

/** The BFN spec of any data kind (Graves et al. 2023: continuous §4, discretized §5, discrete §6). */
export const specSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('continuous'), sigma1: z.number().gt(0).lt(1), prediction: z.enum(['eps', 'x']).optional() }),
  z.object({ kind: z.literal('discretized'), sigma1: z.number().gt(0).lt(1), K: z.number().int().min(2) }),
  z.object({ kind: z.literal('discrete'), K: z.number().int().min(2), beta1: z.number().positive() }),
]);

/**
 * A manifest entry's quantization, as TF.js's `tf.io.decodeWeights` reads it: float16, or affine uint8 / uint16 codes
 * q read as q * scale + min (scale and min finite numbers).
 */
const quantizationSchema = z.discriminatedUnion('dtype', [
  z.object({ dtype: z.literal('float16') }),
  z.object({ dtype: z.enum(['uint8', 'uint16']), scale: z.number().nonnegative(), min: z.number() }),
]);

/** Schema of a model.json's weights manifest: one group of float32 tensors in weights.bin, each stored as float32 or quantized. */
export const weightsManifestSchema = z.array(z.object({
  paths: z.array(z.string()),
  weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), dtype: z.literal('float32'), quantization: quantizationSchema.optional() })),
})).length(1);

/** Bytes of weights.bin that a manifest's tensors take (float32: 4 bytes a value; float16 and uint16: 2; uint8: 1). */
export function manifestBytes(weights: readonly { shape: readonly number[]; quantization?: { dtype: WeightsDtype } }[]): number {
  return weights.reduce((s, w) => s + BYTES_PER_VALUE[storageDtype(w)] * w.shape.reduce((a, b) => a * b, 1), 0);
}

/** How a model's weights.bin stores its values: float32, or the one quantization all its tensors share. */
export function weightsDtypeOf(weights: readonly { quantization?: { dtype: WeightsDtype } }[]): WeightsDtype {
  const dtypes = new Set(weights.map(storageDtype));
  return dtypes.size === 1 ? [...dtypes][0]! : 'float32';
}

/** A card's note on how weights.bin stores the weights (written by the train scripts and `npm run quantize`). */
export const cardWeightsSchema = z.object({
  /** The storage of every tensor: float32, float16, or per-tensor affine uint8 / uint16 codes (TF.js weight quantization). */
  dtype: z.enum(WEIGHTS_DTYPES as [WeightsDtype, ...WeightsDtype[]]),
  /** weights.bin's size in bytes. */
  bytes: z.number().int().nonnegative(),
  /** The largest |stored - float32| over all weights, against the float32 weights they came from. */
  maxAbsError: z.number().nonnegative(),
  /** The command that wrote weights.bin. */
  command: z.string(),
});
export type CardWeights = z.infer<typeof cardWeightsSchema>;

/** The network part of model.json: a type tag and the sizes that rebuild it. */
export interface NetworkJson {
  type: string;
}

/**
 * What a kind of model declares about its files. `N` is its network, `J` the network's model.json entry, `S` its spec.
 */
export interface ModelFileKind<N extends TrainableNet = TrainableNet, J extends NetworkJson = NetworkJson, S extends BfnSpec = BfnSpec, C extends CardBase = CardBase> {
  /** The kind's model in words, with its article: "a 2D-points model (an MLP over points)". */
  what: string;
  /** The part of the app that uses it: "the 2D playground". */
  user: string;
  /** The data kind of its spec (Graves et al. 2023: continuous §4, discretized §5, discrete §6). */
  dataKind: BfnSpec['kind'];
  /** model.json's `network.type` of this kind. */
  networkType: J['type'];
  /** The specs this kind accepts (a narrowing of {@link specSchema}). */
  specSchema: z.ZodType<S>;
  /** model.json's `network` entry, with defaults filled in so that equal networks parse to equal objects. */
  networkSchema: z.ZodType<J>;
  /** Builds an untrained network of that size. @throws RangeError for a size the network refuses. */
  build(network: J): N;
  /** The `network` entry that rebuilds `net`. */
  describe(net: N): J;
  /** The network in words, for messages: "MLP 128 x 3, 5 Fourier features". */
  label(network: J): string;
  /** The schema of the kind's card.json, and what a card that fails it is called in the message. */
  card: { schema: z.ZodType<C>; invalid: string };
  /** How the train script stores a shipped model's weights (float32 when absent); a user's download stays float32. */
  shippedWeights?: WeightsDtype;
}

/** What every card holds whatever the kind: the spec and the network it describes. */
export interface CardBase {
  spec: unknown;
  network: unknown;
}

/** A model.json as written by {@link encodeModelFile}. */
export interface ModelJson<J extends NetworkJson = NetworkJson, S extends BfnSpec = BfnSpec> {
  format: typeof MODEL_FORMAT;
  version: 1;
  spec: S;
  network: J;
  weightsManifest: z.infer<typeof weightsManifestSchema>;
}

/** The schema of a kind's model.json. */
export function modelJsonSchema<J extends NetworkJson, S extends BfnSpec>(kind: ModelFileKind<TrainableNet, J, S, CardBase>): z.ZodType<ModelJson<J, S>> {
  return z.object({ format: z.literal(MODEL_FORMAT), version: z.literal(1), spec: kind.specSchema, network: kind.networkSchema, weightsManifest: weightsManifestSchema }) as unknown as z.ZodType<ModelJson<J, S>>;
}

/** A one-line description of the first problem zod found, for a {@link ModelFileError}. */
export function describeIssue(error: z.ZodError, what: string): string {
  const issue = error.issues[0]!;
  return `${what}: ${issue.path.length ? `'${issue.path.join('.')}'` : 'the top level'}: ${issue.message}`;
}

/**
 * Serialises a network and its spec. @param kind the model's kind. @param spec the BFN spec. @param net the network
 * (its file tensors, by name). @param dtype how weights.bin stores the values (src/train/weightsQuantization.ts):
 * float32 (the default, a user's download) or a TF.js quantization (float16, affine uint8 / uint16; the train
 * scripts pass the kind's `shippedWeights`). @returns model.json's object and the weights.bin bytes.
 * @throws ModelFileError when the kind does not take that spec. @throws RangeError for a weight float16 cannot hold.
 */
export async function encodeModelFile<N extends TrainableNet, J extends NetworkJson, S extends BfnSpec>(kind: ModelFileKind<N, J, S, CardBase>, spec: BfnSpec, net: N, dtype: WeightsDtype = 'float32'): Promise<{ modelJson: ModelJson<J, S>; weights: ArrayBuffer }> {
  const fileSpec = specOf(kind, spec);
  const tensors = net.fileTensors();
  try {
    const { data, specs } = await encodeWeightsAs(tensors, dtype);
    return {
      modelJson: {
        format: MODEL_FORMAT, version: 1, spec: fileSpec, network: kind.describe(net),
        weightsManifest: [{ paths: ['weights.bin'], weights: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: 'float32' as const, ...(s.quantization ? { quantization: s.quantization } : {}) })) }],
      },
      weights: data,
    };
  } finally {
    tf.dispose(tensors.map((t) => t.tensor));
  }
}

/**
 * A spec as a kind's model file accepts it. @throws ModelFileError when the kind does not take that spec (e.g. a
 * discrete spec for 2D points).
 */
export function specOf<S extends BfnSpec>(kind: ModelFileKind<TrainableNet, NetworkJson, S, CardBase>, spec: BfnSpec): S {
  const parsed = kind.specSchema.safeParse(spec);
  if (!parsed.success) throw new ModelFileError(describeIssue(parsed.error, `${kind.what} cannot have the spec ${JSON.stringify(spec)}`));
  return parsed.data;
}

/** Names of files written before tensors were named: w0, w1, ... in file order (2D models until 2026-12). */
const positionalNames = (names: readonly string[]) => names.every((name, k) => name === `w${k}`);

/**
 * Reads a model of one kind: model.json and weights.bin are validated, then the network is built and filled by name.
 * @param kind the kind the caller needs. @param raw parsed model.json (unknown: anything a user may load). @param weights the weights.bin bytes.
 * @param known every kind the app has, to name the kind of a file that is not
 *   `kind` ("This is a 2D-points model ...").
 * @returns the spec and a ready network (the caller owns it and must dispose it).
 * @throws ModelFileError naming the first problem: another kind of model or of data; not a model.json (format, a bad field);
 *   a byte length that differs from the manifest; a value that is NaN or infinite (with the tensor's name); a size
 *   the network cannot be built with; a tensor count, a missing name or a shape that does not match the network.
 *   Nothing is left allocated then.
 */
export function decodeModelFile<N extends TrainableNet, J extends NetworkJson, S extends BfnSpec>(
  kind: ModelFileKind<N, J, S, CardBase>, raw: unknown, weights: ArrayBuffer, known: readonly ModelFileKind[] = [],
): { spec: S; net: N; modelJson: ModelJson<J, S> } {
  if (!(weights instanceof ArrayBuffer)) throw new ModelFileError('weights.bin is missing.');
  const type = (raw as { network?: { type?: unknown } } | null)?.network?.type;
  const other = type !== kind.networkType ? known.find((k) => k.networkType === type) : undefined;
  if (other) throw new ModelFileError(`This is ${other.what}; ${kind.user} needs ${kind.what}.`);
  const anySpec = specSchema.safeParse((raw as { spec?: unknown } | null)?.spec);
  if (anySpec.success && anySpec.data.kind !== kind.dataKind) throw new ModelFileError(`This model is for ${anySpec.data.kind} data; ${kind.user} needs ${kind.dataKind} data.`);
  const parsed = modelJsonSchema(kind).safeParse(raw);
  if (!parsed.success) throw new ModelFileError(describeIssue(parsed.error, 'model.json is not a BFN Playground model'));
  const modelJson = parsed.data;
  const listed = modelJson.weightsManifest[0]!.weights;
  const bytes = manifestBytes(listed);
  if (bytes !== weights.byteLength) throw new ModelFileError(`weights.bin holds ${weights.byteLength} bytes; model.json describes ${bytes}.`);
  // A NaN or an infinity in the weights would make every sample the same clipped point or pure noise: refuse the file.
  const bad = firstNonFinite(listed, weights);
  if (bad) {
    throw new ModelFileError(`weights.bin holds ${bad.value} at float ${bad.at} (in ${bad.name}): a model's weights must all be finite numbers; the model was probably saved after training diverged, and would sample noise.`);
  }
  let net: N;
  try {
    net = kind.build(modelJson.network);
  } catch (err) {
    throw new ModelFileError(`model.json describes a network this app cannot build: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const needed: TensorSpec[] = net.fileSpecs();
    if (listed.length !== needed.length) throw new ModelFileError(`model.json lists ${listed.length} weight tensors; ${kind.label(modelJson.network)} has ${needed.length}.`);
    const names = positionalNames(listed.map((w) => w.name)) ? needed.map((s) => s.name) : listed.map((w) => w.name);
    const decoded = tf.io.decodeWeights(weights, listed.map((s, k) => ({ ...s, name: names[k]! })));
    try {
      const problem = fileTensorProblem(needed, decoded, 'weights.bin');
      if (problem) throw new ModelFileError(`${problem}.`);
      net.setFileTensors(decoded);
    } finally {
      tf.dispose(Object.values(decoded));
    }
  } catch (err) {
    net.dispose();
    throw err;
  }
  return { spec: modelJson.spec, net, modelJson };
}

/**
 * A card's note on the weights of files that {@link encodeModelFile} wrote from `net`: their storage, size and the
 * largest error against the network's float32 weights. @param command the command that wrote them.
 */
export function describeWeights(net: TrainableNet, modelJson: ModelJson, weights: ArrayBuffer, command: string): CardWeights {
  const listed = modelJson.weightsManifest[0]!.weights;
  const tensors = net.fileTensors();
  try {
    return { dtype: weightsDtypeOf(listed), bytes: weights.byteLength, maxAbsError: maxAbsError(tensors, weights, listed), command };
  } finally {
    tf.dispose(tensors.map((t) => t.tensor));
  }
}

/** Fields every model card has, whatever the kind: the kind's card schema extends them. */
export const cardTrainingBase = {
  steps: z.number().int().nonnegative(),
  batch: z.number().int().positive(),
  learningRate: z.number().positive(),
  loss: z.string(),
  seed: z.number().int(),
  wallSeconds: z.number().nonnegative(),
  backend: z.string(),
  command: z.string(),
  finalLoss: z.number().optional(),
  /** finalLoss's unit ("nats per image", "bits per dimension", ...): the kinds report their training loss differently. */
  finalLossUnit: z.string().optional(),
  /** What moved the model's numbers, in words. */
  notes: z.string().optional(),
};

/** Validates a model card with its kind's card schema. @throws ModelFileError naming the first bad field. */
export function parseCard<C extends CardBase>(kind: ModelFileKind<TrainableNet, NetworkJson, BfnSpec, C>, raw: unknown): C {
  const parsed = kind.card.schema.safeParse(raw);
  if (!parsed.success) throw new ModelFileError(describeIssue(parsed.error, kind.card.invalid));
  return parsed.data;
}

/**
 * Reads a model with its card, as a user or the build hands them over: the card is validated first (it allocates
 * nothing), then model.json and weights.bin ({@link decodeModelFile}), then the card is checked against the model.
 * @param card card.json's parsed value, or null / undefined when the model came without one.
 * @returns the spec, the network (the caller disposes it), the parsed model.json and card.
 * @throws ModelFileError naming the first problem; nothing is left allocated then.
 */
export function readModelFiles<N extends TrainableNet, J extends NetworkJson, S extends BfnSpec, C extends CardBase>(
  kind: ModelFileKind<N, J, S, C>, raw: unknown, weights: ArrayBuffer, card: unknown, known: readonly ModelFileKind[] = [],
): { spec: S; net: N; modelJson: ModelJson<J, S>; card: C | null } {
  const type = (raw as { network?: { type?: unknown } } | null)?.network?.type;
  // A model of another kind is named before its card is judged by this kind's schema.
  const parsedCard = card === null || card === undefined || (type !== kind.networkType && known.some((k) => k.networkType === type)) ? null : parseCard(kind, card);
  const decoded = decodeModelFile(kind, raw, weights, known);
  try {
    if (parsedCard) checkCardMatches(kind, parsedCard, decoded.modelJson);
  } catch (err) {
    decoded.net.dispose();
    throw err;
  }
  return { ...decoded, card: parsedCard };
}

/**
 * Checks that a card describes the model it came with: the same spec and the same network.
 * @throws ModelFileError saying what differs.
 */
export function checkCardMatches<J extends NetworkJson, S extends BfnSpec>(kind: ModelFileKind<TrainableNet, J, S, CardBase>, card: CardBase, modelJson: ModelJson<J, S>): void {
  const cardNetwork = kind.networkSchema.safeParse(card.network);
  if (!cardNetwork.success || JSON.stringify(cardNetwork.data) !== JSON.stringify(modelJson.network)) {
    const says = cardNetwork.success ? kind.label(cardNetwork.data) : 'another network';
    throw new ModelFileError(`card.json does not describe this model: it says ${says}, model.json has ${kind.label(modelJson.network)}.`);
  }
  const cardSpec = kind.specSchema.safeParse(card.spec);
  if (!cardSpec.success || JSON.stringify(cardSpec.data) !== JSON.stringify(modelJson.spec)) {
    throw new ModelFileError(`card.json does not describe this model: its spec ${JSON.stringify(card.spec)} differs from model.json's ${JSON.stringify(modelJson.spec)}.`);
  }
}
