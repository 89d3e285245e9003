/**
 * `npm run train -- mnist-binary [options]`: trains the binarized-MNIST BFN (K = 2, beta1 = 9) on the 59,400 images
 * of the training split (official `data.py`) in Node on the wasm backend, with the same src/ code as the browser. Shows a
 * progress bar with the loss (nats per image) and steps per second, writes a checkpoint every --checkpoint-every
 * steps (weights, EMA weights, AdamW moments; batches and noise are a function of (seed, step), so a resumed run
 * continues exactly), and writes models/<id>/ (model.json and weights.bin of the EMA weights, card.json).
 * Evaluate afterwards with `npm run eval -- models/<id>`.
 *
 * Options: --steps 40000 --batch 64 --lr 1e-3 --warmup 500 --cosine (decay to 10 % at --steps) --ema 0.999
 *          --clip 5 --wd 0.01 --width 1024 --depth 3 --conv-channels 0 --conv-layers 3 --seed 1
 *          --out models/mnist-binary --checkpoint-dir checkpoints/<id> --checkpoint-every 1000 --resume
 *          --max-minutes M (stop cleanly, with a checkpoint, after M minutes) --backend wasm|cpu
 *          --allow-new-weights (resume a checkpoint made with a smaller network; the added weights start at 0)
 *          --no-evidence (no log-odds pass-through in the network) --stop-at N (stop at step N; the schedule spans --steps)
 *          --init-from DIR (start from the weights of the model folder DIR, e.g. the shipped model, with fresh AdamW
 *          moments and this run's own schedule; the card adds this run's steps and time to that model's and lists
 *          every command)
 *          --weights float32|float16|uint8|uint16 (how weights.bin stores the weights; default: the kind's shipped
 *          storage, MNIST_FILES.shippedWeights; the checkpoint stays float32)
 */
import { describeWeights, encodeModelFile, parseCard } from '../src/train/modelFile';
import { parseWeightsDtype } from '../src/train/weightsQuantization';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import cliProgress from 'cli-progress';
import { loadMnist } from './lib/mnist-node';
import { validationSplit } from '../src/data/mnist/mnist';
import { DEFAULT_TRAIN_MNIST, TrainerMnist, type TrainMnistConfig } from '../src/kinds/mnist-binary/trainer';
import { MNIST_FILES, type MnistCard } from '../src/kinds/mnist-binary/files';
import { decodeMnistModel } from '../src/kinds/modelFiles';
import { parameterCount, type MnistNetConfig } from '../src/nets/mnistNet';

/** checkpoint.json: the step, wall time so far, settings, the tensor manifest of state.bin, and the commands run. */
interface CheckpointMeta {
  step: number;
  wallSeconds: number;
  config: TrainMnistConfig;
  specs: tf.io.WeightsManifestEntry[];
  commands?: { fromStep: number; command: string }[];
  /** Steps of the --init-from model this run started from (0 or absent: none). */
  stepsBefore?: number;
}

/** Runs the MNIST training command with the arguments after `mnist-binary`. */
export async function trainMnist(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      steps: { type: 'string', default: '40000' }, batch: { type: 'string' }, lr: { type: 'string' }, warmup: { type: 'string' },
      cosine: { type: 'boolean', default: false }, ema: { type: 'string' }, clip: { type: 'string' }, wd: { type: 'string' },
      width: { type: 'string' }, depth: { type: 'string' }, 'conv-channels': { type: 'string' }, 'conv-layers': { type: 'string' },
      seed: { type: 'string' }, out: { type: 'string', default: join('models', 'mnist-binary') }, 'checkpoint-dir': { type: 'string' },
      'checkpoint-every': { type: 'string', default: '1000' }, resume: { type: 'boolean', default: false },
      'max-minutes': { type: 'string' }, backend: { type: 'string', default: 'wasm' }, 'allow-new-weights': { type: 'boolean', default: false },
      'no-evidence': { type: 'boolean', default: false }, 'stop-at': { type: 'string' }, 'init-from': { type: 'string' },
      weights: { type: 'string' },
    },
  });
  const num = (v: string | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new Error(`expected a number, got '${v}'`);
    return x;
  };
  const steps = num(values.steps, 40000);
  // --stop-at ends the run early at that step while the schedule still spans --steps (for a run in phases).
  const stopAt = Math.min(steps, num(values['stop-at'], steps));
  const d = DEFAULT_TRAIN_MNIST;
  const config: TrainMnistConfig = {
    net: {
      ...(values.width ? { width: num(values.width, 0) } : {}), ...(values.depth ? { depth: num(values.depth, 0) } : {}),
      ...(values['conv-channels'] ? { convChannels: num(values['conv-channels'], 0) } : {}),
      ...(values['conv-layers'] ? { convLayers: num(values['conv-layers'], 0) } : {}),
      ...(values['no-evidence'] ? { evidence: false } : {}),
    },
    batch: num(values.batch, d.batch), learningRate: num(values.lr, d.learningRate), warmupSteps: num(values.warmup, d.warmupSteps),
    cosineSteps: values.cosine ? steps : undefined, beta1Adam: d.beta1Adam, beta2Adam: d.beta2Adam, weightDecay: num(values.wd, d.weightDecay),
    clipNorm: num(values.clip, d.clipNorm), emaDecay: num(values.ema, d.emaDecay), seed: num(values.seed, d.seed),
  };
  const weightsDtype = parseWeightsDtype(values.weights ?? MNIST_FILES.shippedWeights ?? 'float32');
  const outDir = values.out!;
  const id = basename(outDir);
  const checkpointDir = values['checkpoint-dir'] ?? join('checkpoints', id);
  const checkpointEvery = num(values['checkpoint-every'], 1000);
  const deadline = values['max-minutes'] ? performance.now() + num(values['max-minutes'], 0) * 60_000 : Infinity;

  if (!(await tf.setBackend(values.backend!))) throw new Error(`backend ${values.backend} did not start`);
  const images = loadMnist('train');
  const { train } = validationSplit(images.count);
  const trainer = new TrainerMnist(images, train, config);
  console.log(`MNIST BFN: ${parameterCount(trainer.net).toLocaleString('en')} parameters, ${train.length} training images, batch ${config.batch}, backend ${tf.getBackend()}`);

  let wallBefore = 0;
  let commands: { fromStep: number; command: string }[] = [];
  // Steps trained before this run's step 1 (by the model of --init-from): added to the card's counts.
  let stepsBefore = 0;
  const metaPath = join(checkpointDir, 'checkpoint.json');
  if (values['init-from'] && values.resume) throw new Error('--init-from starts a new run: it cannot be combined with --resume (the checkpoint already holds the starting point)');
  if (values['init-from']) {
    const from = values['init-from'];
    const fromCard = parseCard(MNIST_FILES, JSON.parse(readFileSync(join(from, 'card.json'), 'utf8')));
    const bytes = readFileSync(join(from, 'weights.bin'));
    const { model } = decodeMnistModel(JSON.parse(readFileSync(join(from, 'model.json'), 'utf8')), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const sizeOf = (c: MnistNetConfig) => [c.width, c.depth, c.convChannels, c.convLayers, c.timeFeatures, c.evidence, c.channels ?? 1].join(',');
    if (sizeOf(model.config) !== sizeOf(trainer.net.config)) {
      model.dispose();
      throw new Error(`--init-from: ${from} holds network ${JSON.stringify(model.config)}; pass the same --width/--depth/--conv-* options`);
    }
    const named: Record<string, tf.Tensor> = {};
    model.names.forEach((name, k) => {
      named[`model/${name}`] = model.variables[k]!;
      named[`ema/${name}`] = model.variables[k]!;
    });
    // The moments are not in a model folder: they start at zero (allowNew), as in a fresh run.
    trainer.loadState(0, named, true);
    model.dispose();
    stepsBefore = fromCard.training.steps;
    wallBefore = fromCard.training.wallSeconds;
    commands = fromCard.training.commands ?? [{ fromStep: 0, command: fromCard.training.command }];
    console.log(`starting from the weights of ${from} (${stepsBefore} steps, ${wallBefore} s of training)`);
  }
  if (values.resume) {
    if (!existsSync(metaPath)) throw new Error(`--resume: no checkpoint at ${metaPath}`);
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as CheckpointMeta;
    commands = meta.commands ?? [];
    const netChanged = JSON.stringify(meta.config.net) !== JSON.stringify(config.net);
    if ((netChanged && !values['allow-new-weights']) || meta.config.seed !== config.seed || meta.config.batch !== config.batch) {
      throw new Error(`--resume: the checkpoint was made with network ${JSON.stringify(meta.config.net)}, seed ${meta.config.seed}, batch ${meta.config.batch}; pass the same settings`);
    }
    const bytes = readFileSync(join(checkpointDir, 'state.bin'));
    const tensors = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), meta.specs);
    const kept = trainer.loadState(meta.step, tensors, values['allow-new-weights']);
    if (kept.length) console.log(`--allow-new-weights: ${kept.length} tensors not in the checkpoint start at their initial values: ${kept.join(', ')}`);
    tf.dispose(Object.values(tensors));
    wallBefore = meta.wallSeconds;
    stepsBefore = meta.stepsBefore ?? 0;
    console.log(`resumed from ${checkpointDir} at step ${meta.step}`);
  }
  // A call that trains no steps (e.g. one that only rewrites the model files from a checkpoint) adds nothing to the history.
  if (trainer.step < stopAt) commands.push({ fromStep: stepsBefore + trainer.step, command: `npm run train -- mnist-binary ${args.join(' ')}` });

  const started = performance.now();
  const wall = () => wallBefore + (performance.now() - started) / 1000;
  const saveCheckpoint = async () => {
    const { data, specs } = await tf.io.encodeWeights(trainer.state().tensors);
    mkdirSync(checkpointDir, { recursive: true });
    // Write-then-rename so an interrupted save never leaves a half-written checkpoint.
    writeFileSync(join(checkpointDir, 'state.bin.tmp'), Buffer.from(data));
    const meta: CheckpointMeta = { step: trainer.step, wallSeconds: wall(), config, specs, commands, stepsBefore };
    writeFileSync(join(checkpointDir, 'checkpoint.json.tmp'), JSON.stringify(meta));
    renameSync(join(checkpointDir, 'state.bin.tmp'), join(checkpointDir, 'state.bin'));
    renameSync(join(checkpointDir, 'checkpoint.json.tmp'), metaPath);
  };

  const bar = new cliProgress.SingleBar({
    noTTYOutput: true, notTTYSchedule: 30_000,
    format: `mnist-binary [{bar}] {value}/{total} | L^inf {loss} nats/image (avg {avg}) | |g| {gnorm} | lr {lr} | {rate} steps/s | eta {eta_formatted}`,
  }, cliProgress.Presets.shades_classic);
  bar.start(steps, trainer.step, { loss: '-', avg: '-', gnorm: '-', lr: '-', rate: '-' });
  let smoothed = NaN;
  const firstStep = trainer.step;
  let skipped = 0;
  while (trainer.step < stopAt && performance.now() < deadline) {
    try {
      const r = await trainer.trainStep();
      const perImage = r.loss * 784;
      smoothed = Number.isNaN(smoothed) ? perImage : 0.995 * smoothed + 0.005 * perImage;
      if (r.step % 10 === 0) {
        // Let timers run: the bar redraws (and, without a terminal, logs) from a timer, and wasm reads resolve as microtasks.
        await new Promise((resolve) => setImmediate(resolve));
        bar.update(r.step, { loss: perImage.toFixed(1), avg: smoothed.toFixed(1), gnorm: r.gradNorm.toFixed(2), lr: r.learningRate.toExponential(1), rate: ((r.step - firstStep) / ((performance.now() - started) / 1000)).toFixed(2) });
      }
    } catch (err) {
      if (!(err instanceof Error && err.name === 'NonFiniteLossError')) throw err;
      skipped += 1;
      console.warn(`\n${err.message} (step skipped; ${skipped} so far)`);
      if (skipped > 20) throw new Error('more than 20 non-finite steps: stopping; lower --lr', { cause: err });
      trainer.continueFrom(trainer.step + 1);
    }
    if (trainer.step % checkpointEvery === 0) await saveCheckpoint();
  }
  bar.stop();
  await saveCheckpoint();

  const { modelJson, weights } = await encodeModelFile(MNIST_FILES, trainer.spec, trainer.ema, weightsDtype);
  let previous: MnistCard | undefined;
  try {
    previous = existsSync(join(outDir, 'card.json')) ? parseCard(MNIST_FILES, JSON.parse(readFileSync(join(outDir, 'card.json'), 'utf8'))) : undefined;
  } catch {
    previous = undefined; // an unreadable old card is simply replaced
  }
  const n = trainer.net.config;
  const card: MnistCard = {
    id,
    title: `Binarized MNIST: discrete-data BFN (MLP ${n.width} x ${n.depth}${n.convChannels ? ` + ${n.convLayers} conv 3x3 x ${n.convChannels}` : ''})`,
    dataset: 'mnist-binary',
    spec: modelJson.spec,
    network: modelJson.network,
    parameters: parameterCount(trainer.net),
    training: {
      steps: stepsBefore + trainer.step, batch: config.batch, learningRate: config.learningRate,
      schedule: `${stepsBefore ? `after ${stepsBefore} steps of the model started from (see commands), ` : ''}linear warm-up ${config.warmupSteps} steps${config.cosineSteps ? `, cosine to 10 % at ${config.cosineSteps}` : ', then constant'}`,
      optimizer: `AdamW betas (${config.beta1Adam}, ${config.beta2Adam}), weight decay ${config.weightDecay}, clip norm ${config.clipNorm}`,
      emaDecay: config.emaDecay, loss: 'L^inf', seed: config.seed, trainImages: train.length,
      wallSeconds: Math.round(wall()), backend: `node ${tf.getBackend()}`,
      command: commands[commands.length - 1]?.command ?? `npm run train -- mnist-binary ${args.join(' ')}`,
      ...(commands.length > 1 ? { commands } : {}),
      // With no step trained here, the smoothed loss is the previous card's (same checkpoint).
      ...(Number.isFinite(smoothed) ? { finalLoss: Math.round(smoothed * 100) / 100, finalLossUnit: 'nats per image' } : previous?.training.steps === stepsBefore + trainer.step && previous.training.finalLoss !== undefined ? { finalLoss: previous.training.finalLoss } : {}),
    },
    // A new training run invalidates an earlier evaluation: `npm run eval` writes it again.
    evaluation: undefined,
    weights: describeWeights(trainer.ema, modelJson, weights, `npm run train -- mnist-binary ${args.join(' ')}`),
    paper: previous?.paper ?? { continuous: 77.87, source: 'Graves et al. 2023, binarized MNIST, L^inf + L^r, nats per image (SPEC §10)' },
    createdAt: new Date().toISOString(),
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'model.json'), JSON.stringify(modelJson, null, 1));
  writeFileSync(join(outDir, 'weights.bin'), Buffer.from(weights));
  writeFileSync(join(outDir, 'card.json'), JSON.stringify(card, null, 1));
  console.log(`wrote ${outDir}: ${trainer.step} steps, ${wall().toFixed(0)} s in all; smoothed training L^inf ${smoothed.toFixed(1)} nats/image. Evaluate with: npm run eval -- ${outDir}`);
  trainer.dispose();
}
