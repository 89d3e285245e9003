/**
 * The simplex benchmark: milliseconds for one sampling run of the shipped K = 3 toy model (models/simplex/, read and
 * validated here) drawing 1000 samples of its 3 variables with n = 100 steps on whatever TF.js backend is current
 * (the core sampler of src/bfn/sampler.ts, no trajectory recorded). Median over repeats after a 2-step warm-up run.
 * {@link SIMPLEX_SAMPLING_BENCH} times the same run where the files cannot be read (the browser worker): a network of
 * the shipped size with untrained weights, whose cost is the same.
 */
import * as tf from '@tensorflow/tfjs-core';
import { timeSampling } from './timeSampling';
import { readModelFiles } from '../train/modelFile';
import { SIMPLEX_FILES } from '../kinds/simplex/files';
import { createSimplexNet } from '../kinds/simplex/net';
import { SIMPLEX_SPEC } from '../kinds/simplex/trainer';

/**
 * The simplex kind's entry for a table of sampling benchmarks: 1000 samples with n = 100 of a network of the shipped size
 * (untrained weights: the same cost), `time(repeats)` returning the milliseconds of each timed run.
 */
export const SIMPLEX_SAMPLING_BENCH = {
  run: '1000 samples, n = 100',
  async time(repeats: number): Promise<number[]> {
    const net = createSimplexNet();
    try {
      return await timeSampling(SIMPLEX_SPEC, net.net, [1000, 3], 100, repeats);
    } finally {
      net.dispose();
    }
  },
};

/** One backend's simplex sampling time. */
export interface SimplexBenchResult {
  backend: string;
  /** Milliseconds per sampling run (median of the repeats). */
  sampleMs: number;
  samples: number;
  steps: number;
  repeats: number;
  parameters: number;
}

/**
 * Times sampling of a simplex model on the active backend.
 * @param modelJson model.json's parsed value. @param weights weights.bin's bytes. @param card card.json's value (or null).
 * @param options samples per run (default 1000), steps n (default 100), timed repeats (default 3).
 * @returns the median milliseconds per run, batch [samples, 3], n steps. @throws ModelFileError for bad files;
 * RangeError for counts that are not positive integers.
 */
export async function benchSimplex(
  modelJson: unknown, weights: ArrayBuffer, card: unknown, options: { samples?: number; steps?: number; repeats?: number } = {},
): Promise<SimplexBenchResult> {
  const { samples = 1000, steps = 100, repeats = 3 } = options;
  const { spec, net } = readModelFiles(SIMPLEX_FILES, modelJson, weights, card);
  try {
    const times = (await timeSampling(spec, net.net, [samples, 3], steps, repeats)).sort((a, b) => a - b);
    return { backend: tf.getBackend(), sampleMs: times[Math.floor(times.length / 2)]!, samples, steps, repeats, parameters: net.parameterCount };
  } finally {
    net.dispose();
  }
}
