/**
 * The one model-file validator (src/train/modelFile.ts) on both kinds of model, with the same cases and the same
 * messages: a round trip reproduces the network's outputs exactly; a wrong format, byte length, NaN or infinite value,
 * a size the network refuses, a missing name, a wrong shape, a wrong tensor count, another kind's file and a card of
 * another model are refused with a ModelFileError and leave no tensor behind; a 2D file written before tensors were
 * named (w0, w1, ...) reads by position. Then every shipped model under models/ reads with its kind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { encodeModelFile, ModelFileError, type CardBase, type ModelFileKind, type ModelJson } from '../../src/train/modelFile';
import { MODEL_FILE_KINDS, readModel } from '../../src/kinds/modelFiles';
import { POINTS_FILES } from '../../src/kinds/points2d/files';
import { MNIST_FILES } from '../../src/kinds/mnist-binary/files';
import { createMlp } from '../../src/nets/mlp';
import { createMnistNet } from '../../src/nets/mnistNet';
import type { TrainableNet } from '../../src/nets/trainable';
import type { BfnSpec } from '../../src/bfn';
import { useBackend } from '../backends';

beforeAll(async () => {
  await useBackend('cpu');
});

const training = { steps: 10, batch: 64, learningRate: 1e-3, loss: 'L^inf', seed: 1, wallSeconds: 1, backend: 'node cpu', command: 'test' };

/** One kind under test: its files, a small randomised network, its spec, an input batch, a valid card, and the words. */
interface Case {
  name: string;
  kind: ModelFileKind;
  spec: BfnSpec;
  /** Another spec the kind accepts (for a card that describes another spec). */
  otherSpec: BfnSpec;
  make(): TrainableNet;
  /** Input [batch, ...] and t [batch, 1] for the network. */
  input(): [tf.Tensor, tf.Tensor];
  card(modelJson: ModelJson): CardBase;
  /** A network entry of another valid size. */
  otherNetwork(modelJson: ModelJson): unknown;
  other: ModelFileKind;
  /** The message for this kind's file read as the other kind. */
  asOther: string;
}

const randomise = (net: TrainableNet, seed: number) => {
  net.variables.forEach((v, k) => v.assign(tf.randomNormal(v.shape, 0, 0.3, 'float32', seed + k)));
  return net;
};

const CASES: Case[] = [
  {
    name: '2D points (MLP)',
    kind: POINTS_FILES as unknown as ModelFileKind,
    spec: { kind: 'continuous', sigma1: 0.02 },
    otherSpec: { kind: 'continuous', sigma1: 0.05 },
    make: () => randomise(createMlp({ inputDim: 2, outputDim: 2, width: 8, depth: 2, fourierFeatures: 1, seed: 1 }), 10),
    input: () => [tf.tensor2d([0.1, -0.4, 0.7, 0.2, -0.9, 0.5], [3, 2]), tf.tensor2d([0.1, 0.5, 0.9], [3, 1])],
    card: (m) => ({ id: 'x', title: 't', dataset: 'two-moons', spec: m.spec, network: m.network, training, createdAt: '2026-12-01T00:00:00Z' }),
    otherNetwork: (m) => ({ ...m.network, width: 9 }),
    other: MNIST_FILES as unknown as ModelFileKind,
    asOther: 'This is a 2D-points model (an MLP over points); the MNIST view needs a binarized-MNIST model.',
  },
  {
    name: 'binarized MNIST',
    kind: MNIST_FILES as unknown as ModelFileKind,
    spec: { kind: 'discrete', K: 2, beta1: 3 },
    otherSpec: { kind: 'discrete', K: 2, beta1: 4 },
    make: () => randomise(createMnistNet({ width: 16, depth: 2, convChannels: 4, convLayers: 2, seed: 2 }), 20),
    input: () => [tf.randomUniform([2, 784, 1], -1, 1, 'float32', 7), tf.tensor2d([0.2, 0.8], [2, 1])],
    card: (m) => ({
      id: 'x', title: 't', dataset: 'mnist-binary', spec: m.spec, network: m.network, parameters: 1000,
      training: { ...training, schedule: 's', optimizer: 'o', emaDecay: 0.999, trainImages: 100 }, createdAt: '2026-12-01T00:00:00Z',
    }),
    otherNetwork: (m) => ({ ...m.network, width: 17 }),
    other: POINTS_FILES as unknown as ModelFileKind,
    asOther: 'This is a binarized-MNIST model; the 2D playground needs a 2D-points model (an MLP over points).',
  },
];

/** A deep copy of model.json, as a user's file parses. */
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Asserts a ModelFileError with `message` (a string: exactly that) and that no tensor was left allocated. */
function expectRefused(read: () => unknown, message: string | RegExp): void {
  const before = tf.memory().numTensors;
  let error: unknown = null;
  try {
    read();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ModelFileError);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
  expect(tf.memory().numTensors).toBe(before);
}

/** The outputs of a network on the case's input. */
function outputs(c: Case, net: TrainableNet): number[] {
  const [x, t] = c.input();
  const y = net.net(x, t);
  const values = Array.from(y.dataSync());
  tf.dispose([x, t, y]);
  return values;
}

describe.each(CASES)('model files of $name', (c) => {
  async function encoded() {
    const net = c.make();
    const { modelJson, weights } = await encodeModelFile(c.kind, c.spec, net);
    return { net, modelJson: copy(modelJson), weights };
  }
  const floats = (modelJson: ModelJson, k: number) => modelJson.weightsManifest[0]!.weights.slice(0, k).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);

  test('a round trip reproduces the outputs exactly, with its card', async () => {
    const { net, modelJson, weights } = await encoded();
    const before = tf.memory().numTensors;
    const read = readModel(c.kind, modelJson, weights, c.card(modelJson));
    expect(read.spec).toEqual(c.spec);
    expect(read.card).toEqual(c.card(modelJson));
    expect(tf.memory().numTensors).toBe(before + read.net.variables.length);
    const a = outputs(c, net);
    expect(a.some((v) => Math.abs(v) > 0.1)).toBe(true);
    expect(outputs(c, read.net)).toEqual(a);
    read.net.dispose();
    // Without a card, too.
    const bare = readModel(c.kind, modelJson, weights, null);
    expect(bare.card).toBeNull();
    expect(outputs(c, bare.net)).toEqual(a);
    bare.net.dispose();
    net.dispose();
  });

  test('a wrong format or a missing weights.bin', async () => {
    const { net, modelJson, weights } = await encoded();
    net.dispose();
    expectRefused(() => readModel(c.kind, { ...modelJson, format: 'something-else' }, weights, null), /^model\.json is not a BFN Playground model: 'format': /);
    expectRefused(() => readModel(c.kind, { ...modelJson, version: 2 }, weights, null), /^model\.json is not a BFN Playground model: 'version': /);
    expectRefused(() => readModel(c.kind, 'not json', weights, null), /^model\.json is not a BFN Playground model: the top level: /);
    expectRefused(() => readModel(c.kind, modelJson, undefined as unknown as ArrayBuffer, null), 'weights.bin is missing.');
  });

  test('a byte length that differs from the manifest', async () => {
    const { net, modelJson, weights } = await encoded();
    net.dispose();
    const n = weights.byteLength;
    expectRefused(() => readModel(c.kind, modelJson, weights.slice(4), null), `weights.bin holds ${n - 4} bytes; model.json describes ${n}.`);
    const longer = new Uint8Array(n + 8);
    longer.set(new Uint8Array(weights));
    expectRefused(() => readModel(c.kind, modelJson, longer.buffer, null), `weights.bin holds ${n + 8} bytes; model.json describes ${n}.`);
  });

  test.each([[NaN, 1, 'middle'], [NaN, 2, 'first'], [Infinity, -1, 'middle'], [-Infinity, 0, 'first']] as const)('a value %s names its tensor (%i, %s float)', async (value, which, where) => {
    const { net, modelJson, weights } = await encoded();
    net.dispose();
    const listed = modelJson.weightsManifest[0]!.weights;
    const k = which < 0 ? listed.length + which : which;
    const at = floats(modelJson, k) + (where === 'first' ? 0 : Math.floor(listed[k]!.shape.reduce((a, b) => a * b, 1) / 2));
    expect(at).toBeLessThan(floats(modelJson, k + 1));
    const spoilt = new Float32Array(weights.slice(0));
    spoilt[at] = value;
    expectRefused(() => readModel(c.kind, modelJson, spoilt.buffer, null), new RegExp(`^weights\\.bin holds ${value} at float ${at} \\(in ${listed[k]!.name.replace('.', '\\.')}\\): a model's weights must all be finite numbers`));
  });

  test('a size the network refuses', async () => {
    const { net, modelJson, weights } = await encoded();
    net.dispose();
    // The kinds' schemas keep every size within the networks' limits; a kind whose schema lets any size through shows
    // that the validator turns the network's own refusal into a ModelFileError.
    const loose = { ...c.kind, networkSchema: z.looseObject({ type: z.literal(c.kind.networkType) }) } as unknown as ModelFileKind;
    expectRefused(() => readModel(loose, { ...modelJson, network: { ...modelJson.network, width: 0 } }, weights, null), /^model\.json describes a network this app cannot build: .*width must be an integer in \d+\.\.\d+, got 0$/);
    // The kind's own schema refuses it before: same error class, the field named.
    expectRefused(() => readModel(c.kind, { ...modelJson, network: { ...modelJson.network, width: 0 } }, weights, null), /^model\.json is not a BFN Playground model: 'network\.width': /);
  });

  test('a missing tensor name, a wrong shape, a wrong tensor count', async () => {
    const { net, modelJson, weights } = await encoded();
    const specs = net.fileSpecs();
    net.dispose();
    const renamed = copy(modelJson);
    renamed.weightsManifest[0]!.weights[1]!.name = 'renamed';
    expectRefused(() => readModel(c.kind, renamed, weights, null), `weights.bin has no tensor named ${specs[1]!.name}.`);
    // The first tensor's shape reversed: the same byte count, the wrong shape.
    const reshaped = copy(modelJson);
    const shape = specs[0]!.shape;
    expect(shape.length).toBe(2);
    expect(shape[0]).not.toBe(shape[1]);
    reshaped.weightsManifest[0]!.weights[0]!.shape = [...shape].reverse();
    expectRefused(() => readModel(c.kind, reshaped, weights, null), `weight ${specs[0]!.name} has shape [${shape[1]}, ${shape[0]}]; the network needs [${shape[0]}, ${shape[1]}].`);
    // A network of another size than the weights.
    const wider = { ...modelJson, network: c.otherNetwork(modelJson) };
    expectRefused(() => readModel(c.kind, wider, weights, null), new RegExp(`^weight ${specs[0]!.name.replace('.', '\\.')} has shape \\[${shape[0]}, ${shape[1]}\\]; the network needs \\[${shape[0]}, \\d+\\]\\.$`));
    // The last tensor dropped from the manifest and the bytes.
    const fewer = copy(modelJson);
    fewer.weightsManifest[0]!.weights.pop();
    const label = c.kind.label(c.kind.networkSchema.parse(modelJson.network));
    expectRefused(() => readModel(c.kind, fewer, weights.slice(0, 4 * floats(modelJson, specs.length - 1)), null), `model.json lists ${specs.length - 1} weight tensors; ${label} has ${specs.length}.`);
  });

  test('another kind\'s file names that kind', async () => {
    const { net, modelJson, weights } = await encoded();
    net.dispose();
    expectRefused(() => readModel(c.other, modelJson, weights, c.card(modelJson)), c.asOther);
    expectRefused(() => readModel(c.other, modelJson, weights, null), c.asOther);
    expect(MODEL_FILE_KINDS).toContain(c.kind);
  });

  test('a card that describes another network or spec is refused', async () => {
    const { net, modelJson, weights } = await encoded();
    net.dispose();
    const label = (n: unknown) => c.kind.label(c.kind.networkSchema.parse(n));
    expectRefused(() => readModel(c.kind, modelJson, weights, { ...c.card(modelJson), network: c.otherNetwork(modelJson) }),
      `card.json does not describe this model: it says ${label(c.otherNetwork(modelJson))}, model.json has ${label(modelJson.network)}.`);
    expectRefused(() => readModel(c.kind, modelJson, weights, { ...c.card(modelJson), spec: c.otherSpec }),
      `card.json does not describe this model: its spec ${JSON.stringify(c.otherSpec)} differs from model.json's ${JSON.stringify(c.spec)}.`);
    expectRefused(() => readModel(c.kind, modelJson, weights, { ...c.card(modelJson), createdAt: undefined }), /^card\.json is not a valid (MNIST )?model card: 'createdAt': /);
  });
});

test('a 2D file written before tensors were named (w0, w1, ...) reads by position to the same outputs', async () => {
  const c = CASES[0]!;
  const net = c.make();
  const { modelJson, weights } = await encodeModelFile(POINTS_FILES, c.spec, net as never);
  const legacy = copy(modelJson);
  legacy.weightsManifest[0]!.weights.forEach((w, k) => (w.name = `w${k}`));
  // Tensors of one shape in a row (b_0 and b_1 are both [8]) would swap silently if matched wrongly.
  const shapes = legacy.weightsManifest[0]!.weights.map((w) => w.shape.join('x'));
  expect(new Set(shapes).size).toBeLessThan(shapes.length);
  const read = readModel(POINTS_FILES, legacy, weights, null);
  expect(outputs(c, read.net)).toEqual(outputs(c, net));
  read.net.dispose();
  // Names w0, w1, ... out of order are not positional: the first missing name is reported.
  const shuffled = copy(legacy);
  shuffled.weightsManifest[0]!.weights[0]!.name = 'w1';
  shuffled.weightsManifest[0]!.weights[1]!.name = 'w0';
  expectRefused(() => readModel(POINTS_FILES, shuffled, weights, null), 'weights.bin has no tensor named layer0/kernel.');
  net.dispose();
});

describe('every shipped model reads with its kind', () => {
  const root = join(import.meta.dirname, '..', '..', 'models');
  const ids = readdirSync(root).filter((id) => id !== 'classifiers' && existsSync(join(root, id, 'model.json')));

  test('there are shipped models of both kinds', () => {
    const types = ids.map((id) => (JSON.parse(readFileSync(join(root, id, 'model.json'), 'utf8')) as { network: { type: string } }).network.type);
    expect(new Set(types)).toEqual(new Set(['mlp', 'mnist-net', 'mnist-grey-net', 'words-net', 'simplex-mlp']));
    expect(ids.length).toBeGreaterThanOrEqual(9);
  });

  test.each(ids)('%s', (id) => {
    const modelJson = JSON.parse(readFileSync(join(root, id, 'model.json'), 'utf8')) as ModelJson;
    const bytes = readFileSync(join(root, id, 'weights.bin'));
    const weights = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const card = JSON.parse(readFileSync(join(root, id, 'card.json'), 'utf8')) as unknown;
    const kind = MODEL_FILE_KINDS.find((k) => k.networkType === modelJson.network.type)!;
    expect(kind).toBeDefined();
    const before = tf.memory().numTensors;
    const read = readModel(kind, modelJson, weights, card);
    expect(read.card).not.toBeNull();
    expect((read.card as unknown as { id: string }).id).toBe(id);
    expect(read.spec).toEqual(modelJson.spec);
    expect(read.net.fileSpecs().map((s) => s.name)).toEqual(modelJson.weightsManifest[0]!.weights.map((w) => w.name));
    read.net.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Opened as the other kind, it is named.
    const other = MODEL_FILE_KINDS.find((k) => k !== kind)!;
    expectRefused(() => readModel(other, modelJson, weights, card), new RegExp(`^This is ${kind.what.replace(/[()]/g, '\\$&')}; `));
  });
});
