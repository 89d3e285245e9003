/**
 * Training an MNIST network in the browser: download the training split (once), create the trainer (from scratch
 * or from the shipped model), then keep asking the worker for short batches of steps while running, so that the
 * page stays responsive and Stop takes effect within one batch. Keeps the loss history (raw and smoothed, nats per
 * image), steps per second, a preview of 16 samples every ~20 s and when stopped, and the non-finite-loss stop.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { isSampleCancelled, type EngineClient, type MnistDataInfo, type MnistDownloadProgress, type MnistTrainerInfo, type MnistTrajectoryPayload } from '../../engine/client';
import { errorMessage } from '../format';
import { LOSS_SMOOTHING } from '../hooks/useTraining';
import { trainConfigFor, type TrainMode } from './mnistConfig';

/** Steps and milliseconds per worker call. */
const BATCH = { maxSteps: 50, budgetMs: 400 } as const;
/** Milliseconds of training between two sample previews. */
export const PREVIEW_EVERY_MS = 20_000;
/** The preview's sampling settings: 16 digits, n = 25, a fixed seed so that previews are comparable. */
export const PREVIEW = { images: 16, steps: 25, seed: 1 } as const;

/** The loss history of the current trainer. */
export interface MnistLossHistory {
  /** Step of losses[0]. */
  firstStep: number;
  /** L^∞ of each step's batch, nats per image. */
  losses: number[];
  /** Their debiased exponential moving average. */
  smoothed: number[];
}

/** What the training panel shows. */
export type MnistTrainStatus = 'idle' | 'preparing' | 'running' | 'stopping';

/** Options of a training run. */
export interface MnistTrainStart {
  mode: TrainMode;
  learningRate: number;
  batch: number;
  /** True: a new trainer even when one exists (start over). */
  fresh: boolean;
}

/** The training state and its controls. */
export interface MnistTrainingHandle {
  status: MnistTrainStatus;
  /** The trainer's description once created, or null. */
  trainer: MnistTrainerInfo | null;
  step: number;
  wallSeconds: number;
  stepsPerSecond: number | null;
  history: MnistLossHistory;
  /** Increases whenever the history changes (for memoised charts). */
  version: number;
  trainData: { progress: MnistDownloadProgress | null; info: MnistDataInfo | null; error: string | null };
  /** The latest preview run (16 digits from the trained network) and the step it was sampled at. */
  preview: { payload: MnistTrajectoryPayload; step: number } | null;
  /** Why training paused by itself, or null. */
  halt: string | null;
  /** Why training was stopped when the user did not press Stop (e.g. leaving the view), or null; cleared by start. */
  notice: string | null;
  start: (options: MnistTrainStart) => void;
  /** Stops after the batch in flight; `reason`, when given, is shown as {@link MnistTrainingHandle.notice}. */
  stop: (reason?: string) => void;
}

/** Options of {@link useMnistTraining}. */
export interface MnistTrainingOptions {
  engine: EngineClient;
  onError: (where: string, message: string) => void;
  /** Called after each preview with the step it was sampled at. */
  onTrained?: (step: number) => void;
}

const emptyHistory = (): MnistLossHistory => ({ firstStep: 0, losses: [], smoothed: [] });

/** The MNIST training loop and its state. */
export function useMnistTraining({ engine, onError, onTrained }: MnistTrainingOptions): MnistTrainingHandle {
  const [status, setStatus] = useState<MnistTrainStatus>('idle');
  const [trainer, setTrainer] = useState<MnistTrainerInfo | null>(null);
  const [step, setStep] = useState(0);
  const [wallSeconds, setWallSeconds] = useState(0);
  const [stepsPerSecond, setStepsPerSecond] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [trainData, setTrainData] = useState<MnistTrainingHandle['trainData']>({ progress: null, info: null, error: null });
  const [preview, setPreview] = useState<MnistTrainingHandle['preview']>(null);
  const [halt, setHalt] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const history = useRef<MnistLossHistory>(emptyHistory());
  const ema = useRef({ value: 0, weight: 0 });
  const playing = useRef(false);
  const running = useRef(false);
  const generation = useRef(0);
  const hasTrainer = useRef(false);
  const dataReady = useRef(false);
  const stepRef = useRef(0);
  const previewStep = useRef(-1);
  const onErrorRef = useRef(onError);
  const onTrainedRef = useRef(onTrained);
  // The loop reads the latest callbacks (it runs across renders); they are stored once a render commits.
  useLayoutEffect(() => {
    onErrorRef.current = onError;
    onTrainedRef.current = onTrained;
  });
  // What the loss chart sees: a new object after each change (its arrays grow in place).
  const [shownHistory, setShownHistory] = useState<MnistLossHistory>(emptyHistory);
  const bump = () => {
    setVersion((v) => v + 1);
    setShownHistory({ ...history.current });
  };

  // Leaving the view stops the loop (after the batch in flight).
  useEffect(
    () => () => {
      playing.current = false;
      generation.current++;
    },
    [],
  );

  const append = (losses: Float32Array, stepAfter: number) => {
    const h = history.current;
    if (h.losses.length === 0) h.firstStep = stepAfter - losses.length + 1;
    for (const loss of losses) {
      if (!Number.isFinite(loss)) continue;
      ema.current.value = LOSS_SMOOTHING * ema.current.value + (1 - LOSS_SMOOTHING) * loss;
      ema.current.weight = LOSS_SMOOTHING * ema.current.weight + (1 - LOSS_SMOOTHING);
      h.losses.push(loss);
      h.smoothed.push(ema.current.value / ema.current.weight);
    }
  };

  const samplePreview = useCallback(async (gen: number, atStep: number) => {
    if (atStep === previewStep.current) return;
    let payload: MnistTrajectoryPayload;
    try {
      payload = await engine.mnistSample({ source: 'trained', ...PREVIEW });
    } catch (err) {
      // Cancelled (the view was left): no preview this time, and not an error.
      if (isSampleCancelled(err)) return;
      throw err;
    }
    if (gen !== generation.current) return;
    previewStep.current = atStep;
    setPreview({ payload, step: atStep });
    onTrainedRef.current?.(atStep);
  }, [engine]);

  const start = useCallback(
    ({ mode, learningRate, batch, fresh }: MnistTrainStart) => {
      if (running.current) return;
      running.current = true;
      playing.current = true;
      const gen = ++generation.current;
      setHalt(null);
      setNotice(null);
      setStatus('preparing');
      void (async () => {
        try {
          if (!dataReady.current) {
            let lastUpdate = 0;
            const info = await engine.mnistLoadData('train', (p) => {
              const now = performance.now();
              if (p.phase !== 'download' || now - lastUpdate > 80 || p.loaded === p.total) {
                lastUpdate = now;
                setTrainData((d) => ({ ...d, progress: p }));
              }
            });
            dataReady.current = true;
            setTrainData({ progress: null, info, error: null });
          }
          if (!playing.current || gen !== generation.current) return;
          if (fresh || !hasTrainer.current) {
            const info = await engine.mnistResetTrainer({ config: trainConfigFor(learningRate, batch), fromShipped: mode === 'finetune' });
            if (gen !== generation.current) return;
            hasTrainer.current = true;
            history.current = emptyHistory();
            ema.current = { value: 0, weight: 0 };
            setTrainer(info);
            stepRef.current = info.step;
            previewStep.current = -1;
            setStep(info.step);
            setWallSeconds(info.wallSeconds);
            setStepsPerSecond(null);
            setPreview(null);
            bump();
          }
          setStatus(playing.current ? 'running' : 'stopping');
          let lastPreview = performance.now();
          while (playing.current && gen === generation.current) {
            const r = await engine.mnistTrainSteps(BATCH);
            if (gen !== generation.current) return;
            append(r.losses, r.step);
            stepRef.current = r.step;
            setStep(r.step);
            setWallSeconds(r.wallSeconds);
            if (r.losses.length > 0) setStepsPerSecond((old) => (old === null ? r.stepsPerSecond : 0.7 * old + 0.3 * r.stepsPerSecond));
            bump();
            if (r.halt) {
              const v = r.halt.value;
              setHalt(
                `Training paused at step ${r.halt.step}: the loss was ${Number.isNaN(v) ? 'not a number' : 'infinite'} (${r.halt.message}). ` +
                  'That step was skipped; try a smaller learning rate, then start again.',
              );
              playing.current = false;
              break;
            }
            if (performance.now() - lastPreview > PREVIEW_EVERY_MS) {
              await samplePreview(gen, r.step);
              lastPreview = performance.now();
            }
          }
          if (gen !== generation.current) return;
          setStatus('stopping');
          if (hasTrainer.current && stepRef.current > 0) await samplePreview(gen, stepRef.current);
        } catch (err) {
          if (gen !== generation.current) return;
          playing.current = false;
          const message = errorMessage(err);
          if (!dataReady.current) setTrainData((d) => ({ ...d, error: message }));
          onErrorRef.current('MNIST training', message);
        } finally {
          if (gen === generation.current) {
            running.current = false;
            playing.current = false;
            setStatus('idle');
          }
        }
      })();
    },
    [engine, samplePreview],
  );

  const stop = useCallback((reason?: string) => {
    if (!playing.current) return;
    playing.current = false;
    setStatus('stopping');
    if (reason) setNotice(reason);
  }, []);

  return { status, trainer, step, wallSeconds, stepsPerSecond, history: shownHistory, version, trainData, preview, halt, notice, start, stop };
}
