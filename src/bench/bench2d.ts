/**
 * The 2D benchmark body shared by Node (`npm run bench`) and the browser worker: training steps per second for
 * the default MLP at batch 256, and milliseconds to sample N = 2000 points with n = 100 steps. Times are medians
 * over repeats after a warm-up (shader compilation, wasm start-up).
 */
import * as tf from '@tensorflow/tfjs';
import { sampleDataset } from '../data/toy2d';
import { DEFAULT_TRAIN_2D, Trainer2D } from '../train/trainer2d';

/** One backend's results. */
export interface Bench2DResult {
  backend: string;
  /** Training steps per second (default MLP, batch 256, L^inf, Adam). */
  trainStepsPerSecond: number;
  /** Median milliseconds per training step. */
  trainStepMs: number;
  /** Milliseconds to sample N = 2000 points with n = 100 steps (median of the repeats). */
  sampleMs: number;
  steps: number;
  sampleRepeats: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Runs the 2D benchmark on the active backend. @param steps timed training steps (after 5 warm-up steps).
 * @param sampleRepeats timed sampling runs (after one warm-up run). @param now a clock in milliseconds.
 */
export async function bench2D(steps = 50, sampleRepeats = 3, now: () => number = () => performance.now()): Promise<Bench2DResult> {
  if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(sampleRepeats) || sampleRepeats < 1) throw new RangeError('bench2D: steps and sampleRepeats must be positive integers');
  const data = sampleDataset('two-moons', 4096, 1);
  const trainer = new Trainer2D(data, { ...DEFAULT_TRAIN_2D, batch: 256 });
  try {
    for (let k = 0; k < 5; k++) await trainer.trainStep();
    const stepTimes: number[] = [];
    for (let k = 0; k < steps; k++) {
      const t0 = now();
      await trainer.trainStep();
      stepTimes.push(now() - t0);
    }
    // A short warm-up sample compiles the sampling kernels without timing a full run.
    await trainer.sample(2000, 2, 1);
    const sampleTimes: number[] = [];
    for (let k = 0; k < sampleRepeats; k++) {
      const t0 = now();
      await trainer.sample(2000, 100, 2 + k);
      sampleTimes.push(now() - t0);
    }
    const trainStepMs = median(stepTimes);
    return { backend: tf.getBackend(), trainStepsPerSecond: 1000 / trainStepMs, trainStepMs, sampleMs: median(sampleTimes), steps, sampleRepeats };
  } finally {
    trainer.dispose();
  }
}
