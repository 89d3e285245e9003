/**
 * Sampling from the UI: one recorded trajectory at a time, with progress; a newer request supersedes an older one.
 * The worker sends the frames as they are sampled, so the trajectory is shown (and plays) from its first frames on,
 * while the rest is sampled; the complete payload then takes its place without restarting the playback. Before the
 * first run, a recorded opening of it (src/engine/opening.ts) can be shown; the run with the same model and settings
 * then continues it (its live frames replace the recorded ones) instead of starting again.
 */
import { useCallback, useRef, useState } from 'react';
import { applyFrameChunk, type EngineClient, type FrameChunk, type SampleOptions2D, type TrajectoryPayload } from '../../../engine/client';
import { fillFromOpening, isOpeningOf, type Opening } from '../../../engine/client';
import { errorMessage } from '../../../ui/format';

/** The trajectory shown: complete, or still being sampled. */
interface Shown {
  payload: TrajectoryPayload;
  /** Frames 0..framesReady-1 hold sampled values; null when the payload is complete. */
  framesReady: number | null;
  /** The run it belongs to (a new run starts the playback again; its complete payload does not). */
  run: number;
  /** The caller's tag of the run (the 2D view: the dataset's id). */
  tag: string | null;
  /** True while this is a recorded opening that no live frame has reached yet. */
  recorded: boolean;
}

/** The current trajectory, whether a run is in progress, and a function that starts one. */
export interface SamplerHandle {
  /** The trajectory shown: the latest complete one, or the frames sampled so far of a run in progress. */
  payload: TrajectoryPayload | null;
  /** While the run shown is still being sampled: how many frames of `payload` are sampled; null when complete. */
  framesReady: number | null;
  /** The run id of `payload`: changes when a new run's first frames arrive, not when its payload completes. */
  runKey: number;
  /** The `tag` given to {@link run} for the run shown. */
  tag: string | null;
  /** True while the trajectory shown is a recorded opening that no live frame has reached yet. */
  recorded: boolean;
  busy: boolean;
  progress: { done: number; total: number } | null;
  /**
   * Samples; resolves with the complete trajectory, or null when it failed (reported) or was superseded. @param tag
   * kept with the run's payload. @param stream show the frames as they are sampled (default), or only once complete.
   */
  run: (options: SampleOptions2D, tag?: string, stream?: boolean) => Promise<TrajectoryPayload | null>;
  /**
   * Shows a recorded opening of the first run (model `tag`), unless a run was already asked for. A later {@link run}
   * of the same model and settings continues it; any other run replaces it.
   */
  open: (opening: Opening<TrajectoryPayload>, tag: string) => void;
}

/** The sampler's state. Errors go to `onError`. */
export function useSampler(engine: EngineClient, onError: (where: string, message: string) => void): SamplerHandle {
  const [shown, setShown] = useState<Shown | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const runId = useRef(0);
  /** The opening shown, and its run id, until a run continues or replaces it. */
  const opening = useRef<{ run: number; tag: string; opening: Opening<TrajectoryPayload> } | null>(null);

  const open = useCallback((recorded: Opening<TrajectoryPayload>, tag: string) => {
    if (runId.current !== 0) return;
    const id = ++runId.current;
    opening.current = { run: id, tag, opening: recorded };
    setShown({ payload: recorded.payload, framesReady: recorded.header.frames, run: id, tag, recorded: true });
  }, []);

  const run = useCallback(
    async (options: SampleOptions2D, tag?: string, stream = true) => {
      const o = opening.current;
      opening.current = null;
      // The run that a shown opening recorded continues it (same run id: the playback goes on).
      const continued = o !== null && o.run === runId.current && o.tag === tag && stream && isOpeningOf(o.opening.header, o.tag, options) ? o.opening : null;
      const id = continued ? runId.current : ++runId.current;
      setBusy(true);
      setProgress({ done: 0, total: options.steps });
      let streamed: TrajectoryPayload | null = null;
      const onFrames = (chunk: FrameChunk<TrajectoryPayload>) => {
        if (id !== runId.current) return;
        if (chunk.head) streamed = chunk.head;
        if (!streamed) return;
        applyFrameChunk(streamed, chunk);
        // The recorded frames that the run has not reached yet stay on show.
        const framesReady = fillFromOpening(streamed, continued, chunk.to);
        const payload = streamed;
        setShown((s) => (s && s.run === id && s.framesReady === null ? s : { payload, framesReady, run: id, tag: tag ?? null, recorded: false }));
      };
      try {
        const result = await engine.kind('points2d').sample(
          options,
          (done, total) => {
            if (id === runId.current) setProgress({ done, total });
          },
          stream ? onFrames : undefined,
        );
        if (id !== runId.current) return null;
        setShown({ payload: result, framesReady: null, run: id, tag: tag ?? null, recorded: false });
        return result;
      } catch (err) {
        if (id === runId.current) onError('Sampling', errorMessage(err));
        // The frames of a run that failed are not a trajectory: drop them.
        setShown((s) => (s && s.run === id && s.framesReady !== null ? null : s));
        return null;
      } finally {
        if (id === runId.current) {
          setBusy(false);
          setProgress(null);
        }
      }
    },
    [engine, onError],
  );

  return { payload: shown?.payload ?? null, framesReady: shown?.framesReady ?? null, runKey: shown?.run ?? 0, tag: shown?.tag ?? null, recorded: shown?.recorded ?? false, busy, progress, run, open };
}
