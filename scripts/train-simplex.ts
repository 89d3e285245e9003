/**
 * `npm run train -- simplex [options]`: trains the K = 3 simplex BFN (src/kinds/simplex/) on its toy data (3 variables
 * with 3 classes, x_3 = (x_1 + x_2) mod 3; src/data/simplexToy.ts) in Node on the wasm backend, with the same src/
 * code as the browser, and writes models/simplex/ (model.json and weights.bin of the weight average, card.json with
 * the settings, steps, wall time, seed and command). Evaluate afterwards with `npm run eval -- models/simplex`.
 *
 * Options: --steps 3000 --batch 256 --lr 3e-3 --warmup 100 --ema 0.995 --clip 5 --beta1 3 --width 64 --depth 3
 *          --seed 1 --out models/simplex --backend wasm|cpu
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import cliProgress from 'cli-progress';
import { encodeModelFile, parseCard } from '../src/train/modelFile';
import { DEFAULT_TRAIN_SIMPLEX, TrainerSimplex, type TrainSimplexConfig } from '../src/kinds/simplex/trainer';
import { SIMPLEX_FILES, simplexNetworkLabel } from '../src/kinds/simplex/files';
import { RULE_TEXT } from '../src/data/simplexToy';

/** Runs the simplex training command with the arguments after `simplex`. */
export async function trainSimplex(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      steps: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, warmup: { type: 'string' }, ema: { type: 'string' },
      clip: { type: 'string' }, beta1: { type: 'string' }, width: { type: 'string' }, depth: { type: 'string' }, seed: { type: 'string' },
      out: { type: 'string', default: join('models', 'simplex') }, backend: { type: 'string', default: 'wasm' },
    },
  });
  const num = (v: string | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new Error(`expected a number, got '${v}'`);
    return x;
  };
  const d = DEFAULT_TRAIN_SIMPLEX;
  const steps = num(values.steps, d.cosineSteps);
  const config: TrainSimplexConfig = {
    net: { width: num(values.width, 64), depth: num(values.depth, 3) }, beta1: num(values.beta1, d.beta1), batch: num(values.batch, d.batch),
    learningRate: num(values.lr, d.learningRate), warmupSteps: num(values.warmup, d.warmupSteps), cosineSteps: steps,
    clipNorm: num(values.clip, d.clipNorm), emaDecay: num(values.ema, d.emaDecay), seed: num(values.seed, d.seed),
  };
  if (!(await tf.setBackend(values.backend!))) throw new Error(`backend ${values.backend} did not start`);
  const trainer = new TrainerSimplex(config);
  const bar = new cliProgress.SingleBar({ noTTYOutput: true, notTTYSchedule: 5_000, format: `simplex [{bar}] {value}/{total} steps | loss {avg} nats/variable | {rate} steps/s` }, cliProgress.Presets.shades_classic);
  bar.start(steps, 0, { avg: '-', rate: '-' });
  const started = performance.now();
  let smoothed = NaN;
  for (let s = 1; s <= steps; s++) {
    const last = (await trainer.trainStep()).loss;
    smoothed = Number.isNaN(smoothed) ? last : 0.99 * smoothed + 0.01 * last;
    if (s % 50 === 0 || s === steps) {
      bar.update(s, { avg: smoothed.toFixed(4), rate: (s / ((performance.now() - started) / 1000)).toFixed(0) });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  bar.stop();
  const wallSeconds = (performance.now() - started) / 1000;
  const { modelJson, weights } = await encodeModelFile(SIMPLEX_FILES, trainer.spec, trainer.ema);
  const card = parseCard(SIMPLEX_FILES, {
    id: 'simplex',
    title: `K = 3 simplex toy (${RULE_TEXT}): discrete-data BFN, ${simplexNetworkLabel(modelJson.network)}`,
    dataset: 'simplex-toy', spec: modelJson.spec, network: modelJson.network, parameters: trainer.ema.parameterCount,
    training: {
      steps, batch: config.batch, learningRate: config.learningRate, loss: 'L^inf', seed: config.seed,
      wallSeconds: Math.round(wallSeconds * 10) / 10, backend: `node ${tf.getBackend()}`,
      command: `npm run train -- simplex${args.length ? ` ${args.join(' ')}` : ''}`, finalLoss: smoothed, finalLossUnit: 'nats per variable',
      optimizer: `Adam betas (0.9, 0.99), warm-up ${config.warmupSteps} steps, cosine to 10 % at step ${steps}, clip norm ${config.clipNorm}`,
      emaDecay: config.emaDecay,
    },
    createdAt: new Date().toISOString(),
  });
  const outDir = values.out!;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'model.json'), JSON.stringify(modelJson, null, 1));
  writeFileSync(join(outDir, 'weights.bin'), Buffer.from(weights));
  writeFileSync(join(outDir, 'card.json'), JSON.stringify(card, null, 1));
  trainer.dispose();
  console.log(`wrote ${outDir}: ${steps} steps in ${wallSeconds.toFixed(1)} s, final loss ${smoothed.toFixed(4)} nats per variable; now run npm run eval -- ${outDir}`);
}
