// @vitest-environment jsdom
/**
 * The streamed run hook (src/ui/hooks/useStreamedRun.ts) under React Testing Library, with a hand-driven worker API
 * and requestAnimationFrame: a run plays from its first chunk, waits at the last sampled frame, and its complete
 * payload takes the streamed one's place without moving the playback back to t = 0; a cancelled run's frames are
 * dropped and the last complete run is shown again.
 */
import { act, renderHook } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { frame, installManualFrames } from './manualFrames';
import type { FrameChunk, FramesCallback } from '../../../src/engine/client';
import { PLAYBACK_MS } from '../../../src/ui/hooks/usePlayback';
import { useStreamedRun, type StreamingSampler } from '../../../src/ui/hooks/useStreamedRun';

installManualFrames();

interface Run {
  n: number;
  mu: Float32Array;
}
type Options = { seed: number };

/** A worker API whose runs the test drives: each sample call's frame callback, resolve and reject. */
function fakeApi() {
  const calls: { onFrames?: FramesCallback<Run>; resolve: (p: Run) => void; reject: (e: unknown) => void }[] = [];
  const api: StreamingSampler<Options, Run> = {
    sample: (_options, _onProgress, onFrames) => new Promise<Run>((resolve, reject) => void calls.push({ onFrames, resolve, reject })),
    cancelSample: vi.fn(() => Promise.resolve()),
  };
  return { api, calls };
}

/** A chunk of frames [from, to) of a run with n steps and one value per frame (the frame's index + 1). */
function chunk(n: number, from: number, to: number, head: boolean): FrameChunk<Run> {
  return { from, to, values: { mu: Float32Array.from({ length: to - from }, (_, k) => from + k + 1) }, ...(head ? { head: { n, mu: new Float32Array(n + 1) } } : {}) };
}

describe('useStreamedRun', () => {
  test('plays from the first frames, waits at the last sampled one, and the complete run keeps the position', async () => {
    const { api, calls } = fakeApi();
    const onError = vi.fn();
    const view = renderHook(() => useStreamedRun<Options, Run>('test', api, { active: true, reducedMotion: false, onError }));
    const h = () => view.result.current;
    const n = 20;
    act(() => h().start({ seed: 1 }));
    expect(calls).toHaveLength(1);
    expect(h().payload).toBeNull();
    act(() => calls[0]!.onFrames!(chunk(n, 0, 1, true)));
    act(() => calls[0]!.onFrames!(chunk(n, 1, 5, false)));
    expect(h().framesReady).toBe(5);
    expect(Array.from(h().payload!.mu.slice(0, 6))).toEqual([1, 2, 3, 4, 5, 0]);
    expect(h().playback.playing).toBe(true);
    // Half the run's playing time passes: playback waits at frame 4, the last sampled one.
    for (let now = 0; now <= PLAYBACK_MS / 2; now += 50) frame(now);
    expect(h().playback.pos).toBe(4);
    expect(h().playback.playing).toBe(true);
    // Seeking beyond the sampled frames stops at the last one.
    act(() => h().playback.seek(15));
    expect(h().playback.pos).toBe(4);
    act(() => h().playback.seek(3));
    // The complete run arrives: it is shown, the position stays.
    const complete: Run = { n, mu: Float32Array.from({ length: n + 1 }, (_, k) => k + 1) };
    await act(async () => calls[0]!.resolve(complete));
    expect(h().payload).toBe(complete);
    expect(h().complete).toBe(complete);
    expect(h().framesReady).toBeNull();
    expect(h().run).toBeNull();
    expect(h().playback.pos).toBe(3);
    expect(onError).not.toHaveBeenCalled();
  });

  test('a cancelled run\'s frames are dropped: the last complete run is shown again', async () => {
    const { api, calls } = fakeApi();
    const view = renderHook(() => useStreamedRun<Options, Run>('test', api, { active: true, reducedMotion: false, onError: () => undefined }));
    const h = () => view.result.current;
    act(() => h().start({ seed: 1 }));
    const first: Run = { n: 4, mu: Float32Array.of(1, 2, 3, 4, 5) };
    await act(async () => calls[0]!.resolve(first));
    expect(h().payload).toBe(first);
    act(() => h().start({ seed: 2 }));
    act(() => calls[1]!.onFrames!(chunk(10, 0, 3, true)));
    expect(h().payload!.n).toBe(10);
    act(() => h().cancel());
    expect(api.cancelSample).toHaveBeenCalledTimes(1);
    expect(h().payload).toBe(first);
    expect(h().framesReady).toBeNull();
    // A chunk that still arrives after the cancel changes nothing.
    act(() => calls[1]!.onFrames!(chunk(10, 3, 4, false)));
    expect(h().payload).toBe(first);
  });

  test('under reduced motion no frames are asked for: the run is shown once complete', () => {
    const { api, calls } = fakeApi();
    const view = renderHook(() => useStreamedRun<Options, Run>('test', api, { active: true, reducedMotion: true, onError: () => undefined }));
    act(() => view.result.current.start({ seed: 1 }));
    expect(calls[0]!.onFrames).toBeUndefined();
  });
});
