/**
 * A hand-driven requestAnimationFrame for hook tests: animation frames run only when `frame(now)` is called, with
 * that timestamp, so each frame's time is exact. Call {@link installManualFrames} at the top of a test file.
 */
import { act, cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

/** The animation frames scheduled and not yet run, by id. */
export const queue = new Map<number, FrameRequestCallback>();
let nextId = 1;

/** Stubs requestAnimationFrame / cancelAnimationFrame before each test and cleans the page up after it. */
export function installManualFrames(): void {
  beforeEach(() => {
    queue.clear();
    nextId = 1;
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
      const id = nextId++;
      queue.set(id, cb);
      return id;
    });
    vi.stubGlobal('cancelAnimationFrame', (id: number) => queue.delete(id));
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });
}

/** Runs the animation frames scheduled so far at time `now` (ms). */
export function frame(now: number): void {
  const due = [...queue.values()];
  queue.clear();
  act(() => {
    for (const cb of due) cb(now);
  });
}
