/**
 * `npm run train -- 2d --dataset <id> [options]`: trains a continuous-data BFN on a built-in 2D dataset in Node
 * (wasm backend, the same src/ code as the app), with a progress bar, and writes models/<id>/ (model.json,
 * weights.bin, card.json). The card records the settings, steps, wall time and seed, and the evaluation
 * (k-NN precision and recall, off-support share and energy distance, each beside its data-vs-data value) measured by
 * src/kinds/points2d/evaluate.ts, the same code as `npm run eval`.
 *
 * `npm run train -- mnist-binary [options]` trains the MNIST model instead (scripts/train-mnist.ts).
 * `npm run train -- mnist-grey [options]` trains the grey-scale MNIST model (scripts/train-mnist-grey.ts).
 * `npm run train -- words [options]` trains the words model (scripts/train-words.ts).
 *
 * Options: --steps 4000 --batch 256 --lr 2e-3 --sigma1 0.02 --width 128 --depth 3 --seed 1 --points 20000
 *          --loss inf|n --n 20 --out models/<dataset> --backend wasm|cpu --ema 0.99 (0 = off) --cosine (lr decay)
 *          --residual (residual hidden layers) --fourier K (K Fourier features of the input per dimension)
 *          --notes "..." (what moved the numbers, kept in the card)
 */
import { encodeModelFile } from '../src/train/modelFile';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import cliProgress from 'cli-progress';
import { DATASETS_2D, getDataset2D, sampleDataset } from '../src/data/toy2d';
import { DEFAULT_TRAIN_2D, Trainer2D, type Train2DConfig } from '../src/kinds/points2d/trainer';
import { POINTS_FILES, type PointsCard } from '../src/kinds/points2d/files';
import { evaluate2D, evaluationBar2D, DEFAULT_EVAL_2D } from '../src/kinds/points2d/evaluate';
import { networkLabel } from '../src/kinds/points2d/network';

const [task, ...rest] = process.argv.slice(2);
if (task === 'mnist-binary') {
  const { trainMnist } = await import('./train-mnist');
  await trainMnist(rest);
  process.exit(0);
}
if (task === 'mnist-grey') {
  await (await import('./train-mnist-grey')).trainMnistGrey(rest);
  process.exit(0);
}
if (task === 'words') {
  const { trainWords } = await import('./train-words');
  await trainWords(rest);
  process.exit(0);
}
if (task === 'simplex') {
  const { trainSimplex } = await import('./train-simplex');
  await trainSimplex(rest);
  process.exit(0);
}
if (task !== '2d') {
  console.error(`usage: npm run train -- 2d --dataset <${DATASETS_2D.map((d) => d.id).join('|')}> [--steps N ...]\n       npm run train -- mnist-binary [--steps N ...] (see scripts/train-mnist.ts)\n       npm run train -- words [--steps N ...] (see scripts/train-words.ts)\n       npm run train -- simplex [--steps N ...] (see scripts/train-simplex.ts)`);
  process.exit(2);
}
const { values } = parseArgs({
  args: rest,
  options: {
    dataset: { type: 'string' }, steps: { type: 'string', default: '4000' }, batch: { type: 'string' }, lr: { type: 'string' },
    sigma1: { type: 'string' }, width: { type: 'string' }, depth: { type: 'string' }, seed: { type: 'string' },
    points: { type: 'string', default: '20000' }, loss: { type: 'string', default: 'inf' }, n: { type: 'string', default: '20' },
    out: { type: 'string' }, backend: { type: 'string', default: 'wasm' }, ema: { type: 'string' }, cosine: { type: 'boolean', default: false },
    residual: { type: 'boolean', default: false }, fourier: { type: 'string' }, notes: { type: 'string' },
  },
});
if (!values.dataset) throw new Error('--dataset is required');
const dataset = getDataset2D(values.dataset);
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const config: Train2DConfig = {
  sigma1: num(values.sigma1, DEFAULT_TRAIN_2D.sigma1),
  loss: values.loss === 'n' ? { type: 'n', n: num(values.n, 20) } : { type: 'inf' },
  learningRate: num(values.lr, DEFAULT_TRAIN_2D.learningRate),
  batch: num(values.batch, DEFAULT_TRAIN_2D.batch),
  width: num(values.width, DEFAULT_TRAIN_2D.width),
  depth: num(values.depth, DEFAULT_TRAIN_2D.depth),
  residual: values.residual || (DEFAULT_TRAIN_2D.residual ?? false),
  fourierFeatures: num(values.fourier, DEFAULT_TRAIN_2D.fourierFeatures ?? 0),
  seed: num(values.seed, DEFAULT_TRAIN_2D.seed),
  emaDecay: num(values.ema, DEFAULT_TRAIN_2D.emaDecay ?? 0),
};
const steps = num(values.steps, 4000);
if (values.cosine) config.cosineSteps = steps;
const outDir = values.out ?? join('models', dataset.id);

if (!(await tf.setBackend(values.backend!))) throw new Error(`backend ${values.backend} did not start`);
const data = sampleDataset(dataset.id, num(values.points, 20000), `train:${config.seed}`);
const trainer = new Trainer2D(data, config);
const bar = new cliProgress.SingleBar({ noTTYOutput: true, notTTYSchedule: 10_000, format: `${dataset.id} [{bar}] {value}/{total} steps | loss {loss} (avg {avg}) | {rate} steps/s | eta {eta_formatted}` }, cliProgress.Presets.shades_classic);
bar.start(steps, 0, { loss: '-', avg: '-', rate: '-' });
const started = performance.now();
let smoothed = NaN;
for (let s = 1; s <= steps; s++) {
  const last = (await trainer.trainStep()).loss;
  smoothed = Number.isNaN(smoothed) ? last : 0.99 * smoothed + 0.01 * last;
  if (s % 20 === 0 || s === steps) {
    bar.update(s, { loss: last.toFixed(3), avg: smoothed.toFixed(3), rate: (s / ((performance.now() - started) / 1000)).toFixed(1) });
    // wasm read-backs resolve as microtasks, so the bar's timer (its output when stderr is not a terminal) never ran
    // during training: give the event loop a turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
bar.stop();
const wallSeconds = (performance.now() - started) / 1000;

console.log(`evaluating: ${DEFAULT_EVAL_2D.samples} samples, n = ${DEFAULT_EVAL_2D.steps} steps ...`);
// The EMA weights are what the model ships and what is evaluated.
const evaluation = await evaluate2D(trainer.spec, trainer.ema, dataset.id);
const { modelJson, weights } = await encodeModelFile(POINTS_FILES, trainer.spec, trainer.ema);
const card: PointsCard = {
  id: dataset.id,
  title: `${dataset.name}: continuous-data BFN (${networkLabel(config)})`,
  dataset: dataset.id,
  spec: modelJson.spec,
  network: modelJson.network,
  training: {
    steps, batch: config.batch, learningRate: config.learningRate,
    loss: config.loss.type === 'inf' ? 'L^inf' : `L^n (n = ${config.loss.n})`,
    seed: config.seed, wallSeconds: Math.round(wallSeconds * 10) / 10, backend: `node ${tf.getBackend()}`,
    command: `npm run train -- ${process.argv.slice(2).map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}`, finalLoss: smoothed, finalLossUnit: 'nats per dimension',
    ...(values.notes ? { notes: values.notes } : {}),
  },
  evaluation: { ...evaluation, command: `npm run eval -- ${outDir}` },
  createdAt: new Date().toISOString(),
};
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'model.json'), JSON.stringify(modelJson, null, 1));
writeFileSync(join(outDir, 'weights.bin'), Buffer.from(weights));
writeFileSync(join(outDir, 'card.json'), JSON.stringify(card, null, 1));
console.log(`wrote ${outDir}: ${steps} steps in ${wallSeconds.toFixed(0)} s; precision ${evaluation.precision.toFixed(3)} (data ${evaluation.dataPrecision.toFixed(3)}), recall ${evaluation.recall.toFixed(3)} (data ${evaluation.dataRecall.toFixed(3)}), off-support ${(100 * evaluation.offSupport).toFixed(2)} % (data ${(100 * evaluation.dataOffSupport).toFixed(2)} %)${evaluationBar2D(evaluation).length ? `; FAILS the bar: ${evaluationBar2D(evaluation).join('; ')}` : '; passes the bar'}`);
trainer.dispose();
// The model is written either way; the exit code says whether it meets the bar (scripts/train-all-2d.sh collects them).
if (evaluationBar2D(evaluation).length) process.exitCode = 1;
