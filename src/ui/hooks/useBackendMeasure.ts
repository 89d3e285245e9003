/**
 * The page's side of choosing the backend by measurement: once the engine has started without a `?backend=` choice
 * and the view has drawn its first animated frame, asks the worker to measure (or read the cached measurement of)
 * the view's workload on each backend; a click, tap or key press stops a running measurement. Each view is measured
 * once per page load.
 */
import { useEffect, useRef, useState } from 'react';
import type { BackendInfo, EngineClient } from '../../engine/client';
import { FIRST_FRAME_MARK } from '../firstFrame';

/**
 * Without that mark (a view that sets none), the measurement starts this long after the engine started: late enough
 * that a view's first run is normally drawn on this machine.
 */
export const MEASURE_FALLBACK_MS = 10_000;
/** The pause between the first frame and the measurement, so that the view's next frames come first. */
export const MEASURE_DELAY_MS = 800;

/** Resolves once the first-frame mark exists (or after the fallback delay); `cancelled` stops waiting. */
function afterFirstFrame(cancelled: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      observer?.disconnect();
      clearTimeout(fallback);
      if (!cancelled()) setTimeout(resolve, MEASURE_DELAY_MS);
    };
    const fallback = setTimeout(done, MEASURE_FALLBACK_MS);
    let observer: PerformanceObserver | null = null;
    if (performance.getEntriesByName(FIRST_FRAME_MARK, 'mark').length) {
      done();
      return;
    }
    try {
      observer = new PerformanceObserver((list) => {
        if (list.getEntriesByName(FIRST_FRAME_MARK).length) done();
      });
      observer.observe({ type: 'mark' });
    } catch {
      // No PerformanceObserver: the fallback delay starts it.
    }
  });
}

/**
 * Measures the backends for `view` after its first frame and reports the updated backend info through `onInfo`.
 * @returns whether a measurement is running now (for the status line).
 */
export function useBackendMeasure(engine: EngineClient, backend: BackendInfo | null, view: string, onInfo: (info: BackendInfo) => void): boolean {
  const [measuring, setMeasuring] = useState(false);
  const done = useRef(new Set<string>());
  const ready = backend !== null && backend.requested === null;
  useEffect(() => {
    if (!ready || done.current.has(view)) return;
    let cancelled = false;
    let running = false;
    const stop = () => void engine.cancelMeasure().catch(() => undefined);
    afterFirstFrame(() => cancelled).then(() => {
      if (cancelled) return;
      done.current.add(view);
      running = true;
      setMeasuring(true);
      window.addEventListener('pointerdown', stop, true);
      window.addEventListener('keydown', stop, true);
      engine
        .measureBackends(view)
        // The worker's answer is applied even after a view change: it says which backend now runs.
        .then(onInfo, (err: unknown) => console.warn('backend measurement failed', err))
        .finally(() => {
          running = false;
          window.removeEventListener('pointerdown', stop, true);
          window.removeEventListener('keydown', stop, true);
          setMeasuring(false);
        });
    });
    return () => {
      cancelled = true;
      // A view change stops the running measurement of the view left.
      if (running) stop();
    };
  }, [engine, ready, view, onInfo]);
  return measuring;
}
