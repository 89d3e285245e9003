/**
 * The model file format shared by the app, the Node scripts and the tests: a folder (or a download) with
 * `model.json` (TensorFlow.js weights manifest plus the BFN spec and network config), `weights.bin` (float32
 * weights, `tf.io.encodeWeights`) and `card.json` (how the model was trained and how good it is). Everything read
 * from outside is validated with zod; a bad file raises {@link ModelFileError} and changes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { SAMPLER_CHOICES, type BfnSpec, type SamplerId } from '../bfn';
import { createMlp, MLP_LIMITS, type Mlp, type MlpConfig } from '../nets/mlp';

/** A user-facing error about a model file. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

export const MODEL_FORMAT = 'bfn-playground-model';

const specSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('continuous'), sigma1: z.number().gt(0).lt(1), prediction: z.enum(['eps', 'x']).optional() }),
  z.object({ kind: z.literal('discretized'), sigma1: z.number().gt(0).lt(1), K: z.number().int().min(2) }),
  z.object({ kind: z.literal('discrete'), K: z.number().int().min(2), beta1: z.number().positive() }),
]);

const networkSchema = z.object({
  type: z.literal('mlp'),
  inputDim: z.number().int().positive(),
  outputDim: z.number().int().positive(),
  width: z.number().int().min(MLP_LIMITS.width[0]).max(MLP_LIMITS.width[1]),
  depth: z.number().int().min(MLP_LIMITS.depth[0]).max(MLP_LIMITS.depth[1]),
  timeFeatures: z.number().int().min(2).multipleOf(2),
  residual: z.boolean().optional(),
  fourierFeatures: z.number().int().min(MLP_LIMITS.fourierFeatures[0]).max(MLP_LIMITS.fourierFeatures[1]).optional(),
});

/** Schema of a model.json's weights manifest: one group of float32 tensors in weights.bin (shared with MNIST models). */
export const weightsManifestSchema = z.array(z.object({
  paths: z.array(z.string()),
  weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), dtype: z.literal('float32') })),
})).length(1);

/** Schema of model.json. */
export const modelJsonSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(1),
  spec: specSchema,
  network: networkSchema,
  weightsManifest: weightsManifestSchema,
});
export type ModelJson = z.infer<typeof modelJsonSchema>;

/** Every sampler id any data kind offers (src/bfn/solvers.ts SAMPLER_CHOICES), for the card's per-sampler table. */
const SAMPLER_IDS = [...new Set(Object.values(SAMPLER_CHOICES).flatMap((choices) => choices.map((c) => c.id)))] as [SamplerId, ...SamplerId[]];

/** One cell of the per-sampler table (src/train/evaluate2d.ts SamplerEvalCell): shares in [0, 1] and their SEs. */
const samplerCellSchema = z.object({
  precision: z.number().min(0).max(1),
  precisionSE: z.number().nonnegative(),
  recall: z.number().min(0).max(1),
  recallSE: z.number().nonnegative(),
  offSupport: z.number().min(0).max(1),
  offSupportSE: z.number().nonnegative(),
});

/** Schema of card.json (the model card). */
export const cardSchema = z.object({
  id: z.string(),
  title: z.string(),
  dataset: z.string(),
  spec: specSchema,
  network: networkSchema,
  training: z.object({
    steps: z.number().int().nonnegative(),
    batch: z.number().int().positive(),
    learningRate: z.number().positive(),
    loss: z.string(),
    seed: z.number().int(),
    wallSeconds: z.number().nonnegative(),
    backend: z.string(),
    command: z.string(),
    finalLoss: z.number().optional(),
    /** What moved the model's numbers (the settings that made it crisp), in words. */
    notes: z.string().optional(),
  }),
  evaluation: z.object({
    metric: z.string(),
    value: z.number(),
    valueSE: z.number().optional(),
    baseline: z.number(),
    baselineSE: z.number().optional(),
    ratio: z.number(),
    repeats: z.number().int().optional(),
    samples: z.number().int(),
    steps: z.number().int(),
    heldOutPoints: z.number().int(),
    seed: z.number().int(),
    command: z.string(),
    // Support metrics (src/train/knnMetrics.ts): shares in [0, 1], optional so that older cards still parse.
    precision: z.number().min(0).max(1).optional(),
    precisionSE: z.number().nonnegative().optional(),
    recall: z.number().min(0).max(1).optional(),
    recallSE: z.number().nonnegative().optional(),
    offSupport: z.number().min(0).max(1).optional(),
    offSupportSE: z.number().nonnegative().optional(),
    dataPrecision: z.number().min(0).max(1).optional(),
    dataPrecisionSE: z.number().nonnegative().optional(),
    dataRecall: z.number().min(0).max(1).optional(),
    dataRecallSE: z.number().nonnegative().optional(),
    dataOffSupport: z.number().min(0).max(1).optional(),
    dataOffSupportSE: z.number().nonnegative().optional(),
    k: z.number().int().positive().optional(),
    delta: z.number().positive().optional(),
    referencePoints: z.number().int().positive().optional(),
    // Per-sampler precision, recall and off-support share (src/train/evaluate2d.ts evaluateSamplers2D): sampler id ->
    // step count n (a decimal string) -> cell, over `samplerRepeats` repeats of `samples` samples; optional, so that
    // older cards still parse.
    samplers: z.partialRecord(z.enum(SAMPLER_IDS), z.record(z.string().regex(/^[1-9]\d*$/, 'a step count n >= 1'), samplerCellSchema)).optional(),
    samplerRepeats: z.number().int().min(2).optional(),
  }).optional(),
  createdAt: z.string(),
});
export type ModelCard = z.infer<typeof cardSchema>;

/** A one-line description of the first problem zod found, for a {@link ModelFileError}. */
export function describeIssue(error: z.ZodError, what: string): string {
  const issue = error.issues[0]!;
  return `${what}: ${issue.path.length ? `'${issue.path.join('.')}'` : 'the top level'}: ${issue.message}`;
}

/**
 * Serialises an MLP and its spec. @returns model.json's object and the weights.bin bytes.
 */
export async function encodeModel(spec: BfnSpec, mlp: Mlp): Promise<{ modelJson: ModelJson; weights: ArrayBuffer }> {
  const tensors = mlp.fileWeights();
  const { data, specs } = await tf.io.encodeWeights(tensors.map((tensor, k) => ({ name: `w${k}`, tensor })));
  tf.dispose(tensors);
  const c = mlp.config;
  return {
    modelJson: {
      format: MODEL_FORMAT,
      version: 1,
      spec: spec as ModelJson['spec'],
      network: { type: 'mlp', inputDim: c.inputDim, outputDim: c.outputDim, width: c.width, depth: c.depth, timeFeatures: c.timeFeatures, ...(c.residual ? { residual: true } : {}), ...(c.fourierFeatures ? { fourierFeatures: c.fourierFeatures } : {}) },
      weightsManifest: [{ paths: ['weights.bin'], weights: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: 'float32' as const })) }],
    },
    weights: data,
  };
}

/**
 * Validates model.json and weights.bin and builds the network.
 * @param raw parsed model.json (unknown: anything a user may load). @param weights the weights.bin bytes.
 * @param expect optional constraints (e.g. the data kind and input size the view needs).
 * @returns the spec and a ready MLP (the caller owns it and must dispose it).
 * @throws ModelFileError naming the first problem: wrong format, bad field, weight count or shapes that do not
 *   match the network, byte length, a weight that is NaN or infinite, or a spec that does not fit `expect`.
 */
export function decodeModel(raw: unknown, weights: ArrayBuffer, expect?: { kind?: BfnSpec['kind']; inputDim?: number }): { spec: BfnSpec; mlp: Mlp; modelJson: ModelJson } {
  const parsed = modelJsonSchema.safeParse(raw);
  if (!parsed.success) throw new ModelFileError(describeIssue(parsed.error, 'model.json is not a BFN Playground model'));
  const modelJson = parsed.data;
  if (expect?.kind && modelJson.spec.kind !== expect.kind) throw new ModelFileError(`This model is for ${modelJson.spec.kind} data; this view needs ${expect.kind} data.`);
  if (expect?.inputDim && modelJson.network.inputDim !== expect.inputDim) throw new ModelFileError(`This model takes ${modelJson.network.inputDim} inputs per point; this view needs ${expect.inputDim}.`);
  const specs = modelJson.weightsManifest[0]!.weights;
  const bytes = specs.reduce((s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes !== weights.byteLength) throw new ModelFileError(`weights.bin holds ${weights.byteLength} bytes; model.json describes ${bytes}.`);
  // A NaN or an infinity in the weights would make every sample the same clipped point: refuse the file instead.
  const values = new Float32Array(weights);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ModelFileError(`weights.bin holds ${values[bad]} at float ${bad}: a model's weights must all be finite numbers.`);
  const { type: _type, ...config } = modelJson.network;
  const mlp = createMlp(config as MlpConfig);
  try {
    const shapes = mlp.fileShapes();
    if (specs.length !== shapes.length) throw new ModelFileError(`model.json lists ${specs.length} weight tensors; a ${config.depth}-layer MLP has ${shapes.length}.`);
    const decoded = tf.io.decodeWeights(weights, specs.map((s) => ({ ...s })));
    try {
      specs.forEach((s, k) => {
        const t = decoded[s.name]!;
        if (t.shape.join(',') !== shapes[k]!.join(',')) throw new ModelFileError(`weight ${s.name} has shape [${t.shape.join(', ')}]; the network needs [${shapes[k]!.join(', ')}].`);
      });
      mlp.setFileWeights(specs.map((s) => decoded[s.name]!));
    } finally {
      tf.dispose(Object.values(decoded));
    }
  } catch (err) {
    mlp.dispose();
    throw err;
  }
  return { spec: modelJson.spec as BfnSpec, mlp, modelJson };
}

/** Validates a model card. @throws ModelFileError naming the first bad field. */
export function parseCard(raw: unknown): ModelCard {
  const parsed = cardSchema.safeParse(raw);
  if (!parsed.success) throw new ModelFileError(describeIssue(parsed.error, 'card.json is not a valid model card'));
  return parsed.data;
}
