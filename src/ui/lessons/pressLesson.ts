/**
 * Presses a lesson's controls (./lessons.ts Lesson.press) once the 2D view has shown its first run: the Model panel's
 * "Ideal denoiser", the Training panel's "Step". The page's own controls do the work, as if the student pressed them, so
 * that the view's state stays its own. Hand-written: a few DOM clicks on a timer, for which no library is needed.
 */
import { useEffect, useState } from 'react';
import { loadTrainedModel } from '../../state/persist';
import type { Lesson } from './lessons';

/** How often the page looks for the view's first run and the next control, and for how long at most. */
const POLL_MS = 200;
const GIVE_UP_MS = 120_000;

/** The Training panel's Step button: pressing it trains, and the 2D view then saves the network over the saved one. */
const STEP = 'train-step-button';

/**
 * Presses `lesson.press` in order, each once it is there and enabled, after the 2D view's first run is shown (the
 * run-info line says so): a model chosen before the view loads its shipped model would be replaced by it. Step is
 * not pressed when a network trained by the user is saved in this browser (a step would replace it): the lesson note
 * says so instead. Gives up silently after two minutes (the engine did not start); does nothing for a lesson without
 * presses. @returns true when Step was left unpressed to keep the user's saved network.
 */
export function useLessonPresses(lesson: Lesson | undefined): boolean {
  const [keptSaved, setKeptSaved] = useState(false);
  useEffect(() => {
    const wanted = [...(lesson?.press ?? [])];
    if (wanted.length === 0) return;
    let timer = 0;
    let cancelled = false;
    void (wanted.includes(STEP) ? loadTrainedModel().catch(() => null) : Promise.resolve(null)).then((saved) => {
      if (cancelled) return;
      const queue = saved ? wanted.filter((id) => id !== STEP) : wanted;
      setKeptSaved(saved !== null);
      if (queue.length === 0) return;
      const start = performance.now();
      timer = window.setInterval(() => {
        const ready = document.querySelector('[data-testid="run-info"][data-ready="yes"]') !== null;
        const next = ready ? document.querySelector<HTMLButtonElement>(`[data-testid="${queue[0]}"]`) : null;
        if (next && !next.disabled) {
          next.click();
          queue.shift();
        }
        if (queue.length === 0 || performance.now() - start > GIVE_UP_MS) window.clearInterval(timer);
      }, POLL_MS);
    });
    return () => {
      cancelled = true;
      window.clearInterval(timer);
    };
  }, [lesson]);
  return keptSaved;
}
