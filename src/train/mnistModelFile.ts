/**
 * The model files of binarized-MNIST models (issue 4): the same folder layout and format tag as the 2D models
 * (src/train/modelFile.ts: model.json with a TensorFlow.js weights manifest, weights.bin, card.json) with network type
 * 'mnist-net', and a card whose evaluation is the test-set negative log-likelihood in nats per image (SPEC §7).
 * Everything read from outside is validated with zod; a bad file raises {@link ModelFileError} and changes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { BfnSpec } from '../bfn';
import { createMnistNet, MNIST_NET_LIMITS, type MnistNet } from '../nets/mnistNet';
import { describeIssue, MODEL_FORMAT, ModelFileError, weightsManifestSchema } from './modelFile';

const discreteSpecSchema = z.object({ kind: z.literal('discrete'), K: z.literal(2), beta1: z.number().positive() });

const mnistNetworkSchema = z.object({
  type: z.literal('mnist-net'),
  width: z.number().int().min(MNIST_NET_LIMITS.width[0]).max(MNIST_NET_LIMITS.width[1]),
  depth: z.number().int().min(MNIST_NET_LIMITS.depth[0]).max(MNIST_NET_LIMITS.depth[1]),
  convChannels: z.number().int().min(0).max(MNIST_NET_LIMITS.convChannels[1]).refine((c) => c === 0 || c >= 4, 'must be 0 (no convolutions) or at least 4'),
  convLayers: z.number().int().min(MNIST_NET_LIMITS.convLayers[0]).max(MNIST_NET_LIMITS.convLayers[1]),
  timeFeatures: z.number().int().min(2).multipleOf(2),
  evidence: z.boolean().default(true),
});

/** Schema of an MNIST model.json. */
export const mnistModelJsonSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(1),
  spec: discreteSpecSchema,
  network: mnistNetworkSchema,
  weightsManifest: weightsManifestSchema,
});
export type MnistModelJson = z.infer<typeof mnistModelJsonSchema>;

/** A loss estimate on the test set: mean and standard error in nats per image. */
const estimateSchema = z.object({ value: z.number(), se: z.number().nonnegative() });

/** Schema of an MNIST card.json. */
export const mnistCardSchema = z.object({
  id: z.string(),
  title: z.string(),
  dataset: z.literal('mnist-binary'),
  spec: discreteSpecSchema,
  network: mnistNetworkSchema,
  parameters: z.number().int().positive(),
  training: z.object({
    steps: z.number().int().nonnegative(),
    batch: z.number().int().positive(),
    learningRate: z.number().positive(),
    schedule: z.string(),
    optimizer: z.string(),
    emaDecay: z.number(),
    loss: z.string(),
    seed: z.number().int(),
    trainImages: z.number().int().positive(),
    wallSeconds: z.number().nonnegative(),
    backend: z.string(),
    command: z.string(),
    /** Every command of the run, in order, when it was resumed (each with the step it started from). */
    commands: z.array(z.object({ fromStep: z.number().int().nonnegative(), command: z.string() })).optional(),
    finalLoss: z.number().optional(),
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
    wallSeconds: z.number().nonnegative(),
    backend: z.string(),
    command: z.string(),
  }).optional(),
  paper: z.object({ continuous: z.number(), source: z.string() }).optional(),
  createdAt: z.string(),
});
export type MnistCard = z.infer<typeof mnistCardSchema>;

/** Serialises an MNIST network with its spec. @returns model.json's object and the weights.bin bytes. */
export async function encodeMnistModel(spec: BfnSpec, model: MnistNet): Promise<{ modelJson: MnistModelJson; weights: ArrayBuffer }> {
  if (spec.kind !== 'discrete' || spec.K !== 2) throw new ModelFileError('an MNIST model needs a discrete spec with K = 2');
  const { data, specs } = await tf.io.encodeWeights(model.variables.map((tensor, k) => ({ name: model.names[k]!, tensor })));
  const { seed: _seed, ...size } = model.config;
  return {
    modelJson: {
      format: MODEL_FORMAT,
      version: 1,
      spec: { kind: 'discrete', K: 2, beta1: spec.beta1 },
      network: { type: 'mnist-net', ...size },
      weightsManifest: [{ paths: ['weights.bin'], weights: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: 'float32' as const })) }],
    },
    weights: data,
  };
}

/**
 * Validates an MNIST model.json and weights.bin and builds the network.
 * @param raw parsed model.json (anything a user may load). @param weights the weights.bin bytes.
 * @returns the spec and a ready network (the caller owns it and must dispose it).
 * @throws ModelFileError naming the first problem: not a model file, a 2D model, a bad field, weights whose names,
 *   shapes or byte length do not match the network.
 */
export function decodeMnistModel(raw: unknown, weights: ArrayBuffer): { spec: BfnSpec; model: MnistNet; modelJson: MnistModelJson } {
  const type = (raw as { network?: { type?: unknown } } | null)?.network?.type;
  if (type === 'mlp') throw new ModelFileError('This is a 2D-points model (an MLP over points); the MNIST view needs an MNIST model.');
  const parsed = mnistModelJsonSchema.safeParse(raw);
  if (!parsed.success) throw new ModelFileError(describeIssue(parsed.error, 'model.json is not a BFN Playground MNIST model'));
  const modelJson = parsed.data;
  const specs = modelJson.weightsManifest[0]!.weights;
  const bytes = specs.reduce((s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes !== weights.byteLength) throw new ModelFileError(`weights.bin holds ${weights.byteLength} bytes; model.json describes ${bytes}.`);
  const { type: _type, ...size } = modelJson.network;
  let model: MnistNet;
  try {
    model = createMnistNet(size);
  } catch (err) {
    throw new ModelFileError(`model.json describes a network this app cannot build: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    if (specs.length !== model.variables.length) throw new ModelFileError(`model.json lists ${specs.length} weight tensors; this network has ${model.variables.length}.`);
    const decoded = tf.io.decodeWeights(weights, specs.map((s) => ({ ...s })));
    try {
      model.names.forEach((name, k) => {
        const t = decoded[name];
        if (!t) throw new ModelFileError(`weights.bin has no tensor named ${name}.`);
        const v = model.variables[k]!;
        if (t.shape.join(',') !== v.shape.join(',')) throw new ModelFileError(`weight ${name} has shape [${t.shape.join(', ')}]; the network needs [${v.shape.join(', ')}].`);
      });
      model.names.forEach((name, k) => model.variables[k]!.assign(decoded[name]!));
    } finally {
      tf.dispose(Object.values(decoded));
    }
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { spec: modelJson.spec, model, modelJson };
}

/** Validates an MNIST model card. @throws ModelFileError naming the first bad field. */
export function parseMnistCard(raw: unknown): MnistCard {
  const parsed = mnistCardSchema.safeParse(raw);
  if (!parsed.success) throw new ModelFileError(describeIssue(parsed.error, 'card.json is not a valid MNIST model card'));
  return parsed.data;
}
