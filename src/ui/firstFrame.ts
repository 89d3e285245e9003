/**
 * The page's "first animated frame" mark, which `npm run bench -- --only first-frame` and the browser tests read.
 *
 * Definition: `performance.mark(FIRST_FRAME_MARK)` is set once per page load, in the commit (React effect) that first
 * puts on screen
 * - in a view with a trajectory player (2D, MNIST, grey-scale MNIST, words): a frame with t > 0 of a trajectory that is
 *   playing (frame position > 0 while the timeline plays): the animation has begun to move;
 * - in a view without autoplay (the K = 3 simplex, Learn): its first figure computed by the engine worker (the
 *   simplex's flow heat map, Learn's Bayesian-update widget).
 * The mark's `startTime` is milliseconds from navigation start (the page's time origin); the browser paints that
 * commit at its next frame. Its `detail` names the view and where the frames came from (`live`, or `streamed` while
 * the rest of the run is still being sampled, `recorded` for a recorded opening of the view's first run).
 */

import { useEffect, useEffectEvent } from 'react';

/** The name of the mark. */
export const FIRST_FRAME_MARK = 'bfn-first-frame';

/** What the mark's `detail` carries. */
export interface FirstFrameDetail {
  /** The view's id (src/ui/views.tsx). */
  view: string;
  /**
   * Where the frame came from: a complete live run, a live run still being sampled, or the recorded opening of the
   * view's first run (src/engine/opening.ts), played while the engine starts.
   */
  source: 'live' | 'streamed' | 'recorded';
  /** A streamed trajectory: how many of its `frames` frames were sampled when the first one was shown. */
  framesReady?: number;
  frames?: number;
}

/** Sets the first-frame mark unless this page already has one. */
export function markFirstFrame(detail: FirstFrameDetail): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  if (performance.getEntriesByName(FIRST_FRAME_MARK, 'mark').length) return;
  performance.mark(FIRST_FRAME_MARK, { detail });
}

/**
 * Sets the first-frame mark (see {@link markFirstFrame}) in the commit where `shown` first becomes true. Called by
 * the component that draws the frame (or by its parent, whose effects run after its children have drawn).
 */
export function useFirstFrameMark(shown: boolean, detail: FirstFrameDetail): void {
  // The detail as it stands in the commit that shows the frame.
  const mark = useEffectEvent(() => markFirstFrame(detail));
  useEffect(() => {
    if (shown) mark();
  }, [shown]);
}
