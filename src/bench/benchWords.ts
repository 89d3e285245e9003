/**
 * The words sampling benchmark, for Node (`npm run bench`) and the browser worker alike: milliseconds to sample a
 * column of words (default 16 words of 8 positions, K = 27) with n = 100 steps of the original BFN sampler (Graves et
 * al. 2023, Algorithm 9; official `BFN.sample`) from the shipped words model, on the active TF.js backend; the median
 * of the timed runs after one 2-step warm-up run.
 */
import * as tf from '@tensorflow/tfjs-core';
import { timeSampling } from './timeSampling';
import { decodeModel } from '../kinds/modelFiles';
import { WORDS_FILES } from '../kinds/words/files';
import { WORDS_BETA1 } from '../kinds/words/trainer';
import { WORD_CLASSES } from '../data/words/words';
import { createWordsNet, DEFAULT_WORDS_NET } from '../nets/wordsNet';

/**
 * The words kind's entry for the kinds' sampling benchmark (src/bench/benchKinds.ts): 16 words of 8 positions with
 * n = 100 from a network of the shipped size with untrained weights (the same cost; the browser worker cannot read the
 * files), `time(repeats)` returning the milliseconds of each timed run.
 */
export const WORDS_SAMPLING_BENCH = {
  run: '16 words, n = 100',
  async time(repeats: number): Promise<number[]> {
    if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`benchWords: repeats must be a positive integer, got ${repeats}`);
    const net = createWordsNet(DEFAULT_WORDS_NET);
    try {
      return await timeSampling({ kind: 'discrete', K: WORD_CLASSES, beta1: WORDS_BETA1 }, net.net, [16, DEFAULT_WORDS_NET.length], 100, repeats, () => performance.now());
    } finally {
      net.dispose();
    }
  },
};

/** One backend's result. */
export interface WordsBenchResult {
  backend: string;
  /** Milliseconds per sampling run (median). */
  sampleMs: number;
  words: number;
  steps: number;
  repeats: number;
  parameters: number;
}

/**
 * Times sampling of the words model given as files (models/words/model.json's object and weights.bin's bytes).
 * @param options words sampled in parallel (16), steps n (100), timed runs (3).
 * @returns the median milliseconds per run on the active backend. @throws ModelFileError for bad files;
 * RangeError for a count that is not a positive integer.
 */
export async function benchWords(modelJson: unknown, weights: ArrayBuffer, options: { words?: number; steps?: number; repeats?: number } = {}, now: () => number = () => performance.now()): Promise<WordsBenchResult> {
  const { words = 16, steps = 100, repeats = 3 } = options;
  for (const [name, v] of Object.entries({ words, steps, repeats })) if (!Number.isInteger(v) || v < 1) throw new RangeError(`benchWords: ${name} must be a positive integer, got ${v}`);
  const { spec, net } = decodeModel(WORDS_FILES, modelJson, weights);
  try {
    const times = await timeSampling(spec, net.net, [words, net.config.length], steps, repeats, now);
    return { backend: tf.getBackend(), sampleMs: [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!, words, steps, repeats, parameters: net.parameterCount };
  } finally {
    net.dispose();
  }
}
