/**
 * The simplex kind's model files: discrete data with K = 3 classes (Graves et al. 2023, §6) on D = 3 variables of the toy
 * data of src/data/simplexToy.ts, the network of ./net.ts, and a card whose evaluation is the negative log-likelihood bound
 * L^inf + L^r in bits per variable and the share of samples that obey the data's rule. The format and its validator are
 * src/train/modelFile.ts.
 */
import { z } from 'zod';
import { MLP_LIMITS } from '../../nets/mlp';
import { cardTrainingBase, type ModelFileKind, type ModelJson } from '../../train/modelFile';
import { createSimplexNet, type SimplexNet } from './net';

const simplexSpecSchema = z.object({ kind: z.literal('discrete'), K: z.literal(3), beta1: z.number().positive() });
export type SimplexSpec = z.infer<typeof simplexSpecSchema>;

const simplexNetworkSchema = z.object({
  type: z.literal('simplex-mlp'),
  D: z.literal(3, { error: 'the simplex view needs a network over 3 variables' }),
  K: z.literal(3, { error: 'the simplex view needs a network over 3 classes' }),
  width: z.number().int().min(MLP_LIMITS.width[0]).max(MLP_LIMITS.width[1]),
  depth: z.number().int().min(MLP_LIMITS.depth[0]).max(MLP_LIMITS.depth[1]),
  timeFeatures: z.number().int().min(2).multipleOf(2),
});
export type SimplexNetworkJson = z.infer<typeof simplexNetworkSchema>;

/** The network in words: "MLP 64 x 3 over theta of 3 variables". */
export function simplexNetworkLabel(n: Pick<SimplexNetworkJson, 'width' | 'depth' | 'D'>): string {
  return `MLP ${n.width} x ${n.depth} over theta of ${n.D} variables`;
}

const estimateSchema = z.object({ value: z.number(), se: z.number().nonnegative() });

/** Schema of a simplex card.json. */
export const simplexCardSchema = z.object({
  id: z.string(),
  title: z.string(),
  dataset: z.literal('simplex-toy'),
  spec: simplexSpecSchema,
  network: simplexNetworkSchema,
  parameters: z.number().int().positive(),
  training: z.object({ ...cardTrainingBase, optimizer: z.string(), emaDecay: z.number() }),
  evaluation: z.object({
    unit: z.literal('bits per variable'),
    /** Data samples the bound is averaged over, and the seed of every draw. */
    dataSamples: z.number().int().positive(),
    seed: z.number().int(),
    /** L^r alone, and L^inf + L^r, with standard errors over the data samples. */
    reconstruction: estimateSchema,
    continuous: estimateSchema,
    /** The data's entropy: the lowest value any model can reach. */
    dataEntropy: z.number(),
    /** Samples drawn with n steps, the share obeying the rule (with SE), the total variation of their 27-cell joint histogram to the data's. */
    samples: z.number().int().positive(),
    steps: z.number().int().positive(),
    ruleShare: estimateSchema,
    totalVariation: z.number().min(0).max(1),
    /** The same for as many fresh data samples (the noise floor of the total variation; their rule share is 1). */
    dataTotalVariation: z.number().min(0).max(1),
    /** The same for samples of each variable's own marginal, independently (a model that learned no dependency). */
    independentRuleShare: z.number().min(0).max(1),
    wallSeconds: z.number().nonnegative(),
    backend: z.string(),
    command: z.string(),
  }).optional(),
  createdAt: z.string(),
});
export type SimplexCard = z.infer<typeof simplexCardSchema>;

/** The simplex kind's part of the model file. */
export const SIMPLEX_FILES: ModelFileKind<SimplexNet, SimplexNetworkJson, SimplexSpec, SimplexCard> = {
  what: 'a K = 3 simplex model (an MLP over the theta of 3 three-class variables)',
  user: 'the K = 3 simplex view',
  dataKind: 'discrete',
  networkType: 'simplex-mlp',
  specSchema: simplexSpecSchema,
  networkSchema: simplexNetworkSchema as unknown as z.ZodType<SimplexNetworkJson>,
  build: ({ type: _type, ...size }) => createSimplexNet(size),
  describe: ({ config: c }) => ({ type: 'simplex-mlp', D: 3, K: 3, width: c.width, depth: c.depth, timeFeatures: c.timeFeatures }),
  label: simplexNetworkLabel,
  card: { schema: simplexCardSchema, invalid: 'card.json is not a valid K = 3 simplex model card' },
};
export type SimplexModelJson = ModelJson<SimplexNetworkJson, SimplexSpec>;
