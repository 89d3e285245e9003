/**
 * The training loop every view shares: while "playing", keep asking the worker for a short batch of steps (so the
 * page stays responsive and pause takes effect after at most one batch), keep the loss history (raw and smoothed),
 * the step, the wall time and the steps per second, and stop when training halts by itself (a non-finite loss; a
 * divergence with finite losses, after which the worker restored the last good weights and the history is cut back).
 * A view's hook (useTraining for 2D points, useMnistTraining for MNIST) adds what is its own: the measurements
 * between batches, the data download, the trainer's creation.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrainStepsResult } from '../../engine/client';
import { addChange, type SettingChange } from '../../state/trainingHistory';

/** Weight of the smoothed loss's exponential moving average (debiased, as TensorBoard does). */
export const LOSS_SMOOTHING = 0.95;

/** The loss history of the current network. */
export interface LossHistory {
  /** Step of losses[0]. */
  firstStep: number;
  /** The loss of each step, in the view's unit. */
  losses: number[];
  /** Their debiased exponential moving average. */
  smoothed: number[];
  /** The steps where a setting changed between two runs of this network. */
  changes: SettingChange[];
  /** Why part of the history is missing (a restored network saved without it), or null. */
  note: string | null;
}

/** A loss history without its note, as it is saved and restored. */
export type LossRecord = Omit<LossHistory, 'note'>;

/** Why a run ended: it halted by itself, it was paused (or never played), or the loop was replaced (stale). */
export type LoopEnd = 'halted' | 'paused' | 'stale';

/** What the page says when training halted by itself (the worker's message says what happened and what to try). */
export function haltText(h: NonNullable<TrainStepsResult['halt']>): string {
  return h.reason === 'diverged' ? `${h.message} The charts were cut back to step ${h.restoredStep}; press play to go on from there.` : h.message;
}

/** The loop's state and its controls. */
export interface TrainingLoop {
  step: number;
  wallSeconds: number;
  stepsPerSecond: number | null;
  /** The history as the charts see it: a new object after each change. */
  history: LossHistory;
  /** Why training halted by itself, or null. */
  halt: string | null;
  setHalt: (text: string | null) => void;
  /** The step of the network now (read when the run needs it, not at render). */
  currentStep: () => number;
  /** Whether the user wants training to go on. */
  playing: () => boolean;
  setPlaying: (on: boolean) => void;
  /** The current generation; a run of an older generation ends without touching the state. */
  generation: () => number;
  /** Starts a new generation (the network was replaced or dropped, or the view was left). @returns it. */
  nextGeneration: () => number;
  /** Adds a batch's losses (steps up to `r.step`), its wall time and speed; cuts the history back on a divergence. */
  record: (r: TrainStepsResult) => void;
  /** Drops the history after `restoredStep` (the worker restored the weights of that step). */
  rollBack: (restoredStep: number) => void;
  /** Empties the history (a new network at `atStep` with `wallSeconds` of training behind it); `note` says why it is empty. */
  reset: (atStep?: number, wallSeconds?: number, note?: string | null) => void;
  /** Puts back a saved history of the network now at `atStep` (a restored network). */
  restore: (saved: LossRecord, atStep: number) => void;
  /** Records that a setting changed after `atStep` (default: the current step); nothing before the first step. */
  mark: (change: Omit<SettingChange, 'step'>, atStep?: number) => void;
  /** The history now, copied (to save it; read when needed, not at render). */
  snapshot: () => LossRecord;
  /**
   * Runs batches while playing and `gen` is current: `trainSteps` for each, {@link record}, stop on a halt (its text
   * shown, `onHalt` told), then `between(r)` (a measurement or a preview; returning true stops the run: it halted).
   * @returns how the run ended. @throws whatever `trainSteps` or `between` throws.
   */
  loop: (gen: number, trainSteps: () => Promise<TrainStepsResult>, between?: (r: TrainStepsResult) => Promise<boolean | void>, onHalt?: (halt: NonNullable<TrainStepsResult['halt']>) => void) => Promise<LoopEnd>;
}

const emptyHistory = (firstStep = 0, note: string | null = null): LossHistory => ({ firstStep, losses: [], smoothed: [], changes: [], note });

/** The shared training loop's state. Leaving the view (unmount) ends any run after its batch in flight. */
export function useTrainingLoop(): TrainingLoop {
  const [step, setStep] = useState(0);
  const [wallSeconds, setWallSeconds] = useState(0);
  const [stepsPerSecond, setStepsPerSecond] = useState<number | null>(null);
  const [halt, setHalt] = useState<string | null>(null);
  const [shown, setShown] = useState<LossHistory>(emptyHistory);
  const history = useRef<LossHistory>(emptyHistory());
  const ema = useRef({ value: 0, weight: 0 });
  const playingRef = useRef(false);
  const stepRef = useRef(0);
  const generationRef = useRef(0);

  const publish = useCallback(() => setShown({ ...history.current }), []);

  const rollBack = useCallback((restoredStep: number) => {
    const h = history.current;
    const keep = Math.max(0, restoredStep - h.firstStep + 1);
    h.losses.length = Math.min(h.losses.length, keep);
    h.smoothed.length = Math.min(h.smoothed.length, keep);
    h.changes = h.changes.filter((c) => c.step <= restoredStep);
    ema.current = h.smoothed.length ? { value: h.smoothed.at(-1)!, weight: 1 } : { value: 0, weight: 0 };
    stepRef.current = restoredStep;
    setStep(restoredStep);
    publish();
  }, [publish]);

  const record = useCallback((r: TrainStepsResult) => {
    const h = history.current;
    const finite = Array.from(r.losses).filter(Number.isFinite);
    if (h.losses.length === 0) h.firstStep = r.step - finite.length + 1;
    for (const loss of finite) {
      ema.current.value = LOSS_SMOOTHING * ema.current.value + (1 - LOSS_SMOOTHING) * loss;
      ema.current.weight = LOSS_SMOOTHING * ema.current.weight + (1 - LOSS_SMOOTHING);
      h.losses.push(loss);
      h.smoothed.push(ema.current.value / ema.current.weight);
    }
    stepRef.current = r.step;
    setStep(r.step);
    setWallSeconds(r.wallSeconds);
    if (r.losses.length > 0) setStepsPerSecond((old) => (old === null ? r.stepsPerSecond : 0.7 * old + 0.3 * r.stepsPerSecond));
    publish();
    if (r.halt?.reason === 'diverged') rollBack(r.halt.restoredStep);
  }, [publish, rollBack]);

  const reset = useCallback((atStep = 0, wall = 0, note: string | null = null) => {
    history.current = emptyHistory(atStep, note);
    ema.current = { value: 0, weight: 0 };
    stepRef.current = atStep;
    setStep(atStep);
    setWallSeconds(wall);
    setStepsPerSecond(null);
    setHalt(null);
    publish();
  }, [publish]);

  const restore = useCallback((saved: LossRecord, atStep: number) => {
    history.current = { firstStep: saved.firstStep, losses: [...saved.losses], smoothed: [...saved.smoothed], changes: [...saved.changes], note: null };
    // The moving average goes on from its last value (as after a roll-back).
    ema.current = saved.smoothed.length ? { value: saved.smoothed.at(-1)!, weight: 1 } : { value: 0, weight: 0 };
    stepRef.current = atStep;
    setStep(atStep);
    publish();
  }, [publish]);

  const mark = useCallback((change: Omit<SettingChange, 'step'>, atStep = stepRef.current) => {
    if (atStep <= 0) return;
    const h = history.current;
    h.changes = addChange(h.changes, { ...change, step: atStep });
    publish();
  }, [publish]);

  const snapshot = useCallback((): LossRecord => {
    const { firstStep, losses, smoothed, changes } = history.current;
    return { firstStep, losses: [...losses], smoothed: [...smoothed], changes: [...changes] };
  }, []);

  const loop = useCallback(async (gen: number, trainSteps: () => Promise<TrainStepsResult>, between?: (r: TrainStepsResult) => Promise<boolean | void>, onHalt?: (halt: NonNullable<TrainStepsResult['halt']>) => void): Promise<LoopEnd> => {
    while (playingRef.current && gen === generationRef.current) {
      const r = await trainSteps();
      if (gen !== generationRef.current) return 'stale';
      record(r);
      if (r.halt) {
        setHalt(haltText(r.halt));
        playingRef.current = false;
        onHalt?.(r.halt);
        return 'halted';
      }
      if (between && (await between(r))) return 'halted';
    }
    return gen === generationRef.current ? 'paused' : 'stale';
  }, [record]);

  const playing = useCallback(() => playingRef.current, []);
  const setPlaying = useCallback((on: boolean) => {
    playingRef.current = on;
  }, []);
  const generation = useCallback(() => generationRef.current, []);
  const currentStep = useCallback(() => stepRef.current, []);
  const nextGeneration = useCallback(() => ++generationRef.current, []);

  useEffect(() => () => {
    generationRef.current += 1;
    playingRef.current = false;
  }, []);

  return { step, wallSeconds, stepsPerSecond, history: shown, halt, setHalt, currentStep, playing, setPlaying, generation, nextGeneration, record, rollBack, reset, restore, mark, snapshot, loop };
}
