/**
 * `npm run figures [-- --table-only] [--models DIR] [--out DIR]`: pictures and a table of the shipped 2D models,
 * regenerated from whatever models/ holds. For each built-in 2D dataset's model folder (models/<id>/, in the
 * playground's order) it samples 1000 points with n = 100 steps (src/bfn sample() with seededNoise(1), the wasm
 * backend, as `npm run eval` samples), draws them beside 1000 points of the dataset (sampleDataset seed
 * 'figure:<id>', disjoint from training's and the evaluation's draws) into <out>/<id>.svg, renders all of them into
 * one grid <out>/2d-models.png in headless Chromium, and prints the Markdown table of the models' cards (the
 * README's table). `--table-only` prints only the table, from the cards, without sampling or drawing.
 * Exit status: 0; 1 for a missing or bad model folder (one line naming it) or another failure (e.g. no Chromium);
 * 2 for a bad command line.
 * Drawing and table code: scripts/lib/figures.ts; model folders: scripts/lib/modelFolder.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DATASETS_2D, sampleDataset } from '../src/data/toy2d';
import { ModelFileError, type ModelCard } from '../src/train/modelFile';
import { sampleModelFolder } from './lib/exportCsv';
import { networkLabel } from '../src/train/network2d';
import { modelTable, pairSvg, renderOverviewPng, supportCaption } from './lib/figures';
import { checkModelFolder, readCard } from './lib/modelFolder';

const USAGE = 'usage: npm run figures [-- --table-only] [--models DIR (models)] [--out DIR (docs/figures)]';
/** Points per panel, sampling steps and the sampler's noise seed. */
const POINTS = 1000;
const STEPS = 100;
const SAMPLE_SEED = 1;
/** Columns of the overview grid. */
const COLUMNS = 2;

const OPTIONS = { 'table-only': { type: 'boolean' }, models: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** The parsed options; a bad command line exits 2 with a one-line message and the usage. */
function commandLine() {
  try {
    return parseArgs({ args: process.argv.slice(2), strict: true, options: OPTIONS }).values;
  } catch (err) {
    console.error(`npm run figures: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}\n${USAGE}`);
    return process.exit(2);
  }
}

const options = commandLine();
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const modelsDir = options.models ?? 'models';
const outDir = options.out ?? join('docs', 'figures');

/**
 * The card of models/<id>/, checked to be the model of that dataset in a folder with all three files.
 * @throws ModelFileError otherwise.
 */
function cardOf(id: string): ModelCard {
  const dir = join(modelsDir, id);
  checkModelFolder(dir);
  const card = readCard(dir);
  if (card.dataset !== id) throw new ModelFileError(`${join(dir, 'card.json')}: the card is for dataset '${card.dataset}', not '${id}'`);
  return card;
}

try {
  const started = performance.now();
  const cards = DATASETS_2D.map((d) => cardOf(d.id));
  if (!options['table-only']) {
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
    mkdirSync(outDir, { recursive: true });
    const svgs: string[] = [];
    for (const [k, dataset] of DATASETS_2D.entries()) {
      const card = cards[k]!;
      const t0 = performance.now();
      const samples = await sampleModelFolder(join(modelsDir, dataset.id), POINTS, STEPS, SAMPLE_SEED);
      const svg = pairSvg({
        title: dataset.name,
        subtitle: `BFN, ${networkLabel(card.network)}, ${card.training.steps} training steps`,
        data: sampleDataset(dataset.id, POINTS, `figure:${dataset.id}`),
        samples,
        dataLabel: `data (${POINTS} held-out points)`,
        samplesLabel: `samples (${POINTS}, n = ${STEPS} steps)`,
        dataCaption: supportCaption(card.evaluation, 'data'),
        samplesCaption: supportCaption(card.evaluation, 'model'),
      });
      const path = join(outDir, `${dataset.id}.svg`);
      writeFileSync(path, svg);
      svgs.push(svg);
      console.error(`wrote ${path} (${(svg.length / 1024).toFixed(0)} KiB, sampled in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const pngPath = join(outDir, '2d-models.png');
    const bytes = await renderOverviewPng(svgs, COLUMNS, pngPath);
    console.error(`wrote ${pngPath} (${(bytes / 1024).toFixed(0)} KiB) in ${((performance.now() - started) / 1000).toFixed(1)} s in all\n`);
  }
  console.log(modelTable(cards));
} catch (err) {
  // One line for a missing or bad model folder, a missing Chromium and the like; the stack too for a programming
  // error (printed here: uncaught, it would come with the wasm backend's source).
  const bug = err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || !(err instanceof Error);
  console.error(`npm run figures: ${err instanceof Error ? (bug ? err.stack : err.message) : String(err)}`);
  process.exit(1);
}
