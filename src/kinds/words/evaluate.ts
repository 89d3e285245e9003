/**
 * Evaluation of a words BFN (Graves et al. 2023, §7.1 and the text8 protocol of §7.3; official `test.py`): on the
 * held-out words, the continuous-time loss L^inf (one t ~ U(0, 1) per word and repeat), the discrete-time loss L^n
 * (one step i ~ U{1..n}, 10 Monte-Carlo sender samples, the paper's receiver) and the reconstruction loss L^r, in
 * **bits per character**: nats summed over a word's L positions, divided by L and by ln 2. Every position counts,
 * padding included (the model generates the padding too, as text8's model generates spaces). Each word's value is
 * averaged over `repeats` passes; the standard error is the spread of those per-word values over sqrt(words).
 * Then the generated words: samples with n steps (the original sampler, paper Algorithm 9), read with the padding rule of
 * src/data/words/words.ts, and their shares that are real (in the vocabulary), new (not a training word) and held-out words.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bfnLossPerVariable, bfnReconstructionPerVariable, sample, seededNoise, type BfnSpec, type Network } from '../../bfn';
import { decodeWords, encodeWords, natsToBits, wordShares, type DecodedWord, type WordShares } from '../../data/words/words';
import { meanAndSE } from '../../train/knnMetrics';

/** Settings of an evaluation; the defaults are what the model card reports. */
export interface EvalWordsOptions {
  /** Passes over the held-out words (fresh t and noise each). */
  repeats: number;
  /** Step counts n of the discrete-time bounds. */
  steps: number[];
  seed: number;
  /** Words per network call. */
  batch: number;
  /** Generated words and their sampling steps n. */
  samples: number;
  sampleSteps: number;
}

export const DEFAULT_EVAL_WORDS: EvalWordsOptions = { repeats: 4, steps: [10, 100], seed: 20231, batch: 500, samples: 1000, sampleSteps: 100 };

/** A mean and its standard error. */
export interface Estimate {
  value: number;
  se: number;
}

/** The loss part of an evaluation, bits per character (every one of the L positions counted). */
export interface WordsLosses {
  /** Held-out rows evaluated: draws from the held-out words (with repeats when drawn by Zipf weights), not distinct words. */
  evaluationDraws: number;
  repeats: number;
  reconstruction: Estimate;
  /** L^inf + L^r. */
  continuous: Estimate;
  /** L^n + L^r keyed by n. */
  discrete: Record<string, Estimate>;
  /** L^inf + L^r in bits per word (L times the per-character value). */
  bitsPerWord: Estimate;
}

function estimate(values: Float64Array, scale = 1): Estimate {
  const { mean, se } = meanAndSE(values);
  return { value: mean * scale, se: values.length > 1 ? se * scale : 0 };
}

/**
 * The held-out losses of a network. @param net Psi(theta [batch, L, 27], t) -> logits [batch, L, 27]. @param words the
 * held-out words. @param L positions per word. @param onProgress called with (done, total) work units.
 * @returns bits per character (per position, padding included) with standard errors over words.
 * @throws RangeError for an empty word list, a bad step count or a bad number of repeats.
 */
export async function evaluateWordLosses(spec: BfnSpec, net: Network, words: readonly string[], L: number, options: Partial<EvalWordsOptions> = {}, onProgress?: (done: number, total: number) => void): Promise<WordsLosses> {
  const o = { ...DEFAULT_EVAL_WORDS, ...options };
  if (words.length < 1) throw new RangeError('there are no held-out words');
  if (!Number.isInteger(o.repeats) || o.repeats < 1) throw new RangeError(`repeats must be a positive integer, got ${o.repeats}`);
  for (const n of o.steps) if (!Number.isInteger(n) || n < 1) throw new RangeError(`step counts must be positive integers, got ${n}`);
  const N = words.length;
  const encoded = encodeWords(words, L);
  const recon = new Float64Array(N);
  const inf = new Float64Array(N);
  const disc = o.steps.map(() => new Float64Array(N));
  const batches = Math.ceil(N / o.batch);
  const total = o.repeats * batches * (2 + o.steps.length);
  let done = 0;
  // Adds each word's mean nats per position (over its L positions) / repeats into `into`.
  const accumulate = async (perVariable: tf.Tensor, into: Float64Array, offset: number) => {
    const perWord = tf.tidy(() => tf.mean(perVariable, 1));
    perVariable.dispose();
    const values = await perWord.data();
    perWord.dispose();
    values.forEach((v, k) => { into[offset + k]! += v / o.repeats; });
    onProgress?.(++done, total);
    await new Promise((r) => setTimeout(r, 0));
  };
  for (let rep = 0; rep < o.repeats; rep++) {
    for (let b = 0; b < batches; b++) {
      const start = b * o.batch;
      const rows = Math.min(o.batch, N - start);
      const x = tf.tensor2d(encoded.subarray(start * L, (start + rows) * L), [rows, L], 'int32');
      const seed = o.seed * 101 + rep * 1_000_003 + b * 7;
      try {
        await accumulate(bfnReconstructionPerVariable(spec, net, x, seededNoise(seed + 1)), recon, start);
        await accumulate(bfnLossPerVariable(spec, net, x, seededNoise(seed + 2), { type: 'inf' }), inf, start);
        for (let k = 0; k < o.steps.length; k++) {
          await accumulate(bfnLossPerVariable(spec, net, x, seededNoise(seed + 3 + k * 100_003), { type: 'n', n: o.steps[k]!, receiver: 'paper' }), disc[k]!, start);
        }
      } finally {
        x.dispose();
      }
    }
  }
  const plus = (a: Float64Array) => a.map((v, k) => v + recon[k]!);
  const bits = natsToBits(1);
  return {
    evaluationDraws: N, repeats: o.repeats,
    reconstruction: estimate(recon, bits),
    continuous: estimate(plus(inf), bits),
    discrete: Object.fromEntries(o.steps.map((n, k) => [String(n), estimate(plus(disc[k]!), bits)])),
    bitsPerWord: estimate(plus(inf), bits * L),
  };
}

/**
 * Generates words with the original BFN sampler (paper Algorithm 9; official `BFN.sample`): the mode at t = 1 after n
 * steps, read back with the padding rule. @param count words sampled in parallel, in batches of at most `batch`.
 * @returns the decoded rows. @throws RangeError for a bad count or n.
 */
export async function generateWords(spec: BfnSpec, net: Network, L: number, count: number, n: number, seed: number, batch = 500): Promise<DecodedWord[]> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const out: DecodedWord[] = [];
  for (let start = 0, b = 0; start < count; start += batch, b++) {
    const rows = Math.min(batch, count - start);
    const { samples } = await sample(spec, net, [rows, L], { n, noise: seededNoise(seed * 1009 + b) });
    out.push(...decodeWords(samples, L));
  }
  return out;
}

/**
 * Generated words measured against the lists. @param vocabulary the selected words (training and held-out).
 * @param train the training words. @returns the shares (src/data/words/words.ts wordShares).
 */
export async function measureGeneration(spec: BfnSpec, net: Network, L: number, vocabulary: ReadonlySet<string>, train: ReadonlySet<string>, count: number, n: number, seed: number): Promise<{ words: DecodedWord[]; shares: WordShares }> {
  const words = await generateWords(spec, net, L, count, n, seed);
  return { words, shares: wordShares(words, vocabulary, train) };
}
