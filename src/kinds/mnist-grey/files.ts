/**
 * The grey-scale MNIST kind's model files: discretized data with K bins (Graves et al. 2023, §5; the discretized
 * CIFAR-10 setting of the official `configs/cifar10_discretized_16bins.yaml`, sigma1^2 = 1e-3, on MNIST's grey levels),
 * the network of src/nets/mnistNet.ts with two outputs per pixel (mu_eps, ln sigma_eps), and a card whose evaluation
 * is the test-set negative log-likelihood in bits per dimension. The format and its validator are src/train/modelFile.ts.
 */
import { z } from 'zod';
import { createMnistNet, MNIST_NET_LIMITS, type MnistNet } from '../../nets/mnistNet';
import { cardWeightsSchema, type ModelFileKind, type ModelJson } from '../../train/modelFile';
import { mnistCardSchema } from '../mnist-binary/files';

/** The number of bins of the shipped models (the only K the view offers). */
export const GREY_SHIPPED_K = [16] as const;

const greySpecSchema = z.object({ kind: z.literal('discretized'), sigma1: z.number().gt(0).lt(1), K: z.number().int().min(2).max(256) });
export type GreySpec = z.infer<typeof greySpecSchema>;

const greyNetworkSchema = z.object({
  type: z.literal('mnist-grey-net'),
  width: z.number().int().min(MNIST_NET_LIMITS.width[0]).max(MNIST_NET_LIMITS.width[1]),
  depth: z.number().int().min(MNIST_NET_LIMITS.depth[0]).max(MNIST_NET_LIMITS.depth[1]),
  convChannels: z.number().int().min(0).max(MNIST_NET_LIMITS.convChannels[1]).refine((c) => c === 0 || c >= 4, 'must be 0 (no convolutions) or at least 4'),
  convLayers: z.number().int().min(MNIST_NET_LIMITS.convLayers[0]).max(MNIST_NET_LIMITS.convLayers[1]),
  timeFeatures: z.number().int().min(2).multipleOf(2),
});
export type GreyNetworkJson = z.infer<typeof greyNetworkSchema>;

/** The grey-scale network in words: "residual MLP 512 x 3, 2 outputs per pixel". */
export function greyNetworkLabel(n: Omit<GreyNetworkJson, 'type'>): string {
  return `residual MLP ${n.width} x ${n.depth}${n.convChannels ? `, ${n.convLayers} conv layers of ${n.convChannels} channels` : ''}, 2 outputs per pixel`;
}

/** Schema of a grey-scale MNIST card.json. */
export const greyCardSchema = z.object({
  id: z.string(),
  title: z.string(),
  dataset: z.literal('mnist-grey'),
  spec: greySpecSchema,
  network: greyNetworkSchema,
  parameters: z.number().int().positive(),
  /** The training record and the evaluation's fields are the binarized kind's; the unit is bits per dimension. */
  training: mnistCardSchema.shape.training,
  evaluation: mnistCardSchema.shape.evaluation.unwrap().extend({
    unit: z.literal('bits per dimension'),
    /** The samples' brightness beside the test images' (src/kinds/mnist-grey/evaluate.ts checkGreySamples). */
    samples: z.object({
      samples: z.number().int().positive(), n: z.number().int().positive(), seed: z.number().int(),
      brightness: z.object({ value: z.number(), se: z.number(), data: z.number() }),
      threshold: z.number(),
      washedOut: z.object({ value: z.number(), se: z.number(), data: z.number() }),
    }).optional(),
  }).optional(),
  /** How weights.bin stores the weights (float32 when absent). */
  weights: cardWeightsSchema.optional(),
  /** The paper's nearest figure and why it is not comparable. */
  paper: z.object({ continuous: z.number(), source: z.string(), note: z.string() }).optional(),
  createdAt: z.string(),
});
export type GreyCard = z.infer<typeof greyCardSchema>;

/** The grey-scale MNIST kind's part of the model file. */
export const MNIST_GREY_FILES: ModelFileKind<MnistNet, GreyNetworkJson, GreySpec, GreyCard> = {
  what: 'a grey-scale MNIST model',
  user: 'the grey-scale MNIST view',
  dataKind: 'discretized',
  networkType: 'mnist-grey-net',
  specSchema: greySpecSchema,
  networkSchema: greyNetworkSchema as unknown as z.ZodType<GreyNetworkJson>,
  build: ({ type: _type, ...size }) => createMnistNet({ ...size, channels: 2, evidence: false }),
  describe: ({ config: { width, depth, convChannels, convLayers, timeFeatures } }) => ({ type: 'mnist-grey-net', width, depth, convChannels, convLayers, timeFeatures }),
  label: greyNetworkLabel,
  card: { schema: greyCardSchema, invalid: 'card.json is not a valid grey-scale MNIST model card' },
  // float16: half the float32 bytes, rounding each weight by at most 2^-11 of itself; the two outputs per pixel
  // (mu_eps, ln sigma_eps) keep more than uint8 codes would.
  shippedWeights: 'float16',
};
export type GreyModelJson = ModelJson<GreyNetworkJson, GreySpec>;
