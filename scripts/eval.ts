/**
 * `npm run eval -- models/<id> [more model folders]`: measures a shipped 2D model the way its card reports it
 * (src/train/evaluate2d.ts: energy distance of 2000 samples with n = 100 steps to held-out data, and the
 * data-vs-data baseline), prints the result and writes it into card.json. Exits 1 when a model's ratio exceeds 1.5.
 * An MNIST model folder (card dataset 'mnist-binary') is evaluated by scripts/eval-mnist.ts instead: test-set NLL
 * bounds in nats per image.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { decodeModel, parseCard } from '../src/train/modelFile';
import { evaluate2D } from '../src/train/evaluate2d';
import { evalMnist } from './eval-mnist';

// Folder arguments; option values (e.g. `--images 1000`) are not folders.
const dirs = process.argv.slice(2).filter((a, k, all) => !a.startsWith('--') && !(k > 0 && ['--images', '--seed'].includes(all[k - 1]!)));
if (dirs.length === 0) {
  console.error('usage: npm run eval -- models/<id> [models/<id> ...]');
  process.exit(2);
}
if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
let worst = 0;
for (const dir of dirs) {
  const rawCard = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as { dataset?: unknown };
  if (rawCard.dataset === 'mnist-binary') {
    await evalMnist(dir, process.argv.slice(2));
    continue;
  }
  const card = parseCard(JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')));
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const { spec, mlp } = decodeModel(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const result = await evaluate2D(spec, mlp, card.dataset);
  mlp.dispose();
  card.evaluation = { ...result, command: `npm run eval -- ${dir}` };
  writeFileSync(join(dir, 'card.json'), JSON.stringify(card, null, 1));
  worst = Math.max(worst, result.ratio);
  console.log(`${card.id}: energy distance ${result.value.toExponential(3)} ± ${result.valueSE.toExponential(1)}, data-vs-data ${result.baseline.toExponential(3)} ± ${result.baselineSE.toExponential(1)} (${result.repeats} repeats), ratio ${result.ratio.toFixed(2)} ${result.ratio <= 1.5 ? 'ok' : 'ABOVE 1.5'}`);
}
process.exit(worst <= 1.5 ? 0 : 1);
