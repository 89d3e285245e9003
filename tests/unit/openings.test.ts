/**
 * Recorded openings (src/engine/opening.ts): the file format round-trips within its stated rounding, the page's
 * hand-over keeps live frames and fills the rest, and every committed models/<id>/opening.bin is the first frames of
 * the run its view starts with today (the current model files and default settings), three of them re-recorded here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { decodeOpening, encodeOpening, fillFromOpening, isOpeningOf, OpeningError, type Opening } from '../../src/engine/opening';
import { modelHash, OPENING_FRAMES, openingJobs, recordOpening, type OpeningJob } from '../../scripts/lib/openings';
import { useBackend } from '../backends';
import * as tf from '@tensorflow/tfjs';

/** A payload shaped like a 2D run: n = 4 steps, P = 3 points, a nested schedule. */
function payload(n = 4, P = 3) {
  const frame = 2 * P;
  const ramp = (count: number, scale: number) => Float32Array.from({ length: count }, (_, i) => Math.sin(i * 1.7) * scale + i * 0.01);
  return {
    source: 'shipped', n, points: P, seed: 1,
    t: Float64Array.from({ length: n + 1 }, (_, k) => k / n),
    mu: ramp((n + 1) * frame, 0.8),
    y: ramp(n * frame, 5),
    samples: ramp(frame, 1),
    schedule: { t: Float64Array.from([0, 0.5, 1]), beta: Float64Array.from([0, 0.25, 1]) },
    backend: 'wasm',
  };
}

/** The largest error per frame that the uint8 storage allows: half a step of the frame's range. */
function maxErrorPerFrame(values: Float32Array, frameSize: number, frames: number): number[] {
  return Array.from({ length: frames }, (_, f) => {
    const frame = values.subarray(f * frameSize, (f + 1) * frameSize);
    return (Math.max(...frame) - Math.min(...frame)) / 510;
  });
}

describe('the opening file', () => {
  const p = payload();
  const bytes = encodeOpening('points2d', 'two-moons', 'abc', { source: 'shipped', steps: 4, seed: 1 }, p, { mu: 'frames', y: 'updates', samples: 'final' }, 4, 3);
  const back = decodeOpening<ReturnType<typeof payload>>(bytes).payload;

  test('keeps frames 0..frames-1 within half a uint8 step of each frame range, and zeros after them', () => {
    const bound = maxErrorPerFrame(p.mu, 6, 3);
    for (let i = 0; i < 3 * 6; i++) expect(Math.abs(back.mu[i]! - p.mu[i]!)).toBeLessThanOrEqual(bound[Math.floor(i / 6)]! * 1.0001 + 1e-7);
    expect(Array.from(back.mu.subarray(18))).toEqual(new Array(12).fill(0));
    // 'updates' arrays start at frame 1: frames 1 and 2 are updates 0 and 1.
    const yBound = maxErrorPerFrame(p.y, 6, 2);
    for (let i = 0; i < 12; i++) expect(Math.abs(back.y[i]! - p.y[i]!)).toBeLessThanOrEqual(yBound[Math.floor(i / 6)]! * 1.0001 + 1e-7);
    expect(Array.from(back.y.subarray(12))).toEqual(new Array(12).fill(0));
    expect(Array.from(back.samples)).toEqual(new Array(6).fill(0));
  });

  test('keeps the other arrays exactly, with their types, and the plain fields', () => {
    expect(back.t).toBeInstanceOf(Float64Array);
    expect(Array.from(back.t)).toEqual(Array.from(p.t));
    expect(Array.from(back.schedule.beta)).toEqual([0, 0.25, 1]);
    expect(back.schedule.t).toBeInstanceOf(Float64Array);
    expect({ source: back.source, n: back.n, points: back.points, seed: back.seed, backend: back.backend }).toEqual({ source: 'shipped', n: 4, points: 3, seed: 1, backend: 'wasm' });
    expect(back.mu).toBeInstanceOf(Float32Array);
    expect(back.mu.length).toBe(p.mu.length);
  });

  test('refuses bytes that are not an opening, or are cut short', () => {
    expect(() => decodeOpening(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(OpeningError);
    expect(() => decodeOpening(bytes.subarray(0, 40))).toThrow(/cut short/);
    expect(() => decodeOpening(bytes.subarray(0, bytes.length - 30))).toThrow(/cut short/);
  });

  test('names the run it recorded: the same id and every recorded option', () => {
    const { header } = decodeOpening(bytes);
    expect(isOpeningOf(header, 'two-moons', { source: 'shipped', steps: 4, seed: 1, extra: 9 })).toBe(true);
    expect(isOpeningOf(header, 'two-moons', { source: 'shipped', steps: 4, seed: 2 })).toBe(false);
    expect(isOpeningOf(header, 'circles', { source: 'shipped', steps: 4, seed: 1 })).toBe(false);
  });

  test('the hand-over keeps the live frames and fills the recorded frames the live run has not reached, and the schedule of every frame', () => {
    const opening: Opening<unknown> = decodeOpening(bytes);
    // The live run's t so far: frame 0 only (the stream sends t frame by frame too).
    const live = { mu: new Float32Array(30).fill(7), y: new Float32Array(24).fill(7), t: new Float64Array(5) };
    // The live run has sent frame 0 only (and no update yet).
    live.mu.fill(0, 6);
    live.y.fill(0);
    fillFromOpening(live, opening, 1);
    expect(Array.from(live.mu.subarray(0, 6))).toEqual(new Array(6).fill(7));
    expect(Array.from(live.mu.subarray(6, 18))).toEqual(Array.from(back.mu.subarray(6, 18)));
    expect(Array.from(live.mu.subarray(18))).toEqual(new Array(12).fill(0));
    expect(Array.from(live.y.subarray(0, 12))).toEqual(Array.from(back.y.subarray(0, 12)));
    // The readouts of the recorded frames read t (and rho, alpha) of the frame: the recorded run's, as the live run's will be.
    expect(Array.from(live.t)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});

describe('the committed openings are the runs their views start with', () => {
  const jobs = openingJobs();

  test('every shipped 2D data set, binarized and grey-scale MNIST and words has one, made from the current model files and default settings', () => {
    expect(jobs.map((j) => j.id)).toEqual(['two-moons', 'eight-gaussians', 'checkerboard', 'swiss-roll', 'spirals', 'circles', 'pinwheel', 'heart', 'mnist-binary', 'mnist-grey', 'words']);
    for (const job of jobs) {
      const file = join(job.dir, 'opening.bin');
      expect(existsSync(file), `${file} is missing: run npm run record`).toBe(true);
      const { header } = decodeOpening(new Uint8Array(readFileSync(file)));
      expect(header.modelHash, `${file} was recorded from other model files: run npm run record`).toBe(modelHash(job.dir));
      expect(header.options, `${file} was recorded with other settings than the view's defaults: run npm run record`).toEqual(job.options);
      expect(header.frames).toBe(OPENING_FRAMES[job.kind]);
    }
  });

  // The quick ones (grey-scale MNIST takes about 8 s): one of each kind of payload handling.
  describe.each(['two-moons', 'mnist-binary', 'words'])('%s, re-recorded on wasm', (id) => {
    let job: OpeningJob;
    let committed: Opening<Record<string, unknown>>;
    let fresh: Opening<Record<string, unknown>>;
    beforeAll(async () => {
      await useBackend('wasm');
      job = jobs.find((j) => j.id === id)!;
      committed = decodeOpening(new Uint8Array(readFileSync(join(job.dir, 'opening.bin'))));
      fresh = decodeOpening(await recordOpening(job, () => tf.getBackend()));
    }, 60_000);

    test('equals the committed file, array for array', () => {
      expect(fresh.header.arrays).toEqual(committed.header.arrays);
      for (const entry of committed.header.arrays) {
        let a: unknown = committed.payload;
        let b: unknown = fresh.payload;
        for (const key of entry.path) {
          a = (a as Record<string, unknown>)[key];
          b = (b as Record<string, unknown>)[key];
        }
        // Same backend, same code: the same rounding of the same values.
        expect(Array.from(b as Float32Array), entry.path.join('.')).toEqual(Array.from(a as Float32Array));
      }
    });
  });
});
