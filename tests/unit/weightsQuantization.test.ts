/**
 * Quantized weights in the TensorFlow.js weights format (src/train/weightsQuantization.ts), read back by TF.js's own
 * `tf.io.decodeWeights`: float16 is exact for values float16 holds and rounds others to nearest even; affine uint8 /
 * uint16 codes come back within scale / 2 with 0 exact; model files of each storage read through the one validator
 * (src/train/modelFile.ts), with their byte counts and non-finite values checked; a float32 file as TF.js writes it
 * (every file before quantization, and every user's download) still reads to the same outputs; and `npm run quantize`
 * (scripts/quantize.ts) rewrites a folder, records the storage in the card and drops the evaluation.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { affineQuantize, encodeWeightsAs, float16Bits, type WeightsDtype } from '../../src/train/weightsQuantization';
import { encodeModelFile, ModelFileError, manifestBytes, type ModelJson } from '../../src/train/modelFile';
import { readModel } from '../../src/kinds/modelFiles';
import { MNIST_FILES, type MnistCard } from '../../src/kinds/mnist-binary/files';
import { createMnistNet, type MnistNet } from '../../src/nets/mnistNet';
import { quantizeFolder } from '../../scripts/quantize';
import { useBackend } from '../backends';

beforeAll(async () => {
  await useBackend('cpu');
});

/** Encodes one tensor of `values` as `dtype` and decodes it with tf.io.decodeWeights. */
async function roundTrip(values: Float32Array, dtype: WeightsDtype): Promise<{ decoded: Float32Array; bytes: number; spec: tf.io.WeightsManifestEntry }> {
  const tensor = tf.tensor1d(values);
  const { data, specs } = await encodeWeightsAs([{ name: 'x', tensor }], dtype);
  tensor.dispose();
  const out = tf.io.decodeWeights(data, specs)['x']!;
  const decoded = out.dataSync() as Float32Array;
  out.dispose();
  return { decoded, bytes: data.byteLength, spec: specs[0]! };
}

/** n standard-normal float32 values (Box-Muller on a fixed LCG), times `sd`. */
function normals(n: number, sd: number, seed = 1): Float32Array {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) + 0.5) / 2 ** 31;
  return Float32Array.from({ length: n }, () => sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

describe('float16 (IEEE 754 half precision)', () => {
  test('values float16 holds come back exactly from tf.io.decodeWeights: every finite bit pattern', async () => {
    // All 63,488 finite half-precision values (exponent bits not all ones), as float32 by the closed form.
    const halves: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const e = (h >> 10) & 0x1f;
      const m = h & 0x3ff;
      if (e === 0x1f) continue;
      const v = e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15);
      halves.push(h & 0x8000 ? -v : v);
    }
    expect(halves).toHaveLength(63488);
    const values = Float32Array.from(halves);
    const { decoded, bytes, spec } = await roundTrip(values, 'float16');
    expect(bytes).toBe(2 * values.length);
    expect(spec.quantization).toEqual({ dtype: 'float16' });
    expect(decoded).toEqual(values);
  });

  test('other values round to the nearest float16, ties to even', async () => {
    const ulp1 = 2 ** -10; // spacing of float16 in [1, 2)
    const values = Float32Array.from([1 + ulp1 / 2, 1 + 1.5 * ulp1, 1 + 0.49 * ulp1, 1 + 0.51 * ulp1, -(1 + 1.5 * ulp1), 1 / 3, 65504, 1e-8]);
    const { decoded } = await roundTrip(values, 'float16');
    expect(Array.from(decoded)).toEqual([1, 1 + 2 * ulp1, 1, 1 + ulp1, -(1 + 2 * ulp1), 0.333251953125, 65504, 0]);
  });

  test('a value float16 cannot hold is refused, not stored as infinity', () => {
    expect(() => float16Bits(Float32Array.from([1, 70000]))).toThrow(/cannot store 70000 as float16/);
    expect(() => float16Bits(Float32Array.from([NaN]))).toThrow(RangeError);
  });
});

describe.each([[8, 'uint8'], [16, 'uint16']] as const)('affine %i-bit codes', (bits, dtype) => {
  test('decoded by tf.io.decodeWeights within scale / 2 of each value, 0 exact, scale = range / (2^bits - 1)', async () => {
    const values = normals(5000, 0.05);
    values[17] = 0;
    const { decoded, bytes, spec } = await roundTrip(values, dtype);
    expect(bytes).toBe((bits / 8) * values.length);
    const q = spec.quantization as { dtype: string; scale: number; min: number };
    expect(q.dtype).toBe(dtype);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    expect(q.scale).toBeCloseTo((hi - lo) / (2 ** bits - 1), 15);
    expect(q.min).toBeLessThanOrEqual(lo + q.scale / 2);
    let worst = 0;
    // Each decoded value is q * scale + min rounded to float32: within scale / 2, plus half a float32 ulp.
    for (let k = 0; k < values.length; k++) worst = Math.max(worst, Math.abs(decoded[k]! - values[k]!) - Math.abs(values[k]!) * 2 ** -24);
    expect(worst).toBeLessThanOrEqual(q.scale / 2);
    // The worst error is close to its bound: the codes are rounded, not truncated or offset.
    expect(worst).toBeGreaterThan(0.4 * q.scale);
    expect(decoded[17]).toBe(0);
  });

  test('a range that excludes 0 keeps its own minimum; a constant tensor comes back exactly', () => {
    const shifted = affineQuantize(Float32Array.from([2, 2.5, 3]), bits);
    expect(shifted.min).toBe(2);
    expect(Array.from(shifted.codes)).toEqual([0, Math.round((2 ** bits - 1) / 2), 2 ** bits - 1]);
    const constant = affineQuantize(Float32Array.from([0.25, 0.25]), bits);
    expect(constant).toEqual({ codes: bits === 8 ? new Uint8Array(2) : new Uint16Array(2), scale: 1, min: 0.25 });
    expect(() => affineQuantize(Float32Array.from([1, Infinity]), bits)).toThrow(/non-finite/);
  });
});

describe('model files with quantized weights', () => {
  const spec = { kind: 'discrete', K: 2, beta1: 3 } as const;
  let net: MnistNet;
  beforeAll(() => {
    net = createMnistNet({ width: 16, depth: 2, convChannels: 4, convLayers: 2, seed: 2 });
    net.variables.forEach((v, k) => v.assign(tf.randomNormal(v.shape, 0, 0.3, 'float32', 20 + k)));
  });
  afterAll(() => net.dispose());
  const outputs = (n: MnistNet) => tf.tidy(() => Array.from(n.net(tf.randomUniform([2, 784, 1], -1, 1, 'float32', 7), tf.tensor2d([0.2, 0.8], [2, 1])).dataSync()));
  const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

  test.each([['float16', 2], ['uint16', 2], ['uint8', 1]] as const)('%s: %i bytes a value; the validator loads each weight within its rounding bound', async (dtype, bytesPerValue) => {
    const float32 = await encodeModelFile(MNIST_FILES, spec, net);
    const { modelJson, weights } = await encodeModelFile(MNIST_FILES, spec, net, dtype);
    expect(weights.byteLength).toBe((bytesPerValue / 4) * float32.weights.byteLength);
    expect(manifestBytes(modelJson.weightsManifest[0]!.weights)).toBe(weights.byteLength);
    const listed = modelJson.weightsManifest[0]!.weights;
    expect(listed.every((w) => w.dtype === 'float32' && w.quantization?.dtype === dtype)).toBe(true);
    const read = readModel(MNIST_FILES, copy(modelJson), weights, null);
    const loaded = read.net.fileTensors();
    const original = net.fileTensors();
    let worst = 0;
    original.forEach(({ name, tensor }, k) => {
      const q = listed.find((w) => w.name === name)!.quantization as { dtype: string; scale?: number };
      const a = tensor.dataSync();
      const b = loaded.find((t) => t.name === name)!.tensor.dataSync();
      expect(loaded[k]!.name).toBe(name);
      for (let i = 0; i < a.length; i++) {
        // float16: half a unit in the last place (2^-11 relative, or 2^-25 absolute among subnormals); codes: scale / 2.
        const bound = q.dtype === 'float16' ? Math.max(Math.abs(a[i]!) * 2 ** -11, 2 ** -25) : q.scale! / 2 + Math.abs(a[i]!) * 2 ** -24;
        const err = Math.abs(a[i]! - b[i]!);
        worst = Math.max(worst, err / bound);
      }
    });
    tf.dispose([...loaded, ...original].map((t) => t.tensor));
    read.net.dispose();
    expect(worst).toBeLessThanOrEqual(1);
    expect(worst).toBeGreaterThan(0.3); // rounded to nearest, and not the float32 weights
  });

  test('a float32 file as TF.js writes it (files before quantization, a user\'s download) reads to the same outputs', async () => {
    const tensors = net.fileTensors();
    const { data, specs } = await tf.io.encodeWeights(tensors);
    tf.dispose(tensors.map((t) => t.tensor));
    const download = await encodeModelFile(MNIST_FILES, spec, net);
    // A download stays float32: no quantization in its manifest, and the bytes TF.js itself writes.
    expect(download.modelJson.weightsManifest[0]!.weights.some((w) => 'quantization' in w)).toBe(false);
    expect(new Uint8Array(download.weights)).toEqual(new Uint8Array(data));
    const modelJson = { ...copy(download.modelJson), weightsManifest: [{ paths: ['weights.bin'], weights: specs }] };
    const read = readModel(MNIST_FILES, modelJson, data, null);
    expect(outputs(read.net)).toEqual(outputs(net));
    read.net.dispose();
  });

  test('a quantized file with a byte too few, or a float16 infinity or NaN, is refused naming it', async () => {
    const { modelJson, weights } = await encodeModelFile(MNIST_FILES, spec, net, 'float16');
    const listed = modelJson.weightsManifest[0]!.weights;
    expect(() => readModel(MNIST_FILES, copy(modelJson), weights.slice(2), null)).toThrow(`weights.bin holds ${weights.byteLength - 2} bytes; model.json describes ${weights.byteLength}.`);
    const at = listed[0]!.shape.reduce((a, b) => a * b, 1) + 3;
    for (const [bits, value] of [[0x7c00, 'Infinity'], [0xfc00, '-Infinity'], [0x7e00, 'NaN']] as const) {
      const spoilt = new Uint16Array(weights.slice(0));
      spoilt[at] = bits;
      expect(() => readModel(MNIST_FILES, copy(modelJson), spoilt.buffer, null)).toThrow(new RegExp(`^weights\\.bin holds ${value} at float ${at} \\(in ${listed[1]!.name.replace('.', '\\.')}\\)`));
    }
    // A code's scale that is not a number is refused by the manifest schema.
    const u8 = await encodeModelFile(MNIST_FILES, spec, net, 'uint8');
    const bad = copy(u8.modelJson) as ModelJson;
    (bad.weightsManifest[0]!.weights[0]!.quantization as { scale: unknown }).scale = 'big';
    expect(() => readModel(MNIST_FILES, bad, u8.weights, null)).toThrow(ModelFileError);
  });
});

describe('npm run quantize', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bfn-quantize-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('rewrites a float32 folder as uint8, records it in the card, drops the evaluation; refuses a second rounding', async () => {
    const net = createMnistNet({ width: 16, depth: 1, convChannels: 0, convLayers: 2, seed: 3 });
    const { modelJson, weights } = await encodeModelFile(MNIST_FILES, { kind: 'discrete', K: 2, beta1: 3 }, net);
    const estimate = { value: 90, se: 1 };
    const card: MnistCard = {
      id: 'q', title: 't', dataset: 'mnist-binary', spec: modelJson.spec, network: modelJson.network, parameters: 100,
      training: { steps: 1, batch: 1, learningRate: 1e-3, loss: 'L^inf', seed: 1, wallSeconds: 1, backend: 'node cpu', command: 'c', schedule: 's', optimizer: 'o', emaDecay: 0.9, trainImages: 10 },
      evaluation: { unit: 'nats per image', testImages: 10, seed: 1, reconstruction: estimate, continuous: estimate, discrete: {}, wallSeconds: 1, backend: 'node cpu', command: 'e' },
      createdAt: '2026-12-01T00:00:00Z',
    };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
    writeFileSync(join(dir, 'weights.bin'), Buffer.from(weights));
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card));
    const r = await quantizeFolder(dir, 'uint8', 'npm run quantize -- q --dtype uint8');
    expect(r).toMatchObject({ before: weights.byteLength, after: weights.byteLength / 4, droppedEvaluation: true });
    const written = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as MnistCard;
    expect(written.evaluation).toBeUndefined();
    expect(written.weights).toMatchObject({ dtype: 'uint8', bytes: weights.byteLength / 4, command: 'npm run quantize -- q --dtype uint8' });
    expect(written.weights!.maxAbsError).toBeGreaterThan(0);
    const bytes = readFileSync(join(dir, 'weights.bin'));
    const read = readModel(MNIST_FILES, JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), written);
    read.net.dispose();
    await expect(quantizeFolder(dir, 'float16', 'x')).rejects.toThrow(/weights\.bin is already uint8; re-encode the float32 weights/);
    net.dispose();
  });
});
