/**
 * Every shipped 2D model: one folder per built-in dataset holding model.json, weights.bin and a valid card.json whose
 * evaluation (written by `npm run eval`) claims the acceptance bar (k-NN precision and recall >= 0.95, off-support share
 * within the bar); the files decode into a network whose samples stay in [-1, 1]; and a fresh measurement with other
 * seeds (1000 samples, n = 100, 2 repeats) confirms the card: precision and recall at least 0.93 and an off-support share
 * of at most 1 % (the bar less about four standard errors of a 2-repeat measurement, which is 0.003-0.005 here).
 */
import { parseCard } from '../../src/train/modelFile';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DATASETS_2D } from '../../src/data/toy2d';
import { decodePointsModel } from '../../src/kinds/modelFiles';
import { POINTS_FILES } from '../../src/kinds/points2d/files';
import { evaluate2D, evaluationBar2D } from '../../src/kinds/points2d/evaluate';
import { sample, seededNoise } from '../../src/bfn';
import { useBackend } from '../backends';

const root = join(import.meta.dirname, '..', '..', 'models');

beforeAll(async () => {
  await useBackend('wasm');
});

describe.each(DATASETS_2D.map((d) => d.id))('shipped model %s', (id) => {
  const dir = join(root, id);

  test('has model.json, weights.bin and a card whose evaluation claims the bar', () => {
    for (const f of ['model.json', 'weights.bin', 'card.json']) expect(existsSync(join(dir, f)), `${dir}/${f}`).toBe(true);
    const card = parseCard(POINTS_FILES, JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')));
    expect(card.dataset).toBe(id);
    expect(card.training.steps).toBeGreaterThan(0);
    expect(card.training.command).toMatch(/^npm run train -- 2d --dataset /);
    const e = card.evaluation;
    expect(e, 'card.evaluation (run npm run eval)').toBeDefined();
    expect(e!.command).toBe(`npm run eval -- models/${id}`);
    for (const key of ['precision', 'recall', 'offSupport', 'dataOffSupport'] as const) expect(e![key], `card.evaluation.${key}`).toBeTypeOf('number');
    expect(evaluationBar2D({ precision: e!.precision!, recall: e!.recall!, offSupport: e!.offSupport!, dataOffSupport: e!.dataOffSupport! })).toEqual([]);
  });

  test('a fresh measurement with other seeds confirms the card', async () => {
    const bytes = readFileSync(join(dir, 'weights.bin'));
    const { spec, mlp } = decodePointsModel(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    try {
      const r = await evaluate2D(spec, mlp, id, { samples: 1000, steps: 100, seed: 424242, repeats: 2 });
      expect(r.precision).toBeGreaterThanOrEqual(0.93);
      expect(r.recall).toBeGreaterThanOrEqual(0.93);
      expect(r.offSupport).toBeLessThanOrEqual(0.01);
    } finally {
      mlp.dispose();
    }
  }, 120_000);

  test('decodes into a network whose samples are finite, without leaking tensors', async () => {
    const bytes = readFileSync(join(dir, 'weights.bin'));
    const before = tf.memory().numTensors;
    const { spec, mlp } = decodePointsModel(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const { samples } = await sample(spec, mlp.net, [200, 2], { n: 20, noise: seededNoise(1) });
    mlp.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // (The sampler clips to [-1, 1], so only finiteness says anything here; the fresh measurement above checks quality.)
    expect(samples.every((v) => Number.isFinite(v))).toBe(true);
  });
});
