/**
 * Time to a good model (a benchmark): trains a fresh network on a built-in dataset the way the page does when the
 * user presses Train, and reports the wall time until the page's live metric shows k-NN precision and recall
 * (src/train/knnMetrics.ts, k = KNN_K) both at or above a target. It drives the engine worker through the same calls
 * and the same schedule as src/kinds/points2d/view/useTraining.ts ({@link LIVE_TRAINING}: worker calls of <= 120 ms of steps, the
 * metric before the first step and then every max(2.5 s, 4 x its own duration)), on the page's points
 * (src/data/playgroundPoints.ts), so the time includes every measurement and every round trip, as a user sees it.
 *
 * No TensorFlow.js here: it runs on selftest.html's main thread (`window.bfnSelfTest.timeToQuality`, which
 * `npm run bench -- --only time-to-quality` calls) against the worker, and in Node against a Playground2D.
 */
import { playgroundPoints } from '../data/playgroundPoints';
import { LIVE_TRAINING, type Points2DApi, type EvaluateOptions, type MetricResult, type Train2DConfig } from '../engine/protocol';

/** The datasets the benchmark row measures. */
export const TTQ_DATASETS = ['two-moons', 'eight-gaussians', 'checkerboard', 'spirals'] as const;
/** The bar: precision and recall both at least this. */
export const TTQ_TARGET = 0.9;
/** Seconds after which a dataset counts as "not reached". */
export const TTQ_CAP_SECONDS = 60;

/** The engine calls the benchmark makes (the worker client's 2D-points API, or a Playground2D in Node). */
export type TimeToQualityEngine = {
  [K in 'setData' | 'resetTrainer' | 'clearTrainer' | 'trainSteps' | 'evaluate']: (...args: Parameters<Points2DApi[K]>) => ReturnType<Points2DApi[K]> | Awaited<ReturnType<Points2DApi[K]>>;
};

/** One time-to-quality run. */
export interface TimeToQualityRequest {
  /** A built-in dataset id. */
  dataset: string;
  /** The training settings (the page's defaults: trainConfigOf(DEFAULT_STATE)); `seed` also picks the training points. */
  config: Train2DConfig;
  /** The live metric's samples, sampling steps and seed (the page's evalPoints, evalSteps, METRIC_SETTINGS.seed). */
  metric: EvaluateOptions;
  /** Precision and recall must both reach this, in (0, 1]. */
  target: number;
  /** Give up after this many seconds of wall time. */
  capSeconds: number;
}

/** One measurement of the live metric during a run. */
export interface QualityPoint {
  /** Wall seconds since the run started, at the end of this measurement. */
  seconds: number;
  step: number;
  precision: number;
  recall: number;
  /** Energy distance to the held-out points. */
  energy: number;
}

/** The outcome of a run. */
export interface TimeToQualityResult {
  dataset: string;
  /** True when a measurement within the cap showed precision and recall >= target. */
  reached: boolean;
  /** Wall seconds until the end of that measurement (network creation, training and every measurement included); null when not reached. */
  seconds: number | null;
  /** Training steps at that measurement; null when not reached. */
  step: number | null;
  /** The last measurement (the one that reached the bar, or the last within the cap). */
  last: QualityPoint;
  /** Precision and recall of a draw of the data itself (the metric's ceiling). */
  dataPrecision: number;
  dataRecall: number;
  /** Every measurement, in order. */
  measurements: QualityPoint[];
  /** Seconds spent in training calls and in measurements (the rest is round trips and network creation). */
  trainSeconds: number;
  measureSeconds: number;
  /** Training steps per second over the run. */
  stepsPerSecond: number;
  parameters: number;
  /** Set when training stopped at a non-finite loss. */
  halt: string | null;
}

/**
 * Runs one time-to-quality measurement (see the module header): sets the dataset's points, starts the clock, creates
 * a fresh network from `request.config`, then trains and measures on the page's schedule until precision and recall
 * both reach `request.target` or `request.capSeconds` pass. Drops the network at the end.
 * @param now a clock in milliseconds (performance.now by default).
 * @throws RangeError for a target outside (0, 1] or a cap that is not positive; whatever the engine throws.
 */
export async function timeToQuality(engine: TimeToQualityEngine, request: TimeToQualityRequest, now: () => number = () => performance.now()): Promise<TimeToQualityResult> {
  const { dataset, config, metric, target, capSeconds } = request;
  if (!(target > 0 && target <= 1)) throw new RangeError(`target must lie in (0, 1], got ${target}`);
  if (!(capSeconds > 0 && Number.isFinite(capSeconds))) throw new RangeError(`capSeconds must be positive, got ${capSeconds}`);
  await engine.setData(playgroundPoints(dataset, config.seed));
  const started = now();
  const seconds = () => (now() - started) / 1000;
  const info = await engine.resetTrainer(config);
  const measurements: QualityPoint[] = [];
  let dataSupport: MetricResult['dataSupport'] = { precision: NaN, recall: NaN, offSupport: NaN };
  let trainMs = 0;
  let measureMs = 0;
  let lastMetricAt = 0;
  let lastMetricMs = 0;
  let steps = 0;
  let halt: string | null = null;

  const measure = async (): Promise<boolean> => {
    const before = now();
    const r = await engine.evaluate(metric);
    lastMetricAt = now();
    lastMetricMs = lastMetricAt - before;
    measureMs += lastMetricMs;
    dataSupport = r.dataSupport;
    measurements.push({ seconds: seconds(), step: r.step, precision: r.support.precision, recall: r.support.recall, energy: r.value });
    return r.support.precision >= target && r.support.recall >= target;
  };

  try {
    let reached = await measure();
    while (!reached && seconds() < capSeconds) {
      const before = now();
      const r = await engine.trainSteps({ maxSteps: LIVE_TRAINING.maxSteps, budgetMs: LIVE_TRAINING.batchBudgetMs });
      trainMs += now() - before;
      steps = r.step;
      if (r.halt) {
        halt = r.halt.message;
        break;
      }
      if (now() - lastMetricAt > Math.max(LIVE_TRAINING.metricEveryMs, LIVE_TRAINING.metricShare * lastMetricMs)) reached = await measure();
    }
    // A bar reached by a measurement that ended after the cap does not count.
    const last = measurements.at(-1)!;
    reached &&= last.seconds <= capSeconds;
    return {
      dataset, reached, seconds: reached ? last.seconds : null, step: reached ? last.step : null, last,
      dataPrecision: dataSupport.precision, dataRecall: dataSupport.recall, measurements,
      trainSeconds: trainMs / 1000, measureSeconds: measureMs / 1000, stepsPerSecond: trainMs > 0 ? steps / (trainMs / 1000) : 0,
      parameters: info.parameters, halt,
    };
  } finally {
    await engine.clearTrainer();
  }
}
