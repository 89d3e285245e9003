/**
 * The 2D-points kind's model files: continuous data (Graves et al. 2023, §4) in 2 dimensions, an MLP over points
 * (src/nets/mlp.ts) predicting the noise, and a card whose evaluation is measured on samples against held-out
 * points (energy distance, k-NN precision and recall). The format and its validator are src/train/modelFile.ts.
 */
import { z } from 'zod';
import { SAMPLER_CHOICES, type SamplerId } from '../../bfn';
import { createMlp, MLP_LIMITS, type Mlp } from '../../nets/mlp';
import { cardTrainingBase, type ModelFileKind, type ModelJson } from '../../train/modelFile';
import { networkLabel } from './network';

/** The continuous spec of 2D models. */
const pointsSpecSchema = z.object({ kind: z.literal('continuous'), sigma1: z.number().gt(0).lt(1), prediction: z.enum(['eps', 'x']).optional() });
export type PointsSpec = z.infer<typeof pointsSpecSchema>;

/** model.json's `network` of a 2D model: an MLP from 2 inputs to 2 outputs. */
const mlpNetworkSchema = z.object({
  type: z.literal('mlp'),
  inputDim: z.literal(2, { error: 'the 2D playground needs a network with 2 inputs per point' }),
  outputDim: z.literal(2, { error: 'the 2D playground needs a network with 2 outputs per point' }),
  width: z.number().int().min(MLP_LIMITS.width[0]).max(MLP_LIMITS.width[1]),
  depth: z.number().int().min(MLP_LIMITS.depth[0]).max(MLP_LIMITS.depth[1]),
  timeFeatures: z.number().int().min(2).multipleOf(2),
  residual: z.boolean().default(false),
  fourierFeatures: z.number().int().min(MLP_LIMITS.fourierFeatures[0]).max(MLP_LIMITS.fourierFeatures[1]).default(0),
});
export type MlpNetworkJson = z.infer<typeof mlpNetworkSchema>;


/** Every sampler id any data kind offers (SAMPLER_CHOICES), for the card's per-sampler table. */
const SAMPLER_IDS = [...new Set(Object.values(SAMPLER_CHOICES).flatMap((choices) => choices.map((c) => c.id)))] as [SamplerId, ...SamplerId[]];

/** One cell of the per-sampler table (evaluateSamplers2D): shares in [0, 1] and their standard errors. */
const samplerCellSchema = z.object({
  precision: z.number().min(0).max(1),
  precisionSE: z.number().nonnegative(),
  recall: z.number().min(0).max(1),
  recallSE: z.number().nonnegative(),
  offSupport: z.number().min(0).max(1),
  offSupportSE: z.number().nonnegative(),
});

/** Schema of a 2D model's card.json. */
export const pointsCardSchema = z.object({
  id: z.string(),
  title: z.string(),
  dataset: z.string(),
  spec: pointsSpecSchema,
  network: mlpNetworkSchema,
  training: z.object(cardTrainingBase),
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
    // Per-sampler precision, recall and off-support share (evaluateSamplers2D): sampler id -> step count n (a decimal
    // string) -> cell, over `samplerRepeats` repeats of `samples` samples; optional, so that older cards still parse.
    samplers: z.partialRecord(z.enum(SAMPLER_IDS), z.record(z.string().regex(/^[1-9]\d*$/, 'a step count n >= 1'), samplerCellSchema)).optional(),
    samplerRepeats: z.number().int().min(2).optional(),
  }).optional(),
  createdAt: z.string(),
});
export type PointsCard = z.infer<typeof pointsCardSchema>;

/** The 2D kind's part of the model file. */
export const POINTS_FILES: ModelFileKind<Mlp, MlpNetworkJson, PointsSpec, z.infer<typeof pointsCardSchema>> = {
  what: 'a 2D-points model (an MLP over points)',
  user: 'the 2D playground',
  dataKind: 'continuous',
  networkType: 'mlp',
  specSchema: pointsSpecSchema,
  networkSchema: mlpNetworkSchema as unknown as z.ZodType<MlpNetworkJson>,
  build: ({ type: _type, ...config }) => createMlp(config),
  describe: ({ config: c }) => ({ type: 'mlp', inputDim: 2, outputDim: 2, width: c.width, depth: c.depth, timeFeatures: c.timeFeatures, residual: c.residual, fourierFeatures: c.fourierFeatures }),
  label: (n) => networkLabel(n),
  card: { schema: pointsCardSchema, invalid: 'card.json is not a valid model card' },
};
export type PointsModelJson = ModelJson<MlpNetworkJson, PointsSpec>;
