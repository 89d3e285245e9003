/**
 * `npm run eval -- models/<mnist model> [--images 10000] [--seed S] [--no-write]`: the test-set NLL bounds of a
 * binarized-MNIST model (src/kinds/mnist-binary/evaluate.ts): L^inf + L^r and L^n + L^r for n in {10, 25, 50, 100, 784}, in
 * nats per image with standard errors, on the 10,000 test images, and the share of on-pixels in 1000 samples with
 * n = 25 and n = 100 beside the test images' (a faint or speckled model shows there); printed beside the paper's 77.87 and written into
 * the model's card.json (unless --no-write, or a non-default --images / --seed, which only print).
 */
import { parseCard, weightsDtypeOf } from '../src/train/modelFile';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import cliProgress from 'cli-progress';
import { loadMnist } from './lib/mnist-node';
import { decodeMnistModel } from '../src/kinds/modelFiles';
import { MNIST_FILES } from '../src/kinds/mnist-binary/files';
import { DEFAULT_EVAL_MNIST, evaluateMnist, onPixelShare } from '../src/kinds/mnist-binary/evaluate';

/** Evaluates one MNIST model folder. @returns L^inf + L^r in nats per image. */
export async function evalMnist(dir: string, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { images: { type: 'string' }, seed: { type: 'string' }, 'no-write': { type: 'boolean', default: false } }, allowPositionals: true });
  const images = values.images ? Number(values.images) : DEFAULT_EVAL_MNIST.images;
  const seed = values.seed ? Number(values.seed) : DEFAULT_EVAL_MNIST.seed;
  const write = !values['no-write'] && images === DEFAULT_EVAL_MNIST.images && seed === DEFAULT_EVAL_MNIST.seed;
  const card = parseCard(MNIST_FILES, JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')));
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const { spec, model, modelJson } = decodeMnistModel(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const test = loadMnist('test');
  const bar = new cliProgress.SingleBar({ noTTYOutput: true, notTTYSchedule: 20_000, format: `${card.id} [{bar}] {percentage}% | eta {eta_formatted}` }, cliProgress.Presets.shades_classic);
  bar.start(1, 0);
  const started = performance.now();
  const result = await evaluateMnist(spec, model.net, test, { images, seed }, (done, total) => {
    bar.setTotal(total);
    bar.update(done);
  });
  bar.stop();
  // The samples' darkness beside the data's, at the view's default n = 25 and at n = 100.
  const onShare = await onPixelShare(spec, model.net, test, [25, 100], 1000, seed);
  model.dispose();
  const wallSeconds = (performance.now() - started) / 1000;
  const f = (e: { value: number; se: number }) => `${e.value.toFixed(2)} ± ${e.se.toFixed(2)}`;
  console.log(`${card.id}: test NLL bounds on ${images} images (seed ${seed}), nats per image:`);
  console.log(`  L^inf + L^r  ${f(result.continuous)}   (paper: 77.87)`);
  for (const [n, e] of Object.entries(result.discrete)) console.log(`  L^n + L^r, n = ${n.padEnd(4)} ${f(e)}`);
  console.log(`  L^r          ${f(result.reconstruction)}   (${wallSeconds.toFixed(0)} s on node ${tf.getBackend()})`);
  for (const o of onShare) console.log(`  on-pixels, ${o.samples} samples with n = ${o.steps}: ${(100 * o.model.value).toFixed(2)} % ± ${(100 * o.model.se).toFixed(2)} (data: ${(100 * o.data).toFixed(2)} %)`);
  if (write) {
    // The weights measured are the folder's weights.bin as stored (float32 or quantized, model.json's manifest).
    card.evaluation = { ...result, onShare, wallSeconds: Math.round(wallSeconds), backend: `node ${tf.getBackend()}`, command: `npm run eval -- ${dir}`, weights: weightsDtypeOf(modelJson.weightsManifest[0]!.weights) };
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card, null, 1));
    console.log(`wrote the evaluation into ${join(dir, 'card.json')}`);
  }
  return result.continuous.value;
}
