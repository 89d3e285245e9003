/**
 * Every shipped 2D model: one folder per built-in dataset holding model.json, weights.bin and a valid card.json
 * whose evaluation (written by `npm run eval`) is within 1.5 times the data-vs-data baseline; the files decode into
 * a network whose samples stay in [-1, 1].
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DATASETS_2D } from '../../src/data/toy2d';
import { decodeModel, parseCard } from '../../src/train/modelFile';
import { sample, seededNoise } from '../../src/bfn';
import { useBackend } from '../backends';

const root = join(import.meta.dirname, '..', '..', 'models');

beforeAll(async () => {
  await useBackend('wasm');
});

describe.each(DATASETS_2D.map((d) => d.id))('shipped model %s', (id) => {
  const dir = join(root, id);

  test('has model.json, weights.bin and a card within 1.5x the data-vs-data baseline', () => {
    for (const f of ['model.json', 'weights.bin', 'card.json']) expect(existsSync(join(dir, f)), `${dir}/${f}`).toBe(true);
    const card = parseCard(JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')));
    expect(card.dataset).toBe(id);
    expect(card.training.steps).toBeGreaterThan(0);
    expect(card.training.command).toMatch(/^npm run train -- 2d --dataset /);
    expect(card.evaluation, 'card.evaluation (run npm run eval)').toBeDefined();
    expect(card.evaluation!.command).toBe(`npm run eval -- models/${id}`);
    expect(card.evaluation!.ratio).toBeCloseTo(card.evaluation!.value / card.evaluation!.baseline, 10);
    expect(card.evaluation!.ratio).toBeLessThanOrEqual(1.5);
  });

  test('decodes and samples inside [-1, 1] without leaking tensors', async () => {
    const bytes = readFileSync(join(dir, 'weights.bin'));
    const before = tf.memory().numTensors;
    const { spec, mlp } = decodeModel(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), { kind: 'continuous', inputDim: 2 });
    const { samples } = await sample(spec, mlp.net, [200, 2], { n: 20, noise: seededNoise(1) });
    mlp.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(samples.every((v) => Number.isFinite(v) && Math.abs(v) <= 1)).toBe(true);
  });
});
