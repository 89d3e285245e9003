/**
 * Training from the UI: a loop that keeps asking the worker for a short batch of steps while "playing" (so the page
 * stays responsive and pause takes effect after at most one batch), the loss history (raw and smoothed), the
 * distance-to-data metric measured every few seconds, steps per second, and the stops training makes by itself
 * (a non-finite loss; a divergence with finite losses, after which the worker restored the last good weights).
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { LIVE_TRAINING, METRIC_SETTINGS, type EngineClient, type TrainStepsResult } from '../../engine/client';
import type { SupportMetrics } from '../../train/knnMetrics';
import { errorMessage } from '../format';

/** Weight of the smoothed loss's exponential moving average (debiased, as TensorBoard does). */
export const LOSS_SMOOTHING = 0.95;
/** Milliseconds of training per worker call, and the metric's schedule (shared with the time-to-quality benchmark). */
const { maxSteps: MAX_STEPS, batchBudgetMs: BATCH_BUDGET_MS, metricEveryMs: METRIC_EVERY_MS, metricShare: METRIC_SHARE } = LIVE_TRAINING;
/** Milliseconds after the last single step before the model is measured, sampled and saved. */
const STEP_SETTLE_MS = 700;

/** One measurement of the distance-to-data metrics. */
export interface MetricPoint {
  step: number;
  /** Energy distance of the samples to the held-out points. */
  value: number;
  /** Precision, recall and off-support share of the samples (src/train/knnMetrics.ts). */
  support: SupportMetrics;
  /** The same for a draw of the data (data vs data). */
  dataSupport: SupportMetrics;
}

/** The loss and metric history of the current network. */
export interface TrainingHistory {
  /** Step of losses[0]. */
  firstStep: number;
  losses: number[];
  smoothed: number[];
  metrics: MetricPoint[];
}

/** What the page shows while training. */
export type TrainStatus = 'idle' | 'playing' | 'stepping';

/** Options of {@link useTraining}. */
export interface TrainingOptions {
  engine: EngineClient;
  /** Samples and sampling steps of the metric. */
  metric: { points: number; steps: number };
  /** False until the engine and the data are ready, or when there are fewer than 2 points. */
  enabled: boolean;
  /** Called when a training run ends (pause, non-finite loss, or after single steps settle). */
  onSettled: () => void;
  onError: (where: string, message: string) => void;
}

/** The training state and its controls. */
export interface TrainingHandle {
  status: TrainStatus;
  step: number;
  stepsPerSecond: number | null;
  /** Seconds the network has spent training. */
  wallSeconds: number;
  history: TrainingHistory;
  /** Increases whenever the history changes (for memoised charts). */
  version: number;
  /** The samples of the last metric measurement, shown while training. */
  liveSamples: Float32Array | null;
  /** Why training stopped by itself, or null. */
  halt: string | null;
  play: () => void;
  pause: () => void;
  stepOnce: () => void;
  /** Stops any run without its end-of-run work and clears the history (the network was replaced or dropped). */
  clear: (step?: number) => void;
}

const emptyHistory = (firstStep = 0): TrainingHistory => ({ firstStep, losses: [], smoothed: [], metrics: [] });

/** What the page says when training halted by itself. */
function haltText(h: NonNullable<TrainStepsResult['halt']>): string {
  if (h.reason === 'diverged') return `${h.message} The charts were cut back to step ${h.restoredStep}; press play to go on from there.`;
  return (
    `Training paused: the loss was ${Number.isNaN(h.value) ? 'not a number' : 'infinite'} at step ${h.step}. ` +
    `The weights were rolled back to step ${h.restoredStep} and the optimizer was restarted. ` +
    'Try a smaller learning rate or a larger σ₁, then press play again.'
  );
}

/** The training loop and its state. */
export function useTraining({ engine, metric, enabled, onSettled, onError }: TrainingOptions): TrainingHandle {
  const [status, setStatus] = useState<TrainStatus>('idle');
  const [step, setStep] = useState(0);
  const [stepsPerSecond, setStepsPerSecond] = useState<number | null>(null);
  const [wallSeconds, setWallSeconds] = useState(0);
  const [version, setVersion] = useState(0);
  const [liveSamples, setLiveSamples] = useState<Float32Array | null>(null);
  const [halt, setHalt] = useState<string | null>(null);
  const history = useRef<TrainingHistory>(emptyHistory());
  const ema = useRef({ value: 0, weight: 0 });
  const playing = useRef(false);
  const running = useRef(false);
  const generation = useRef(0);
  const lastMetricAt = useRef(0);
  const lastMetricMs = useRef(0);
  const metricRef = useRef(metric);
  const lastMetricStep = useRef(-1);
  const settleTimer = useRef<number | null>(null);
  const onSettledRef = useRef(onSettled);
  const onErrorRef = useRef(onError);
  // The loop reads the latest options (it runs across renders); they are stored once a render commits.
  useLayoutEffect(() => {
    metricRef.current = metric;
    onSettledRef.current = onSettled;
    onErrorRef.current = onError;
  });
  // What the charts see: a new object after each change (its arrays grow in place).
  const [shownHistory, setShownHistory] = useState<TrainingHistory>(emptyHistory);

  const bump = () => {
    setVersion((v) => v + 1);
    setShownHistory({ ...history.current });
  };

  const append = (losses: Float32Array, stepAfter: number) => {
    const h = history.current;
    if (h.losses.length === 0) h.firstStep = stepAfter - losses.length + 1;
    for (const loss of losses) {
      ema.current.value = LOSS_SMOOTHING * ema.current.value + (1 - LOSS_SMOOTHING) * loss;
      ema.current.weight = LOSS_SMOOTHING * ema.current.weight + (1 - LOSS_SMOOTHING);
      h.losses.push(loss);
      h.smoothed.push(ema.current.value / ema.current.weight);
    }
    setStep(stepAfter);
  };

  /** Drops the history after `restoredStep` (the worker restored the weights of that step). */
  const rollBack = (restoredStep: number) => {
    const h = history.current;
    const keep = Math.max(0, restoredStep - h.firstStep + 1);
    h.losses.length = Math.min(h.losses.length, keep);
    h.smoothed.length = Math.min(h.smoothed.length, keep);
    h.metrics = h.metrics.filter((m) => m.step <= restoredStep);
    ema.current = h.smoothed.length ? { value: h.smoothed.at(-1)!, weight: 1 } : { value: 0, weight: 0 };
    lastMetricStep.current = -1;
    setStep(restoredStep);
  };

  const measure = useCallback(async (gen: number) => {
    const started = performance.now();
    const { points, steps } = metricRef.current;
    const r = await engine.evaluate({ points, steps, seed: METRIC_SETTINGS.seed });
    if (gen !== generation.current) return;
    lastMetricAt.current = performance.now();
    lastMetricMs.current = lastMetricAt.current - started;
    if (r.halt) {
      rollBack(r.halt.restoredStep);
      setHalt(haltText(r.halt));
      playing.current = false;
    }
    lastMetricStep.current = r.step;
    const metrics = history.current.metrics;
    if (metrics.at(-1)?.step !== r.step) metrics.push({ step: r.step, value: r.value, support: r.support, dataSupport: r.dataSupport });
    setLiveSamples(r.samples);
    bump();
    return r.halt !== null;
  }, [engine]);

  const run = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    const gen = generation.current;
    let stoppedByItself = false;
    try {
      setStatus('playing');
      if (history.current.metrics.length === 0) await measure(gen);
      while (playing.current && gen === generation.current) {
        const r = await engine.trainSteps({ maxSteps: MAX_STEPS, budgetMs: BATCH_BUDGET_MS });
        if (gen !== generation.current) return;
        append(r.losses, r.step);
        setWallSeconds(r.wallSeconds);
        if (r.losses.length > 0) setStepsPerSecond((old) => (old === null ? r.stepsPerSecond : 0.7 * old + 0.3 * r.stepsPerSecond));
        bump();
        if (r.halt) {
          if (r.halt.reason === 'diverged') rollBack(r.halt.restoredStep);
          setHalt(haltText(r.halt));
          playing.current = false;
          stoppedByItself = true;
          break;
        }
        if (performance.now() - lastMetricAt.current > Math.max(METRIC_EVERY_MS, METRIC_SHARE * lastMetricMs.current) && (await measure(gen))) {
          stoppedByItself = true;
          break;
        }
      }
      if (gen !== generation.current) return;
      if (lastMetricStep.current !== history.current.firstStep + history.current.losses.length - 1) await measure(gen);
      if (gen !== generation.current) return;
      if (!playing.current) onSettledRef.current();
    } catch (err) {
      playing.current = false;
      onErrorRef.current('Training', errorMessage(err));
    } finally {
      if (gen === generation.current) {
        running.current = false;
        setStatus(playing.current ? 'playing' : 'idle');
        // Play was pressed again while the run was finishing: go on.
        if (playing.current && !stoppedByItself) void run();
      }
    }
  }, [engine, measure]);

  const play = useCallback(() => {
    if (!enabled) return;
    if (settleTimer.current !== null) clearTimeout(settleTimer.current);
    setHalt(null);
    playing.current = true;
    setStatus('playing');
    void run();
  }, [enabled, run]);

  const pause = useCallback(() => {
    playing.current = false;
  }, []);

  const stepOnce = useCallback(() => {
    if (!enabled || running.current) return;
    running.current = true;
    setHalt(null);
    setStatus('stepping');
    const gen = generation.current;
    void (async () => {
      try {
        if (history.current.metrics.length === 0) await measure(gen);
        const r = await engine.trainSteps({ maxSteps: 1, budgetMs: 0 });
        if (gen !== generation.current) return;
        append(r.losses, r.step);
        setWallSeconds(r.wallSeconds);
        bump();
        if (r.halt?.reason === 'diverged') rollBack(r.halt.restoredStep);
        if (r.halt) setHalt(haltText(r.halt));
        if (settleTimer.current !== null) clearTimeout(settleTimer.current);
        settleTimer.current = window.setTimeout(() => {
          settleTimer.current = null;
          if (running.current || gen !== generation.current) return;
          void measure(gen).then(
            () => gen === generation.current && !running.current && onSettledRef.current(),
            (err: unknown) => onErrorRef.current('Measuring the model', errorMessage(err)),
          );
        }, STEP_SETTLE_MS);
      } catch (err) {
        onErrorRef.current('Training', errorMessage(err));
      } finally {
        if (gen === generation.current) {
          running.current = false;
          setStatus('idle');
        }
      }
    })();
  }, [enabled, engine, measure]);

  const clear = useCallback((atStep = 0) => {
    generation.current += 1;
    playing.current = false;
    running.current = false;
    if (settleTimer.current !== null) clearTimeout(settleTimer.current);
    history.current = emptyHistory(atStep);
    ema.current = { value: 0, weight: 0 };
    lastMetricAt.current = 0;
    lastMetricMs.current = 0;
    lastMetricStep.current = -1;
    setStatus('idle');
    setStep(atStep);
    setStepsPerSecond(null);
    setWallSeconds(0);
    setLiveSamples(null);
    setHalt(null);
    bump();
  }, []);

  useEffect(() => {
    if (!enabled) playing.current = false;
  }, [enabled]);

  useEffect(() => () => {
    generation.current += 1;
    playing.current = false;
    if (settleTimer.current !== null) clearTimeout(settleTimer.current);
  }, []);

  return { status, step, stepsPerSecond, wallSeconds, history: shownHistory, version, liveSamples, halt, play, pause, stepOnce, clear };
}
