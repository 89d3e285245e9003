/**
 * `npm run train -- words [options]`: trains the words BFN (discrete data, K = 27, beta1 = 0.5625 as the paper's
 * text8 model) on the training words of src/data/words/words.ts (the 10,000 most popular a-z words of 3 to 8 letters of
 * the npm package popular-english-words, 1,000 held out by a seeded split) in Node on the wasm backend, with the same
 * src/ code as the browser. Shows a progress bar and writes models/words/ (model.json and weights.bin of the EMA weights,
 * card.json without an evaluation: `npm run eval -- models/words` adds it).
 *
 * Options: --zipf-offset R (draw training words in proportion to 1 / (rank + R), as words occur in text; default: all
 *          equally often) --steps 20000 --batch 256 --lr 1e-3 --warmup 200 --cosine (decay to 10 % at --steps) --ema 0.999 --clip 5
 *          --wd 0.01 --width 512 --depth 3 --beta1 0.5625 --seed 1 --out models/words --backend wasm|cpu
 *          --max-minutes M (stop after M minutes; the card records the steps done) --notes "..."
 */
import { encodeModelFile } from '../src/train/modelFile';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import cliProgress from 'cli-progress';
import { DEFAULT_TRAIN_WORDS, TrainerWords, type TrainWordsConfig } from '../src/kinds/words/trainer';
import { TEXT8_PAPER, WORDS_FILES, wordsNetworkLabel, type WordsCard } from '../src/kinds/words/files';
import { loadWordData } from './lib/words-node';
import { ranksOf, zipfProbabilities } from '../src/data/words/words';

/** How training words are drawn, in words. */
export function zipfDraw(offset: number | null): string {
  return offset === null ? 'every training word equally often' : `each training word in proportion to 1 / (rank + ${offset}), its popularity rank r in the list (Zipf-Mandelbrot, as word frequencies in running text)`;
}

/** Runs the words training command with the arguments after `words`. @throws Error for a bad option. */
export async function trainWords(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      steps: { type: 'string', default: '20000' }, batch: { type: 'string' }, lr: { type: 'string' }, warmup: { type: 'string' },
      cosine: { type: 'boolean', default: false }, ema: { type: 'string' }, clip: { type: 'string' }, wd: { type: 'string' },
      width: { type: 'string' }, depth: { type: 'string' }, beta1: { type: 'string' }, seed: { type: 'string' },
      out: { type: 'string', default: join('models', 'words') }, backend: { type: 'string', default: 'wasm' },
      'max-minutes': { type: 'string' }, notes: { type: 'string' }, 'zipf-offset': { type: 'string' },
    },
  });
  const num = (v: string | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new Error(`expected a number, got '${v}'`);
    return x;
  };
  const steps = num(values.steps, 20000);
  const d = DEFAULT_TRAIN_WORDS;
  const config: TrainWordsConfig = {
    net: { ...(values.width ? { width: num(values.width, 0) } : {}), ...(values.depth ? { depth: num(values.depth, 0) } : {}) },
    beta1: num(values.beta1, d.beta1), batch: num(values.batch, d.batch), learningRate: num(values.lr, d.learningRate),
    warmupSteps: num(values.warmup, d.warmupSteps), cosineSteps: values.cosine ? steps : undefined, weightDecay: num(values.wd, d.weightDecay),
    clipNorm: num(values.clip, d.clipNorm), emaDecay: num(values.ema, d.emaDecay), seed: num(values.seed, d.seed),
  };
  const outDir = values.out!;
  const deadline = values['max-minutes'] ? performance.now() + num(values['max-minutes'], 0) * 60_000 : Infinity;
  if (!(await tf.setBackend(values.backend!))) throw new Error(`backend ${values.backend} did not start`);
  const data = loadWordData();
  const zipfOffset = values['zipf-offset'] === undefined ? null : num(values['zipf-offset'], 0);
  const trainer = new TrainerWords(data.train, config, zipfOffset === null ? { kind: 'uniform' } : { kind: 'weighted', probabilities: zipfProbabilities(ranksOf(data.train, data.vocabulary), zipfOffset) });
  console.log(`words BFN: ${trainer.net.parameterCount.toLocaleString('en')} parameters, ${data.train.length} training words, batch ${config.batch}, beta1 ${config.beta1}, backend ${tf.getBackend()}`);
  const bar = new cliProgress.SingleBar({ noTTYOutput: true, notTTYSchedule: 15_000, format: `words [{bar}] {value}/{total} steps | L^inf {avg} bits/char | {rate} steps/s | eta {eta_formatted}` }, cliProgress.Presets.shades_classic);
  bar.start(steps, 0, { avg: '-', rate: '-' });
  const started = performance.now();
  let smoothed = NaN;
  while (trainer.step < steps && performance.now() < deadline) {
    const { loss } = await trainer.trainStep();
    smoothed = Number.isNaN(smoothed) ? loss : 0.995 * smoothed + 0.005 * loss;
    if (trainer.step % 50 === 0 || trainer.step === steps) {
      bar.update(trainer.step, { avg: (smoothed / Math.LN2).toFixed(3), rate: (trainer.step / ((performance.now() - started) / 1000)).toFixed(1) });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  bar.stop();
  const wallSeconds = (performance.now() - started) / 1000;
  const { modelJson, weights } = await encodeModelFile(WORDS_FILES, trainer.spec, trainer.ema);
  const s = data.selection;
  const card: WordsCard = {
    id: basename(outDir),
    title: `Words, letter by letter: discrete-data BFN, K = 27 (${wordsNetworkLabel(modelJson.network)})`,
    dataset: 'words',
    spec: modelJson.spec,
    network: modelJson.network,
    parameters: trainer.net.parameterCount,
    data: {
      source: 'npm package popular-english-words 1.0.2 (Tim Koop; English words ordered by popularity)',
      licence: 'ISC (declared in the package.json of popular-english-words 1.0.2; the package ships no separate licence file)',
      selection: `the ${s.count} most popular words of ${s.minLength} to ${s.maxLength} lower-case letters a-z, padded to ${s.maxLength} positions with '_'`,
      vocabulary: data.vocabulary.length, train: data.train.length, heldOut: data.heldOut.length, splitSeed: data.split.seed,
      zipfOffset, draw: zipfDraw(zipfOffset),
    },
    training: {
      steps: trainer.step, batch: config.batch, learningRate: config.learningRate, loss: 'L^inf', seed: config.seed,
      wallSeconds: Math.round(wallSeconds), backend: `node ${tf.getBackend()} (one thread)`,
      command: `npm run train -- words ${args.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}`.trim(),
      finalLoss: Math.round((smoothed / Math.LN2) * 1000) / 1000, finalLossUnit: 'bits per character',
      optimizer: `AdamW betas (0.9, 0.98), weight decay ${config.weightDecay}, clip norm ${config.clipNorm}`,
      schedule: `linear warm-up ${config.warmupSteps} steps${config.cosineSteps ? `, cosine to 10 % at ${config.cosineSteps}` : ', then constant'}`,
      emaDecay: config.emaDecay,
      ...(values.notes ? { notes: values.notes } : {}),
    },
    evaluation: undefined,
    paper: { ...TEXT8_PAPER },
    createdAt: new Date().toISOString(),
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'model.json'), JSON.stringify(modelJson, null, 1));
  writeFileSync(join(outDir, 'weights.bin'), Buffer.from(weights));
  writeFileSync(join(outDir, 'card.json'), JSON.stringify(card, null, 1));
  console.log(`wrote ${outDir}: ${trainer.step} steps in ${wallSeconds.toFixed(0)} s; smoothed training L^inf ${(smoothed / Math.LN2).toFixed(3)} bits per character. Evaluate with: npm run eval -- ${outDir}`);
  trainer.dispose();
}
