/**
 * Training the 2D playground's network from the UI: the shared loop of src/ui/hooks/useTrainingLoop.ts (batches of steps while
 * playing, the loss history, the halts) with what is the 2D view's own: the distance-to-data metric measured every
 * few seconds and after a run, single steps, the end-of-run call that samples and saves the network, the settings
 * changed between runs (marked on the charts), and the history saved with the network and restored with it.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { LIVE_TRAINING, METRIC_SETTINGS, type EngineClient } from '../../../engine/client';
import type { HistoryLoad, MetricPoint, SavedHistory, SettingChange } from '../../../state/trainingHistory';
import { errorMessage } from '../../../ui/format';
import { haltText, useTrainingLoop, type LossHistory } from '../../../ui/hooks/useTrainingLoop';

/** Milliseconds of training per worker call, and the metric's schedule (shared with the time-to-quality benchmark). */
const { maxSteps: MAX_STEPS, batchBudgetMs: BATCH_BUDGET_MS, metricEveryMs: METRIC_EVERY_MS, metricShare: METRIC_SHARE } = LIVE_TRAINING;
/** Milliseconds after the last single step before the model is measured, sampled and saved. */
const STEP_SETTLE_MS = 700;

export type { MetricPoint } from '../../../state/trainingHistory';

/** The loss and metric history of the current network. */
export interface TrainingHistory extends LossHistory {
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
  /** Called when a training run ends (pause, non-finite loss, or after single steps settle), with the history to save. */
  onSettled: (history: SavedHistory) => void;
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
  /** The samples of the last metric measurement, shown while training. */
  liveSamples: Float32Array | null;
  /** Why training stopped by itself, or null. */
  halt: string | null;
  play: () => void;
  pause: () => void;
  stepOnce: () => void;
  /** Stops any run without its end-of-run work and clears the history (the network was replaced or dropped). */
  clear: (step?: number) => void;
  /**
   * Starts the history of a network restored at `step`: the saved history when it was read, else an empty one with
   * the note saying why (saved without one, or unreadable).
   */
  restore: (step: number, saved: HistoryLoad) => void;
  /** Marks settings that changed after step `atStep` (default: the current step) on the charts. */
  markChanges: (changes: Omit<SettingChange, 'step'>[], atStep?: number) => void;
  /** The history now (losses, measurements, changes), to save with the network. */
  savedHistory: () => SavedHistory;
}

/** The training loop and its state. */
export function useTraining({ engine, metric, enabled, onSettled, onError }: TrainingOptions): TrainingHandle {
  const loop = useTrainingLoop();
  // The loop's controls are stable (useCallback); the callbacks below depend on them, not on the loop's state.
  const { generation, nextGeneration, playing, setPlaying, setHalt, record, reset, currentStep, loop: runBatches } = loop;
  const rollBackLoss = loop.rollBack;
  const [status, setStatus] = useState<TrainStatus>('idle');
  const [liveSamples, setLiveSamples] = useState<Float32Array | null>(null);
  const [metrics, setMetrics] = useState<MetricPoint[]>([]);
  const metricsRef = useRef<MetricPoint[]>([]);
  const running = useRef(false);
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

  const setMetricList = (list: MetricPoint[]) => {
    metricsRef.current = list;
    setMetrics(list);
  };

  /** Drops the measurements after `restoredStep` (the worker restored that step's weights); the next run measures anew. */
  const dropMetricsAfter = (restoredStep: number) => {
    metricsRef.current = metricsRef.current.filter((m) => m.step <= restoredStep);
    setMetrics(metricsRef.current);
    lastMetricStep.current = -1;
  };

  /** Cuts the loss history and the measurements back to `restoredStep`. */
  const rollBack = useCallback((restoredStep: number) => {
    rollBackLoss(restoredStep);
    dropMetricsAfter(restoredStep);
  }, [rollBackLoss]);

  /** The history now: the loop's losses and changes, and the measurements. */
  const { snapshot } = loop;
  const savedHistory = useCallback((): SavedHistory => ({ ...snapshot(), metrics: [...metricsRef.current] }), [snapshot]);

  /** Measures the metric. @returns true when the worker found the run diverged (and restored its last good weights). */
  const measure = useCallback(async (gen: number) => {
    const started = performance.now();
    const { points, steps } = metricRef.current;
    const r = await engine.kind('points2d').evaluate({ points, steps, seed: METRIC_SETTINGS.seed });
    if (gen !== generation()) return false;
    lastMetricAt.current = performance.now();
    lastMetricMs.current = lastMetricAt.current - started;
    if (r.halt) {
      rollBack(r.halt.restoredStep);
      setHalt(haltText(r.halt));
      setPlaying(false);
    }
    lastMetricStep.current = r.step;
    const list = metricsRef.current;
    if (list.at(-1)?.step !== r.step) setMetricList([...list, { step: r.step, value: r.value, support: r.support, dataSupport: r.dataSupport }]);
    setLiveSamples(r.samples);
    return r.halt !== null;
  }, [engine, rollBack, generation, setPlaying, setHalt]);

  const run = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    const gen = generation();
    let end: 'halted' | 'paused' | 'stale' = 'paused';
    try {
      setStatus('playing');
      if (metricsRef.current.length === 0) await measure(gen);
      end = await runBatches(
        gen,
        () => engine.kind('points2d').trainSteps({ maxSteps: MAX_STEPS, budgetMs: BATCH_BUDGET_MS }),
        async () => performance.now() - lastMetricAt.current > Math.max(METRIC_EVERY_MS, METRIC_SHARE * lastMetricMs.current) && (await measure(gen)),
        (halt) => {
          if (halt.reason === 'diverged') dropMetricsAfter(halt.restoredStep);
        },
      );
      if (end === 'stale') return;
      if (lastMetricStep.current !== currentStep()) await measure(gen);
      if (gen !== generation()) return;
      if (!playing()) onSettledRef.current(savedHistory());
    } catch (err) {
      setPlaying(false);
      onErrorRef.current('Training', errorMessage(err));
    } finally {
      if (gen === generation()) {
        running.current = false;
        setStatus(playing() ? 'playing' : 'idle');
        // Play was pressed again while the run was finishing: go on.
        if (playing() && end !== 'halted') void run();
      }
    }
  }, [engine, measure, generation, playing, setPlaying, currentStep, runBatches, savedHistory]);

  const play = useCallback(() => {
    if (!enabled) return;
    if (settleTimer.current !== null) clearTimeout(settleTimer.current);
    setHalt(null);
    setPlaying(true);
    setStatus('playing');
    void run();
  }, [enabled, run, setHalt, setPlaying]);

  const pause = useCallback(() => setPlaying(false), [setPlaying]);

  const stepOnce = useCallback(() => {
    if (!enabled || running.current) return;
    running.current = true;
    setHalt(null);
    setStatus('stepping');
    const gen = generation();
    void (async () => {
      try {
        if (metricsRef.current.length === 0) await measure(gen);
        const r = await engine.kind('points2d').trainSteps({ maxSteps: 1, budgetMs: 0 });
        if (gen !== generation()) return;
        record(r);
        if (r.halt?.reason === 'diverged') dropMetricsAfter(r.halt.restoredStep);
        if (r.halt) setHalt(haltText(r.halt));
        if (settleTimer.current !== null) clearTimeout(settleTimer.current);
        settleTimer.current = window.setTimeout(() => {
          settleTimer.current = null;
          if (running.current || gen !== generation()) return;
          void measure(gen).then(
            () => gen === generation() && !running.current && onSettledRef.current(savedHistory()),
            (err: unknown) => onErrorRef.current('Measuring the model', errorMessage(err)),
          );
        }, STEP_SETTLE_MS);
      } catch (err) {
        onErrorRef.current('Training', errorMessage(err));
      } finally {
        if (gen === generation()) {
          running.current = false;
          setStatus('idle');
        }
      }
    })();
  }, [enabled, engine, measure, generation, record, setHalt, savedHistory]);

  const clear = useCallback((atStep = 0) => {
    nextGeneration();
    setPlaying(false);
    running.current = false;
    if (settleTimer.current !== null) clearTimeout(settleTimer.current);
    reset(atStep);
    setMetricList([]);
    lastMetricAt.current = 0;
    lastMetricMs.current = 0;
    lastMetricStep.current = -1;
    setStatus('idle');
    setLiveSamples(null);
  }, [nextGeneration, reset, setPlaying]);

  const { restore: restoreLoss, mark } = loop;
  const restore = useCallback((atStep: number, saved: HistoryLoad) => {
    clear(atStep);
    if (saved.status !== 'restored') {
      reset(atStep, 0, saved.note);
      return;
    }
    restoreLoss(saved.history, atStep);
    setMetricList(saved.history.metrics);
    lastMetricStep.current = saved.history.metrics.at(-1)?.step ?? -1;
  }, [clear, reset, restoreLoss]);

  const markChanges = useCallback((changes: Omit<SettingChange, 'step'>[], atStep?: number) => {
    for (const c of changes) mark(c, atStep);
  }, [mark]);

  useEffect(() => {
    if (!enabled) setPlaying(false);
  }, [enabled, setPlaying]);

  useEffect(() => () => {
    if (settleTimer.current !== null) clearTimeout(settleTimer.current);
  }, []);

  const history = useMemo<TrainingHistory>(() => ({ ...loop.history, metrics }), [loop.history, metrics]);
  return { status, step: loop.step, stepsPerSecond: loop.stepsPerSecond, wallSeconds: loop.wallSeconds, history, liveSamples, halt: loop.halt, play, pause, stepOnce, clear, restore, markChanges, savedHistory };
}
