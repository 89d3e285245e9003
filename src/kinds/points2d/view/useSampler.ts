/**
 * Sampling from the UI: one recorded trajectory at a time, with progress; a newer request supersedes an older one.
 * The worker sends the frames as they are sampled, so the trajectory is shown (and plays) from its first frames on,
 * while the rest is sampled; the complete payload then takes its place without restarting the playback.
 */
import { useCallback, useRef, useState } from 'react';
import { applyFrameChunk, type EngineClient, type FrameChunk, type SampleOptions2D, type TrajectoryPayload } from '../../../engine/client';
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
  busy: boolean;
  progress: { done: number; total: number } | null;
  /**
   * Samples; resolves with the complete trajectory, or null when it failed (reported) or was superseded. @param tag
   * kept with the run's payload. @param stream show the frames as they are sampled (default), or only once complete.
   */
  run: (options: SampleOptions2D, tag?: string, stream?: boolean) => Promise<TrajectoryPayload | null>;
}

/** The sampler's state. Errors go to `onError`. */
export function useSampler(engine: EngineClient, onError: (where: string, message: string) => void): SamplerHandle {
  const [shown, setShown] = useState<Shown | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const runId = useRef(0);

  const run = useCallback(
    async (options: SampleOptions2D, tag?: string, stream = true) => {
      const id = ++runId.current;
      setBusy(true);
      setProgress({ done: 0, total: options.steps });
      let streamed: TrajectoryPayload | null = null;
      const onFrames = (chunk: FrameChunk<TrajectoryPayload>) => {
        if (id !== runId.current) return;
        if (chunk.head) streamed = chunk.head;
        if (!streamed) return;
        applyFrameChunk(streamed, chunk);
        const payload = streamed;
        setShown((s) => (s && s.run === id && s.framesReady === null ? s : { payload, framesReady: chunk.to, run: id, tag: tag ?? null }));
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
        setShown({ payload: result, framesReady: null, run: id, tag: tag ?? null });
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

  return { payload: shown?.payload ?? null, framesReady: shown?.framesReady ?? null, runKey: shown?.run ?? 0, tag: shown?.tag ?? null, busy, progress, run };
}
