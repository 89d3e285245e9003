/**
 * The worker's binarized-MNIST session (issue 4): the downloaded splits, the shipped / trained / loaded models, the
 * recorded sampler behind the MNIST view, and the in-page trainer. Runs inside the engine worker only.
 */
import * as tf from '@tensorflow/tfjs';
import { sample, seededNoise, type BfnSpec } from '../bfn';
import { fetchBytes, fetchMnist } from '../data/mnist/fetch';
import { meanIntensity, MNIST_PIXELS, validationSplit, type MnistImages } from '../data/mnist/mnist';
import { parameterCount, type MnistNet } from '../nets/mnistNet';
import { decodeMnistModel, encodeMnistModel, parseMnistCard, type MnistCard } from '../train/mnistModelFile';
import { ModelFileError } from '../train/modelFile';
import { NonFiniteLossError, TrainerMnist, type TrainMnistConfig } from '../train/trainerMnist';
import { shippedModelFiles } from '../state/shippedModels';
import {
  MNIST_SAMPLE_LIMITS, type MnistDataInfo, type MnistDownloadProgress, type MnistLoadOptions, type MnistModelInfo, type MnistModelSource,
  type MnistSampleOptions, type MnistSplit, type MnistTrainerInfo, type MnistTrainStepsOptions, type MnistTrainStepsResult,
  type MnistTrajectoryPayload, type ProgressCallback,
} from './protocol';

/** The id of the shipped MNIST model folder (models/mnist-binary/). */
export const SHIPPED_MNIST_ID = 'mnist-binary';

interface LoadedMnistModel {
  spec: BfnSpec;
  model: MnistNet;
  card: MnistCard | null;
}

interface SplitData {
  images: MnistImages;
  pool: Uint32Array;
  info: MnistDataInfo;
}

/** The MNIST half of the engine worker. */
export class MnistSession {
  private data = new Map<MnistSplit, Promise<SplitData>>();
  private models: { shipped: LoadedMnistModel | null; file: LoadedMnistModel | null } = { shipped: null, file: null };
  private trainer: TrainerMnist | null = null;
  private trainerFromShipped = false;
  private trainMs = 0;

  constructor(private readonly backendName: () => string, private readonly baseUrl: string) {}

  /**
   * Downloads and decodes a split once (later calls share the first download).
   * @throws Error for a failed download, IdxError for a corrupt file; a failed download can be retried.
   */
  loadData(split: MnistSplit, onProgress?: (p: MnistDownloadProgress) => void): Promise<MnistDataInfo> {
    let pending = this.data.get(split);
    if (!pending) {
      pending = (async () => {
        const { images, bytes } = await fetchMnist(split, this.baseUrl, (phase, loaded, total) => onProgress?.({ split, phase, loaded, total }));
        const pool = split === 'train' ? validationSplit(images.count).train : Uint32Array.from({ length: images.count }, (_, k) => k);
        const info: MnistDataInfo = { split, images: pool.length, meanPixel: meanIntensity(images), bytes };
        onProgress?.({ split, phase: 'done', loaded: bytes, total: bytes });
        return { images, pool, info };
      })();
      this.data.set(split, pending);
      pending.catch(() => this.data.delete(split));
    }
    return pending.then((d) => d.info);
  }

  private modelInfo(source: MnistModelSource, m: LoadedMnistModel): MnistModelInfo {
    const c = m.model.config;
    return {
      source, beta1: m.spec.kind === 'discrete' ? m.spec.beta1 : NaN, parameters: parameterCount(m.model),
      network: { width: c.width, depth: c.depth, convChannels: c.convChannels, convLayers: c.convLayers }, card: m.card,
    };
  }

  private decode(modelJson: unknown, weights: ArrayBuffer, card: unknown): LoadedMnistModel {
    if (!(weights instanceof ArrayBuffer)) throw new ModelFileError('weights.bin is missing.');
    const parsedCard = card === null || card === undefined ? null : parseMnistCard(card);
    const { spec, model } = decodeMnistModel(modelJson, weights);
    if (parsedCard && JSON.stringify(parsedCard.network) !== JSON.stringify({ type: 'mnist-net', ...withoutSeed(model.config) })) {
      model.dispose();
      throw new ModelFileError('card.json does not describe this model: its network differs from model.json.');
    }
    return { spec, model, card: parsedCard };
  }

  /**
   * Loads the shipped model (fetched from the build) or a user's files into a slot. On any error the slot keeps its
   * previous model. @throws ModelFileError for bad files, Error when the shipped model is missing or unreachable.
   */
  async loadModel(options: MnistLoadOptions, onProgress?: (loaded: number, total: number) => void): Promise<MnistModelInfo> {
    if (options.slot === 'shipped') {
      if (this.models.shipped) return this.modelInfo('shipped', this.models.shipped);
      const files = shippedModelFiles(SHIPPED_MNIST_ID);
      if (!files) throw new Error(`this build has no shipped MNIST model (models/${SHIPPED_MNIST_ID}/)`);
      const bytes = await fetchBytes(files.weightsUrl, onProgress);
      const loaded = this.decode(files.modelJson, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, files.card);
      this.models.shipped = loaded;
      return this.modelInfo('shipped', loaded);
    }
    const loaded = this.decode(options.modelJson, options.weights, options.card);
    this.models.file?.model.dispose();
    this.models.file = loaded;
    return this.modelInfo('file', loaded);
  }

  private source(source: MnistModelSource): LoadedMnistModel {
    if (source === 'trained') {
      if (!this.trainer) throw new Error('no MNIST model has been trained in this page yet');
      return { spec: this.trainer.spec, model: this.trainer.ema, card: null };
    }
    const m = this.models[source];
    if (!m) throw new Error(source === 'shipped' ? 'the shipped MNIST model is not loaded yet' : 'no MNIST model file has been loaded');
    return m;
  }

  /**
   * Samples digits with a recorded trajectory. @throws RangeError for sizes outside {@link MNIST_SAMPLE_LIMITS}.
   */
  async sample(options: MnistSampleOptions, onProgress?: ProgressCallback): Promise<MnistTrajectoryPayload> {
    const { images, steps: n, seed } = options;
    if (!Number.isInteger(images) || images < 1 || images > MNIST_SAMPLE_LIMITS.images) throw new RangeError(`images must be an integer in 1..${MNIST_SAMPLE_LIMITS.images}, got ${images}`);
    if (!Number.isInteger(n) || n < 1 || n > MNIST_SAMPLE_LIMITS.steps) throw new RangeError(`n must be an integer in 1..${MNIST_SAMPLE_LIMITS.steps}, got ${n}`);
    if (images * (n + 1) > MNIST_SAMPLE_LIMITS.imageFrames) throw new RangeError(`images x (n + 1) must be at most ${MNIST_SAMPLE_LIMITS.imageFrames} (the trajectory is kept in memory); got ${images * (n + 1)}`);
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    const m = this.source(options.source);
    const started = performance.now();
    const { samples, trajectory } = await sample(m.spec, m.model.net, [images, MNIST_PIXELS], {
      n, noise: seededNoise(seed), record: true,
      onStep: async (i, total) => {
        onProgress?.(i, total);
        // Let the worker answer other messages (e.g. memory) between steps.
        await new Promise((r) => setTimeout(r, 0));
      },
    });
    const frame = images * MNIST_PIXELS;
    const theta = new Float32Array((n + 1) * frame);
    const output = new Float32Array((n + 1) * frame);
    // theta and probs are [images, 784, 2]: keep class index 1 ("on").
    const on = (src: Float32Array, dst: Float32Array, k: number) => {
      for (let p = 0; p < frame; p++) dst[k * frame + p] = src[2 * p + 1]!;
    };
    trajectory!.steps.forEach((s, k) => {
      on(s.theta.theta!, theta, k);
      on(s.output.probs!, output, k);
    });
    on(trajectory!.final.theta.theta!, theta, n);
    on(trajectory!.final.output.probs!, output, n);
    const beta1 = m.spec.kind === 'discrete' ? m.spec.beta1 : NaN;
    const t = Float64Array.from({ length: n + 1 }, (_, k) => k / n);
    return {
      source: options.source, n, images, seed, beta1, t, beta: t.map((x) => beta1 * x * x), theta, output, samples,
      backend: this.backendName(), elapsedMs: performance.now() - started,
    };
  }

  private trainerInfo(): MnistTrainerInfo {
    const tr = this.trainer!;
    return { step: tr.step, config: tr.config, parameters: parameterCount(tr.model), wallSeconds: this.trainMs / 1000, fromShipped: this.trainerFromShipped };
  }

  /**
   * Creates the in-page trainer, from scratch or from the shipped model's weights (which must be loaded).
   * @throws Error when the training split is not downloaded yet or the shipped model is missing; RangeError for bad settings.
   */
  async resetTrainer(config: TrainMnistConfig, fromShipped: boolean): Promise<MnistTrainerInfo> {
    const pending = this.data.get('train');
    if (!pending) throw new Error('download the MNIST training images first (mnistLoadData("train"))');
    const data = await pending;
    const shipped = fromShipped ? this.source('shipped') : null;
    const next = new TrainerMnist(data.images, data.pool, shipped ? { ...config, net: withoutSeed(shipped.model.config) } : config);
    if (shipped) {
      next.model.variables.forEach((v, k) => v.assign(shipped.model.variables[k]!));
      next.ema.variables.forEach((v, k) => v.assign(shipped.model.variables[k]!));
    }
    this.trainer?.dispose();
    this.trainer = next;
    this.trainerFromShipped = fromShipped;
    this.trainMs = 0;
    return this.trainerInfo();
  }

  /** Runs steps until maxSteps or budgetMs. A non-finite step stops the batch and is reported (the weights are untouched). */
  async trainSteps(options: MnistTrainStepsOptions): Promise<MnistTrainStepsResult> {
    if (!this.trainer) throw new Error('no MNIST trainer: call mnistResetTrainer first');
    const { maxSteps, budgetMs } = options;
    if (!Number.isInteger(maxSteps) || maxSteps < 1 || maxSteps > 10_000) throw new RangeError(`maxSteps must be an integer in 1..10000, got ${maxSteps}`);
    const started = performance.now();
    const losses: number[] = [];
    let nonFinite: MnistTrainStepsResult['nonFinite'] = null;
    while (losses.length < maxSteps) {
      try {
        losses.push((await this.trainer.trainStep()).loss * MNIST_PIXELS);
      } catch (err) {
        if (!(err instanceof NonFiniteLossError)) throw err;
        nonFinite = { step: err.step, value: err.value, message: err.message };
        break;
      }
      if (performance.now() - started >= budgetMs) break;
    }
    const elapsed = performance.now() - started;
    this.trainMs += elapsed;
    return {
      losses: Float32Array.from(losses), step: this.trainer.step, stepsPerSecond: losses.length / Math.max(elapsed / 1000, 1e-6), nonFinite,
      wallSeconds: this.trainMs / 1000,
    };
  }

  /** A model as files; the trained model gets a card describing its training here. @throws Error when the slot is empty. */
  async exportModel(source: MnistModelSource): Promise<{ modelJson: Awaited<ReturnType<typeof encodeMnistModel>>['modelJson']; weights: ArrayBuffer; card: MnistCard }> {
    const m = this.source(source);
    const { modelJson, weights } = await encodeMnistModel(m.spec, m.model);
    const tr = this.trainer;
    const card: MnistCard = m.card ?? parseMnistCard({
      id: source === 'trained' ? 'mnist-browser-trained' : 'mnist-loaded-model',
      title: source === 'trained' ? `Binarized MNIST: trained in the browser (${tr!.step} steps${this.trainerFromShipped ? ', fine-tuned from the shipped model' : ''})` : 'A loaded MNIST model',
      dataset: 'mnist-binary', spec: modelJson.spec, network: modelJson.network, parameters: parameterCount(m.model),
      training: {
        steps: tr?.step ?? 0, batch: tr?.config.batch ?? 1, learningRate: tr?.config.learningRate ?? 1e-3, schedule: 'browser session',
        optimizer: tr ? `AdamW betas (${tr.config.beta1Adam}, ${tr.config.beta2Adam}), weight decay ${tr.config.weightDecay}, clip norm ${tr.config.clipNorm}` : 'unknown',
        emaDecay: tr?.config.emaDecay ?? 0, loss: 'L^inf', seed: tr?.config.seed ?? 0, trainImages: (await this.data.get('train'))?.pool.length ?? 1,
        wallSeconds: Math.round(this.trainMs / 1000), backend: `browser ${this.backendName()}`, command: 'BFN Playground, MNIST view',
      },
      createdAt: new Date().toISOString(),
    });
    return { modelJson, weights, card };
  }

  /** Frees every model and the trainer. */
  dispose(): void {
    this.trainer?.dispose();
    this.models.shipped?.model.dispose();
    this.models.file?.model.dispose();
    this.trainer = null;
    this.models = { shipped: null, file: null };
    void tf;
  }
}

function withoutSeed<T extends { seed: number }>(config: T): Omit<T, 'seed'> {
  const { seed: _seed, ...rest } = config;
  return rest;
}
