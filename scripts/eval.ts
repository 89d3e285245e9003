/**
 * `npm run eval -- models/<id> [more model folders]`: measures a shipped 2D model the way its card reports it
 * (src/train/evaluate2d.ts: 1000 samples with n = 100 steps against 1000 held-out points, 8 repeats): k-NN
 * precision and recall (k = 5, Kynkäänniemi et al. 2019) and the off-support share (samples farther than
 * delta = 0.05 from a dense 20,000-point draw of the data), each beside its data-vs-data value and with standard
 * errors, and the energy distance with its data-vs-data baseline and ratio. It prints the result and writes it into
 * card.json. The acceptance criterion is the support bar (evaluationBar2D): a model fails when its precision
 * < 0.95, its recall < 0.95 or its off-support share > max(2 x the data's, 0.5 %); the energy-distance ratio is printed but no
 * longer decides. Exits 1 when a model fails the bar.
 * An MNIST model folder (card dataset 'mnist-binary') is evaluated by scripts/eval-mnist.ts instead: test-set NLL
 * bounds in nats per image.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ModelFileError, parseCard } from '../src/train/modelFile';
import { evaluate2D, evaluationBar2D } from '../src/train/evaluate2d';
import { evalMnist } from './eval-mnist';
import { loadModelFolder, readFolderJson } from './lib/modelFolder';

// Folder arguments; option values (e.g. `--images 1000`) are not folders.
const dirs = process.argv.slice(2).filter((a, k, all) => !a.startsWith('--') && !(k > 0 && ['--images', '--seed'].includes(all[k - 1]!)));
if (dirs.length === 0) {
  console.error('usage: npm run eval -- models/<id> [models/<id> ...]');
  process.exit(2);
}
if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
let failures = 0;
const pm = (v: number, se: number, digits = 3) => `${v.toFixed(digits)} ± ${se.toFixed(digits)}`;
for (const dir of dirs) {
  let rawCard: { dataset?: unknown };
  let card: ReturnType<typeof parseCard>;
  let loaded: ReturnType<typeof loadModelFolder>;
  try {
    rawCard = readFolderJson(dir, 'card.json') as { dataset?: unknown };
    if (rawCard.dataset === 'mnist-binary') {
      await evalMnist(dir, process.argv.slice(2));
      continue;
    }
    card = parseCard(rawCard);
    loaded = loadModelFolder(dir);
  } catch (err) {
    // A missing or bad folder is the user's input: one line, exit 2, no stack trace.
    if (!(err instanceof ModelFileError)) throw err;
    console.error(`npm run eval: ${err.message}`);
    process.exit(2);
  }
  const { spec, mlp } = loaded;
  const r = await evaluate2D(spec, mlp, card.dataset);
  mlp.dispose();
  card.evaluation = { ...r, command: `npm run eval -- ${dir}` };
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
    ].join('\n'),
  );
}
process.exit(failures === 0 ? 0 : 1);
