/**
 * `npm run eval -- models/<grey model> [--images 10000] [--seed S] [--no-write]`: the test-set NLL bounds of a
 * grey-scale MNIST model (src/kinds/mnist-grey/evaluate.ts): L^inf + L^r and L^n + L^r for n in {10, 25, 100}, in bits
 * per dimension with standard errors, on the 10,000 test images quantised to the model's K bins; printed beside the
 * paper's nearest figure (CIFAR-10, 256 bins: not comparable, as the card says) and written into the model's card.json
 * (unless --no-write, or a non-default --images / --seed, which only print). Then what the bounds miss and a person sees in
 * a grid of samples (checkGreySamples, DEFAULT_GREY_SAMPLE_CHECK: 256 samples, n = 100): their mean brightness beside
 * the test images', and the share that are washed out (brighter than 99.9 % of the test images).
 */
import { loadKindModelFolder, readFolderJson } from './lib/modelFolder';
import { weightsDtypeOf, type ModelJson } from '../src/train/modelFile';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import cliProgress from 'cli-progress';
import { loadMnist } from './lib/mnist-node';
import { MNIST_GREY_FILES } from '../src/kinds/mnist-grey/files';
import { checkGreySamples, DEFAULT_EVAL_GREY, evaluateMnistGrey, GREY_PAPER } from '../src/kinds/mnist-grey/evaluate';

/** Evaluates one grey-scale MNIST model folder. @returns L^inf + L^r in bits per dimension. */
export async function evalMnistGrey(dir: string, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { images: { type: 'string' }, seed: { type: 'string' }, 'no-write': { type: 'boolean', default: false } }, allowPositionals: true });
  const images = values.images ? Number(values.images) : DEFAULT_EVAL_GREY.images;
  const seed = values.seed ? Number(values.seed) : DEFAULT_EVAL_GREY.seed;
  const write = !values['no-write'] && images === DEFAULT_EVAL_GREY.images && seed === DEFAULT_EVAL_GREY.seed;
  const { spec, net, card } = loadKindModelFolder(MNIST_GREY_FILES, dir);
  const test = loadMnist('test');
  const bar = new cliProgress.SingleBar({ noTTYOutput: true, notTTYSchedule: 20_000, format: `${card.id} [{bar}] {percentage}% | eta {eta_formatted}` }, cliProgress.Presets.shades_classic);
  bar.start(1, 0);
  const started = performance.now();
  const result = await evaluateMnistGrey(spec, net.net, test, { images, seed }, (done, total) => {
    bar.setTotal(total);
    bar.update(done);
  });
  bar.stop();
  const check = await checkGreySamples(spec, net.net, test, {});
  net.dispose();
  const wallSeconds = (performance.now() - started) / 1000;
  const f = (e: { value: number; se: number }) => `${e.value.toFixed(4)} ± ${e.se.toFixed(4)}`;
  console.log(`${card.id}: test NLL bounds on ${images} images quantised to K = ${spec.K} bins (seed ${seed}), bits per dimension:`);
  console.log(`  L^inf + L^r  ${f(result.continuous)}   (paper, CIFAR-10 at 256 bins: ${GREY_PAPER.continuous}; not comparable)`);
  for (const [n, e] of Object.entries(result.discrete)) console.log(`  L^n + L^r, n = ${n.padEnd(4)} ${f(e)}`);
  console.log(`  L^r          ${f(result.reconstruction)}   (${wallSeconds.toFixed(0)} s on node ${tf.getBackend()})`);
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  console.log(`  samples (${check.samples}, n = ${check.n}): mean brightness ${check.brightness.value.toFixed(3)} ± ${check.brightness.se.toFixed(3)} (test images ${check.brightness.data.toFixed(3)}); washed out (brighter than 99.9 % of test images, > ${check.threshold.toFixed(3)}): ${pct(check.washedOut.value)} ± ${pct(check.washedOut.se)} (test images ${pct(check.washedOut.data)})`);
  if (write) {
    card.evaluation = { ...result, samples: check, wallSeconds: Math.round(wallSeconds), backend: `node ${tf.getBackend()}`, command: `npm run eval -- ${dir}`, weights: weightsDtypeOf((readFolderJson(dir, 'model.json') as ModelJson).weightsManifest[0]!.weights) };
    card.paper = GREY_PAPER;
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card, null, 1));
    console.log(`wrote the evaluation into ${join(dir, 'card.json')}`);
  }
  return result.continuous.value;
}
