/**
 * One recorded sampling run at a time, played from its first frames on: for a view with a trajectory player whose
 * kind's worker API streams the frames as they are sampled (src/engine/frameStream.ts FrameStream, protocol.ts
 * FrameChunk). The run's frames play while the rest is sampled (the timeline waits at, and seeking stops at, the last
 * sampled frame); the complete payload then takes the streamed one's place without restarting the playback, and the
 * page's first-frame mark (src/ui/firstFrame.ts) names where the frame came from. Under reduced motion a run is shown
 * once complete, as before. Before the first run, the recorded opening of it (src/engine/opening.ts) plays while the
 * engine starts, when the build has one at the view's settings; the run with those settings then continues it.
 * Used by the grey-scale MNIST and words views.
 */
import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { applyFrameChunk, fillFromOpening, isOpeningOf, isSampleCancelled, type FrameChunk, type FramesCallback, type Opening, type ProgressCallback } from '../../engine/client';
import { useRecordedOpening } from './useRecordedOpening';
import { useFirstFrameMark } from '../firstFrame';
import { errorMessage } from '../format';
import { usePlayback, type PlaybackHandle } from './usePlayback';

/** A kind's worker API as this hook needs it: a recorded run that can stream its frames, and its cancel. */
export interface StreamingSampler<O, P> {
  sample(options: O, onProgress?: ProgressCallback, onFrames?: FramesCallback<P>): Promise<P>;
  cancelSample(): Promise<void>;
}

/** A trajectory and the run that made it (the run's options object: a new run is a new object). */
interface Shown<O, P> {
  payload: P;
  /** Frames 0..framesReady-1 of `payload` are sampled; null when it is complete. */
  framesReady: number | null;
  of: O;
}

/** What {@link useStreamedRun} gives the view. */
export interface StreamedRun<O, P> {
  /** The run in progress (its options), or null. */
  run: O | null;
  /** Starts a run (a run in progress is cancelled). */
  start: (options: O) => void;
  /** Cancels the run in progress, if any; the last complete trajectory stays shown. */
  cancel: () => void;
  /** Steps done of the run in progress, or null. */
  progress: { done: number; total: number } | null;
  /** The trajectory shown: the frames sampled so far of the run in progress, else the last complete run; or null. */
  payload: P | null;
  /** The last complete run, or null (its pixel bars, samples and shares belong to it alone). */
  complete: P | null;
  /** While `payload` is still being sampled: how many of its n + 1 frames are in; null when it is complete. */
  framesReady: number | null;
  /** Why the last run failed, or null (cleared by a new run). */
  error: string | null;
  /** The timeline over frames 0..n of `payload`. */
  playback: PlaybackHandle;
  speed: number;
  setSpeed: (speed: number) => void;
  /** The whole frame shown, 0..n (0 without a payload). */
  frame: number;
  /** True while `payload` is the recorded opening of the first run that no live frame has reached yet. */
  recorded: boolean;
}

/** What {@link startStreamedRun} tells its caller, each only while the run is still wanted (before the cleanup). */
export interface StreamedRunEvents<P> {
  /** Send the frames as they are sampled (else the run comes only complete). */
  stream: boolean;
  progress(done: number, total: number): void;
  /** The run's frames so far: `payload` (the same object at each call, filled in place) holds frames 0..framesReady-1. */
  frames(payload: P, framesReady: number): void;
  done(payload: P): void;
  /** The run failed: why, or null when it was cancelled in the worker (not an error). */
  failed(message: string | null): void;
}

/**
 * Starts one recorded run in the worker, to be called from a React effect: the frames of each chunk go into the first
 * chunk's payload (client.ts applyFrameChunk) and to `on.frames`. Returns the effect's cleanup: later results of the
 * run are dropped and, unless it has settled, the worker is told to cancel it. @param sample starts the run with the
 * progress and frame callbacks to give the worker. @param cancelSample the kind's cancel.
 */
export function startStreamedRun<P extends object>(
  sample: (onProgress: ProgressCallback, onFrames: FramesCallback<P> | undefined) => Promise<P>,
  cancelSample: () => Promise<void>,
  on: StreamedRunEvents<P>,
): () => void {
  let live = true;
  let settled = false;
  let head: P | null = null;
  const onFrames = (chunk: FrameChunk<P>) => {
    if (!live || settled) return;
    if (chunk.head) head = chunk.head;
    if (!head) return;
    applyFrameChunk(head, chunk);
    on.frames(head, chunk.to);
  };
  sample((done, total) => live && on.progress(done, total), on.stream ? onFrames : undefined).then(
    (payload) => {
      settled = true;
      if (live) on.done(payload);
    },
    (err: unknown) => {
      settled = true;
      if (live) on.failed(isSampleCancelled(err) ? null : errorMessage(err));
    },
  );
  return () => {
    live = false;
    if (!settled) void cancelSample().catch(() => undefined);
  };
}

/**
 * Runs `api.sample` for each {@link StreamedRun.start}, streaming its frames unless `reducedMotion`, and plays the
 * trajectory shown. @param view the view's id for the first-frame mark. @param api the kind's worker API (a stable
 * object). @param active false while the view is hidden: playback pauses and no keys are listened to (the view
 * cancels its run itself). @param onError told of a failed run (not of a cancelled one).
 */
export function useStreamedRun<O extends object, P extends { n: number }>(
  view: string,
  api: StreamingSampler<O, P>,
  { active, reducedMotion, onError, opening }: {
    active: boolean; reducedMotion: boolean; onError: (message: string) => void;
    /** The shipped model whose recorded opening to show before the first run, and the options that run will have. */
    opening?: { id: string; options: O };
  },
): StreamedRun<O, P> {
  const [run, setRun] = useState<O | null>(null);
  const [progress, setProgress] = useState<{ of: O; done: number; total: number } | null>(null);
  const [streamed, setStreamed] = useState<Shown<O, P> | null>(null);
  const [complete, setComplete] = useState<Shown<O, P> | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The recorded opening on show before the first run, and the options object of the run that continues it.
  const [recorded, setRecorded] = useState<{ opening: Opening<P>; of: O } | null>(null);
  useRecordedOpening<P, O>(
    opening?.id ?? null,
    () => (opening && !reducedMotion && run === null && complete === null ? opening.options : null),
    (o, options) => setRecorded((r) => r ?? { opening: o, of: options }),
  );

  const start = useCallback((options: O) => {
    // The run that the opening on show recorded continues it (its options object: the playback goes on); any other
    // run replaces it.
    const continues = recorded !== null && isOpeningOf(recorded.opening.header, recorded.opening.header.id, options);
    setRun(continues ? recorded.of : options);
    if (!continues) setRecorded(null);
    setError(null);
  }, [recorded]);
  /** The opening that run `r` continues, if it is the one on show. */
  const openingOfRun = useEffectEvent((r: O) => (recorded?.of === r ? recorded.opening : null));
  const cancel = useCallback(() => setRun(null), []);

  const streamFrames = useEffectEvent(() => !reducedMotion);
  const reportError = useEffectEvent((message: string) => onError(message));
  useEffect(() => {
    if (run === null) return;
    const continued = openingOfRun(run);
    return startStreamedRun<P>((onProgress, onFrames) => api.sample(run, onProgress, onFrames), () => api.cancelSample(), {
      stream: streamFrames(),
      progress: (done, total) => setProgress({ of: run, done, total }),
      frames: (payload, framesReady) => {
        // The recorded frames that the run has not reached yet stay on show.
        setStreamed({ payload, framesReady: fillFromOpening(payload, continued, framesReady), of: run });
      },
      done: (payload) => {
        setComplete({ payload, framesReady: null, of: run });
        setRecorded(null);
        setStreamed(null);
        setRun(null);
      },
      failed: (message) => {
        setStreamed(null);
        setRecorded(null);
        setRun(null);
        // Cancelled in the worker (by something other than this view): no longer running, and not an error.
        if (message === null) return;
        setError(message);
        reportError(message);
      },
    });
  }, [run, api]);

  // The frames of a run that is no longer in progress (cancelled, replaced) are not shown; the opening shows until its
  // run has sent frames (or another run replaces it).
  const opened = recorded && complete === null && (run === null || run === recorded.of) ? { payload: recorded.opening.payload, framesReady: recorded.opening.header.frames, of: recorded.of } : null;
  const shown = streamed !== null && streamed.of === run ? streamed : opened ?? complete;
  const payload = shown?.payload ?? null;
  const framesReady = shown?.framesReady ?? null;
  const n = payload?.n ?? 0;
  const [speed, setSpeed] = useState(1);
  const playback = usePlayback(n, speed, setSpeed, reducedMotion, active, framesReady === null ? n : framesReady - 1);
  // A run's streamed frames and its complete payload are one trajectory: only a new run restarts the playback.
  const { restart } = playback;
  const runOfShown = shown?.of ?? null;
  useEffect(() => {
    if (runOfShown !== null) restart(true);
  }, [runOfShown, restart]);
  const frame = payload ? Math.min(n, Math.max(0, Math.floor(playback.pos))) : 0;
  const isRecorded = opened !== null && shown === opened;
  useFirstFrameMark(payload !== null && playback.playing && frame > 0, framesReady === null ? { view, source: 'live' } : { view, source: isRecorded ? 'recorded' : 'streamed', framesReady, frames: n + 1 });

  return {
    run, start, cancel, progress: run !== null && progress?.of === run ? { done: progress.done, total: progress.total } : null,
    payload, complete: complete?.payload ?? null, framesReady, error, playback, speed, setSpeed, frame, recorded: isRecorded,
  };
}
