/**
 * The worker's 2D session with the network options (src/kinds/points2d/session.ts): Fourier features and residual
 * layers are validated, changing them makes a fresh network while the learning rate keeps it, a saved model restored
 * for further training keeps its own network whatever the page's settings say, a model's info and card name them, and
 * a card that describes another network is refused. Also the time-to-quality loop (src/bench/timeToQuality.ts) on a
 * fake engine with a fake clock: the page's schedule, the bar and the cap.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { timeToQuality, type TimeToQualityEngine } from '../../src/bench/timeToQuality';
import { playgroundPoints } from '../../src/data/playgroundPoints';
import { Playground2D, validateConfig } from '../../src/kinds/points2d/session';
import { LIVE_TRAINING, type DataPayload, type MetricResult, type TrainStepsResult } from '../../src/engine/protocol';
import { DEFAULT_TRAIN_2D, type Train2DConfig } from '../../src/kinds/points2d/trainer';
import { useBackend } from '../backends';

const SMALL: Train2DConfig = { ...DEFAULT_TRAIN_2D, width: 8, depth: 2, fourierFeatures: 2, residual: true, batch: 16, emaDecay: 0.9 };

describe('Playground2D with Fourier features and residual layers (cpu)', () => {
  let data: DataPayload;
  beforeAll(async () => {
    await useBackend('cpu');
    data = playgroundPoints('two-moons', 1);
  });

  test('validateConfig refuses a bad K or residual flag', () => {
    expect(() => validateConfig({ ...SMALL, fourierFeatures: 13 })).toThrow(/Fourier features/);
    expect(() => validateConfig({ ...SMALL, fourierFeatures: 2.5 })).toThrow(/Fourier features/);
    expect(() => validateConfig({ ...SMALL, fourierFeatures: -1 })).toThrow(/Fourier features/);
    expect(() => validateConfig({ ...SMALL, residual: 'yes' as unknown as boolean })).toThrow(/residual/);
    expect(() => validateConfig({ ...SMALL, width: 0 })).toThrow(/width/);
    expect(validateConfig({ ...SMALL, fourierFeatures: 12 }).fourierFeatures).toBe(12);
  });

  test('changing K or residual makes a fresh network; the learning rate keeps it', async () => {
    const pg = new Playground2D(() => 'cpu');
    pg.setData(data);
    expect(pg.configureTrainer(SMALL).outcome).toBe('pending');
    await pg.trainSteps({ maxSteps: 3, budgetMs: 1e9 });
    const updated = pg.configureTrainer({ ...SMALL, learningRate: 1e-3 });
    expect(updated.outcome).toBe('updated');
    expect(updated.trainer).toMatchObject({ step: 3, config: { fourierFeatures: 2, residual: true } });
    const more = pg.configureTrainer({ ...SMALL, learningRate: 1e-3, fourierFeatures: 3 });
    expect(more.outcome).toBe('reset');
    expect(more.trainer).toMatchObject({ step: 0, config: { fourierFeatures: 3 } });
    await pg.trainSteps({ maxSteps: 1, budgetMs: 1e9 });
    expect(pg.configureTrainer({ ...SMALL, learningRate: 1e-3, fourierFeatures: 3, residual: false }).outcome).toBe('reset');
    pg.clearTrainer();
  });

  test('a restored model keeps its own network; its info and card name it; a card for another network is refused', async () => {
    const pg = new Playground2D(() => 'cpu');
    pg.setData(data);
    pg.resetTrainer(SMALL);
    await pg.trainSteps({ maxSteps: 4, budgetMs: 1e9 });
    const files = await pg.exportModel({ source: 'trained', dataset: 'two-moons', datasetName: 'Two moons' });
    expect(files.modelJson.network).toMatchObject({ width: 8, depth: 2, fourierFeatures: 2, residual: true });
    expect(files.card.title).toContain('MLP 8 x 2, 2 Fourier features, residual');
    pg.clearTrainer();

    // The page's settings say a plain 128 x 3 network: the model's own network wins.
    const other = new Playground2D(() => 'cpu');
    other.setData(data);
    const info = other.restoreTrainer({ modelJson: files.modelJson, weights: files.weights.slice(0), card: files.card, config: { ...DEFAULT_TRAIN_2D, fourierFeatures: 0, residual: false } });
    expect(info.config).toMatchObject({ width: 8, depth: 2, fourierFeatures: 2, residual: true, sigma1: SMALL.sigma1 });
    expect(info.step).toBe(4);
    const r = await other.trainSteps({ maxSteps: 2, budgetMs: 1e9 });
    expect(r.step).toBe(6);
    // The same network settings keep it, as the page's configureTrainer call after a restore does.
    expect(other.configureTrainer({ ...DEFAULT_TRAIN_2D, width: 8, depth: 2, fourierFeatures: 2, residual: true }).outcome).not.toBe('reset');
    other.clearTrainer();

    const loaded = await other.loadModel({ slot: 'file', modelJson: files.modelJson, weights: files.weights.slice(0), card: files.card });
    expect(loaded?.network).toMatchObject({ width: 8, depth: 2, fourierFeatures: 2, residual: true });
    for (const network of [{ ...files.card.network, fourierFeatures: 3 }, { ...files.card.network, residual: false }]) {
      await expect(other.loadModel({ slot: 'file', modelJson: files.modelJson, weights: files.weights.slice(0), card: { ...files.card, network } }))
        .rejects.toThrow(/card.json does not describe this model: it says MLP 8 x 2.*model.json has MLP 8 x 2, 2 Fourier features, residual/);
    }
  });
});

describe('timeToQuality on a fake engine and clock', () => {
  /** An engine whose precision grows by 0.1 every 100 steps (recall is always 1); 10 steps per 120 ms call, 200 ms per measurement. */
  function fake() {
    let clock = 0;
    let step = 0;
    const calls: string[] = [];
    let data: DataPayload | null = null;
    const engine: TimeToQualityEngine = {
      setData: (d) => ((data = d), calls.push('setData'), { points: d.train.length / 2, baseline: 0 }),
      resetTrainer: (config) => (calls.push('reset'), (step = 0), { step, config, wallSeconds: 0, parameters: 42 }),
      clearTrainer: () => void calls.push('clear'),
      trainSteps: async ({ maxSteps }): Promise<TrainStepsResult> => {
        calls.push('train');
        clock += LIVE_TRAINING.batchBudgetMs;
        step += Math.min(10, maxSteps);
        return { losses: new Float32Array(10), step, stepsPerSecond: 10 / 0.12, halt: null, wallSeconds: clock / 1000 };
      },
      evaluate: async () => {
        calls.push('measure');
        clock += 200;
        const support = { precision: Math.min(1, Math.floor(step / 100) / 10), recall: 1, offSupport: 0 };
        return { step, value: 0.01, support, dataSupport: { precision: 0.98, recall: 0.99, offSupport: 0 } } as unknown as MetricResult;
      },
    };
    return { engine, now: () => clock, calls, data: () => data };
  }
  const request = { dataset: 'spirals', config: { ...DEFAULT_TRAIN_2D, seed: 3 }, metric: { points: 500, steps: 50, seed: 7 }, target: 0.9, capSeconds: 60 };

  test('measures on the page schedule and stops at the first measurement that reaches the bar', async () => {
    const f = fake();
    const r = await timeToQuality(f.engine, request, f.now);
    expect(f.data()!.train).toEqual(playgroundPoints('spirals', 3).train);
    // Precision 0.9 needs 900 steps: 90 calls of 120 ms = 10.8 s of training; measurements every > 2.5 s.
    expect(r.reached).toBe(true);
    expect(r.step).toBeGreaterThanOrEqual(900);
    expect(r.measurements[0]).toMatchObject({ step: 0, seconds: 0.2 });
    const gaps = r.measurements.slice(1).map((m, k) => m.seconds - r.measurements[k]!.seconds);
    for (const gap of gaps) expect(gap).toBeGreaterThan(LIVE_TRAINING.metricEveryMs / 1000);
    for (const gap of gaps) expect(gap).toBeLessThan(LIVE_TRAINING.metricEveryMs / 1000 + 0.2 + 0.121);
    expect(r.seconds).toBe(r.measurements.at(-1)!.seconds);
    expect(r.seconds! * 1000).toBeCloseTo(r.trainSeconds * 1000 + r.measureSeconds * 1000, 6);
    expect(r.last.precision).toBeGreaterThanOrEqual(0.9);
    expect(r.measurements.slice(0, -1).every((m) => m.precision < 0.9)).toBe(true);
    expect([r.dataPrecision, r.dataRecall, r.parameters]).toEqual([0.98, 0.99, 42]);
    expect(f.calls.at(0)).toBe('setData');
    expect(f.calls.at(-1)).toBe('clear');
  });

  test('a bar not reached within the cap is "not reached"', async () => {
    const f = fake();
    const r = await timeToQuality(f.engine, { ...request, capSeconds: 5 }, f.now);
    expect(r.reached).toBe(false);
    expect(r.seconds).toBeNull();
    expect(r.last.precision).toBeLessThan(0.9);
    expect(r.trainSeconds).toBeLessThan(5.2);
    expect(f.calls.at(-1)).toBe('clear');
  });

  test('bad requests are refused', async () => {
    await expect(timeToQuality(fake().engine, { ...request, target: 0 })).rejects.toThrow(/target/);
    await expect(timeToQuality(fake().engine, { ...request, capSeconds: -1 })).rejects.toThrow(/capSeconds/);
  });
});
