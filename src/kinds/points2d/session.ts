/**
 * The 2D playground's state inside the engine worker: the data, the network trained in the page, the loaded models
 * (the dataset's shipped model and a user's file) and the closed-form stand-in, with training, measuring, sampling
 * and export. Worker-side only (it imports TensorFlow.js); the worker entry serialises every call.
 */
import { parseCard, type ModelFileKind } from '../../train/modelFile';
import { ctsAlpha, ctsBeta, seededNoise, type BfnSpec, type Network, type SampleResult, type SolverResult } from '../../bfn';
import { sampleWith } from '../../train/samplers';
import { qualityGrid } from '../../engine/qualityGrid';
import { FrameStream } from '../../engine/frameStream';
import type { Mlp } from '../../nets/mlp';
import { MLP_LIMITS } from '../../nets/mlp';
import { rangeOf } from '../../settings/setting';
import { SETTINGS_2D } from '../../settings/settings2d';
import { energyDistance } from '../../train/metrics';
import { KNN_K, OFF_SUPPORT_DELTA, supportMetrics, type SupportMetrics } from '../../train/knnMetrics';
import { POINTS_FILES, type MlpNetworkJson, type PointsCard, type PointsSpec } from './files';
import { DEFAULT_TRAIN_2D, pinnedShare, Trainer2D, type Train2DConfig } from './trainer';
import { DivergedError } from '../../train/halt';
import { buffersOf, ModelStore, Tickets, TrainingRun, type LoadedModel, type SessionWiring, type ShippedLookup } from '../../engine/session';
import {
  IDEAL_POINTS,
  SAMPLE_LIMITS,
  type ConfigureOutcome,
  type DataInfo,
  type DataPayload,
  type EvaluateOptions,
  type ExportedModel,
  type ExportOptions,
  type FramesCallback,
  type LoadModelOptions,
  type MetricResult,
  type ModelInfo,
  type ModelSource,
  type Points2DApi,
  type ProgressCallback,
  type RestoreTrainerOptions,
  type SampleOptions2D,
  type StepsQualityOptions,
  type StepsQualityResult,
  type StepsQualityRow,
  type TrainerInfo,
  type TrainStepsOptions,
  type TrainStepsResult,
  type TrajectoryPayload,
} from '../../engine/protocol';
import { networkLabel, sameNetwork } from './network';
import { optimalDenoiser } from '../../nets/standins';

/** A 2D model loaded from files. */
type LoadedPointsModel = LoadedModel<Mlp, PointsSpec, PointsCard>;

/** Points of the schedule curves returned with a trajectory. */
const SCHEDULE_POINTS = 201;

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

function checkPoints(name: string, points: Float32Array): void {
  if (!(points instanceof Float32Array) || points.length < 4 || points.length % 2 !== 0) {
    throw new RangeError(`${name} must hold at least 2 points as a Float32Array [n, 2]`);
  }
  for (let k = 0; k < points.length; k++) {
    if (!Number.isFinite(points[k]!)) throw new RangeError(`${name} holds a non-finite coordinate at index ${k}`);
  }
}

/** Checks a training configuration. @throws RangeError naming the first bad field. */
export function validateConfig(config: Train2DConfig): Train2DConfig {
  if (!(config.sigma1 > 0 && config.sigma1 < 1)) throw new RangeError(`sigma1 must lie in (0, 1), got ${config.sigma1}`);
  if (!(config.learningRate > 0 && Number.isFinite(config.learningRate))) throw new RangeError(`learning rate must be positive, got ${config.learningRate}`);
  checkInteger('batch size', config.batch, ...rangeOf(SETTINGS_2D.batch));
  checkInteger('width', config.width, ...MLP_LIMITS.width);
  checkInteger('depth', config.depth, ...MLP_LIMITS.depth);
  checkInteger('Fourier features', config.fourierFeatures ?? 0, ...MLP_LIMITS.fourierFeatures);
  if (config.residual !== undefined && typeof config.residual !== 'boolean') throw new RangeError(`residual must be true or false, got ${String(config.residual)}`);
  checkInteger('seed', config.seed, ...rangeOf(SETTINGS_2D.seed));
  if (config.loss.type === 'n') checkInteger('n of the L^n loss', config.loss.n, ...rangeOf(SETTINGS_2D.lossN));
  const ema = config.emaDecay ?? 0;
  if (!(ema >= 0 && ema < 1)) throw new RangeError(`EMA decay must lie in [0, 1), got ${ema}`);
  return config;
}

const sameLoss = (a: Train2DConfig['loss'], b: Train2DConfig['loss']) => a.type === b.type && (a.type === 'inf' || a.n === (b as { n: number }).n);

/**
 * The live support metrics (src/train/knnMetrics.ts) of `samples`: k-NN precision and recall against the held-out
 * points and the off-support share against the training points (the dense draw of the data the worker holds).
 * NaN when the samples or the held-out points number k or fewer (a drawing of a few points).
 */
function liveSupport(samples: Float32Array, data: DataPayload): SupportMetrics {
  if (Math.min(samples.length, data.heldOut.length) / 2 <= KNN_K) return { precision: NaN, recall: NaN, offSupport: NaN };
  return supportMetrics(samples, data.heldOut, data.train, { k: KNN_K, delta: OFF_SUPPORT_DELTA });
}

/** A human label of a loss setting, as model cards write it. */
function lossLabel(loss: Train2DConfig['loss']): string {
  return loss.type === 'inf' ? 'L^inf' : `L^n (n = ${loss.n})`;
}

type Frames = Pick<TrajectoryPayload, 't' | 'rho' | 'alpha' | 'mu' | 'xHat' | 'y'>;

/** The frames of the original sampler's trajectory: theta_0..theta_n, x_hat at each, y of each update. */
function originalFrames(result: SampleResult, points: number): Frames {
  const trajectory = result.trajectory;
  if (!trajectory) throw new Error('the sampler returned no trajectory');
  const n = trajectory.n;
  const frame = 2 * points;
  const mu = new Float32Array((n + 1) * frame);
  const xHat = new Float32Array((n + 1) * frame);
  const y = new Float32Array(n * frame);
  const t = new Float64Array(n + 1);
  const rho = new Float64Array(n + 1);
  const alpha = new Float64Array(n);
  trajectory.steps.forEach((step, i) => {
    mu.set(step.theta.mu!, i * frame);
    xHat.set(step.output.x_hat!, i * frame);
    y.set(step.y, i * frame);
    t[i] = step.t;
    rho[i] = step.rho ?? NaN;
    alpha[i] = step.alpha;
  });
  mu.set(trajectory.final.theta.mu!, n * frame);
  xHat.set(trajectory.final.output.x_hat!, n * frame);
  t[n] = 1;
  rho[n] = trajectory.final.rho ?? NaN;
  return { t, rho, alpha, mu, xHat, y };
}

/**
 * The frames of a BFN-Solver's trajectory on the solver grid t_0 = eta, ..., t_n = 1: mu at each grid point (the
 * state), rho = 1 + beta(t) (deterministic, never stored by the solvers), x_hat of each step (the final frame's is the
 * sample), alpha_i = beta(t_i) - beta(t_{i-1}), and as y the message each update amounts to in the Bayesian update's
 * form, (rho_i mu_i - rho_{i-1} mu_{i-1}) / alpha_i (for the SDE-1 solver exactly the original update's y).
 */
function solverFrames(result: SolverResult, points: number, sigma1: number): Frames {
  const trajectory = result.trajectory;
  if (!trajectory) throw new Error('the solver returned no trajectory');
  const n = trajectory.n;
  const frame = 2 * points;
  const t = Float64Array.from(trajectory.t);
  const rho = t.map((s) => 1 + ctsBeta(s, sigma1));
  const alpha = Float64Array.from({ length: n }, (_, i) => rho[i + 1]! - rho[i]!);
  const mu = new Float32Array((n + 1) * frame);
  const xHat = new Float32Array((n + 1) * frame);
  const y = new Float32Array(n * frame);
  mu.set(trajectory.init, 0);
  trajectory.steps.forEach((step, i) => {
    mu.set(step.state, (i + 1) * frame);
    xHat.set(step.dataPrediction, i * frame);
  });
  xHat.set(result.samples, n * frame);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < frame; k++) y[i * frame + k] = (rho[i + 1]! * mu[(i + 1) * frame + k]! - rho[i]! * mu[i * frame + k]!) / alpha[i]!;
  }
  return { t, rho, alpha, mu, xHat, y };
}

/** The worker's 2D session. One instance per worker; calls must not overlap (the worker serialises them). */
export class Playground2D {
  private data: DataPayload | null = null;
  private readonly quality = new Tickets();
  private baseline = NaN;
  private dataSupport: SupportMetrics = { precision: NaN, recall: NaN, offSupport: NaN };
  private readonly training = new TrainingRun<Trainer2D>();
  private config: Train2DConfig = { ...DEFAULT_TRAIN_2D };
  private lastMetric: MetricResult | null = null;
  private readonly models: ModelStore<Mlp, MlpNetworkJson, PointsSpec, PointsCard>;

  private get trainer(): Trainer2D | null {
    return this.training.trainer;
  }

  /**
   * @param backend the active backend's name (for payloads and cards). @param shipped where the build's shipped models
   * are (the worker passes src/train/shippedModels.ts shippedModelFiles; none in a Node test). @param known every
   * kind's file declaration (src/kinds/registry.ts), to name a file of another kind.
   */
  constructor(private readonly backend: () => string, shipped?: ShippedLookup, known: readonly ModelFileKind[] = []) {
    this.models = new ModelStore(POINTS_FILES, shipped, known);
  }

  /** Sets the training and held-out points; a trained network keeps its weights and trains on the new points. */
  setData(data: DataPayload): DataInfo {
    checkPoints('training points', data.train);
    checkPoints('held-out points', data.heldOut);
    checkPoints('reference points', data.reference);
    this.data = data;
    this.baseline = energyDistance(data.reference, data.heldOut);
    this.dataSupport = liveSupport(data.reference, data);
    this.trainer?.setData(data.train);
    return { points: data.train.length / 2, baseline: this.baseline };
  }

  private requireData(): DataPayload {
    if (!this.data) throw new Error('no data: call setData() first');
    return this.data;
  }

  private info(): TrainerInfo | null {
    const t = this.trainer;
    if (!t) return null;
    return { step: t.step, config: { ...t.config }, wallSeconds: this.training.wallSeconds, parameters: t.net.parameterCount };
  }

  private freshTrainer(config: Train2DConfig): Trainer2D {
    this.training.replace(null);
    this.lastMetric = null;
    const trainer = new Trainer2D(this.requireData().train, { ...config });
    this.training.replace(trainer);
    return trainer;
  }

  /**
   * Applies settings. Width, depth, Fourier features, residual layers, sigma1 or seed: a fresh network. Learning rate,
   * batch, loss or EMA: the same weights (and EMA weights) in a new trainer, whose Adam optimizer starts afresh.
   */
  configureTrainer(config: Train2DConfig): { outcome: ConfigureOutcome; trainer: TrainerInfo | null } {
    validateConfig(config);
    const old = this.trainer;
    this.config = { ...config };
    if (!old) return { outcome: 'pending', trainer: null };
    const c = old.config;
    if (!sameNetwork(c, config)) {
      this.freshTrainer(config);
      return { outcome: 'reset', trainer: this.info() };
    }
    if (c.learningRate === config.learningRate && c.batch === config.batch && sameLoss(c.loss, config.loss) && (c.emaDecay ?? 0) === (config.emaDecay ?? 0)) {
      return { outcome: 'unchanged', trainer: this.info() };
    }
    const next = new Trainer2D(this.requireData().train, { ...config });
    next.copyWeightsFrom(old);
    this.training.replace(next, { keepTime: true });
    return { outcome: 'updated', trainer: this.info() };
  }

  /** A fresh, untrained network from `config`. */
  resetTrainer(config: Train2DConfig): TrainerInfo {
    this.config = { ...validateConfig(config) };
    this.freshTrainer(this.config);
    return this.info()!;
  }

  /** Drops the trained network. */
  clearTrainer(): void {
    this.training.replace(null);
    this.lastMetric = null;
  }

  private modelInfo(source: ModelSource, model: LoadedPointsModel): ModelInfo {
    const c = model.net.config;
    return {
      source,
      sigma1: model.spec.sigma1,
      network: { width: c.width, depth: c.depth, fourierFeatures: c.fourierFeatures, residual: c.residual, timeFeatures: c.timeFeatures, parameters: model.net.parameterCount },
      card: model.card,
    };
  }

  /**
   * Loads a model into a slot, replacing the slot's model only when everything is valid: the data set's shipped model
   * from the build (`{ slot: 'shipped', id }`; null when the build has none for it) or a user's files.
   * @throws ModelFileError for bad files; Error when the download fails.
   */
  async loadModel(options: LoadModelOptions): Promise<ModelInfo | null> {
    if (options.slot === 'shipped') {
      if (!this.models.hasShipped(options.id)) {
        this.models.clearShipped();
        return null;
      }
      return this.modelInfo('shipped', await this.models.loadShipped(options.id));
    }
    if (options.slot !== 'file') throw new RangeError(`unknown model slot '${String((options as { slot: unknown }).slot)}'`);
    return this.modelInfo('file', this.models.loadFile(options.modelJson, options.weights, options.card));
  }

  /**
   * Makes a saved model the trained network (steps and wall time from its card), to sample or train further. The
   * network (width, depth, Fourier features, residual layers) and sigma1 are the model's, whatever `options.config` says.
   */
  restoreTrainer(options: RestoreTrainerOptions): TrainerInfo {
    const data = this.requireData();
    const model = this.models.read(options.modelJson, options.weights, options.card);
    let trainer: Trainer2D;
    try {
      const c = model.net.config;
      const config = validateConfig({ ...options.config, sigma1: model.spec.sigma1, width: c.width, depth: c.depth, fourierFeatures: c.fourierFeatures, residual: c.residual });
      trainer = new Trainer2D(data.train, config, model.net);
    } catch (err) {
      model.net.dispose();
      throw err;
    }
    this.training.replace(trainer, { wallSeconds: model.card?.training.wallSeconds ?? 0 });
    this.config = { ...trainer.config };
    trainer.continueFrom(model.card?.training.steps ?? 0);
    this.lastMetric = null;
    return this.info()!;
  }

  private ensureTrainer(): Trainer2D {
    return this.trainer ?? this.freshTrainer(this.config);
  }

  /** Runs up to `maxSteps` training steps, stopping after `budgetMs` or at a non-finite loss. */
  trainSteps({ maxSteps, budgetMs }: TrainStepsOptions): Promise<TrainStepsResult> {
    this.ensureTrainer();
    return this.training.steps(maxSteps, budgetMs);
  }

  /**
   * Samples from the trained network (its EMA weights) and measures, on the same samples, the energy distance to the
   * held-out points and the support metrics (a few milliseconds for 500 samples; the sampling dominates). When nearly
   * all samples sit at the clip of x_hat (a diverged run, Trainer2D.checkSamples), the last good weights are restored,
   * sampled and measured instead, and `halt` says so.
   */
  async evaluate({ points, steps, seed }: EvaluateOptions): Promise<MetricResult> {
    checkInteger('points', points, 2, SAMPLE_LIMITS.points);
    checkInteger('steps', steps, 1, SAMPLE_LIMITS.steps);
    const data = this.requireData();
    const trainer = this.ensureTrainer();
    const started = performance.now();
    let { samples } = await trainer.sample(points, steps, seed);
    let halt: MetricResult['halt'] = null;
    try {
      trainer.checkSamples(samples, pinnedShare(data.train));
    } catch (err) {
      if (!(err instanceof DivergedError)) throw err;
      halt = { reason: err.reason, step: err.step, value: err.value, message: err.message, restoredStep: err.restoredStep };
      ({ samples } = await trainer.sample(points, steps, seed));
    }
    const value = energyDistance(samples, data.heldOut);
    const result: MetricResult = {
      step: trainer.step, value, baseline: this.baseline, support: liveSupport(samples, data), dataSupport: { ...this.dataSupport },
      k: KNN_K, delta: OFF_SUPPORT_DELTA, samples, steps, seed, elapsedMs: performance.now() - started, halt,
    };
    this.lastMetric = result;
    return result;
  }

  /** The network and sigma1 of a model source. @throws Error when that source holds no model. */
  private network(source: ModelSource): { net: Network; spec: BfnSpec & { kind: 'continuous' } } {
    switch (source) {
      case 'trained': {
        if (!this.trainer) throw new Error('there is no trained network yet: train one first');
        return { net: this.trainer.ema.net, spec: { kind: 'continuous', sigma1: this.trainer.config.sigma1 } };
      }
      case 'shipped':
      case 'file': {
        const model = this.models.get(source);
        if (!model) throw new Error(source === 'shipped' ? 'no shipped model is loaded for this dataset' : 'no model file is loaded');
        return { net: model.net.net, spec: model.spec };
      }
      case 'ideal': {
        const train = this.requireData().train;
        const total = train.length / 2;
        const J = Math.min(IDEAL_POINTS, total);
        const subset = new Float32Array(2 * J);
        for (let j = 0; j < J; j++) {
          const r = Math.floor((j * total) / J);
          subset[2 * j] = train[2 * r]!;
          subset[2 * j + 1] = train[2 * r + 1]!;
        }
        const sigma1 = this.config.sigma1;
        return { net: optimalDenoiser(subset, sigma1), spec: { kind: 'continuous', sigma1 } };
      }
      default: {
        const never: never = source;
        throw new RangeError(`unknown model source '${String(never)}'`);
      }
    }
  }

  /**
   * Samples N points with n steps from a model, recording mu, x_hat and y at every step. With `onFrames` (the original
   * sampler only), each frame is also sent as soon as it is sampled (src/engine/frameStream.ts), so that the page can
   * play the first frames while the rest is sampled; the returned payload holds the same frames.
   */
  async sample(options: SampleOptions2D, onProgress?: ProgressCallback, onFrames?: FramesCallback<TrajectoryPayload>): Promise<TrajectoryPayload> {
    const { source, points, steps: n, seed } = options;
    const sampler = options.sampler ?? 'original';
    checkInteger('points N', points, 1, SAMPLE_LIMITS.points);
    checkInteger('steps n', n, 1, SAMPLE_LIMITS.steps);
    checkInteger('seed', seed, ...rangeOf(SETTINGS_2D.sampleSeed));
    if (points * n > SAMPLE_LIMITS.pointSteps) throw new RangeError(`points x steps must be at most ${SAMPLE_LIMITS.pointSteps.toLocaleString('en')}, got ${(points * n).toLocaleString('en')}`);
    const { net, spec } = this.network(source);
    const scheduleT = Float64Array.from({ length: SCHEDULE_POINTS }, (_, k) => k / (SCHEDULE_POINTS - 1));
    const schedule = {
      t: scheduleT,
      beta: scheduleT.map((s) => ctsBeta(s, spec.sigma1)),
      alpha: scheduleT.map((s) => ctsAlpha(s, spec.sigma1)),
    };
    const started = performance.now();
    const frame = 2 * points;
    const stream = onFrames && sampler === 'original'
      ? new FrameStream<TrajectoryPayload>(onFrames, {
        source, sampler, sigma1: spec.sigma1, n, points, seed, t: new Float64Array(n + 1), rho: new Float64Array(n + 1), alpha: new Float64Array(n),
        mu: new Float32Array((n + 1) * frame), xHat: new Float32Array((n + 1) * frame), y: new Float32Array(n * frame), samples: new Float32Array(frame),
        schedule, backend: this.backend(), elapsedMs: NaN,
      }, ['t', 'rho', 'alpha', 'mu', 'xHat', 'y'])
      : null;
    const result = await sampleWith(sampler, spec, net, [points, 2], {
      n,
      noise: seededNoise(seed),
      record: true,
      onStep: onProgress || stream
        ? (i, total, step) => {
            // Fire and forget: waiting for the main thread each step would only slow sampling down.
            if (onProgress) Promise.resolve(onProgress(i, total)).catch(() => undefined);
            // Step i's record is frame i - 1 (originalFrames below lays the frames out the same way).
            if (stream && step) stream.push(i - 1, { t: [step.t], rho: [step.rho ?? NaN], alpha: [step.alpha], mu: step.theta.mu!, xHat: step.output.x_hat!, y: step.y });
          }
        : undefined,
    });
    const frames = result.sampler === 'original' ? originalFrames(result, points) : solverFrames(result, points, spec.sigma1);

    for (const [name, values] of [['mu', frames.mu], ['x_hat', frames.xHat], ['rho', frames.rho], ['samples', result.samples]] as const) {
      for (let k = 0; k < values.length; k++) {
        if (!Number.isFinite(values[k]!)) throw new Error(`the ${source} model produced a non-finite ${name} (index ${k}) on ${this.backend()}`);
      }
    }

    return {
      source, sampler, sigma1: spec.sigma1, n, points, seed, ...frames,
      samples: result.samples, schedule, backend: this.backend(), elapsedMs: performance.now() - started,
    };
  }

  /** A ticket for a steps-vs-quality run requested now: {@link cancelStepsQuality} cancels every earlier one. */
  qualityTicket(): number {
    return this.quality.take();
  }

  /** Whether the steps-vs-quality run of `ticket` was cancelled. */
  qualityCancelled(ticket: number): boolean {
    return this.quality.cancelled(ticket);
  }

  /** Cancels every steps-vs-quality run whose ticket was handed out before this call (running or waiting). */
  cancelStepsQuality(): void {
    this.quality.cancel();
  }

  /**
   * Sample quality against the number of steps for each sampler: `points` samples of the source's model with the
   * same seed (so every ODE solver starts from the same noise), their k-NN precision and recall (k = KNN_K) against
   * the held-out points and off-support share (delta = OFF_SUPPORT_DELTA) against the training points, and the
   * data-vs-data values at the same sizes. Yields to the message loop between runs so that a cancel arrives.
   * @throws RangeError for a bad count; an error named STEPS_QUALITY_CANCELLED when cancelled.
   */
  async stepsQuality(options: StepsQualityOptions, onProgress?: ProgressCallback, ticket = this.qualityTicket()): Promise<StepsQualityResult> {
    const { source, samplers, steps, points, seed } = options;
    checkInteger('points', points, KNN_K + 1, SAMPLE_LIMITS.points);
    checkInteger('seed', seed, ...rangeOf(SETTINGS_2D.sampleSeed));
    for (const n of steps) checkInteger('steps n', n, 1, SAMPLE_LIMITS.steps);
    const data = this.requireData();
    const { net, spec } = this.network(source);
    const rows = await qualityGrid(
      samplers,
      steps,
      async (sampler, n): Promise<StepsQualityRow> => {
        const started = performance.now();
        const { samples } = await sampleWith(sampler, spec, net, [points, 2], { n, noise: seededNoise(seed) });
        return { sampler, n, ...liveSupport(samples, data), ms: performance.now() - started, samples };
      },
      onProgress,
      () => this.qualityCancelled(ticket),
    );
    const reference = data.reference.subarray(0, 2 * Math.min(points, data.reference.length / 2));
    return { rows, data: liveSupport(reference, data), points, heldOut: data.heldOut.length / 2, k: KNN_K, delta: OFF_SUPPORT_DELTA };
  }

  /**
   * The session's worker API ({@link Points2DApi}): each call queued after the earlier ones (`wiring.afterInit`), its
   * typed arrays transferred; a steps-vs-quality run takes its ticket on arrival, so that a cancel sent after it also
   * stops it while it waits, and the cancel itself is not queued.
   */
  api(wiring: SessionWiring): Points2DApi {
    const { afterInit, transfer } = wiring;
    return {
      setData: (data) => afterInit(() => this.setData(data)),
      configureTrainer: (config) => afterInit(() => this.configureTrainer(config)),
      resetTrainer: (config) => afterInit(() => this.resetTrainer(config)),
      clearTrainer: () => afterInit(() => this.clearTrainer()),
      restoreTrainer: (options) => afterInit(() => this.restoreTrainer(options)),
      trainSteps: (options) => afterInit(async () => {
        const r = await this.trainSteps(options);
        return transfer(r, buffersOf(r.losses));
      }),
      evaluate: (options) => afterInit(async () => {
        // The session keeps its own record of the metric; the page gets a copy of the samples.
        const r = await this.evaluate(options);
        const copy = { ...r, samples: r.samples.slice() };
        return transfer(copy, buffersOf(copy.samples));
      }),
      loadModel: (options) => afterInit(() => this.loadModel(options)),
      sample: (options, onProgress, onFrames) => afterInit(async () => {
        const p = await this.sample(options, onProgress, onFrames);
        return transfer(p, buffersOf(p.t, p.rho, p.alpha, p.mu, p.xHat, p.y, p.samples, p.schedule.t, p.schedule.beta, p.schedule.alpha));
      }),
      stepsQuality: (options, onProgress) => {
        const ticket = this.qualityTicket();
        return afterInit(async () => {
          const r = await this.stepsQuality(options, onProgress, ticket);
          return transfer(r, buffersOf(...r.rows.map((row) => row.samples)));
        });
      },
      cancelStepsQuality: async () => this.cancelStepsQuality(),
      exportModel: (options) => afterInit(async () => {
        const m = await this.exportModel(options);
        return transfer(m, [m.weights]);
      }),
    };
  }

  /** The model of a source as files, with a validated card (a trained network's card is written here). */
  async exportModel({ source, dataset, datasetName }: ExportOptions): Promise<ExportedModel> {
    if (source === 'ideal') throw new Error('The ideal denoiser is a formula, not a trained network: there is nothing to download.');
    if (source === 'trained') {
      const trainer = this.trainer;
      if (!trainer) throw new Error('there is no trained network yet: train one first');
      const { modelJson, weights } = await this.models.encode(trainer.spec, trainer.ema);
      const c = trainer.config;
      const m = this.lastMetric;
      const card: PointsCard = parseCard(POINTS_FILES, {
        id: `${dataset}-browser`,
        title: `${datasetName}: trained in the browser (${networkLabel(trainer.net.config)})`,
        dataset,
        spec: modelJson.spec,
        network: modelJson.network,
        training: {
          steps: trainer.step, batch: c.batch, learningRate: c.learningRate, loss: lossLabel(c.loss), seed: c.seed,
          wallSeconds: Math.round(this.training.wallSeconds * 10) / 10, backend: `browser ${this.backend()}`, command: 'BFN Playground (in the browser)',
        },
        evaluation: m && Number.isFinite(m.value)
          ? {
              metric: 'energy distance between samples and held-out data (lower is better; 0 = same distribution)',
              value: m.value, baseline: m.baseline, ratio: m.value / m.baseline,
              samples: m.samples.length / 2, steps: m.steps, heldOutPoints: this.requireData().heldOut.length / 2, seed: m.seed,
              command: `live metric at step ${m.step}`,
              ...(Number.isFinite(m.support.precision) && Number.isFinite(m.dataSupport.precision)
                ? {
                    precision: m.support.precision, recall: m.support.recall, offSupport: m.support.offSupport,
                    dataPrecision: m.dataSupport.precision, dataRecall: m.dataSupport.recall, dataOffSupport: m.dataSupport.offSupport,
                    k: m.k, delta: m.delta, referencePoints: this.requireData().train.length / 2,
                  }
                : {}),
            }
          : undefined,
        createdAt: new Date().toISOString(),
      });
      return { modelJson, weights, card };
    }
    const model = this.models.get(source);
    if (!model) throw new Error(source === 'shipped' ? 'no shipped model is loaded' : 'no model file is loaded');
    const { modelJson, weights } = await this.models.encode(model.spec, model.net);
    const card: PointsCard = model.card ?? parseCard(POINTS_FILES, {
      id: 'loaded-model', title: 'A loaded model (it came without a card)', dataset: dataset, spec: modelJson.spec, network: modelJson.network,
      training: { steps: 0, batch: 1, learningRate: 1, loss: 'unknown', seed: 0, wallSeconds: 0, backend: 'unknown', command: 'unknown' },
      createdAt: new Date().toISOString(),
    });
    return { modelJson, weights, card };
  }
}
