/**
 * The MNIST benchmark body shared by Node (`npm run bench`) and the browser worker (MNIST view): milliseconds to sample
 * 16 digits with n = 100 steps (the shipped network size, untrained weights: the cost does not depend on their
 * values), and training steps per second at batch 64. Times are medians over repeats after a warm-up. The training
 * images are synthetic grey images (uniform intensities), so the benchmark needs no download; a step's cost does not
 * depend on the pixel values.
 */
import * as tf from '@tensorflow/tfjs';
import { sample, seededNoise } from '../bfn';
import { MNIST_PIXELS, type MnistImages } from '../data/mnist/mnist';
import { createRng } from '../data/random';
import { DEFAULT_TRAIN_MNIST, MNIST_SPEC, TrainerMnist } from '../kinds/mnist-binary/trainer';
import { parameterCount } from '../nets/mnistNet';

/** One backend's MNIST results. */
export interface MnistBenchResult {
  backend: string;
  /** Milliseconds to sample 16 digits with n = 100 steps (median of the repeats). */
  sampleMs: number;
  /** Training steps per second at batch 64 (L^inf, AdamW, EMA, gradient clipping). */
  trainStepsPerSecond: number;
  trainStepMs: number;
  trainSteps: number;
  sampleRepeats: number;
  parameters: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Runs the MNIST benchmark on the active backend.
 * @param trainSteps timed training steps (after 3 warm-up steps). @param sampleRepeats timed sampling runs (after a
 * 2-step warm-up run). @throws RangeError for a non-positive count.
 */
export async function benchMnist(trainSteps = 10, sampleRepeats = 2, now: () => number = () => performance.now()): Promise<MnistBenchResult> {
  if (!Number.isInteger(trainSteps) || trainSteps < 1 || !Number.isInteger(sampleRepeats) || sampleRepeats < 1) throw new RangeError('benchMnist: trainSteps and sampleRepeats must be positive integers');
  const rng = createRng('bench-mnist');
  const images: MnistImages = { count: 256, pixels: Uint8Array.from({ length: 256 * MNIST_PIXELS }, () => Math.floor(rng.uniform() * 256)) };
  const trainer = new TrainerMnist(images, Array.from({ length: 256 }, (_, k) => k), { ...DEFAULT_TRAIN_MNIST, batch: 64 });
  try {
    for (let k = 0; k < 3; k++) await trainer.trainStep();
    const stepTimes: number[] = [];
    for (let k = 0; k < trainSteps; k++) {
      const t0 = now();
      await trainer.trainStep();
      stepTimes.push(now() - t0);
    }
    await sample(MNIST_SPEC, trainer.ema.net, [16, MNIST_PIXELS], { n: 2, noise: seededNoise(1) });
    const sampleTimes: number[] = [];
    for (let k = 0; k < sampleRepeats; k++) {
      const t0 = now();
      await sample(MNIST_SPEC, trainer.ema.net, [16, MNIST_PIXELS], { n: 100, noise: seededNoise(2 + k) });
      sampleTimes.push(now() - t0);
    }
    const trainStepMs = median(stepTimes);
    return {
      backend: tf.getBackend(), sampleMs: median(sampleTimes), trainStepsPerSecond: 1000 / trainStepMs, trainStepMs, trainSteps, sampleRepeats,
      parameters: parameterCount(trainer.net),
    };
  } finally {
    trainer.dispose();
  }
}
