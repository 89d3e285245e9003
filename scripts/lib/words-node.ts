/**
 * The words data in Node, straight from the npm package `popular-english-words` (ISC licence; a list of English
 * words ordered by popularity): the selected vocabulary (src/data/words/words.ts DEFAULT_WORD_SELECTION), its seeded
 * split into training and held-out words, and the package's whole list of a-z words of the same lengths (for the loose
 * "in the full list" share).
 */
import { words as popular } from 'popular-english-words';
import { DEFAULT_WORD_SELECTION, DEFAULT_WORD_SPLIT, selectWords, splitWords, type WordSelection } from '../../src/data/words/words';

/** The selected words and their split. */
export interface WordData {
  selection: WordSelection;
  vocabulary: string[];
  train: string[];
  heldOut: string[];
  split: { heldOut: number; seed: number };
}

/** The package's words in popularity order. */
export function popularWords(): string[] {
  return popular.getAll();
}

/**
 * The selected vocabulary and its split. @throws RangeError when the package has fewer words than asked for.
 */
export function loadWordData(selection: WordSelection = DEFAULT_WORD_SELECTION, split: { heldOut: number; seed: number } = DEFAULT_WORD_SPLIT): WordData {
  const vocabulary = selectWords(popularWords(), selection);
  const parts = splitWords(vocabulary, split.heldOut, split.seed);
  return { selection, vocabulary, ...parts, split: { ...split } };
}

/** Every a-z word of the package with the selection's lengths (about 150,000 for 3..8 letters). */
export function fullWordList(selection: WordSelection = DEFAULT_WORD_SELECTION): Set<string> {
  const pattern = new RegExp(`^[a-z]{${selection.minLength},${selection.maxLength}}$`);
  return new Set(popularWords().filter((w) => pattern.test(w)));
}
