// @vitest-environment jsdom
/**
 * The dataset hook (src/kinds/points2d/view/useDataset.ts) under React Testing Library: a built-in dataset's points, your own
 * points read from storage (IndexedDB, replaced here by a mock), points carried by a link (#points=...), and what
 * it says when storage or a link fails.
 */
import { Blob as NodeBlob } from 'node:buffer';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DISPLAY_POINTS, playgroundPoints, splitCustomPoints } from '../../../src/data/playgroundPoints';
import { DATASETS_2D } from '../../../src/data/toy2d';
import { encodePoints, pointsCodeOf } from '../../../src/state/pointsLink';
import { CUSTOM_DATASET } from '../../../src/state/urlState';
import { useDataset } from '../../../src/kinds/points2d/view/useDataset';

const storage = vi.hoisted(() => ({
  loadCustomPoints: vi.fn<() => Promise<Float32Array | null>>(),
  saveCustomPoints: vi.fn<(points: Float32Array) => Promise<void>>(),
}));
vi.mock('../../../src/state/persist', () => storage);

beforeEach(() => {
  // Link codes go through Blob.stream() and (De)CompressionStream: jsdom's Blob has no stream(), Node's has.
  vi.stubGlobal('Blob', NodeBlob);
  storage.loadCustomPoints.mockReset().mockResolvedValue(null);
  storage.saveCustomPoints.mockReset().mockResolvedValue(undefined);
  history.replaceState(null, '', '/');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const SAVED = new Float32Array([0.1, -0.2, 0.3, 0.4, -0.5, 0.6]);

describe('useDataset: built-in datasets', () => {
  test('a built-in dataset is its generator\'s draw for the seed: training points, the shown subset and the metric', async () => {
    const id = DATASETS_2D[0]!.id;
    const { result, rerender } = renderHook(({ seed }) => useDataset(id, seed), { initialProps: { seed: 7 } });
    const p = result.current.points;
    const expected = playgroundPoints(id, 7);
    expect(p.custom).toBe(false);
    expect(p.loaded).toBe(true);
    expect(p.train).toEqual(expected.train);
    expect(p.all).toBe(p.train);
    expect(p.display.length).toBe(2 * DISPLAY_POINTS);
    expect(p.display).toEqual(expected.train.subarray(0, 2 * DISPLAY_POINTS));
    expect(p.metric?.heldOut).toEqual(expected.heldOut);
    expect(p.metric?.reference).toEqual(expected.reference);
    expect(p.metric?.heldOutFromTraining).toBe(false);
    // The same seed gives the same object (no new draw per render); another seed another draw.
    rerender({ seed: 7 });
    expect(result.current.points).toBe(p);
    rerender({ seed: 8 });
    expect(result.current.points.train).not.toEqual(p.train);
    // Your points are read once, in the background, whatever the dataset.
    await waitFor(() => expect(storage.loadCustomPoints).toHaveBeenCalledTimes(1));
  });
});

describe('useDataset: your points', () => {
  test('they are not loaded until storage answers, then split for training and the metric', async () => {
    let answer: (p: Float32Array | null) => void = () => undefined;
    storage.loadCustomPoints.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const { result } = renderHook(() => useDataset(CUSTOM_DATASET, 0));
    expect(result.current.points.custom).toBe(true);
    expect(result.current.points.loaded).toBe(false);
    expect(result.current.points.metric).toBeNull();
    await act(async () => answer(SAVED));
    const p = result.current.points;
    expect(p.loaded).toBe(true);
    expect(p.all).toEqual(SAVED);
    expect(p.display).toEqual(SAVED);
    const split = splitCustomPoints(SAVED);
    expect(p.train).toEqual(split.train);
    expect(p.metric?.heldOutFromTraining).toBe(true); // 3 points: too few to hold some out
    expect(p.metric?.heldOut).toEqual(SAVED);
  });

  test('nothing saved is no points (loaded, and no metric); one point is still no metric', async () => {
    const { result } = renderHook(() => useDataset(CUSTOM_DATASET, 0));
    await waitFor(() => expect(result.current.points.loaded).toBe(true));
    expect(result.current.points.all.length).toBe(0);
    expect(result.current.points.metric).toBeNull();
    act(() => result.current.setCustomPoints(new Float32Array([0.5, 0.5])));
    expect(result.current.points.all).toEqual(new Float32Array([0.5, 0.5]));
    expect(result.current.points.metric).toBeNull();
    act(() => result.current.setCustomPoints(new Float32Array([0.5, 0.5, -0.5, 0])));
    expect(result.current.points.metric).not.toBeNull();
  });

  test('new points are saved; a failed save or read says so in words', async () => {
    storage.loadCustomPoints.mockRejectedValue(new Error('quota gone'));
    const { result } = renderHook(() => useDataset(CUSTOM_DATASET, 0));
    await waitFor(() => expect(result.current.storageProblem).toBe('your saved points could not be read (quota gone)'));
    expect(result.current.points.loaded).toBe(true);
    expect(result.current.points.all.length).toBe(0);

    storage.saveCustomPoints.mockRejectedValueOnce(new Error('disk full'));
    await act(async () => result.current.setCustomPoints(SAVED));
    expect(storage.saveCustomPoints).toHaveBeenLastCalledWith(SAVED);
    expect(result.current.storageProblem).toBe('your points could not be saved in this browser (disk full)');
    await act(async () => result.current.setCustomPoints(SAVED.subarray(0, 4)));
    expect(result.current.storageProblem).toBeNull(); // the next save worked
  });
});

describe('useDataset: points carried by a link', () => {
  test('the link\'s points are shown instead of the saved ones, which stay saved until you edit', async () => {
    const linked = new Float32Array([0.25, -0.75, 1, -1]);
    history.replaceState(null, '', `/#dataset=x&points=${await encodePoints(linked)}`);
    storage.loadCustomPoints.mockResolvedValue(SAVED);
    const { result } = renderHook(() => useDataset(CUSTOM_DATASET, 0));
    await waitFor(() => expect(result.current.points.loaded).toBe(true));
    expect(result.current.points.all).toEqual(linked);
    expect(result.current.linkNote).toBe('Showing the 2 points that came with the link. Points saved in this browser are kept until you draw, upload or clear.');
    expect(storage.loadCustomPoints).not.toHaveBeenCalled();
    expect(storage.saveCustomPoints).not.toHaveBeenCalled();

    // An edit makes them yours: saved, and the link's code leaves the address (the other fragment keys stay).
    const edited = new Float32Array([...linked, 0, 0]);
    await act(async () => result.current.setCustomPoints(edited));
    expect(storage.saveCustomPoints).toHaveBeenCalledWith(edited);
    expect(pointsCodeOf(location.hash)).toBeNull();
    expect(location.hash).toBe('#dataset=x');
    expect(result.current.linkNote).toBeNull();
    expect(result.current.points.all).toEqual(edited);
  });

  test('a damaged link says why and shows the saved points', async () => {
    history.replaceState(null, '', '/#points=AAAA');
    storage.loadCustomPoints.mockResolvedValue(SAVED);
    const { result } = renderHook(() => useDataset(CUSTOM_DATASET, 0));
    await waitFor(() => expect(result.current.points.loaded).toBe(true));
    expect(result.current.points.all).toEqual(SAVED);
    expect(result.current.linkNote).toMatch(/^The link's points could not be read: The link's points are damaged .* Your saved points are shown instead\.$/);
  });

  test('a link opened in the same tab (a hash change) is read again', async () => {
    const { result } = renderHook(() => useDataset(CUSTOM_DATASET, 0));
    await waitFor(() => expect(result.current.points.loaded).toBe(true));
    expect(result.current.points.all.length).toBe(0);
    const linked = new Float32Array([0.5, 0.5, -0.5, -0.5, 0, 0]);
    const code = await encodePoints(linked);
    await act(async () => {
      history.replaceState(null, '', `/#points=${code}`);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await waitFor(() => expect(result.current.points.all).toEqual(linked));
    expect(result.current.linkNote).toMatch(/^Showing the 3 points/);
  });
});
