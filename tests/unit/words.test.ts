/**
 * The words kind (src/data/words/words.ts, src/nets/wordsNet.ts, src/kinds/words/): the encoding of words as 27
 * classes per position and its padding rule, the committed vocabulary file against its derivation from the npm
 * package, the seeded split, the word shares, the held-out losses in bits per character against a hand computation
 * (an untrained network predicts 1/27 everywhere), the network's shapes, and a model file's round trip through the
 * one validator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  categoricalSampler, decodeWord, decodeWords, encodeWords, ranksOf, selectWords, splitWords, wordShares, WORD_ALPHABET, WORD_CLASSES, zipfProbabilities,
} from '../../src/data/words/words';
import { createWordsNet } from '../../src/nets/wordsNet';
import { evaluateWordLosses, measureGeneration } from '../../src/kinds/words/evaluate';
import { WORDS_FILES } from '../../src/kinds/words/files';
import { MNIST_FILES } from '../../src/kinds/mnist-binary/files';
import { decodeModel, readModel } from '../../src/kinds/modelFiles';
import { encodeModelFile, ModelFileError, parseCard } from '../../src/train/modelFile';
import { loadWordData } from '../../scripts/lib/words-node';
import { useBackend } from '../backends';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('encoding words as classes', () => {
  test('letters are 1..26, padding 0 fills the rest of the row', () => {
    expect(WORD_CLASSES).toBe(27);
    expect(Array.from(encodeWords(['cat', 'zebra'], 6))).toEqual([3, 1, 20, 0, 0, 0, 26, 5, 2, 18, 1, 0]);
  });

  test('round trip: encode then decode gives the word back, padding shown as _', () => {
    const words = ['a', 'the', 'abcdefgh', 'zygote'];
    const decoded = decodeWords(encodeWords(words, 8), 8);
    expect(decoded.map((d) => d.word)).toEqual(words);
    expect(decoded.map((d) => d.raw)).toEqual(['a_______', 'the_____', 'abcdefgh', 'zygote__']);
  });

  test('the padding rule: letters first, then only padding, at least one letter', () => {
    expect(decodeWord([3, 0, 20, 0]).word).toBeNull(); // c_t_: a letter after padding
    expect(decodeWord([0, 3, 1, 20]).word).toBeNull(); // leading padding
    expect(decodeWord([0, 0, 0, 0]).word).toBeNull(); // no letter
    expect(decodeWord([3, 1, 20, 0]).word).toBe('cat');
    expect(() => decodeWord([27])).toThrow(RangeError);
  });

  test('words the encoding cannot hold are refused', () => {
    expect(() => encodeWords(['Cat'], 8)).toThrow(/not a lower-case letter/);
    expect(() => encodeWords(['elephants'], 8)).toThrow(/9 letters/);
    expect(() => encodeWords([''], 8)).toThrow(/0 letters/);
  });
});

describe('the word lists', () => {
  const data = loadWordData();

  test('the committed vocabulary file is the derivation from popular-english-words', () => {
    const file = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'data', 'words', 'vocabulary.txt'), 'utf8').split('\n').filter(Boolean);
    expect(file).toEqual(data.vocabulary);
    expect(file).toHaveLength(10_000);
    for (const w of file) expect(w).toMatch(/^[a-z]{3,8}$/);
    expect(new Set(file).size).toBe(file.length);
  });

  test('selection keeps list order and skips what does not fit', () => {
    expect(selectWords(['The', 'of', 'cat', 'cat', 'dog', 'x-ray', 'elephants', 'bird'], { count: 3, minLength: 3, maxLength: 8 })).toEqual(['cat', 'dog', 'bird']);
    expect(() => selectWords(['cat'], { count: 2, minLength: 3, maxLength: 8 })).toThrow(/only 1 words/);
  });

  test('the split is seeded, disjoint and complete', () => {
    expect(data.train).toHaveLength(9000);
    expect(data.heldOut).toHaveLength(1000);
    const train = new Set(data.train);
    expect(data.heldOut.some((w) => train.has(w))).toBe(false);
    expect(new Set([...data.train, ...data.heldOut])).toEqual(new Set(data.vocabulary));
    expect(splitWords(data.vocabulary, 1000, 2023)).toEqual({ train: data.train, heldOut: data.heldOut });
    expect(splitWords(data.vocabulary, 1000, 2024).heldOut).not.toEqual(data.heldOut);
  });

  test('Zipf-Mandelbrot weights 1 / (rank + offset) and the draw that follows them', () => {
    const p = zipfProbabilities([1, 2, 4], 2);
    // 1/3 : 1/4 : 1/6 = 4 : 3 : 2.
    expect(Array.from(p)).toEqual([4 / 9, 3 / 9, 2 / 9].map((x) => expect.closeTo(x, 12)));
    expect(ranksOf(['was', 'the'], ['the', 'and', 'was'])).toEqual([3, 1]);
    expect(() => ranksOf(['owl'], ['the'])).toThrow(/not in the vocabulary/);
    const pick = categoricalSampler(p);
    expect([0, 0.44, 0.4445, 0.7777, 0.7778, 0.999999].map(pick)).toEqual([0, 0, 1, 1, 2, 2]);
    // 90,000 evenly spaced u give the probabilities back to 1 / 90,000.
    const counts = [0, 0, 0];
    for (let k = 0; k < 90_000; k++) counts[pick((k + 0.5) / 90_000)]!++;
    expect(counts).toEqual([40_000, 30_000, 20_000]);
  });

  test('word shares count real, new and held-out words with binomial errors', () => {
    const rows = ['cat_', 'dog_', 'zqx_', 'c_t_'].map((w) => decodeWord([...w].map((ch) => WORD_ALPHABET.indexOf(ch))));
    const s = wordShares(rows, new Set(['cat', 'dog', 'owl']), new Set(['cat', 'owl']));
    expect(s).toMatchObject({ samples: 4, wellFormed: 0.75, real: 0.5, novel: 0.75, heldOut: 0.25, distinct: 1 });
    expect(s.realSE).toBeCloseTo(Math.sqrt(0.25 / 4), 12);
  });
});

describe('the network and the losses', () => {
  test('shapes: theta [batch, L, 27] and t [batch, 1, 1] or [1, 1, 1] give logits [batch, L, 27]', () => {
    const net = createWordsNet({ length: 5, width: 16, depth: 2, timeFeatures: 4 });
    const D = 5 * 27;
    expect(net.parameterCount).toBe(D * 16 + 4 * 16 + 16 + (16 * 16 + 4 * 16 + 16) + 16 * D + D + D + 4);
    const theta = tf.fill([3, 5, 27], 1 / 27);
    for (const t of [tf.fill([3, 1, 1], 0.5), tf.fill([1, 1, 1], 0.5)]) {
      const out = net.net(theta, t);
      expect(out.shape).toEqual([3, 5, 27]);
      tf.dispose([out, t]);
    }
    theta.dispose();
    net.dispose();
  });

  test('bits per character of an untrained network (p = 1/27 everywhere) match the hand computation', async () => {
    // L^r = ln 27 nats per position = log2 27 bits exactly. L^inf = K beta1 t ||e_x - 1/K||^2 = beta1 t (K - 1) per
    // position (one t per word), so its mean over t ~ U(0, 1) is beta1 (K - 1) / 2 nats = 0.5625 x 13 / ln 2 = 10.5497 bits.
    const before = tf.memory().numTensors;
    const net = createWordsNet({ width: 16, depth: 1, timeFeatures: 4 });
    const words = loadWordData().heldOut;
    const spec = { kind: 'discrete' as const, K: 27, beta1: 0.5625 };
    const r = await evaluateWordLosses(spec, net.net, words, 8, { repeats: 2, steps: [10], batch: 500 });
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(r.reconstruction.value).toBeCloseTo(Math.log2(27), 5);
    expect(r.reconstruction.se).toBeLessThan(1e-5);
    const infBits = (0.5625 * 26) / 2 / Math.LN2;
    expect(Math.abs(r.continuous.value - Math.log2(27) - infBits)).toBeLessThan(4 * r.continuous.se);
    // The per-word spread of L^inf: 2 infBits t (t ~ U(0, 1), sd 2 infBits / sqrt(12)) averaged over 2 draws has sd
    // infBits / sqrt(6); the standard error divides it by sqrt(words).
    expect(r.continuous.se / (infBits / Math.sqrt(6) / Math.sqrt(words.length))).toBeGreaterThan(0.85);
    expect(r.continuous.se / (infBits / Math.sqrt(6) / Math.sqrt(words.length))).toBeLessThan(1.15);
    expect(r.bitsPerWord.value).toBeCloseTo(8 * r.continuous.value, 6);
  });
});

describe('the model file', () => {
  test('a words model round-trips through the validator with the same outputs; other kinds refuse it', async () => {
    const net = createWordsNet({ width: 32, depth: 2, seed: 3 });
    // Non-zero output weights, so that the outputs depend on every tensor.
    net.variables.forEach((v, k) => v.assign(tf.add(v, tf.mul(0.01, tf.randomNormal(v.shape, 0, 1, 'float32', k)))));
    const spec = { kind: 'discrete' as const, K: 27, beta1: 0.5625 };
    const { modelJson, weights } = await encodeModelFile(WORDS_FILES, spec, net);
    const read = readModel(WORDS_FILES, modelJson, weights, null);
    const theta = tf.softmax(tf.randomNormal([4, 8, 27], 0, 2, 'float32', 9));
    const t = tf.tensor([0.3, 0.6, 0.9, 1], [4, 1, 1]);
    const a = net.net(theta, t);
    const b = read.net.net(theta, t);
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    expect(read.spec).toEqual(spec);
    tf.dispose([theta, t, a, b]);
    expect(() => readModel(MNIST_FILES, modelJson, weights, null)).toThrow(/This is a words model; the MNIST view needs a binarized-MNIST model/);
    const k2 = { ...modelJson, spec: { kind: 'discrete', K: 2, beta1: 9 } };
    expect(() => readModel(WORDS_FILES, k2, weights, null)).toThrow(ModelFileError);
    read.net.dispose();
    net.dispose();
  });
});

describe('the shipped model', () => {
  test('re-measured with another seed, its share of real words agrees with the card and clears 30 %', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'models', 'words');
    const card = parseCard(WORDS_FILES, JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')));
    const bytes = readFileSync(join(dir, 'weights.bin'));
    await useBackend('wasm');
    const { spec, net } = decodeModel(WORDS_FILES, JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const data = loadWordData();
    const { shares } = await measureGeneration(spec, net.net, 8, new Set(data.vocabulary), new Set(data.train), 400, 100, 77);
    net.dispose();
    await useBackend('cpu');
    const { value, se } = card.evaluation!.generation.real;
    expect(Math.abs(shares.real - value)).toBeLessThan(4 * Math.hypot(shares.realSE, se));
    expect(shares.real - 2 * shares.realSE).toBeGreaterThan(0.3);
  });
});
