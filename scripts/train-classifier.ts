/**
 * `npm run train:classifier`: trains the small binarized-MNIST classifier (src/nets/mnistClassifier.ts) that the
 * MNIST view's steps-vs-quality chart uses to see how digit-like sampled digits are. Adam (lr 1e-3), batch 128, on
 * the 59,400 training images (the validation split held out), each batch binarized afresh (seeded by (seed, step));
 * then the test accuracy on the 10,000 test images binarized once (seed 7), and the classifier's mean confidence on
 * those images (the data's own value, the chart's reference line). Writes models/classifiers/mnist-binary/
 * (model.json and weights.bin in the TF.js layers format, card.json with how it was trained and how good it is).
 *
 * Options: --steps 3000 --seed 1 --out models/classifiers/mnist-binary
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { binarizeBatch, validationSplit, type MnistImages } from '../src/data/mnist/mnist';
import { createRng } from '../src/data/random';
import { createMnistClassifier, digitConfidence } from '../src/nets/mnistClassifier';
import { loadMnist } from './lib/mnist-node';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '3000' }, seed: { type: 'string', default: '1' }, out: { type: 'string', default: join('models', 'classifiers', 'mnist-binary') } } });
const steps = Number(values.steps);
const seed = Number(values.seed);
if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run train:classifier -- [--steps 3000] [--seed 1] [--out models/classifiers/mnist-binary]');
  process.exit(2);
}
if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
const BATCH = 128;
const train = loadMnist('train');
const test = loadMnist('test');
const { train: pool } = validationSplit(train.count);

/** A binarized batch and its one-hot labels. */
function batchOf(images: MnistImages, indices: number[], rng: ReturnType<typeof createRng>): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const x = tf.tensor2d(binarizeBatch(images, indices, rng), [indices.length, 784]);
  const y = tf.oneHot(tf.tensor1d(indices.map((i) => images.labels![i]!), 'int32'), 10).toFloat() as tf.Tensor2D;
  return { x, y };
}

const model = createMnistClassifier(seed);
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const started = performance.now();
for (let step = 0; step < steps; step++) {
  const rng = createRng(`classifier:${seed}:${step}`);
  const indices = Array.from({ length: BATCH }, () => pool[Math.floor(rng.uniform() * pool.length)]!);
  const { x, y } = batchOf(train, indices, rng);
  const [loss, acc] = (await model.trainOnBatch(x, y)) as number[];
  tf.dispose([x, y]);
  if ((step + 1) % 500 === 0) console.log(`step ${step + 1}/${steps}: loss ${loss!.toFixed(4)}, batch accuracy ${acc!.toFixed(3)}`);
}
const wallSeconds = (performance.now() - started) / 1000;

// Test accuracy on the 10,000 test images, binarized once.
const testRng = createRng('classifier-test:7');
const all = Array.from({ length: test.count }, (_, i) => i);
const testImages = binarizeBatch(test, all, testRng);
const data = digitConfidence(model, testImages);
let correct = 0;
for (let i = 0; i < test.count; i++) if (data.predicted[i] === test.labels![i]) correct++;
const accuracy = correct / test.count;
console.log(`test accuracy ${(100 * accuracy).toFixed(2)} %, mean confidence on test digits ${data.meanConfidence.toFixed(4)}, confident (>= 0.9) ${(100 * data.confidentShare).toFixed(1)} %; ${wallSeconds.toFixed(1)} s`);

mkdirSync(values.out!, { recursive: true });
await model.save(
  tf.io.withSaveHandler(async (artifacts) => {
    writeFileSync(join(values.out!, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
    writeFileSync(join(values.out!, 'model.json'), JSON.stringify({ modelTopology: artifacts.modelTopology, format: 'layers-model', generatedBy: 'TensorFlow.js', weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }),
);
const card = {
  id: 'mnist-binary-classifier',
  title: 'Binarized-MNIST digit classifier (784-256-10, for the steps-vs-quality chart)',
  training: { steps, batch: BATCH, optimizer: 'Adam', learningRate: 1e-3, seed, wallSeconds: Math.round(wallSeconds * 10) / 10, backend: 'node wasm', command: `npm run train:classifier -- --steps ${steps} --seed ${seed}`, data: 'the 59,400 MNIST training images (validation split held out), binarized afresh for every batch' },
  evaluation: { testImages: test.count, testAccuracy: accuracy, binarizationSeed: 7, dataMeanConfidence: data.meanConfidence, dataConfidentShare: data.confidentShare },
};
writeFileSync(join(values.out!, 'card.json'), JSON.stringify(card, null, 1));
console.log(`wrote ${values.out}`);
