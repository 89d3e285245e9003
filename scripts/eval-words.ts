/**
 * `npm run eval -- models/<words model> [--repeats 4] [--seed S] [--no-write]`: the held-out losses of a words model in
 * bits per character (src/kinds/words/evaluate.ts: L^inf + L^r and L^n + L^r for n = 10 and 100, every one of the L
 * positions counted, padding included; standard errors over words) and the shares of 1000 generated words (n = 100
 * steps) that are real (in the 10,000-word vocabulary), new (not training words), held-out words, and in the package's
 * whole list; printed beside the paper's text8 figure (1.41 bits per character, a different data set) and written
 * into the model's card.json (unless --no-write, or a non-default --repeats / --seed, which only print).
 */
import { loadKindModelFolder } from './lib/modelFolder';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import cliProgress from 'cli-progress';
import { WORDS_FILES } from '../src/kinds/words/files';
import { DEFAULT_EVAL_WORDS, evaluateWordLosses, measureGeneration } from '../src/kinds/words/evaluate';
import { fullWordList, loadWordData } from './lib/words-node';
import { categoricalSampler, ranksOf, zipfProbabilities } from '../src/data/words/words';
import { createRng } from '../src/data/random';

/** `count` words drawn with replacement from `words` with probabilities `p` (seeded). */
function drawWords(words: readonly string[], p: Float64Array, count: number, seed: string): string[] {
  const pick = categoricalSampler(p);
  const rng = createRng(seed);
  return Array.from({ length: count }, () => words[pick(rng.uniform())]!);
}

/** Evaluates one words model folder. @returns the share of generated words that are real. */
export async function evalWords(dir: string, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { repeats: { type: 'string' }, seed: { type: 'string' }, 'no-write': { type: 'boolean', default: false } }, allowPositionals: true });
  const repeats = values.repeats ? Number(values.repeats) : DEFAULT_EVAL_WORDS.repeats;
  const seed = values.seed ? Number(values.seed) : DEFAULT_EVAL_WORDS.seed;
  const write = !values['no-write'] && repeats === DEFAULT_EVAL_WORDS.repeats && seed === DEFAULT_EVAL_WORDS.seed;
  const { spec, net, card } = loadKindModelFolder(WORDS_FILES, dir);
  const L = net.config.length;
  const data = loadWordData();
  const bar = new cliProgress.SingleBar({ noTTYOutput: true, notTTYSchedule: 20_000, format: `${card.id} [{bar}] {percentage}% | eta {eta_formatted}` }, cliProgress.Presets.shades_classic);
  bar.start(1, 0);
  const started = performance.now();
  // With Zipf-weighted training, the held-out words are evaluated as they would occur: 2000 draws in proportion to the same weights.
  const offset = card.data.zipfOffset;
  const evalWords = offset === null ? data.heldOut : drawWords(data.heldOut, zipfProbabilities(ranksOf(data.heldOut, data.vocabulary), offset), 2000, `words-eval:${seed}`);
  const evaluationWords = offset === null ? `all ${data.heldOut.length} held-out words, each once` : `2000 draws (seeded) from the ${data.heldOut.length} held-out words in proportion to 1 / (rank + ${offset}), as in training`;
  const losses = await evaluateWordLosses(spec, net.net, evalWords, L, { repeats, seed }, (done, total) => {
    bar.setTotal(total);
    bar.update(done);
  });
  bar.stop();
  const { samples, sampleSteps } = DEFAULT_EVAL_WORDS;
  const { words, shares } = await measureGeneration(spec, net.net, L, new Set(data.vocabulary), new Set(data.train), samples, sampleSteps, seed);
  const full = fullWordList(data.selection);
  const inFull = words.filter((w) => w.word !== null && full.has(w.word)).length / words.length;
  net.dispose();
  const wallSeconds = (performance.now() - started) / 1000;
  const f = (e: { value: number; se: number }, digits = 3) => `${e.value.toFixed(digits)} ± ${e.se.toFixed(digits)}`;
  const pct = (v: number, se: number) => `${(100 * v).toFixed(1)} % ± ${(100 * se).toFixed(1)}`;
  const se = (p: number) => Math.sqrt(p * (1 - p) / words.length);
  console.log(`${card.id}: ${evaluationWords} x ${repeats} repeats (seed ${seed}), bits per character (all ${L} positions, padding included):`);
  console.log(`  L^inf + L^r        ${f(losses.continuous)}   (paper, text8: 1.41; a different data set)`);
  for (const [n, e] of Object.entries(losses.discrete)) console.log(`  L^n + L^r, n = ${n.padEnd(4)}${f(e)}`);
  console.log(`  L^r                ${f(losses.reconstruction)}`);
  console.log(`  L^inf + L^r        ${f(losses.bitsPerWord, 2)} bits per word`);
  console.log(`${samples} generated words (n = ${sampleSteps}, seed ${seed}): well-formed ${(100 * shares.wellFormed).toFixed(1)} %, real ${pct(shares.real, shares.realSE)}, new ${pct(shares.novel, shares.novelSE)}, held-out words ${pct(shares.heldOut, shares.heldOutSE)}, in the package's whole list ${pct(inFull, se(inFull))}, distinct ${(100 * shares.distinct).toFixed(1)} %`);
  console.log(`  e.g. ${words.slice(0, 24).map((w) => w.raw).join(' ')}`);
  console.log(`  (${wallSeconds.toFixed(0)} s on node ${tf.getBackend()})`);
  if (write) {
    card.evaluation = {
      unit: 'bits per character', characters: `all ${L} positions of a word, padding included`, evaluationWords,
      evaluationDraws: losses.evaluationDraws, repeats, seed, reconstruction: losses.reconstruction, continuous: losses.continuous,
      discrete: losses.discrete, bitsPerWord: losses.bitsPerWord,
      generation: {
        samples, steps: sampleSteps, seed, wellFormed: shares.wellFormed,
        real: { value: shares.real, se: shares.realSE }, novel: { value: shares.novel, se: shares.novelSE },
        heldOut: { value: shares.heldOut, se: shares.heldOutSE }, inFullList: { value: inFull, se: se(inFull) },
        distinct: shares.distinct, examples: words.slice(0, 32).map((w) => w.raw),
      },
      wallSeconds: Math.round(wallSeconds), backend: `node ${tf.getBackend()}`, command: `npm run eval -- ${dir}`,
    };
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card, null, 1));
    console.log(`wrote the evaluation into ${join(dir, 'card.json')}`);
  }
  return shares.real;
}
