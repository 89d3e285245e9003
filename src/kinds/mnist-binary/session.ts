/**
 * The worker's binarized-MNIST session: the downloaded splits, the recorded sampler behind the MNIST view and the
 * digit-quality measurement, on the shared session pieces of ./session.ts (the loaded models, the trainer and its
 * step loop, cancellation tickets). Runs inside the engine worker only.
 */
import { parseCard, type ModelFileKind } from '../../train/modelFile';
import { seededNoise } from '../../bfn';
import { sampleWith } from '../../train/samplers';
import { fetchBytes, fetchMnist } from '../../data/mnist/fetch';
import { meanIntensity, MNIST_PIXELS, validationSplit, type MnistImages } from '../../data/mnist/mnist';
import type { MnistNet } from '../../nets/mnistNet';
import { MNIST_FILES, type BinarySpec, type MnistCard, type MnistModelJson, type MnistNetworkJson } from './files';
import { TrainerMnist, type TrainMnistConfig } from './trainer';
import { buffersOf, ModelStore, Tickets, TrainingRun, type LoadedModel, type SessionWiring, type ShippedLookup } from '../../engine/session';
import type { ClassifierCard } from '../../nets/classifierFiles';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { digitConfidence } from '../../nets/mnistClassifier';
import { qualityGrid } from '../../engine/qualityGrid';
import { FrameStream } from '../../engine/frameStream';
import {
  MNIST_SAMPLE_LIMITS, type MnistDataInfo, type MnistDownloadProgress, type LoadModelOptions, type MnistModelInfo, type MnistModelSource,
  type MnistSampleOptions, type MnistSplit, type MnistTrainerInfo, type MnistTrainStepsOptions, type TrainStepsResult,
  type FramesCallback, type MnistTrajectoryPayload, type ProgressCallback, type MnistStepsQualityOptions, type MnistStepsQualityResult,
  type MnistStepsQualityRow,
  type MnistApi,
} from '../../engine/protocol';

type LoadedMnistModel = LoadedModel<MnistNet, BinarySpec, MnistCard>;

interface SplitData {
  images: MnistImages;
  pool: Uint32Array;
  info: MnistDataInfo;
}

/** The MNIST half of the engine worker. */
export class MnistSession {
  private data = new Map<MnistSplit, Promise<SplitData>>();
  private readonly models: ModelStore<MnistNet, MnistNetworkJson, BinarySpec, MnistCard>;
  private readonly training = new TrainingRun<TrainerMnist>();
  private trainerFromShipped = false;
  private readonly sampling = new Tickets();
  private readonly quality = new Tickets();
  private digitClassifier: { model: LayersModel; card: ClassifierCard; confidence: typeof digitConfidence } | null = null;

  /**
   * @param backendName the active backend's name. @param baseUrl where the MNIST files are served. @param shipped where
   * the build's shipped models are (the worker passes src/train/shippedModels.ts shippedModelFiles). @param known every
   * kind's file declaration (src/kinds/registry.ts), to name a file of another kind.
   */
  constructor(private readonly backendName: () => string, private readonly baseUrl: string, shipped?: ShippedLookup, known: readonly ModelFileKind[] = []) {
    this.models = new ModelStore(MNIST_FILES, shipped, known);
  }

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
        const info: MnistDataInfo = { split, images: pool.length, count: images.count, meanPixel: meanIntensity(images), bytes };
        onProgress?.({ split, phase: 'done', loaded: bytes, total: bytes });
        return { images, pool, info };
      })();
      this.data.set(split, pending);
      pending.catch(() => this.data.delete(split));
    }
    return pending.then((d) => d.info);
  }

  private modelInfo(source: MnistModelSource, m: LoadedMnistModel): MnistModelInfo {
    const c = m.net.config;
    return {
      source, beta1: m.spec.kind === 'discrete' ? m.spec.beta1 : NaN, parameters: m.net.parameterCount,
      network: { width: c.width, depth: c.depth, convChannels: c.convChannels, convLayers: c.convLayers }, card: m.card,
    };
  }

  /**
   * Loads the shipped model (fetched from the build) or a user's files into a slot. On any error the slot keeps its
   * previous model. @throws ModelFileError for bad files, Error when the shipped model is missing or unreachable.
   */
  async loadModel(options: LoadModelOptions, onProgress?: (loaded: number, total: number) => void): Promise<MnistModelInfo> {
    if (options.slot === 'shipped') return this.modelInfo('shipped', await this.models.loadShipped(options.id, onProgress));
    return this.modelInfo('file', this.models.loadFile(options.modelJson, options.weights, options.card));
  }

  private source(source: MnistModelSource): LoadedMnistModel {
    if (source === 'trained') {
      const trainer = this.training.trainer;
      if (!trainer) throw new Error('no MNIST model has been trained in this page yet');
      return { spec: MNIST_FILES.specSchema.parse(trainer.spec), net: trainer.ema, card: null };
    }
    const m = this.models.get(source);
    if (!m) throw new Error(source === 'shipped' ? 'the shipped MNIST model is not loaded yet' : 'no MNIST model file has been loaded');
    return m;
  }

  /**
   * The shipped classifier, loaded on first use with its code (TF.js layers, about 330 kB, loaded only here so that
   * the worker starts without it, and Node scripts can make this session without Vite). @throws Error when the build
   * has none.
   */
  private async classifier(): Promise<{ model: LayersModel; card: ClassifierCard; confidence: typeof digitConfidence }> {
    if (!this.digitClassifier) {
      const files = (await import('../../nets/classifierFiles')).classifierFiles();
      if (!files) throw new Error('this build has no digit classifier (models/classifiers/mnist-binary/; run npm run train:classifier)');
      const { loadMnistClassifier, digitConfidence: confidence } = await import('../../nets/mnistClassifier');
      const model = await loadMnistClassifier(files.modelJson, await fetchBytes(files.weightsUrl));
      this.digitClassifier = { model, card: files.card, confidence };
    }
    return this.digitClassifier;
  }

  /**
   * Digit quality against the number of steps: for each sampler and n, `images` digits of the source's model from
   * the same seed, and the shipped classifier's confidence on them (src/nets/mnistClassifier.ts digitConfidence).
   * Yields to the message loop between runs so that a cancel arrives.
   * @param cancelled true once the run was cancelled. @throws RangeError for bad counts; an error named
   *   STEPS_QUALITY_CANCELLED when cancelled; Error when the build has no classifier.
   */
  async stepsQuality(options: MnistStepsQualityOptions, onProgress: ProgressCallback | undefined, cancelled: () => boolean): Promise<MnistStepsQualityResult> {
    const { samplers, steps, images, seed } = options;
    if (!Number.isInteger(images) || images < 1 || images > MNIST_SAMPLE_LIMITS.images) throw new RangeError(`images must be an integer in 1..${MNIST_SAMPLE_LIMITS.images}, got ${images}`);
    for (const n of steps) if (!Number.isInteger(n) || n < 1 || n > MNIST_SAMPLE_LIMITS.steps) throw new RangeError(`n must be an integer in 1..${MNIST_SAMPLE_LIMITS.steps}, got ${n}`);
    const m = this.source(options.source);
    const { model, card, confidence } = await this.classifier();
    const rows = await qualityGrid(
      samplers,
      steps,
      async (sampler, n): Promise<MnistStepsQualityRow> => {
        const started = performance.now();
        const { samples } = await sampleWith(sampler, m.spec, m.net.net, [images, MNIST_PIXELS], { n, noise: seededNoise(seed) });
        const c = confidence(model, samples);
        return { sampler, n, meanConfidence: c.meanConfidence, confidentShare: c.confidentShare, ms: performance.now() - started, samples };
      },
      onProgress,
      cancelled,
    );
    return { rows, images, classifier: { title: card.title, ...card.evaluation } };
  }

  /** A ticket for a sampling run requested now: {@link cancelSample} cancels every ticket handed out before it. */
  sampleTicket(): number {
    return this.sampling.take();
  }

  /** Cancels every sampling run whose ticket was handed out before this call (running or waiting). */
  cancelSample(): void {
    this.sampling.cancel();
  }

  /**
   * Samples digits with a recorded trajectory. @param ticket from {@link sampleTicket} (a new one when omitted).
   * @throws RangeError for sizes outside {@link MNIST_SAMPLE_LIMITS}; SampleCancelled when cancelled (the
   * sampler frees its tensors first).
   */
  async sample(options: MnistSampleOptions, onProgress?: ProgressCallback, ticket = this.sampleTicket(), onFrames?: FramesCallback<MnistTrajectoryPayload>): Promise<MnistTrajectoryPayload> {
    this.sampling.throwIfCancelled(ticket);
    const { images, steps: n, seed } = options;
    if (!Number.isInteger(images) || images < 1 || images > MNIST_SAMPLE_LIMITS.images) throw new RangeError(`images must be an integer in 1..${MNIST_SAMPLE_LIMITS.images}, got ${images}`);
    if (!Number.isInteger(n) || n < 1 || n > MNIST_SAMPLE_LIMITS.steps) throw new RangeError(`n must be an integer in 1..${MNIST_SAMPLE_LIMITS.steps}, got ${n}`);
    if (images * (n + 1) > MNIST_SAMPLE_LIMITS.imageFrames) throw new RangeError(`images x (n + 1) must be at most ${MNIST_SAMPLE_LIMITS.imageFrames} (the trajectory is kept in memory); got ${images * (n + 1)}`);
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    const m = this.source(options.source);
    const started = performance.now();
    const sampler = options.sampler ?? 'original';
    const frame = images * MNIST_PIXELS;
    const beta1 = m.spec.kind === 'discrete' ? m.spec.beta1 : NaN;
    // With onFrames (the original sampler), each frame also goes to the page as soon as it is sampled: step i's
    // record is frame i - 1, as laid out below.
    const onClass = (src: Float32Array) => Float32Array.from({ length: frame }, (_, p) => src[2 * p + 1]!);
    const tOriginal = Float64Array.from({ length: n + 1 }, (_, k) => k / n);
    const stream = onFrames && sampler === 'original'
      ? new FrameStream<MnistTrajectoryPayload>(onFrames, {
        source: options.source, sampler, n, images, seed, beta1, t: tOriginal, beta: tOriginal.map((x) => beta1 * x * x),
        theta: new Float32Array((n + 1) * frame), output: new Float32Array((n + 1) * frame), samples: new Float32Array(frame), backend: this.backendName(), elapsedMs: NaN,
      }, ['theta', 'output'])
      : null;
    const steps = this.sampling.sampleSteps(ticket, onProgress);
    const result = await sampleWith(sampler, m.spec, m.net.net, [images, MNIST_PIXELS], {
      n, noise: seededNoise(seed), record: true,
      onStep: (i, total, step) => {
        if (stream && step) stream.push(i - 1, { theta: onClass(step.theta.theta!), output: onClass(step.output.probs!) });
        return steps(i, total);
      },
    });
    const theta = new Float32Array((n + 1) * frame);
    const output = new Float32Array((n + 1) * frame);
    let t: Float64Array;
    if (result.sampler === 'original') {
      const trajectory = result.trajectory!;
      // theta and probs are [images, 784, 2]: keep class index 1 ("on").
      const on = (src: Float32Array, dst: Float32Array, k: number) => {
        for (let p = 0; p < frame; p++) dst[k * frame + p] = src[2 * p + 1]!;
      };
      trajectory.steps.forEach((s, k) => {
        on(s.theta.theta!, theta, k);
        on(s.output.probs!, output, k);
      });
      on(trajectory.final.theta.theta!, theta, n);
      on(trajectory.final.output.probs!, output, n);
      t = Float64Array.from({ length: n + 1 }, (_, k) => k / n);
    } else {
      // A BFN-Solver's state is the logit vector x of the discrete flow [images, 784, 2]; theta = softmax(x), so the
      // probability that a pixel is on is sigmoid(x_1 - x_0). Frame k's output is step k's prediction p; the last
      // frame (the last_drop step's logits) shows its own softmax in both grids.
      const trajectory = result.trajectory!;
      const onOf = (x: Float32Array, dst: Float32Array, k: number) => {
        for (let p = 0; p < frame; p++) dst[k * frame + p] = 1 / (1 + Math.exp(x[2 * p]! - x[2 * p + 1]!));
      };
      onOf(trajectory.init, theta, 0);
      trajectory.steps.forEach((s, k) => {
        onOf(s.state, theta, k + 1);
        for (let p = 0; p < frame; p++) output[k * frame + p] = s.dataPrediction[2 * p + 1]!;
      });
      onOf(trajectory.final, output, n);
      t = Float64Array.from(trajectory.t);
    }
    return {
      source: options.source, sampler, n, images, seed, beta1, t, beta: t.map((x) => beta1 * x * x), theta, output, samples: result.samples,
      backend: this.backendName(), elapsedMs: performance.now() - started,
    };
  }

  private trainerInfo(): MnistTrainerInfo {
    const tr = this.training.trainer!;
    return { step: tr.step, config: tr.config, parameters: tr.net.parameterCount, wallSeconds: this.training.wallSeconds, fromShipped: this.trainerFromShipped };
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
    const next = new TrainerMnist(data.images, data.pool, shipped ? { ...config, net: withoutSeed(shipped.net.config) } : config);
    if (shipped) {
      next.net.variables.forEach((v, k) => v.assign(shipped.net.variables[k]!));
      next.ema.variables.forEach((v, k) => v.assign(shipped.net.variables[k]!));
    }
    this.training.replace(next);
    this.trainerFromShipped = fromShipped;
    return this.trainerInfo();
  }

  /**
   * Runs steps until maxSteps or budgetMs; the losses come in nats per image. A non-finite step stops the batch and is
   * reported (the weights are untouched). @throws Error without a trainer; RangeError for a bad step count.
   */
  trainSteps(options: MnistTrainStepsOptions): Promise<TrainStepsResult> {
    if (!this.training.trainer) throw new Error('no MNIST trainer: call mnistResetTrainer first');
    return this.training.steps(options.maxSteps, options.budgetMs, MNIST_PIXELS);
  }

  /** A model as files; the trained model gets a card describing its training here. @throws Error when the slot is empty. */
  async exportModel(source: MnistModelSource): Promise<{ modelJson: MnistModelJson; weights: ArrayBuffer; card: MnistCard }> {
    const m = this.source(source);
    const { modelJson, weights } = await this.models.encode(m.spec, m.net);
    const tr = this.training.trainer;
    const card: MnistCard = m.card ?? parseCard(MNIST_FILES, {
      id: source === 'trained' ? 'mnist-browser-trained' : 'mnist-loaded-model',
      title: source === 'trained' ? `Binarized MNIST: trained in the browser (${tr!.step} steps${this.trainerFromShipped ? ', fine-tuned from the shipped model' : ''})` : 'A loaded MNIST model',
      dataset: 'mnist-binary', spec: modelJson.spec, network: modelJson.network, parameters: m.net.parameterCount,
      training: {
        steps: tr?.step ?? 0, batch: tr?.config.batch ?? 1, learningRate: tr?.config.learningRate ?? 1e-3, schedule: 'browser session',
        optimizer: tr ? `AdamW betas (${tr.config.beta1Adam}, ${tr.config.beta2Adam}), weight decay ${tr.config.weightDecay}, clip norm ${tr.config.clipNorm}` : 'unknown',
        emaDecay: tr?.config.emaDecay ?? 0, loss: 'L^inf', seed: tr?.config.seed ?? 0, trainImages: (await this.data.get('train'))?.pool.length ?? 1,
        wallSeconds: Math.round(this.training.wallSeconds), backend: `browser ${this.backendName()}`, command: 'BFN Playground, MNIST view',
      },
      createdAt: new Date().toISOString(),
    });
    return { modelJson, weights, card };
  }

  /**
   * The session's worker API ({@link MnistApi}): each call queued after the earlier ones (`wiring.afterInit`), its typed
   * arrays transferred. The download runs outside the queue, so that sampling and training go on while a split
   * arrives; a sampling or digit-quality run takes its ticket on arrival (a cancel sent after it also stops it while it
   * waits), and the cancels themselves are not queued.
   */
  api(wiring: SessionWiring): MnistApi {
    const { afterInit, transfer } = wiring;
    return {
      loadData: (split, onProgress) => this.loadData(split, onProgress),
      loadModel: (options, onProgress) => afterInit(() => this.loadModel(options, onProgress)),
      sample: (options, onProgress, onFrames) => {
        const ticket = this.sampleTicket();
        return afterInit(async () => {
          const p = await this.sample(options, onProgress, ticket, onFrames);
          return transfer(p, buffersOf(p.t, p.beta, p.theta, p.output, p.samples));
        });
      },
      cancelSample: async () => this.cancelSample(),
      resetTrainer: ({ config, fromShipped }) => afterInit(() => this.resetTrainer(config, fromShipped)),
      trainSteps: (options) => afterInit(async () => {
        const r = await this.trainSteps(options);
        return transfer(r, buffersOf(r.losses));
      }),
      exportModel: (source) => afterInit(async () => {
        const m = await this.exportModel(source);
        return transfer(m, [m.weights]);
      }),
      stepsQuality: (options, onProgress) => {
        const ticket = this.quality.take();
        return afterInit(async () => {
          const r = await this.stepsQuality(options, onProgress, () => this.quality.cancelled(ticket));
          return transfer(r, buffersOf(...r.rows.map((row) => row.samples)));
        });
      },
      cancelStepsQuality: async () => this.quality.cancel(),
    };
  }

  /** Frees every model and the trainer. */
  dispose(): void {
    this.training.dispose();
    this.models.dispose();
  }
}

function withoutSeed<T extends { seed: number }>(config: T): Omit<T, 'seed'> {
  const { seed: _seed, ...rest } = config;
  return rest;
}
