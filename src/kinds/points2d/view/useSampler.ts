/** Sampling from the UI: one recorded trajectory at a time, with progress; a newer request supersedes an older one. */
import { useCallback, useRef, useState } from 'react';
import type { EngineClient, SampleOptions2D, TrajectoryPayload } from '../../../engine/client';
import { errorMessage } from '../../../ui/format';

/** The current trajectory, whether a run is in progress, and a function that starts one. */
export interface SamplerHandle {
  payload: TrajectoryPayload | null;
  busy: boolean;
  progress: { done: number; total: number } | null;
  /** Samples; resolves with the trajectory, or null when it failed (reported) or was superseded. */
  run: (options: SampleOptions2D) => Promise<TrajectoryPayload | null>;
}

/** The sampler's state. Errors go to `onError`. */
export function useSampler(engine: EngineClient, onError: (where: string, message: string) => void): SamplerHandle {
  const [payload, setPayload] = useState<TrajectoryPayload | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const runId = useRef(0);

  const run = useCallback(
    async (options: SampleOptions2D) => {
      const id = ++runId.current;
      setBusy(true);
      setProgress({ done: 0, total: options.steps });
      try {
        const result = await engine.kind('points2d').sample(options, (done, total) => {
          if (id === runId.current) setProgress({ done, total });
        });
        if (id !== runId.current) return null;
        setPayload(result);
        return result;
      } catch (err) {
        if (id === runId.current) onError('Sampling', errorMessage(err));
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

  return { payload, busy, progress, run };
}
