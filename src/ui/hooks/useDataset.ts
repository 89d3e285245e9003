/**
 * The points of the current dataset on the main thread: a built-in dataset drawn from its generator (training
 * points, the points the plot shows, held-out points and an independent reference draw for the metric), or the
 * user's own points (drawn or uploaded), which are kept in IndexedDB.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createRng } from '../../data/random';
import { DISPLAY_POINTS, playgroundPoints } from '../../data/playgroundPoints';
import { DATASETS_2D } from '../../data/toy2d';
import { METRIC_SETTINGS } from '../../engine/protocol';
import { loadCustomPoints, saveCustomPoints } from '../../state/persist';
import { CUSTOM_DATASET } from '../../state/urlState';
import { errorMessage } from '../format';

/** The current dataset's points, all row-major [n, 2] in [-1, 1]. */
export interface DatasetPoints {
  id: string;
  name: string;
  description: string;
  custom: boolean;
  /** False while the user's points are being read from IndexedDB. */
  loaded: boolean;
  train: Float32Array;
  display: Float32Array;
  /** Null when there are fewer than 2 points (nothing to train on or measure against). */
  metric: { heldOut: Float32Array; reference: Float32Array } | null;
}

/** What {@link useDataset} returns: the points, and a setter for the user's own points. */
export interface DatasetHandle {
  points: DatasetPoints;
  /** Replaces the user's points (and saves them in IndexedDB). */
  setCustomPoints: (points: Float32Array) => void;
  /** The last IndexedDB problem, in words, or null. */
  storageProblem: string | null;
}

/** Held-out and reference sets for the user's own points: (a subset of) the points, and a resample of them. */
function customMetricSets(points: Float32Array): DatasetPoints['metric'] {
  const n = points.length / 2;
  if (n < 2) return null;
  const m = Math.min(n, METRIC_SETTINGS.heldOut);
  const heldOut = new Float32Array(2 * m);
  for (let j = 0; j < m; j++) {
    const r = Math.floor((j * n) / m);
    heldOut[2 * j] = points[2 * r]!;
    heldOut[2 * j + 1] = points[2 * r + 1]!;
  }
  // There is no second draw of a drawing: resample it with replacement for the data-vs-data reference.
  const rng = createRng('reference:custom');
  const reference = new Float32Array(2 * METRIC_SETTINGS.heldOut);
  for (let j = 0; j < METRIC_SETTINGS.heldOut; j++) {
    const r = Math.floor(rng.uniform() * n);
    reference[2 * j] = points[2 * r]!;
    reference[2 * j + 1] = points[2 * r + 1]!;
  }
  return { heldOut, reference };
}

/** The points of dataset `id` (built-in training points depend on `seed`). */
export function useDataset(id: string, seed: number): DatasetHandle {
  const [custom, setCustom] = useState<Float32Array | null>(null);
  const [storageProblem, setStorageProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    loadCustomPoints().then(
      (p) => live && setCustom(p ?? new Float32Array(0)),
      (err: unknown) => {
        if (!live) return;
        setCustom(new Float32Array(0));
        setStorageProblem(`your saved points could not be read (${errorMessage(err)})`);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const setCustomPoints = useCallback((p: Float32Array) => {
    setCustom(p);
    saveCustomPoints(p).then(
      () => setStorageProblem(null),
      (err: unknown) => setStorageProblem(`your points could not be saved in this browser (${errorMessage(err)})`),
    );
  }, []);

  const builtin = useMemo(() => {
    const d = DATASETS_2D.find((x) => x.id === id);
    if (!d) return null;
    const { train, heldOut, reference } = playgroundPoints(d.id, seed);
    return {
      id: d.id, name: d.name, description: d.description, custom: false, loaded: true,
      train, display: train.subarray(0, 2 * DISPLAY_POINTS), metric: { heldOut, reference },
    } satisfies DatasetPoints;
  }, [id, seed]);

  const own = useMemo((): DatasetPoints => {
    const p = custom ?? new Float32Array(0);
    return {
      id: CUSTOM_DATASET, name: 'Your points', description: 'Points you drew or uploaded (kept in this browser).',
      custom: true, loaded: custom !== null, train: p, display: p, metric: customMetricSets(p),
    };
  }, [custom]);

  return { points: builtin ?? own, setCustomPoints, storageProblem };
}
