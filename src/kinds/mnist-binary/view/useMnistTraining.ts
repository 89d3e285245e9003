/**
 * Training an MNIST network in the browser: the shared loop of src/ui/hooks/useTrainingLoop.ts (batches of steps while
 * running, the loss history in nats per image, the halts) with what is the MNIST view's own: the download of the
 * training split (once), the trainer's creation (from scratch or from the shipped model), and a preview of 16
 * samples every ~20 s and when stopped.
 */
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { isSampleCancelled, type EngineClient, type MnistDataInfo, type MnistDownloadProgress, type MnistTrainerInfo, type MnistTrajectoryPayload } from '../../../engine/client';
import { errorMessage } from '../../../ui/format';
import { useTrainingLoop, type LossHistory } from '../../../ui/hooks/useTrainingLoop';
import { trainConfigFor, type TrainMode } from './mnistConfig';

/** Steps and milliseconds per worker call. */
const BATCH = { maxSteps: 50, budgetMs: 400 } as const;
/** Milliseconds of training between two sample previews. */
export const PREVIEW_EVERY_MS = 20_000;
/** The preview's sampling settings: 16 digits, n = 25, a fixed seed so that previews are comparable. */
export const PREVIEW = { images: 16, steps: 25, seed: 1 } as const;


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
  /** L^∞ of each step's batch, nats per image, and its moving average. */
  history: LossHistory;
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

/** The MNIST training loop and its state. */
export function useMnistTraining({ engine, onError, onTrained }: MnistTrainingOptions): MnistTrainingHandle {
  const loop = useTrainingLoop();
  // The loop's controls are stable (useCallback); the callbacks below depend on them, not on the loop's state.
  const { generation, nextGeneration, playing, setPlaying, setHalt, reset, currentStep, loop: runBatches } = loop;
  const [status, setStatus] = useState<MnistTrainStatus>('idle');
  const [trainer, setTrainer] = useState<MnistTrainerInfo | null>(null);
  const [trainData, setTrainData] = useState<MnistTrainingHandle['trainData']>({ progress: null, info: null, error: null });
  const [preview, setPreview] = useState<MnistTrainingHandle['preview']>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const running = useRef(false);
  const hasTrainer = useRef(false);
  const dataReady = useRef(false);
  const previewStep = useRef(-1);
  const onErrorRef = useRef(onError);
  const onTrainedRef = useRef(onTrained);
  // The loop reads the latest callbacks (it runs across renders); they are stored once a render commits.
  useLayoutEffect(() => {
    onErrorRef.current = onError;
    onTrainedRef.current = onTrained;
  });

  const samplePreview = useCallback(async (gen: number, atStep: number) => {
    if (atStep === previewStep.current) return;
    let payload: MnistTrajectoryPayload;
    try {
      payload = await engine.kind('mnist-binary').sample({ source: 'trained', ...PREVIEW });
    } catch (err) {
      // Cancelled (the view was left): no preview this time, and not an error.
      if (isSampleCancelled(err)) return;
      throw err;
    }
    if (gen !== generation()) return;
    previewStep.current = atStep;
    setPreview({ payload, step: atStep });
    onTrainedRef.current?.(atStep);
  }, [engine, generation]);

  const start = useCallback(
    ({ mode, learningRate, batch, fresh }: MnistTrainStart) => {
      if (running.current) return;
      running.current = true;
      setPlaying(true);
      const gen = nextGeneration();
      setHalt(null);
      setNotice(null);
      setStatus('preparing');
      void (async () => {
        try {
          if (!dataReady.current) {
            let lastUpdate = 0;
            const info = await engine.kind('mnist-binary').loadData('train', (p) => {
              const now = performance.now();
              if (p.phase !== 'download' || now - lastUpdate > 80 || p.loaded === p.total) {
                lastUpdate = now;
                setTrainData((d) => ({ ...d, progress: p }));
              }
            });
            dataReady.current = true;
            setTrainData({ progress: null, info, error: null });
          }
          if (!playing() || gen !== generation()) return;
          if (fresh || !hasTrainer.current) {
            const info = await engine.kind('mnist-binary').resetTrainer({ config: trainConfigFor(learningRate, batch), fromShipped: mode === 'finetune' });
            if (gen !== generation()) return;
            hasTrainer.current = true;
            setTrainer(info);
            previewStep.current = -1;
            reset(info.step, info.wallSeconds);
            setPreview(null);
          }
          setStatus(playing() ? 'running' : 'stopping');
          let lastPreview = performance.now();
          const end = await runBatches(gen, () => engine.kind('mnist-binary').trainSteps(BATCH), async (r) => {
            if (performance.now() - lastPreview > PREVIEW_EVERY_MS) {
              await samplePreview(gen, r.step);
              lastPreview = performance.now();
            }
          });
          if (end === 'stale') return;
          setStatus('stopping');
          if (hasTrainer.current && currentStep() > 0) await samplePreview(gen, currentStep());
        } catch (err) {
          if (gen !== generation()) return;
          setPlaying(false);
          const message = errorMessage(err);
          if (!dataReady.current) setTrainData((d) => ({ ...d, error: message }));
          onErrorRef.current('MNIST training', message);
        } finally {
          if (gen === generation()) {
            running.current = false;
            setPlaying(false);
            setStatus('idle');
          }
        }
      })();
    },
    [engine, samplePreview, generation, nextGeneration, playing, setPlaying, setHalt, reset, currentStep, runBatches],
  );

  const stop = useCallback((reason?: string) => {
    if (!playing()) return;
    setPlaying(false);
    setStatus('stopping');
    if (reason) setNotice(reason);
  }, [playing, setPlaying]);

  return { status, trainer, step: loop.step, wallSeconds: loop.wallSeconds, stepsPerSecond: loop.stepsPerSecond, history: loop.history, trainData, preview, halt: loop.halt, notice, start, stop };
}
