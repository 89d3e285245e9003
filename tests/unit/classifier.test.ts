/**
 * The digit classifier behind the MNIST steps-vs-quality chart (src/nets/mnistClassifier.ts, models/classifiers/
 * mnist-binary/ made by `npm run train:classifier`): digitConfidence's closed forms, and the shipped classifier's
 * card re-measured on 2,000 test images binarized with another seed (not re-read).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { binarizeBatch } from '../../src/data/mnist/mnist';
import { createRng } from '../../src/data/random';
import { digitConfidence, loadMnistClassifier } from '../../src/nets/mnistClassifier';
import { loadMnist } from '../../scripts/lib/mnist-node';
import { useBackend } from '../backends';

const dir = join(import.meta.dirname, '..', '..', 'models', 'classifiers', 'mnist-binary');

/** A stand-in "classifier" whose softmax output is fixed per image. */
function fixed(probs: number[][]): tf.LayersModel {
  return { predict: () => tf.tensor2d(probs) } as unknown as tf.LayersModel;
}

describe('digit classifier', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  test('confidence is the mean top probability; the confident share counts >= 0.9; classes are counted', () => {
    const p = (top: number, c: number) => Array.from({ length: 10 }, (_, k) => (k === c ? top : (1 - top) / 9));
    const r = digitConfidence(fixed([p(0.95, 3), p(0.92, 3), p(0.89, 7), p(0.1, 0)]), new Float32Array(4 * 784));
    expect(r.meanConfidence).toBeCloseTo((0.95 + 0.92 + 0.89 + 0.1) / 4, 6);
    expect(r.confidentShare).toBe(0.5);
    expect(r.classCounts[3]).toBe(2);
    expect(r.classCounts[7]).toBe(1);
    expect(r.classCounts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(Array.from(r.predicted)).toEqual([3, 3, 7, 0]);
    expect(() => digitConfidence(fixed([]), new Float32Array(100))).toThrow(RangeError);
  });

  test('the shipped classifier: its card\'s test accuracy and confidence hold on 2,000 test images binarized afresh', async () => {
    const model = await loadMnistClassifier(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), readFileSync(join(dir, 'weights.bin')));
    const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8'));
    const test = loadMnist('test');
    const indices = Array.from({ length: 2000 }, (_, i) => i * 5);
    const images = binarizeBatch(test, indices, createRng('classifier-recheck:11'));
    const c = digitConfidence(model, images);
    const accuracy = indices.filter((i, k) => c.predicted[k] === test.labels![i]).length / indices.length;
    // Binomial standard error of an accuracy near 0.97 on 2,000 images: 0.0038; allow 4 of them.
    const se = Math.sqrt((card.evaluation.testAccuracy * (1 - card.evaluation.testAccuracy)) / indices.length);
    expect(Math.abs(accuracy - card.evaluation.testAccuracy), `accuracy ${accuracy} vs card ${card.evaluation.testAccuracy}`).toBeLessThan(4 * se);
    expect(accuracy).toBeGreaterThan(0.95);
    expect(Math.abs(c.meanConfidence - card.evaluation.dataMeanConfidence)).toBeLessThan(0.01);
  });
});
