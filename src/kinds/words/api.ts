/**
 * The typed contract of the words kind between the page and its worker session (src/kinds/words/session.ts): types
 * and plain constants only, so that importing it never pulls TensorFlow.js into the page.
 */
import type { ProgressCallback } from '../../engine/protocol';
import type { WordsCard } from './files';
import type { WordShares } from '../../data/words/words';

export type { WordsCard, WordShares };

/** The id of the shipped words model (models/words/). */
export const SHIPPED_WORDS_ID = 'words';

/** Limits of one recorded run: words sampled in parallel, steps n, and words x (n + 1) (the trajectory is kept in memory). */
export const WORDS_SAMPLE_LIMITS = { words: 64, steps: 1000, wordFrames: 16_016 } as const;

/** What a sampled word is against the word lists. */
export type WordMark = 'train' | 'heldOut' | 'new' | 'malformed';

/** Options of {@link WordsApi.sample}. */
export interface WordsSampleOptions {
  /** Words sampled in parallel, 1..WORDS_SAMPLE_LIMITS.words. */
  words: number;
  /** Sampling steps n. */
  steps: number;
  seed: number;
}

/** A description of the loaded words model. */
export interface WordsModelInfo {
  beta1: number;
  /** L, letter positions per word. */
  length: number;
  parameters: number;
  card: WordsCard | null;
}

/** The word lists the session measures samples against (fetched once, lazily, from the build). */
export interface WordsDataInfo {
  vocabulary: number;
  train: number;
  heldOut: number;
}

/**
 * A recorded sampling run of the original BFN sampler (Graves et al. 2023, Algorithm 9) as frames k = 0..n: frame k is
 * the input distribution theta after k Bayesian updates (t = k / n) and the output distribution p_O the network
 * predicts from it; arrays are [frames, words, L, K] row-major, K = 27 (index 0 the padding symbol, 1..26 a..z).
 */
export interface WordsTrajectoryPayload {
  n: number;
  words: number;
  /** L. */
  length: number;
  /** K = 27. */
  classes: number;
  seed: number;
  beta1: number;
  /** t of each frame, k / n. */
  t: Float64Array;
  /** Input distribution theta of each frame. */
  theta: Float32Array;
  /** Output distribution p_O(. | theta; t) of each frame (the last frame's at t = 1). */
  output: Float32Array;
  /**
   * The sampled words (the output mode at t = 1): raw symbols ('_' for padding), the word (null when it breaks the
   * padding rule) and what it is: a training word, a held-out word (real, never trained on), new (not in the
   * vocabulary) or malformed.
   */
  decoded: { raw: string; word: string | null; mark: WordMark }[];
  /** Their shares against the word lists. */
  shares: WordShares;
  backend: string;
  elapsedMs: number;
}

/** The worker API of the words kind. */
export interface WordsApi {
  /** Loads the shipped model (weights downloaded with progress). @throws Error when the build has none; ModelFileError for bad files. */
  loadModel(onProgress?: (loaded: number, total: number) => void): Promise<WordsModelInfo>;
  /** Downloads the word lists (once). @throws Error for a failed download. */
  loadWords(): Promise<WordsDataInfo>;
  /**
   * Samples words with a recorded trajectory. @throws RangeError for sizes outside {@link WORDS_SAMPLE_LIMITS}; an
   * error named MNIST_SAMPLE_CANCELLED (the client's isSampleCancelled) when cancelled by {@link WordsApi.cancelSample}.
   */
  sample(options: WordsSampleOptions, onProgress?: ProgressCallback): Promise<WordsTrajectoryPayload>;
  /** Cancels every sampling run requested before this call. */
  cancelSample(): Promise<void>;
}
