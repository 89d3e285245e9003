/**
 * `npm run train -- mnist-grey [options]`: trains the grey-scale MNIST BFN (discretized data, K bins, sigma1^2 = 1e-3;
 * Graves et al. 2023, §5) on the 59,400 images of the training split in Node on the wasm backend, with the same src/
 * code as the browser. Shows a progress bar with the loss (bits per dimension) and steps per second, rewrites the
 * model files (EMA weights) every --save-every steps so that a stopped run leaves a usable model, and writes
 * models/<id>/ (model.json, weights.bin, card.json). Evaluate afterwards with `npm run eval -- models/<id>`.
 *
 * Options: --steps 6000 --batch 128 --lr 1e-3 --warmup 500 --cosine (decay to 10 % at --steps) --ema 0.999
 *          --clip 5 --wd 0.01 --width 512 --depth 3 --conv-channels 0 --conv-layers 3 --K 16 --seed 1
 *          --out models/mnist-grey --save-every 1000 --max-minutes M (stop cleanly after M minutes) --backend wasm|cpu
 */
import { describeWeights, encodeModelFile } from '../src/train/modelFile';
import { parseWeightsDtype } from '../src/train/weightsQuantization';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import cliProgress from 'cli-progress';
import { loadMnist } from './lib/mnist-node';
import { validationSplit } from '../src/data/mnist/mnist';
import { DEFAULT_TRAIN_GREY, TrainerMnistGrey, type TrainGreyConfig } from '../src/kinds/mnist-grey/trainer';
import { greyNetworkLabel, MNIST_GREY_FILES, type GreyCard } from '../src/kinds/mnist-grey/files';
import { GREY_PAPER } from '../src/kinds/mnist-grey/evaluate';

/** Runs the grey-scale MNIST training command with the arguments after `mnist-grey`. */
export async function trainMnistGrey(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      steps: { type: 'string', default: '6000' }, batch: { type: 'string', default: '128' }, lr: { type: 'string' }, warmup: { type: 'string' },
      cosine: { type: 'boolean', default: false }, ema: { type: 'string' }, clip: { type: 'string' }, wd: { type: 'string' },
      width: { type: 'string' }, depth: { type: 'string' }, 'conv-channels': { type: 'string' }, 'conv-layers': { type: 'string' },
      K: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string', default: join('models', 'mnist-grey') },
      'save-every': { type: 'string', default: '1000' }, 'max-minutes': { type: 'string' }, backend: { type: 'string', default: 'wasm' },
      weights: { type: 'string' },
    },
  });
  const num = (v: string | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new Error(`expected a number, got '${v}'`);
    return x;
  };
  const d = DEFAULT_TRAIN_GREY;
  const steps = num(values.steps, 6000);
  const net = { ...d.net };
  if (values.width) net.width = num(values.width, 0);
  if (values.depth) net.depth = num(values.depth, 0);
  if (values['conv-channels']) net.convChannels = num(values['conv-channels'], 0);
  if (values['conv-layers']) net.convLayers = num(values['conv-layers'], 0);
  const config: TrainGreyConfig = {
    net, K: num(values.K, d.K),
    batch: num(values.batch, 128), learningRate: num(values.lr, d.learningRate), warmupSteps: num(values.warmup, d.warmupSteps),
    cosineSteps: values.cosine ? steps : undefined, beta1Adam: d.beta1Adam, beta2Adam: d.beta2Adam, weightDecay: num(values.wd, d.weightDecay),
    clipNorm: num(values.clip, d.clipNorm), emaDecay: num(values.ema, d.emaDecay), seed: num(values.seed, d.seed),
  };
  const weightsDtype = parseWeightsDtype(values.weights ?? MNIST_GREY_FILES.shippedWeights ?? 'float32');
  const outDir = values.out!;
  const saveEvery = num(values['save-every'], 1000);
  const deadline = values['max-minutes'] ? performance.now() + num(values['max-minutes'], 0) * 60_000 : Infinity;
  const command = `npm run train -- mnist-grey ${args.join(' ')}`.trim();

  if (!(await tf.setBackend(values.backend!))) throw new Error(`backend ${values.backend} did not start`);
  const images = loadMnist('train');
  const { train } = validationSplit(images.count);
  const trainer = new TrainerMnistGrey(images, train, config);
  console.log(`grey-scale MNIST BFN, K = ${config.K}: ${trainer.net.parameterCount.toLocaleString('en')} parameters, ${train.length} training images, batch ${config.batch}, backend ${tf.getBackend()}`);

  const started = performance.now();
  const wall = () => (performance.now() - started) / 1000;
  let smoothed = NaN;
  const save = async () => {
    const { modelJson, weights } = await encodeModelFile(MNIST_GREY_FILES, trainer.spec, trainer.ema, weightsDtype);
    const card: GreyCard = {
      id: basename(outDir),
      title: `Grey-scale MNIST, ${config.K} bins: discretized-data BFN (${greyNetworkLabel(modelJson.network)})`,
      dataset: 'mnist-grey',
      spec: modelJson.spec,
      network: modelJson.network,
      parameters: trainer.net.parameterCount,
      training: {
        steps: trainer.step, batch: config.batch, learningRate: config.learningRate,
        schedule: `linear warm-up ${config.warmupSteps} steps${config.cosineSteps ? `, cosine to 10 % at ${config.cosineSteps}` : ', then constant'}`,
        optimizer: `AdamW betas (${config.beta1Adam}, ${config.beta2Adam}), weight decay ${config.weightDecay}, clip norm ${config.clipNorm}`,
        emaDecay: config.emaDecay, loss: 'L^inf', seed: config.seed, trainImages: train.length,
        wallSeconds: Math.round(wall()), backend: `node ${tf.getBackend()}`, command,
        ...(Number.isFinite(smoothed) ? { finalLoss: Math.round(smoothed * 1e4) / 1e4, finalLossUnit: 'bits per dimension' } : {}),
      },
      // A new training run invalidates an earlier evaluation: `npm run eval` writes it again.
      evaluation: undefined,
      weights: describeWeights(trainer.ema, modelJson, weights, command),
      paper: GREY_PAPER,
      createdAt: new Date().toISOString(),
    };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'model.json'), JSON.stringify(modelJson, null, 1));
    writeFileSync(join(outDir, 'weights.bin'), Buffer.from(weights));
    writeFileSync(join(outDir, 'card.json'), JSON.stringify(card, null, 1));
  };

  const bar = new cliProgress.SingleBar({
    noTTYOutput: true, notTTYSchedule: 30_000,
    format: `mnist-grey [{bar}] {value}/{total} | L^inf {loss} bits/dim (avg {avg}) | |g| {gnorm} | lr {lr} | {rate} steps/s | eta {eta_formatted}`,
  }, cliProgress.Presets.shades_classic);
  bar.start(steps, 0, { loss: '-', avg: '-', gnorm: '-', lr: '-', rate: '-' });
  // A step whose loss or gradient is not finite stops the run (NonFiniteLossError); the model saved last stays on disk.
  while (trainer.step < steps && performance.now() < deadline) {
    const r = await trainer.trainStep();
    const bits = r.loss / Math.LN2;
    smoothed = Number.isNaN(smoothed) ? bits : 0.995 * smoothed + 0.005 * bits;
    if (r.step % 10 === 0) {
      // Let timers run: the bar redraws (and, without a terminal, logs) from a timer, and wasm reads resolve as microtasks.
      await new Promise((resolve) => setImmediate(resolve));
      bar.update(r.step, { loss: bits.toFixed(3), avg: smoothed.toFixed(3), gnorm: r.gradNorm.toFixed(2), lr: r.learningRate.toExponential(1), rate: (r.step / wall()).toFixed(2) });
    }
    if (trainer.step % saveEvery === 0) await save();
  }
  bar.stop();
  await save();
  console.log(`wrote ${outDir}: ${trainer.step} steps, ${wall().toFixed(0)} s; smoothed training L^inf ${smoothed.toFixed(3)} bits/dim. Evaluate with: npm run eval -- ${outDir}`);
  trainer.dispose();
}
