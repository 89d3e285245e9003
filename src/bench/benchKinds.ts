/**
 * The sampling benchmark of every kind of model that has one, shared by Node (`npm run bench -- --only kinds`) and the
 * browser worker (selftest.html): the time of one sampling run of the kind's shipped network size, on the active
 * backend. Each kind's module is imported only when its benchmark runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { median as d3Median } from 'd3';
import type { KindSamplingResult } from '../engine/protocol';

/** One kind's sampling benchmark, as its module exports it. */
export interface KindSamplingBench {
  /** What one run is, for the table's unit: "16 images, n = 100". */
  run: string;
  /**
   * Samples once untimed (warm-up), then `repeats` times. @returns the milliseconds of each timed run.
   * @throws RangeError for a repeat count that is not a positive integer.
   */
  time(repeats: number): Promise<number[]>;
}

/** The kinds with a sampling benchmark, by kind id: each loads its module on first use. */
export const KIND_SAMPLING_BENCHES: Readonly<Record<string, () => Promise<KindSamplingBench>>> = {
  'mnist-grey': async () => (await import('./benchMnistGrey')).MNIST_GREY_SAMPLING_BENCH,
  words: async () => (await import('./benchWords')).WORDS_SAMPLING_BENCH,
  simplex: async () => (await import('./benchSimplex')).SIMPLEX_SAMPLING_BENCH,
};

/**
 * Times `repeats` sampling runs of `kind`'s benchmark on the active backend.
 * @throws Error naming an unknown kind; RangeError for a bad repeat count.
 */
export async function benchKindSampling(kind: string, repeats: number): Promise<KindSamplingResult> {
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`benchKindSampling: repeats must be a positive integer, got ${repeats}`);
  const load = KIND_SAMPLING_BENCHES[kind];
  if (!load) throw new Error(`no sampling benchmark for the kind '${kind}' (known: ${Object.keys(KIND_SAMPLING_BENCHES).join(', ') || 'none'})`);
  const bench = await load();
  const times = await bench.time(repeats);
  return { kind, backend: tf.getBackend(), run: bench.run, medianMs: d3Median(times)!, minMs: Math.min(...times), repeats };
}
