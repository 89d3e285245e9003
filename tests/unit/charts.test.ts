/**
 * The pure parts of the training charts: the choice of a log or linear y axis (src/ui/charts/chartScale.ts), integer
 * step ticks, the rows of the change markers' labels, the setting changes of the 2D view and their merging, and the
 * training history saved beside a network (src/state/trainingHistory.ts, src/state/persist.ts): a record that reads
 * back to the same history, one saved before histories were kept, and corrupt ones, which keep the network.
 */
import * as d3 from 'd3';
import { describe, expect, test } from 'vitest';
import { chooseYScale, integerTicks, LOG_RATIO } from '../../src/ui/charts/chartScale';
import { eventRows } from '../../src/ui/charts/LineChart';
import { addChange, changeText, historyRecord, HISTORY_NOT_SAVED, readHistoryRecord, type SavedHistory, type SettingChange } from '../../src/state/trainingHistory';
import { readModelRecord } from '../../src/state/persist';
import { trainingChanges } from '../../src/kinds/points2d/view/trainingChanges';
import { DEFAULT_TRAIN_2D } from '../../src/kinds/points2d/trainer';

describe('chooseYScale', () => {
  test('auto goes logarithmic exactly when max / min exceeds the ratio', () => {
    expect(chooseYScale([[1, LOG_RATIO]], 'auto').scale).toBe('linear');
    expect(chooseYScale([[1, LOG_RATIO * 1.001]], 'auto').scale).toBe('log');
    // The ratio is over every series together (the raw loss and its smoothed curve, a reference line).
    const c = chooseYScale([[2, 5], [120]], 'auto');
    expect(c.ratio).toBe(60);
    expect(c.scale).toBe('log');
  });

  test('non-finite values are gaps, not data', () => {
    const c = chooseYScale([[NaN, 1, Infinity, 10, -Infinity]], 'auto');
    expect(c).toEqual({ scale: 'linear', ratio: 10, nonPositive: 0, note: null });
  });

  test('non-positive values keep an auto axis linear and are counted; a forced log axis says it leaves them out', () => {
    const values = [[0, -3, 0.01, 50]];
    const auto = chooseYScale(values, 'auto');
    expect(auto.scale).toBe('linear');
    expect(auto.nonPositive).toBe(2);
    expect(auto.note).toBe('linear axis: 2 values ≤ 0 cannot go on a log axis');
    const log = chooseYScale(values, 'log');
    expect(log.scale).toBe('log');
    expect(log.note).toBe('2 values ≤ 0 not drawn on the log axis');
    expect(chooseYScale([[0, 1, 2]], 'log').note).toBe('1 value ≤ 0 not drawn on the log axis');
    // A narrow range with a zero is simply linear: nothing is left out, nothing to say.
    expect(chooseYScale([[0, 1, 2]], 'auto').note).toBeNull();
    expect(chooseYScale(values, 'linear')).toMatchObject({ scale: 'linear', note: null });
  });

  test('no data: linear, ratio NaN', () => {
    const c = chooseYScale([[], [NaN]], 'auto');
    expect(c.scale).toBe('linear');
    expect(c.ratio).toBeNaN();
  });
});

describe('integerTicks', () => {
  test('a short run of steps has no fractional ticks', () => {
    // d3 alone gives half steps here.
    expect(d3.ticks(1, 4, 6)).toEqual([1, 1.5, 2, 2.5, 3, 3.5, 4]);
    expect(integerTicks(1, 4, 6)).toEqual([1, 2, 3, 4]);
    expect(integerTicks(1, 2, 10)).toEqual([1, 2]);
    expect(integerTicks(0, 1, 5)).toEqual([0, 1]);
  });

  test('long runs keep d3 round steps', () => {
    expect(integerTicks(0, 1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(integerTicks(37, 12_345, 4)).toEqual([2000, 4000, 6000, 8000, 10000, 12000]);
  });

  test('never fewer than two ticks when the domain holds two integers', () => {
    // d3 alone gives one tick (10) here.
    expect(d3.ticks(3, 14, 1).filter(Number.isInteger)).toEqual([10]);
    expect(integerTicks(3, 14, 1)).toEqual([3, 14]);
    expect(integerTicks(2.5, 3.5, 5)).toEqual([3]);
    expect(integerTicks(2.2, 2.8, 5)).toEqual([]);
  });

  test('every tick is an integer inside the domain', () => {
    for (const [lo, hi] of [[3, 7], [101, 103], [0, 57], [12, 13]] as const) {
      for (const count of [2, 5, 9]) {
        for (const t of integerTicks(lo, hi, count)) {
          expect(Number.isInteger(t)).toBe(true);
          expect(t).toBeGreaterThanOrEqual(lo);
          expect(t).toBeLessThanOrEqual(hi);
        }
      }
    }
  });
});

describe('eventRows', () => {
  test('labels that overlap go to the next row; with every row taken the label is left out', () => {
    expect(eventRows([[0, 40], [100, 140]])).toEqual([0, 0]);
    expect(eventRows([[0, 40], [20, 60], [30, 70]])).toEqual([0, 1, -1]);
    // A gap of 4 px or less counts as touching.
    expect(eventRows([[0, 40], [44, 80], [45, 90]])).toEqual([0, 1, 0]);
  });
});

const change = (step: number, setting: string, from: string, to: string): SettingChange => ({ step, setting, name: setting, from, to });

describe('setting changes', () => {
  test('the 2D settings a network keeps training with, and only those', () => {
    const before = { ...DEFAULT_TRAIN_2D, learningRate: 0.001, batch: 256, loss: { type: 'inf' as const }, emaDecay: 0 };
    expect(trainingChanges(before, { ...before })).toEqual([]);
    expect(trainingChanges(before, { ...before, learningRate: 0.003, batch: 64, loss: { type: 'n', n: 20 }, emaDecay: 0.99, width: 999, sigma1: 0.5 })).toEqual([
      { setting: 'lr', name: 'learning rate', from: '0.001', to: '0.003' },
      { setting: 'batch', name: 'batch size', from: '256', to: '64' },
      { setting: 'loss', name: 'loss', from: 'L∞', to: 'L^20' },
      { setting: 'EMA', name: 'weight averaging', from: 'off', to: 'EMA 0.99' },
    ]);
    expect(trainingChanges({ ...before, loss: { type: 'n', n: 20 } }, { ...before, loss: { type: 'n', n: 40 } })).toEqual([{ setting: 'loss', name: 'loss', from: 'L^20', to: 'L^40' }]);
  });

  test('changes of one setting at one step merge; going back to the value drops the change', () => {
    let list = addChange([], change(50, 'lr', '0.001', '0.003'));
    list = addChange(list, change(20, 'batch', '256', '64'));
    expect(list.map((c) => c.step)).toEqual([20, 50]);
    list = addChange(list, change(50, 'lr', '0.003', '0.01'));
    expect(list).toEqual([change(20, 'batch', '256', '64'), change(50, 'lr', '0.001', '0.01')]);
    list = addChange(list, change(50, 'lr', '0.01', '0.001'));
    expect(list).toEqual([change(20, 'batch', '256', '64')]);
    // The same setting at another step is another change.
    expect(addChange(list, change(70, 'batch', '64', '32'))).toHaveLength(2);
  });

  test('a marker says the new value; its tooltip says the step and both values', () => {
    expect(changeText({ step: 1200, setting: 'lr', name: 'learning rate', from: '0.001', to: '0.003' })).toEqual({ label: 'lr 0.003', detail: 'step 1,200: learning rate 0.001 → 0.003' });
  });
});

const history: SavedHistory = {
  firstStep: 1,
  losses: [3.2, 2.5, 1.75],
  smoothed: [3.2, 2.83, 2.44],
  metrics: [{ step: 3, value: 0.042, support: { precision: 0.9, recall: 0.8, offSupport: 0.01 }, dataSupport: { precision: 0.97, recall: 0.96, offSupport: NaN } }],
  changes: [change(2, 'lr', '0.001', '0.003')],
};

describe('saved history', () => {
  test('a history survives its record (structured clone, as IndexedDB stores it) unchanged', () => {
    const stored = structuredClone(historyRecord(history));
    expect(readHistoryRecord(stored, 3)).toEqual({ status: 'restored', history });
  });

  test('a record saved before histories were kept loads with the note', () => {
    expect(readHistoryRecord(undefined, 500)).toEqual({ status: 'missing', note: HISTORY_NOT_SAVED });
  });

  test('corrupt records say what is wrong', () => {
    const record = historyRecord(history);
    const cases: [unknown, RegExp][] = [
      [{ ...record, losses: 'many' }, /could not be read \(.* at losses\)/],
      [{ ...record, smoothed: [1] }, /the smoothed loss and the loss differ in length at smoothed/],
      [{ ...record, version: 2 }, /could not be read .* at version/],
      [{ ...record, changes: [{ step: -1, setting: 'lr', name: 'lr', from: 'a', to: 'b' }] }, /at changes\.0\.step/],
      [{ ...record, metrics: [{ step: 3, value: 1 }] }, /at metrics\.0\.support/],
      ['garbage', /could not be read/],
    ];
    for (const [value, message] of cases) {
      const r = readHistoryRecord(value, 3);
      expect(r.status).toBe('corrupt');
      expect(r.status !== 'restored' && r.note).toMatch(message);
    }
  });

  test('a history reaching past the network belongs to another network', () => {
    expect(readHistoryRecord(historyRecord(history), 2)).toEqual({ status: 'corrupt', note: "the saved history reaches step 3, past the network's 2; the network was restored without it" });
  });
});

describe('saved model records', () => {
  const model = { modelJson: { format: 'x' }, weights: new ArrayBuffer(8), card: { training: { steps: 3 } }, config: DEFAULT_TRAIN_2D, dataset: 'moons', savedAt: '2026-01-01T00:00:00Z' };

  test('an old record (no history) still loads its network, with the note', () => {
    const loaded = readModelRecord(structuredClone(model));
    expect(loaded?.weights.byteLength).toBe(8);
    expect(loaded?.dataset).toBe('moons');
    expect(loaded?.history).toEqual({ status: 'missing', note: HISTORY_NOT_SAVED });
  });

  test('a corrupt history loses nothing else', () => {
    const loaded = readModelRecord(structuredClone({ ...model, history: { ...historyRecord(history), firstStep: 'one' } }));
    expect(loaded?.weights.byteLength).toBe(8);
    expect(loaded?.config).toEqual(DEFAULT_TRAIN_2D);
    expect(loaded?.history.status).toBe('corrupt');
  });

  test('a record with its history restores it; a record that is no model is null', () => {
    expect(readModelRecord(structuredClone({ ...model, history: historyRecord(history) }))?.history).toEqual({ status: 'restored', history });
    expect(readModelRecord({ ...model, weights: 'x' })).toBeNull();
    expect(readModelRecord(null)).toBeNull();
  });
});
