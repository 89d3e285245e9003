/**
 * `npm run eval -- models/<id> [more model folders]`: measures a shipped 2D model the way its card reports it
 * (src/kinds/points2d/evaluate.ts: 1000 samples with n = 100 steps against 1000 held-out points, 8 repeats): k-NN
 * precision and recall (k = 5, Kynkäänniemi et al. 2019) and the off-support share (samples farther than
 * delta = 0.05 from a dense 20,000-point draw of the data), each beside its data-vs-data value and with standard
 * errors, and the energy distance with its data-vs-data baseline and ratio. It prints the result and writes it into
 * card.json. The acceptance criterion is the support bar (evaluationBar2D): a model fails when its precision
 * < 0.95, its recall < 0.95 or its off-support share > max(2 x the data's, 0.5 %); the energy-distance ratio is printed but no
 * longer decides. Exits 1 when a model fails the bar.
 *
 * Then, for each sampler (the original and the four BFN-Solvers of Xue et al. 2024; src/train/samplers.ts) at n = 10
 * and n = 100, the same protocol's precision, recall and off-support share (evaluateSamplers2D), written into the
 * card as `evaluation.samplers` (sampler -> n -> cell, over `evaluation.samplerRepeats` repeats) and printed as a
 * table, with the BFN-Solver whose n = 10 precision and recall fall least below the original sampler's n = 100
 * values (bestSolverGap; the fast-sampler target is within 0.02). These numbers do not enter the bar.
 * `--sampler-repeats R` (default 8, integer >= 2) sets their repeats; `--no-samplers` skips them and keeps the card's
 * previous table (it describes the same weights).
 * An MNIST model folder (card dataset 'mnist-binary') is evaluated by scripts/eval-mnist.ts instead: test-set NLL
 * bounds in nats per image. A words model folder (card dataset 'words') by scripts/eval-words.ts: held-out bits per
 * character and the shares of generated words that are real and new.
 * A grey-scale MNIST folder ('mnist-grey') by scripts/eval-mnist-grey.ts: test-set bounds in bits per dimension.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ModelFileError, parseCard } from '../src/train/modelFile';
import { POINTS_FILES, type PointsCard } from '../src/kinds/points2d/files';
import {
  bestSolverGap, DEFAULT_SAMPLER_EVAL_2D, evaluate2D, evaluateSamplers2D, evaluationBar2D, type SamplerEvalCell, type SamplerEvalTable,
} from '../src/kinds/points2d/evaluate';
import { evalMnist } from './eval-mnist';
import { evalWords } from './eval-words';
import { loadModelFolder, readFolderJson } from './lib/modelFolder';

const USAGE = 'usage: npm run eval -- models/<id> [models/<id> ...] [--sampler-repeats R (8)] [--no-samplers] [--images N] [--seed S] [--no-write]';
const argv = process.argv.slice(2);
/** Options followed by a value, and options alone (the kinds' eval scripts read their own among them). */
const VALUE_OPTIONS = ['--images', '--seed', '--sampler-repeats', '--repeats'];
const FLAG_OPTIONS = ['--no-samplers', '--no-write'];
// Folder arguments; option values (e.g. `--images 1000`) are not folders.
const dirs = argv.filter((a, k, all) => !a.startsWith('--') && !(k > 0 && VALUE_OPTIONS.includes(all[k - 1]!)));
const unknown = argv.filter((a) => a.startsWith('--') && !VALUE_OPTIONS.includes(a) && !FLAG_OPTIONS.includes(a));
if (dirs.length === 0 || unknown.length) {
  console.error(unknown.length ? `npm run eval: unknown option ${unknown.join(', ')}\n${USAGE}` : USAGE);
  process.exit(2);
}
const withSamplers = !argv.includes('--no-samplers');
const repeatsAt = argv.indexOf('--sampler-repeats');
const samplerRepeats = repeatsAt < 0 ? DEFAULT_SAMPLER_EVAL_2D.repeats : Number(argv[repeatsAt + 1]);
if (!Number.isInteger(samplerRepeats) || samplerRepeats < 2) {
  console.error(`npm run eval: --sampler-repeats must be an integer >= 2, got '${argv[repeatsAt + 1] ?? ''}'\n${USAGE}`);
  process.exit(2);
}

/** P / R / off-support of a cell, e.g. `0.993 / 0.979 / 0.06 %`. */
const cellText = (c: SamplerEvalCell | undefined) => (c ? `${c.precision.toFixed(3)} / ${c.recall.toFixed(3)} / ${(100 * c.offSupport).toFixed(2)} %` : '-');

/** The per-sampler table (sampler x n: precision / recall / off-support) and the best-solver line. */
function samplerLines(table: SamplerEvalTable, repeats: number, samples: number): string[] {
  const steps = [...new Set(Object.values(table).flatMap((row) => Object.keys(row)))].sort((a, b) => Number(a) - Number(b));
  const lines = [`  samplers (${samples} samples, ${repeats} repeats; precision / recall / off-support; not part of the bar):`];
  lines.push(`    ${'sampler'.padEnd(27)}${steps.map((n) => `n = ${n}`.padEnd(26)).join('')}`.trimEnd());
  for (const [sampler, row] of Object.entries(table)) lines.push(`    ${sampler.padEnd(27)}${steps.map((n) => cellText(row[n]).padEnd(26)).join('')}`.trimEnd());
  const best = bestSolverGap(table, 10, 100);
  if (best) {
    const signed = (v: number, se: number) => `${v >= 0 ? '-' : '+'}${Math.abs(v).toFixed(3)} ± ${se.toFixed(3)}`;
    lines.push(
      `  best solver at n = 10: ${best.sampler}, precision ${signed(best.precisionGap, best.precisionGapSE)} and recall ${signed(best.recallGap, best.recallGapSE)} ` +
        `vs the original sampler at n = 100: ${best.worstGap <= 0.02 ? 'within the 0.02 target' : `misses the 0.02 target by ${(best.worstGap - 0.02).toFixed(3)}`}`,
    );
  }
  return lines;
}
if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
let failures = 0;
const pm = (v: number, se: number, digits = 3) => `${v.toFixed(digits)} ± ${se.toFixed(digits)}`;
for (const dir of dirs) {
  let rawCard: { dataset?: unknown };
  let card: PointsCard;
  let loaded: ReturnType<typeof loadModelFolder>;
  try {
    rawCard = readFolderJson(dir, 'card.json') as { dataset?: unknown };
    if (rawCard.dataset === 'mnist-binary') {
      await evalMnist(dir, process.argv.slice(2));
      continue;
    }
    if (rawCard.dataset === 'mnist-grey') {
      await (await import('./eval-mnist-grey')).evalMnistGrey(dir, process.argv.slice(2));
      continue;
    }
    if (rawCard.dataset === 'words') {
      await evalWords(dir, process.argv.slice(2));
      continue;
    }
    if (rawCard.dataset === 'simplex-toy') {
      await (await import('./eval-simplex')).evalSimplex(dir);
      continue;
    }
    card = parseCard(POINTS_FILES, rawCard);
    loaded = loadModelFolder(dir);
  } catch (err) {
    // A missing or bad folder is the user's input: one line, exit 2, no stack trace.
    if (!(err instanceof ModelFileError)) throw err;
    console.error(`npm run eval: ${err.message}`);
    process.exit(2);
  }
  const { spec, mlp } = loaded;
  const started = performance.now();
  const r = await evaluate2D(spec, mlp, card.dataset);
  const mainSeconds = (performance.now() - started) / 1000;
  const previous = card.evaluation;
  let samplers: { samplers: SamplerEvalTable; samplerRepeats: number } | null = null;
  let samplerSeconds = 0;
  if (withSamplers) {
    const t0 = performance.now();
    const options = { ...DEFAULT_SAMPLER_EVAL_2D, repeats: samplerRepeats };
    const table = await evaluateSamplers2D(spec, mlp, card.dataset, options, (sampler, n) => process.stderr.write(`${card.id}: ${sampler} n = ${n} done\n`));
    samplerSeconds = (performance.now() - t0) / 1000;
    samplers = { samplers: table, samplerRepeats: options.repeats };
  } else if (previous?.samplers && previous.samplerRepeats) {
    samplers = { samplers: previous.samplers, samplerRepeats: previous.samplerRepeats };
  }
  mlp.dispose();
  card.evaluation = { ...r, ...samplers, command: `npm run eval -- ${dir}${samplerRepeats !== DEFAULT_SAMPLER_EVAL_2D.repeats ? ` --sampler-repeats ${samplerRepeats}` : ''}` };
  writeFileSync(join(dir, 'card.json'), JSON.stringify(card, null, 1));
  const failed = evaluationBar2D(r);
  if (failed.length) failures++;
  const row = (label: string, text: string) => `  ${label.padEnd(28)}${text}`;
  console.log(
    [
      `${card.id} (${r.samples} samples, n = ${r.steps}, ${r.heldOutPoints} held-out points, ${r.repeats} repeats; model | data vs data):`,
      row(`precision (k = ${r.k})`, `${pm(r.precision, r.precisionSE)} | ${pm(r.dataPrecision, r.dataPrecisionSE)}`),
      row(`recall (k = ${r.k})`, `${pm(r.recall, r.recallSE)} | ${pm(r.dataRecall, r.dataRecallSE)}`),
      row(`off-support (delta = ${r.delta})`, `${pm(r.offSupport, r.offSupportSE, 4)} | ${pm(r.dataOffSupport, r.dataOffSupportSE, 4)} (reference: ${r.referencePoints} points)`),
      row('energy distance', `${r.value.toExponential(3)} ± ${r.valueSE.toExponential(1)} | ${r.baseline.toExponential(3)} ± ${r.baselineSE.toExponential(1)} (ratio ${r.ratio.toFixed(2)}, not the criterion)`),
      `  ${failed.length ? `FAILS the bar: ${failed.join('; ')}` : 'passes the bar (precision >= 0.95, recall >= 0.95, off-support <= max(2 x data, 0.5 %))'}`,
      ...(samplers ? samplerLines(samplers.samplers, samplers.samplerRepeats, r.samples) : []),
      `  ${withSamplers ? `wall time: ${mainSeconds.toFixed(1)} s main evaluation, ${samplerSeconds.toFixed(1)} s per-sampler table` : `wall time: ${mainSeconds.toFixed(1)} s (--no-samplers: ${samplers ? "the card's previous per-sampler table kept" : 'no per-sampler table'})`}`,
    ].join('\n'),
  );
  // The original sampler at the main evaluation's n, with its repeats, must reproduce the main numbers exactly.
  const same = samplers?.samplers.original?.[String(r.steps)];
  if (withSamplers && same && samplerRepeats === r.repeats && (same.precision !== r.precision || same.recall !== r.recall || same.offSupport !== r.offSupport)) {
    console.log(`  WARNING: the per-sampler table's original n = ${r.steps} (${cellText(same)}) differs from the main evaluation's: sampling is not reproducible here`);
  }
}
process.exit(failures === 0 ? 0 : 1);
