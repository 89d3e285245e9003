/**
 * The binarized-MNIST kind's model files: discrete data with K = 2 (Graves et al. 2023, §6; the paper's binarized
 * MNIST experiment, §7.2), the network of src/nets/mnistNet.ts, and a card whose evaluation is the test-set negative
 * log-likelihood in nats per image. The format and its validator are src/train/modelFile.ts.
 */
import { z } from 'zod';
import { createMnistNet, MNIST_NET_LIMITS, type MnistNet } from '../../nets/mnistNet';
import { cardTrainingBase, cardWeightsSchema, type ModelFileKind, type ModelJson } from '../../train/modelFile';
import { WEIGHTS_DTYPES, type WeightsDtype } from '../../train/weightsQuantization';

const binarySpecSchema = z.object({ kind: z.literal('discrete'), K: z.literal(2), beta1: z.number().positive() });
export type BinarySpec = z.infer<typeof binarySpecSchema>;

const mnistNetworkSchema = z.object({
  type: z.literal('mnist-net'),
  width: z.number().int().min(MNIST_NET_LIMITS.width[0]).max(MNIST_NET_LIMITS.width[1]),
  depth: z.number().int().min(MNIST_NET_LIMITS.depth[0]).max(MNIST_NET_LIMITS.depth[1]),
  convChannels: z.number().int().min(0).max(MNIST_NET_LIMITS.convChannels[1]).refine((c) => c === 0 || c >= 4, 'must be 0 (no convolutions) or at least 4'),
  convLayers: z.number().int().min(MNIST_NET_LIMITS.convLayers[0]).max(MNIST_NET_LIMITS.convLayers[1]),
  timeFeatures: z.number().int().min(2).multipleOf(2),
  evidence: z.boolean().default(true),
});
export type MnistNetworkJson = z.infer<typeof mnistNetworkSchema>;

/** The MNIST network in words: "residual MLP 1024 x 3, 3 conv layers of 16 channels". */
export function mnistNetworkLabel(n: Omit<MnistNetworkJson, 'type'>): string {
  return `residual MLP ${n.width} x ${n.depth}${n.convChannels ? `, ${n.convLayers} conv layers of ${n.convChannels} channels` : ''}`;
}


/** A loss estimate on the test set: mean and standard error in nats per image. */
const estimateSchema = z.object({ value: z.number(), se: z.number().nonnegative() });

/** Schema of a binarized-MNIST card.json. */
export const mnistCardSchema = z.object({
  id: z.string(),
  title: z.string(),
  dataset: z.literal('mnist-binary'),
  spec: binarySpecSchema,
  network: mnistNetworkSchema,
  parameters: z.number().int().positive(),
  training: z.object({
    ...cardTrainingBase,
    schedule: z.string(),
    optimizer: z.string(),
    emaDecay: z.number(),
    trainImages: z.number().int().positive(),
    /** Every command of the run, in order, when it was resumed (each with the step it started from). */
    commands: z.array(z.object({ fromStep: z.number().int().nonnegative(), command: z.string() })).optional(),
  }),
  evaluation: z.object({
    unit: z.literal('nats per image'),
    testImages: z.number().int().positive(),
    seed: z.number().int(),
    /** L^r alone. */
    reconstruction: estimateSchema,
    /** L^inf + L^r, the paper's headline figure. */
    continuous: estimateSchema,
    /** L^n + L^r for each n, keyed by n. */
    discrete: z.record(z.string(), estimateSchema),
    /** Share of on-pixels in the samples beside the data's, per step count (src/kinds/mnist-binary/evaluate.ts onPixelShare). */
    onShare: z.array(z.object({ steps: z.number().int().positive(), samples: z.number().int().positive(), model: estimateSchema, data: z.number() })).optional(),
    wallSeconds: z.number().nonnegative(),
    backend: z.string(),
    command: z.string(),
    /** How the weights it measured were stored (model.json's manifest at the time): the shipped files themselves. */
    weights: z.enum(WEIGHTS_DTYPES as [WeightsDtype, ...WeightsDtype[]]).optional(),
  }).optional(),
  /** How weights.bin stores the weights (float32 when absent). */
  weights: cardWeightsSchema.optional(),
  paper: z.object({ continuous: z.number(), source: z.string() }).optional(),
  createdAt: z.string(),
});
export type MnistCard = z.infer<typeof mnistCardSchema>;

/** The binarized-MNIST kind's part of the model file. */
export const MNIST_FILES: ModelFileKind<MnistNet, MnistNetworkJson, BinarySpec, z.infer<typeof mnistCardSchema>> = {
  what: 'a binarized-MNIST model',
  user: 'the MNIST view',
  dataKind: 'discrete',
  networkType: 'mnist-net',
  specSchema: binarySpecSchema,
  networkSchema: mnistNetworkSchema as unknown as z.ZodType<MnistNetworkJson>,
  build: ({ type: _type, ...size }) => createMnistNet(size),
  describe: ({ config: { seed: _seed, ...size } }) => ({ type: 'mnist-net', ...size }),
  label: mnistNetworkLabel,
  card: { schema: mnistCardSchema, invalid: 'card.json is not a valid MNIST model card' },
  // Per-tensor affine uint8 codes: a quarter of the float32 bytes (3.8 MB for the 1024 x 3 network, so that the view
  // draws its first frame after about 5 MB); on the shipped model they moved the test NLL by 0.02 nats per image
  // against float32 on the same 2,000 images and noise (91.56 vs 91.54, standard error 1.70).
  shippedWeights: 'uint8',
};
export type MnistModelJson = ModelJson<MnistNetworkJson, BinarySpec>;
