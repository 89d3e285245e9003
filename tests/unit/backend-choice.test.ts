/** The backend chosen by measurement: the choice and its words from timings, and the cache's key and freshness. */
import { describe, expect, it } from 'vitest';
import { chooseBackend, dateText, isFreshMeasurement, measurementKey, MEASUREMENT_MAX_AGE_MS, msText, stepScore, type BackendTiming, type Measurement } from '../../src/engine/backendChoice';

const timing = (name: string, sampleMs: number | null, trainMs: number | null, extra: Partial<BackendTiming> = {}): BackendTiming => ({
  name, sampleMs, trainMs, sampleKernels: null, trainKernels: null, estimateMs: null, note: null, ...extra,
});

// 2026-12-01 16:05 UTC.
const AT = Date.UTC(2026, 11, 1, 16, 5);

const measurement = (timings: BackendTiming[], skipped: Measurement['skipped'] = []): Measurement => ({
  view: '2d', workload: 'sampling 1000 x 2 (MLP); training batch 256', timings, skipped, measuredAt: AT, tookMs: 2500, busyMs: 900,
});

describe('chooseBackend', () => {
  it('picks the smallest sampling + training time per step, not the first by rank', () => {
    // webgpu first in rank order, but slower per step for a small network: wasm wins.
    const m = measurement([timing('webgpu', 20, 11), timing('webgl', 9, 22), timing('wasm', 4, 8, { sampleKernels: 31, trainKernels: 310 }), timing('cpu', 40, 90)]);
    const c = chooseBackend(m);
    expect(c.chosen).toBe('wasm');
    expect(c.ranking).toEqual([
      { name: 'wasm', ms: 12 },
      { name: 'webgpu', ms: 31 },
      { name: 'webgl', ms: 31 },
      { name: 'cpu', ms: 130 },
    ]);
    expect(c.summary).toBe('wasm chosen: 12 ms/step vs webgpu 31 ms/step, webgl 31 ms/step, cpu 130 ms/step, measured 2026-12-01');
    expect(c.details[0]).toBe('wasm: 12 ms per step = sampling 4.0 ms + training 8.0 ms; kernels: 31 per sampling step, 310 per training step');
  });

  it('lets the GPU win where it is faster (MNIST-sized work)', () => {
    const c = chooseBackend(measurement([timing('webgpu', 3, 15), timing('wasm', 45, 120)]));
    expect(c.chosen).toBe('webgpu');
    expect(c.summary.startsWith('webgpu chosen: 18 ms/step vs wasm 165 ms/step')).toBe(true);
  });

  it('names skipped backends grouped by reason, and backends stopped early with their estimate', () => {
    const m = measurement([timing('wasm', 143, 116), timing('cpu', null, null, { estimateMs: 6200, note: 'stopped early: ...' })], [
      { name: 'webgpu', reason: 'software adapter' },
      { name: 'webgl', reason: 'software adapter' },
    ]);
    const c = chooseBackend(m, true);
    expect(c.chosen).toBe('wasm');
    expect(c.summary).toBe('wasm chosen: 259 ms/step vs cpu ~6.2 s/step (estimated), measured 2026-12-01 (cached); webgpu, webgl skipped: software adapter');
    expect(c.details).toEqual([
      'wasm: 259 ms per step = sampling 143 ms + training 116 ms',
      'cpu: stopped early: ...',
      'webgpu: skipped, software adapter',
      'webgl: skipped, software adapter',
      "Measured 2026-12-01 16:05 UTC, read back from this browser's cache.",
    ]);
  });

  it('chooses nothing (keeps the running backend) when no backend was timed completely', () => {
    const c = chooseBackend(measurement([timing('wasm', 5, null, { note: 'failed: out of memory' })]));
    expect(c.chosen).toBeNull();
    expect(c.ranking).toEqual([]);
    expect(c.summary).toBe('no backend timed completely (wasm not timed), measured 2026-12-01');
  });

  it('keeps the earlier backend on a tie, and says when only one was timed', () => {
    expect(chooseBackend(measurement([timing('webgl', 5, 5), timing('wasm', 4, 6)])).chosen).toBe('webgl');
    expect(chooseBackend(measurement([timing('wasm', 1, 2)])).summary).toBe('wasm chosen: 3.0 ms/step (the only backend timed), measured 2026-12-01');
  });

  it('scores only complete, finite timings', () => {
    expect(stepScore(timing('a', 2, 3))).toBe(5);
    expect(stepScore(timing('a', 2, null))).toBeNull();
    expect(stepScore(timing('a', Infinity, 3))).toBeNull();
  });

  it('writes times and dates for people', () => {
    expect([msText(0.42), msText(9.96), msText(12.4), msText(999), msText(1250)]).toEqual(['0.4 ms', '10.0 ms', '12 ms', '999 ms', '1.3 s']);
    expect(dateText(AT)).toBe('2026-12-01 16:05');
  });
});

describe('the measurement cache', () => {
  const device = { adapter: 'nvidia ampere', userAgent: 'Mozilla/5.0 Chrome/131', hardwareConcurrency: 8 };

  it('keys a measurement by view and device: GPU, user agent and cores each change the key', () => {
    const key = measurementKey(device, 'mnist');
    expect(key).toBe('backend-measure|mnist|8|nvidia ampere|Mozilla/5.0 Chrome/131');
    const others = [
      measurementKey(device, '2d'),
      measurementKey({ ...device, adapter: 'intel xe' }, 'mnist'),
      measurementKey({ ...device, adapter: null }, 'mnist'),
      measurementKey({ ...device, userAgent: 'Mozilla/5.0 Chrome/132' }, 'mnist'),
      measurementKey({ ...device, hardwareConcurrency: 4 }, 'mnist'),
    ];
    expect(new Set([key, ...others]).size).toBe(6);
  });

  it('uses a cached measurement of the same view for 30 days, not after, not from the future, not malformed', () => {
    const m = measurement([timing('wasm', 1, 2)]);
    expect(MEASUREMENT_MAX_AGE_MS).toBe(30 * 86_400_000);
    expect(isFreshMeasurement(m, '2d', AT)).toBe(true);
    expect(isFreshMeasurement(m, '2d', AT + MEASUREMENT_MAX_AGE_MS)).toBe(true);
    expect(isFreshMeasurement(m, '2d', AT + MEASUREMENT_MAX_AGE_MS + 1)).toBe(false);
    expect(isFreshMeasurement(m, '2d', AT - 1)).toBe(false);
    expect(isFreshMeasurement(m, 'mnist', AT)).toBe(false);
    expect(isFreshMeasurement({ ...m, timings: 'fast' }, '2d', AT)).toBe(false);
    expect(isFreshMeasurement(null, '2d', AT)).toBe(false);
    expect(isFreshMeasurement('x', '2d', AT)).toBe(false);
  });
});
