/**
 * The grey-scale MNIST kind (discretized data, Graves et al. 2023 §5): the quantisation of 8-bit grey levels against
 * the closed form min(floor(v K / 255), K - 1) and against the official quantize(2 v / 255 - 1) path of
 * src/bfn/discretized.ts; the network's shapes (two outputs per pixel, with and without convolutions) and that a
 * one-output network keeps the variables it had before; a model-file round trip through the one validator, and a
 * binarized file named as such; the fast training loss against the reference bfnLoss (value and every gradient,
 * cpu and wasm); and the bits-per-dimension conversion against a hand computation.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { bfnLoss, quantize, seededNoise } from '../../src/bfn';
import { discretizedLossInf, discretizedOutputParams, discretizedProbs } from '../../src/bfn/discretized';
import { discretizedFlowBatch, discretizedLossInfFromNet } from '../../src/bfn/discretizedTrain';
import { greyLevelBin, greyLevelTable, quantizeGreyBatch } from '../../src/data/mnist/grey';
import { createMnistNet } from '../../src/nets/mnistNet';
import { encodeModelFile, ModelFileError } from '../../src/train/modelFile';
import { decodeModel } from '../../src/kinds/modelFiles';
import { MNIST_GREY_FILES } from '../../src/kinds/mnist-grey/files';
import { MNIST_FILES } from '../../src/kinds/mnist-binary/files';
import { createGreyNet, greySpec, GREY_SIGMA1 } from '../../src/kinds/mnist-grey/trainer';
import { bitsPerDimension, evaluateMnistGrey } from '../../src/kinds/mnist-grey/evaluate';
import { parseCard } from '../../src/train/modelFile';
import { loadMnist } from '../../scripts/lib/mnist-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_BACKENDS, useBackend } from '../backends';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('quantising grey levels to K bins', () => {
  test('every 8-bit level goes to the centre (2k + 1)/K - 1 of bin k = min(floor(v K / 255), K - 1)', () => {
    // Hand values for K = 16: v = 0..15 -> bin 0, 16 -> bin 1 (16 * 16 / 255 = 1.004), 255 -> bin 15.
    expect([0, 15, 16, 127, 128, 254, 255].map((v) => greyLevelBin(v, 16))).toEqual([0, 0, 1, 7, 8, 15, 15]);
    // K = 256: every level is its own bin.
    for (let v = 0; v < 256; v++) expect(greyLevelBin(v, 256)).toBe(v);
    for (const K of [2, 16, 256]) {
      const table = greyLevelTable(K);
      for (let v = 0; v < 256; v++) expect(table[v]).toBe(Math.fround((2 * Math.min(Math.floor((v * K) / 255), K - 1) + 1) / K - 1));
    }
    expect(() => greyLevelBin(3, 1)).toThrow(RangeError);
  });

  test('agrees with the official quantize(2 v / 255 - 1, K) of src/bfn/discretized.ts', async () => {
    for (const K of [2, 16, 256]) {
      const levels = Array.from({ length: 256 }, (_, v) => v);
      const official = quantize(tf.tensor1d(levels.map((v) => (2 * v) / 255 - 1)), K);
      const values = await official.data();
      official.dispose();
      expect(Array.from(greyLevelTable(K))).toEqual(Array.from(values));
    }
  });

  test('a batch holds the chosen images pixel by pixel, and an index outside the set is refused', () => {
    const pixels = new Uint8Array(3 * 784).map((_, k) => (k * 37) % 256);
    const images = { count: 3, pixels };
    const batch = quantizeGreyBatch(images, [2, 0], 16);
    expect(batch).toHaveLength(2 * 784);
    expect(batch[5]).toBe(greyLevelTable(16)[pixels[2 * 784 + 5]!]);
    expect(batch[784 + 9]).toBe(greyLevelTable(16)[pixels[9]!]);
    expect(() => quantizeGreyBatch(images, [3], 16)).toThrow(/outside 0..2/);
  });
});

describe('the grey-scale network', () => {
  test('outputs (mu_eps, ln sigma_eps) per pixel, [batch, 784, 2], with and without convolutions', () => {
    for (const size of [{ width: 16, depth: 2, convChannels: 0 }, { width: 16, depth: 1, convChannels: 4, convLayers: 2 }]) {
      const net = createGreyNet(size, 3);
      const out = net.net(tf.randomUniform([3, 784], -1, 1, 'float32', 1), tf.tensor2d([0.1, 0.5, 0.9], [3, 1]));
      expect(out.shape).toEqual([3, 784, 2]);
      out.dispose();
      // One shared t for every row, as the sampler passes it.
      const shared = net.net(tf.zeros([2, 784]), tf.fill([1, 1], 0.3));
      expect(shared.shape).toEqual([2, 784, 2]);
      shared.dispose();
      net.dispose();
    }
  });

  test('a one-output network keeps the variables and shapes it had before the channels option', () => {
    const net = createMnistNet({ width: 16, depth: 1, convChannels: 4, convLayers: 2, seed: 1 });
    expect(net.fileSpecs().filter((s) => s.name.startsWith('out.') || s.name.startsWith('conv'))).toEqual([
      { name: 'out.W', shape: [16, 784] }, { name: 'out.b', shape: [784] }, { name: 'out.skip', shape: [784] },
      { name: 'out.evidence', shape: [784] }, { name: 'out.evidenceT', shape: [32, 1] },
      { name: 'conv0.W', shape: [18, 4] }, { name: 'conv0.T', shape: [32, 4] }, { name: 'conv0.b', shape: [4] },
      { name: 'conv1.W', shape: [36, 1] }, { name: 'conv1.b', shape: [1] },
    ]);
    net.dispose();
    expect(() => createMnistNet({ channels: 2, evidence: true })).toThrow(/needs channels 1/);
    expect(() => createMnistNet({ channels: 0 })).toThrow(/channels must be an integer in 1..4/);
  });
});

describe('model files', () => {
  test('a grey-scale model round-trips through the validator with the same outputs', async () => {
    const net = createGreyNet({ width: 16, depth: 2, convChannels: 4, convLayers: 2 }, 5);
    net.variables.forEach((v, k) => v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', 40 + k)));
    const spec = greySpec(16);
    const { modelJson, weights } = await encodeModelFile(MNIST_GREY_FILES, spec, net);
    expect(modelJson.network).toEqual({ type: 'mnist-grey-net', width: 16, depth: 2, convChannels: 4, convLayers: 2, timeFeatures: 32 });
    expect(modelJson.spec).toEqual({ kind: 'discretized', sigma1: GREY_SIGMA1, K: 16 });
    const read = decodeModel(MNIST_GREY_FILES, JSON.parse(JSON.stringify(modelJson)) as unknown, weights);
    const x = tf.randomUniform([2, 784], -1, 1, 'float32', 9);
    const t = tf.tensor2d([0.2, 0.8], [2, 1]);
    const [a, b] = [net.net(x, t), read.net.net(x, t)];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([a, b, x, t]);
    net.dispose();
    read.net.dispose();
  });

  test('a binarized-MNIST file opened as a grey-scale one is named, and a K the network schema allows but the spec refuses is refused', async () => {
    const binary = createMnistNet({ width: 16, depth: 1, seed: 2 });
    const { modelJson, weights } = await encodeModelFile(MNIST_FILES, { kind: 'discrete', K: 2, beta1: 9 }, binary);
    binary.dispose();
    expect(() => decodeModel(MNIST_GREY_FILES, modelJson, weights)).toThrow(ModelFileError);
    expect(() => decodeModel(MNIST_GREY_FILES, modelJson, weights)).toThrow(/^This is a binarized-MNIST model; the grey-scale MNIST view needs a grey-scale MNIST model\.$/);
    const grey = createGreyNet({ width: 16, depth: 1, convChannels: 0 }, 1);
    const ok = await encodeModelFile(MNIST_GREY_FILES, greySpec(16), grey);
    grey.dispose();
    expect(() => decodeModel(MNIST_GREY_FILES, { ...ok.modelJson, spec: { kind: 'discretized', sigma1: GREY_SIGMA1, K: 1 } }, ok.weights)).toThrow(/spec\.K/);
  });
});

describe.each(NODE_BACKENDS)('the fast training loss on %s', (backend) => {
  test('has the value and every gradient of the reference bfnLoss L^inf on discretized data', async () => {
    await useBackend(backend);
    try {
      const net = createGreyNet({ width: 32, depth: 2, convChannels: 0 }, 1);
      net.variables.forEach((v, k) => v.assign(tf.randomNormal(v.shape, 0, 0.05, 'float32', 3 + k)));
      // Bin centres of K = 16.
      const x = tf.tensor2d(Array.from({ length: 8 * 784 }, (_, k) => (2 * ((k * 7) % 16) + 1) / 16 - 1), [8, 784]);
      const spec = greySpec(16);
      const reference = tf.variableGrads(() => bfnLoss(spec, net.net, x, seededNoise(5), { type: 'inf' }), net.variables);
      const flow = discretizedFlowBatch(spec, x, seededNoise(5));
      const fast = tf.variableGrads(() => discretizedLossInfFromNet(spec, net.net, x, flow.t, flow.mu), net.variables);
      const [rv, fv] = [(await reference.value.data())[0]!, (await fast.value.data())[0]!];
      expect(fv).toBeGreaterThan(0);
      expect(Math.abs(fv - rv)).toBeLessThan(1e-5 * rv);
      for (const v of net.variables) {
        const [g, h] = [reference.grads[v.name]!, fast.grads[v.name]!];
        const norm = (await tf.norm(g).data())[0]!;
        const diff = (await tf.norm(tf.sub(g, h)).data())[0]!;
        expect(norm, v.name).toBeGreaterThan(0);
        expect(diff, v.name).toBeLessThan(1e-4 * norm);
      }
      tf.dispose([reference.value, fast.value, ...Object.values(reference.grads), ...Object.values(fast.grads), x, flow.t, flow.mu]);
      net.dispose();
    } finally {
      await useBackend('cpu');
    }
  });

  test('matches the reference where the t < 1e-6 branch and each clamp hold (value and gradient)', async () => {
    await useBackend(backend);
    try {
      const spec = greySpec(16);
      const D = 6;
      // Rows at t = 0 and 1e-7 (prior prediction), 1e-3 (sigma_x above 10 for ln sigma_eps = 0), 0.5 and 0.999.
      const t = tf.tensor2d([0, 1e-7, 1e-3, 0.5, 0.999], [5, 1]);
      const x = tf.tensor2d(Array.from({ length: 5 * D }, (_, k) => (2 * ((k * 5) % 16) + 1) / 16 - 1), [5, D]);
      const mu = tf.tensor2d(Array.from({ length: 5 * D }, (_, k) => 0.3 * Math.sin(k + 1)), [5, D]);
      // (mu_eps, ln sigma_eps) per variable: ln sigma_eps at -12, 12 (beyond the +-10 clamp; with sigma1^2 = 1e-3 the
      // sigma_x clamp to [1e-3, 10] then holds too), 0 and small values.
      const out = tf.variable(tf.tensor3d(Array.from({ length: 5 * D * 2 }, (_, k) => (k % 2 === 0 ? Math.cos(k) : [-12, 12, 0, 0.4, -0.7, 2][(k >> 1) % D]!)), [5, D, 2]));
      const net = () => out as tf.Tensor;
      const reference = tf.variableGrads(() => tf.tidy(() => {
        const p = discretizedOutputParams(mu, out, t, GREY_SIGMA1);
        return tf.mean(discretizedLossInf(x, discretizedProbs(p.muX, p.sigmaX, 16), t, GREY_SIGMA1, 16)) as tf.Scalar;
      }), [out]);
      const fast = tf.variableGrads(() => discretizedLossInfFromNet(spec, net, x, t, mu), [out]);
      const [rv, fv] = [(await reference.value.data())[0]!, (await fast.value.data())[0]!];
      expect(Math.abs(fv - rv)).toBeLessThan(1e-5 * rv);
      const [g, h] = [await reference.grads[out.name]!.data(), await fast.grads[out.name]!.data()];
      // Zero gradient in the t < 1e-6 rows and where ln sigma_eps is clamped, as autodiff of the reference gives.
      for (let k = 0; k < g.length; k++) expect(h[k]!, `gradient ${k}`).toBeCloseTo(g[k]!, 4);
      expect(Array.from(g.slice(0, 2 * 2 * D)).every((v) => v === 0)).toBe(true);
      expect(g.some((v) => v !== 0)).toBe(true);
      tf.dispose([reference.value, fast.value, ...Object.values(reference.grads), ...Object.values(fast.grads), x, t, mu, out]);
    } finally {
      await useBackend('cpu');
    }
  });

  test('refuses a spec that is not discretized', () => {
    const x = tf.zeros([1, 784]) as tf.Tensor2D;
    expect(() => discretizedFlowBatch({ kind: 'continuous', sigma1: 0.1 }, x, seededNoise(1))).toThrow(/needs a discretized spec/);
    x.dispose();
  });
});

describe('bits per dimension', () => {
  test('an image whose D = 4 pixels lose ln 2, ln 4, 0 and ln 8 nats has (1 + 2 + 0 + 3) / 4 = 1.5 bits per dimension', () => {
    const sums = [Math.LN2 + Math.log(4) + 0 + Math.log(8), 4 * Math.log(16)];
    const bits = bitsPerDimension(sums, 4);
    expect(bits[0]).toBeCloseTo(1.5, 12);
    expect(bits[1]).toBeCloseTo(4, 12);
    expect(() => bitsPerDimension(sums, 0)).toThrow(RangeError);
  });
});

describe('the shipped model', () => {
  test('a fresh measurement on other test images and draws agrees with its card (L^inf + L^r, bits per dimension)', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'models', 'mnist-grey');
    const card = parseCard(MNIST_GREY_FILES, JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')));
    expect(card.evaluation?.command).toBe('npm run eval -- models/mnist-grey');
    const bytes = readFileSync(join(dir, 'weights.bin'));
    const { spec, net } = decodeModel(MNIST_GREY_FILES, JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    await useBackend('wasm');
    try {
      // The last 1000 test images (the card used all 10,000 with seed 20231), another seed, L^inf only.
      const test = loadMnist('test');
      const last = { count: 1000, pixels: test.pixels.subarray((test.count - 1000) * 784) };
      const r = await evaluateMnistGrey(spec, net.net, last, { images: 1000, steps: [], seed: 5 });
      const e = card.evaluation!.continuous;
      expect(Math.abs(r.continuous.value - e.value)).toBeLessThan(4 * Math.hypot(r.continuous.se, e.se));
    } finally {
      net.dispose();
      await useBackend('cpu');
    }
  }, 120_000);
});
