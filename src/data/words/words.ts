/**
 * Words, letter by letter, as discrete data with K = 27 classes per position (Graves et al. 2023, §6; the paper's
 * text8 experiment, §7.3, uses the same 27 symbols): class 0 is the padding symbol '_' (text8's vocabulary
 * `_abcdefghijklmnopqrstuvwxyz`, where '_' is the space; official `data.py`), classes 1..26 are 'a'..'z'. A word of
 * at most L letters is stored as L class indices: its letters, then padding to the end. Pure functions, no TF.js.
 */
import { createRng } from '../random';

/** The 27 symbols in class order: index 0 is the padding symbol, 1..26 are a..z. */
export const WORD_ALPHABET = '_abcdefghijklmnopqrstuvwxyz';
/** K, the number of classes per position. */
export const WORD_CLASSES = WORD_ALPHABET.length;
/** The class index of the padding symbol. */
export const PAD = 0;

/** Which words of a popularity-ordered list are kept: the first `count` that are lower-case a-z of minLength..maxLength letters. */
export interface WordSelection {
  count: number;
  minLength: number;
  /** L, the number of positions (longer words are dropped, shorter ones padded). */
  maxLength: number;
}

/** The shipped data: the 10,000 most popular lower-case a-z words of 3 to 8 letters (popular-english-words 1.0.2). */
export const DEFAULT_WORD_SELECTION: WordSelection = { count: 10_000, minLength: 3, maxLength: 8 };

/** How many of the selected words are held out (never trained on), and the seed of the split. */
export const DEFAULT_WORD_SPLIT = { heldOut: 1000, seed: 2023 } as const;

/**
 * The first `count` words of `list` (in its order) that are a-z only with minLength..maxLength letters, without
 * repeats. @throws RangeError for bad lengths, or when the list has fewer such words than `count`.
 */
export function selectWords(list: readonly string[], selection: WordSelection): string[] {
  const { count, minLength, maxLength } = selection;
  if (!Number.isInteger(minLength) || !Number.isInteger(maxLength) || minLength < 1 || maxLength < minLength) throw new RangeError(`word lengths must be integers with 1 <= minLength <= maxLength, got ${minLength}..${maxLength}`);
  const pattern = new RegExp(`^[a-z]{${minLength},${maxLength}}$`);
  const seen = new Set<string>();
  for (const w of list) {
    if (seen.size === count) break;
    if (pattern.test(w)) seen.add(w);
  }
  if (seen.size < count) throw new RangeError(`the list has only ${seen.size} words of ${minLength}..${maxLength} letters a-z, ${count} asked for`);
  return [...seen];
}

/**
 * Splits words into training and held-out words by a seeded shuffle (Fisher-Yates with seedrandom's Alea): the same
 * words and seed give the same split. @returns both parts in the list's order. @throws RangeError when heldOut is not
 * an integer in 0..words.length.
 */
export function splitWords(words: readonly string[], heldOut: number, seed: number): { train: string[]; heldOut: string[] } {
  if (!Number.isInteger(heldOut) || heldOut < 0 || heldOut > words.length) throw new RangeError(`heldOut must be an integer in 0..${words.length}, got ${heldOut}`);
  const order = Array.from(words.keys());
  const rng = createRng(`words-split:${seed}`);
  for (let k = order.length - 1; k > 0; k--) {
    const j = Math.floor(rng.uniform() * (k + 1));
    [order[k], order[j]] = [order[j]!, order[k]!];
  }
  const held = new Set(order.slice(0, heldOut));
  return { train: words.filter((_, k) => !held.has(k)), heldOut: words.filter((_, k) => held.has(k)) };
}

/**
 * Class indices of words: row w holds word w's letters (a = 1 .. z = 26), then PAD up to L.
 * @returns Int32Array [words.length, L], row-major. @throws RangeError for a word with a symbol outside a-z, an empty
 * word, or one longer than L.
 */
export function encodeWords(words: readonly string[], L: number): Int32Array {
  const out = new Int32Array(words.length * L); // zero = PAD
  words.forEach((w, r) => {
    if (w.length < 1 || w.length > L) throw new RangeError(`'${w}' has ${w.length} letters; words need 1..${L}`);
    for (let p = 0; p < w.length; p++) {
      const c = w.charCodeAt(p) - 96;
      if (c < 1 || c > 26) throw new RangeError(`'${w}' has '${w[p]}', not a lower-case letter a-z`);
      out[r * L + p] = c;
    }
  });
  return out;
}

/** A generated row read back: its raw symbols ('_' for padding) and the word it spells, or null when it breaks the padding rule. */
export interface DecodedWord {
  /** The L symbols, e.g. "hello___". */
  raw: string;
  /** The letters, when the row is well-formed (at least one letter, then padding only: no letter after a padding symbol); else null. */
  word: string | null;
}

/**
 * Reads one row of class indices (values 0..26; floats are rounded) into its symbols and, when it follows the
 * padding rule (letters first, then only padding, at least one letter), its word.
 * @throws RangeError for a value outside 0..26.
 */
export function decodeWord(row: ArrayLike<number>): DecodedWord {
  let raw = '';
  for (let p = 0; p < row.length; p++) {
    const c = Math.round(row[p]!);
    if (!(c >= 0 && c < WORD_CLASSES)) throw new RangeError(`class index ${row[p]} is outside 0..${WORD_CLASSES - 1}`);
    raw += WORD_ALPHABET[c];
  }
  const letters = raw.replace(/_+$/, '');
  return { raw, word: letters.length > 0 && !letters.includes('_') ? letters : null };
}

/** Rows of class indices [rows, L] read back with {@link decodeWord}. */
export function decodeWords(indices: ArrayLike<number>, L: number): DecodedWord[] {
  return Array.from({ length: Math.floor(indices.length / L) }, (_, r) => decodeWord(Array.prototype.slice.call(indices, r * L, (r + 1) * L) as number[]));
}

/** Shares of generated words, each with its binomial standard error sqrt(p (1 - p) / N). */
export interface WordShares {
  samples: number;
  /** Rows that follow the padding rule. */
  wellFormed: number;
  /** Rows whose word is in the vocabulary (training and held-out words). */
  real: number;
  realSE: number;
  /** Rows whose word (or malformed row) is not a training word. */
  novel: number;
  novelSE: number;
  /** Rows whose word is a held-out word: real and never trained on. */
  heldOut: number;
  heldOutSE: number;
  /** Distinct words among the rows, as a share of the rows. */
  distinct: number;
}

/**
 * Measures generated words against the word lists (shares of all rows). @param vocabulary every selected word
 * (training and held-out). @param train the training words. @throws RangeError when there are no words.
 */
export function wordShares(words: readonly DecodedWord[], vocabulary: ReadonlySet<string>, train: ReadonlySet<string>): WordShares {
  const N = words.length;
  if (N === 0) throw new RangeError('no generated words to measure');
  let wellFormed = 0, real = 0, novel = 0, heldOut = 0;
  const distinct = new Set<string>();
  for (const { raw, word } of words) {
    distinct.add(raw);
    if (word !== null) wellFormed++;
    const isReal = word !== null && vocabulary.has(word);
    const isTrain = word !== null && train.has(word);
    if (isReal) real++;
    if (!isTrain) novel++;
    if (isReal && !isTrain) heldOut++;
  }
  const share = (k: number) => k / N;
  const se = (k: number) => Math.sqrt(share(k) * (1 - share(k)) / N);
  return {
    samples: N, wellFormed: share(wellFormed), real: share(real), realSE: se(real), novel: share(novel), novelSE: se(novel),
    heldOut: share(heldOut), heldOutSE: se(heldOut), distinct: distinct.size / N,
  };
}

/** Nats to bits: divide by ln 2. */
export function natsToBits(nats: number): number {
  return nats / Math.LN2;
}

/**
 * How often each word is drawn: the weight of the word of popularity rank r (1 = most popular) is 1 / (r + offset),
 * the Zipf-Mandelbrot law of word frequencies in running text (offset 0 is Zipf's 1 / r); null weights all words
 * equally. @param ranks each word's rank. @returns probabilities summing to 1, in the order of `ranks`.
 * @throws RangeError for a rank below 1 or a negative offset.
 */
export function zipfProbabilities(ranks: readonly number[], offset: number): Float64Array {
  if (!(offset >= 0)) throw new RangeError(`the Zipf offset must be >= 0, got ${offset}`);
  const w = Float64Array.from(ranks, (r) => {
    if (!(r >= 1)) throw new RangeError(`ranks start at 1, got ${r}`);
    return 1 / (r + offset);
  });
  const total = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / total);
}

/**
 * A sampler of indices 0..p.length-1 with probabilities p (inverse CDF by binary search). @param p probabilities
 * summing to 1. @returns a function of a uniform u in [0, 1) that gives an index.
 */
export function categoricalSampler(p: ArrayLike<number>): (u: number) => number {
  const cdf = new Float64Array(p.length);
  let acc = 0;
  for (let k = 0; k < p.length; k++) cdf[k] = acc += p[k]!;
  return (u: number) => {
    const x = u * acc;
    let lo = 0, hi = p.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** The popularity ranks (1-based positions in `vocabulary`) of `words`. @throws RangeError for a word not in it. */
export function ranksOf(words: readonly string[], vocabulary: readonly string[]): number[] {
  const rank = new Map(vocabulary.map((w, k) => [w, k + 1]));
  return words.map((w) => {
    const r = rank.get(w);
    if (r === undefined) throw new RangeError(`'${w}' is not in the vocabulary`);
    return r;
  });
}
