/**
 * Presses a lesson's controls (./lessons.ts Lesson.press) once the 2D view has shown its first run: the Model panel's
 * "Ideal denoiser", the Training panel's "Step". The page's own controls do the work, as if the student pressed them, so
 * that the view's state stays its own. Hand-written: a few DOM clicks on a timer, for which no library is needed.
 */
import { useEffect } from 'react';
import type { Lesson } from './lessons';

/** How often the page looks for the view's first run and the next control, and for how long at most. */
const POLL_MS = 200;
const GIVE_UP_MS = 120_000;

/**
 * Presses `lesson.press` in order, each once it is there and enabled, after the 2D view's first run is shown (the
 * run-info line says so): a model chosen before the view loads its shipped model would be replaced by it.
 * Gives up silently after two minutes (the engine did not start); does nothing for a lesson without presses.
 */
export function useLessonPresses(lesson: Lesson | undefined): void {
  useEffect(() => {
    const queue = [...(lesson?.press ?? [])];
    if (queue.length === 0) return;
    const start = performance.now();
    const timer = window.setInterval(() => {
      const ready = document.querySelector('[data-testid="run-info"][data-ready="yes"]') !== null;
      const next = ready ? document.querySelector<HTMLButtonElement>(`[data-testid="${queue[0]}"]`) : null;
      if (next && !next.disabled) {
        next.click();
        queue.shift();
      }
      if (queue.length === 0 || performance.now() - start > GIVE_UP_MS) window.clearInterval(timer);
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [lesson]);
}
