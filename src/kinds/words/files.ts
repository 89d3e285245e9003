/**
 * The words kind's model files: discrete data with K = 27 (padding and a-z; Graves et al. 2023, §6, as the paper's
 * text8 experiment, §7.3), the network of src/nets/wordsNet.ts, and a card whose evaluation is the held-out words'
 * loss in bits per character and the share of generated words that are real and new. The format and its validator
 * are src/train/modelFile.ts.
 */
import { z } from 'zod';
import { createWordsNet, WORDS_NET_LIMITS, type WordsNet } from '../../nets/wordsNet';
import { cardTrainingBase, type ModelFileKind, type ModelJson } from '../../train/modelFile';

const wordsSpecSchema = z.object({ kind: z.literal('discrete'), K: z.literal(27), beta1: z.number().positive() });
export type WordsSpec = z.infer<typeof wordsSpecSchema>;

const int = (key: keyof typeof WORDS_NET_LIMITS) => z.number().int().min(WORDS_NET_LIMITS[key][0]).max(WORDS_NET_LIMITS[key][1]);
const wordsNetworkSchema = z.object({
  type: z.literal('words-net'), length: int('length'), classes: z.literal(27), width: int('width'), depth: int('depth'),
  timeFeatures: int('timeFeatures').multipleOf(2),
});
export type WordsNetworkJson = z.infer<typeof wordsNetworkSchema>;

/** The words network in words: "residual MLP 512 x 3 over 8 positions". */
export function wordsNetworkLabel(n: Omit<WordsNetworkJson, 'type'>): string {
  return `residual MLP ${n.width} x ${n.depth} over ${n.length} positions`;
}

/** A mean and its standard error. */
const estimateSchema = z.object({ value: z.number(), se: z.number().nonnegative() });
/** A share of generated words with its binomial standard error. */
const shareSchema = z.object({ value: z.number().min(0).max(1), se: z.number().nonnegative() });

/** Schema of a words card.json. */
export const wordsCardSchema = z.object({
  id: z.string(),
  title: z.string(),
  dataset: z.literal('words'),
  spec: wordsSpecSchema,
  network: wordsNetworkSchema,
  parameters: z.number().int().positive(),
  data: z.object({
    source: z.string(),
    licence: z.string(),
    selection: z.string(),
    vocabulary: z.number().int().positive(),
    train: z.number().int().positive(),
    heldOut: z.number().int().nonnegative(),
    splitSeed: z.number().int(),
    /** Training words are drawn in proportion to 1 / (rank + zipfOffset) (null: all equally often). */
    zipfOffset: z.number().nonnegative().nullable(),
    draw: z.string(),
  }),
  training: z.object({ ...cardTrainingBase, optimizer: z.string(), schedule: z.string(), emaDecay: z.number() }),
  evaluation: z.object({
    /** How the bits are counted. */
    unit: z.literal('bits per character'),
    characters: z.string(),
    /** Which held-out words were evaluated, in words. */
    evaluationWords: z.string(),
    /** Rows evaluated: draws from the held-out words (with repeats under Zipf weights), not distinct words. */
    evaluationDraws: z.number().int().positive(),
    repeats: z.number().int().positive(),
    seed: z.number().int(),
    reconstruction: estimateSchema,
    /** L^inf + L^r. */
    continuous: estimateSchema,
    /** L^n + L^r keyed by n. */
    discrete: z.record(z.string(), estimateSchema),
    /** L^inf + L^r summed over a word's positions, bits per word. */
    bitsPerWord: estimateSchema,
    generation: z.object({
      samples: z.number().int().positive(),
      steps: z.number().int().positive(),
      seed: z.number().int(),
      wellFormed: z.number(),
      /** In the vocabulary (training and held-out words). */
      real: shareSchema,
      /** Not a training word. */
      novel: shareSchema,
      /** A held-out word: real and never trained on. */
      heldOut: shareSchema,
      /** In the package's whole list of a-z words of the same lengths. */
      inFullList: shareSchema,
      distinct: z.number(),
      examples: z.array(z.string()),
    }),
    wallSeconds: z.number().nonnegative(),
    backend: z.string(),
    command: z.string(),
  }).optional(),
  paper: z.object({ continuous: z.number(), source: z.string(), note: z.string() }),
  createdAt: z.string(),
});
export type WordsCard = z.infer<typeof wordsCardSchema>;

/** The words kind's part of the model file. */
export const WORDS_FILES: ModelFileKind<WordsNet, WordsNetworkJson, WordsSpec, WordsCard> = {
  what: 'a words model',
  user: 'the Words view',
  dataKind: 'discrete',
  networkType: 'words-net',
  specSchema: wordsSpecSchema,
  networkSchema: wordsNetworkSchema as unknown as z.ZodType<WordsNetworkJson>,
  build: ({ type: _type, ...size }) => createWordsNet(size),
  describe: ({ config: { seed: _seed, ...size } }) => ({ type: 'words-net', ...size, classes: 27 }),
  label: wordsNetworkLabel,
  card: { schema: wordsCardSchema, invalid: 'card.json is not a valid words model card' },
};
export type WordsModelJson = ModelJson<WordsNetworkJson, WordsSpec>;

/** The paper's text8 figure, for the card (Graves et al. 2023, §7.3, Table 3: L^inf + L^r on text8's test set). */
export const TEXT8_PAPER = {
  continuous: 1.41,
  source: 'Graves et al. 2023, text8 test set, bits per character (Table 3)',
  note: 'Not comparable: text8 is 256-character windows of running Wikipedia text with spaces; these are single words of at most 8 letters, padded, with every position (padding included) counted.',
} as const;
