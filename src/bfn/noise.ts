/**
 * Injectable sources of randomness for the BFN core: plumbing, not the paper's mathematics.
 *
 * Every random draw in `src/bfn/` (flow samples, sender noise, output-distribution samples, Monte-Carlo noise
 * of L^n) goes through a {@link NoiseSource}, so tests can replay the noise stored in the reference vectors
 * (tests/vectors) and the playground can reproduce a run from its seed.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A source of float32 random tensors. Implementations must return fresh tensors the caller owns. */
export interface NoiseSource {
  /** Standard normal draws N(0, 1) with the given shape. */
  normal(shape: number[]): tf.Tensor;
  /** Uniform draws on [0, 1) with the given shape. */
  uniform(shape: number[]): tf.Tensor;
}

/**
 * A seeded noise source built on `tf.randomNormal` / `tf.randomUniform`. The draws are generated in JS on the
 * CPU and uploaded (about 10-17 ms per 200k values), so the same seed gives the same values on every backend.
 *
 * @param seed integer seed; each call advances an internal counter so successive draws differ.
 */
export function seededNoise(seed: number): NoiseSource {
  let counter = 0;
  // Mix the counter into the seed with a large odd multiplier so consecutive streams are unrelated.
  const next = (): number => (Math.imul(seed | 0, 0x9e3779b1) + Math.imul(++counter, 0x85ebca6b)) >>> 0;
  return {
    normal: (shape) => tf.randomNormal(shape, 0, 1, 'float32', next()),
    uniform: (shape) => tf.randomUniform(shape, 0, 1, 'float32', next()),
  };
}

/** One stored draw for {@link replayNoise}: its kind, shape and row-major values. */
export interface StoredDraw {
  kind: 'normal' | 'uniform';
  shape: number[];
  data: ArrayLike<number>;
}

/**
 * A noise source that replays stored draws in order (the reference vectors' noise, tests/vectors).
 *
 * @throws Error when a draw is requested past the end of the stored list, or when the requested kind or shape
 *   differs from the next stored draw (the consumption order of the official `BFN.sample` is part of the contract).
 */
export function replayNoise(draws: StoredDraw[]): NoiseSource & { remaining(): number } {
  let index = 0;
  const take = (kind: StoredDraw['kind'], shape: number[]): tf.Tensor => {
    const draw = draws[index];
    if (!draw) throw new Error(`replayNoise: draw ${index} (${kind} [${shape.join(', ')}]) requested but only ${draws.length} stored`);
    if (draw.kind !== kind || draw.shape.join(',') !== shape.join(',')) {
      throw new Error(
        `replayNoise: draw ${index} requested ${kind} [${shape.join(', ')}] but stored ${draw.kind} [${draw.shape.join(', ')}]`,
      );
    }
    index += 1;
    return tf.tensor(Float32Array.from(draw.data), shape, 'float32');
  };
  return {
    normal: (shape) => take('normal', shape),
    uniform: (shape) => take('uniform', shape),
    remaining: () => draws.length - index,
  };
}
