/**
 * The points of the current dataset on the main thread: a built-in dataset drawn from its generator (training
 * points, the points the plot shows, held-out points and an independent reference draw for the metric), or the
 * user's own points (drawn or uploaded), which are kept in IndexedDB.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { DISPLAY_POINTS, playgroundPoints, splitCustomPoints } from '../../../data/playgroundPoints';
import { DATASETS_2D } from '../../../data/toy2d';
import { loadCustomPoints, saveCustomPoints } from '../../../state/persist';
import { decodePoints, pointsCodeOf, PointsLinkError, withPointsCode } from '../../../state/pointsLink';
import { CUSTOM_DATASET } from '../../../state/urlState';
import { errorMessage } from '../../../ui/format';

/** The current dataset's points, all row-major [n, 2] in [-1, 1]. */
export interface DatasetPoints {
  id: string;
  name: string;
  description: string;
  custom: boolean;
  /** False while the user's points are being read from IndexedDB. */
  loaded: boolean;
  /** The points the network trains on (your points less the held-out ones). */
  train: Float32Array;
  /** Every point of the dataset as its owner sees it: a built-in's training points, or all of your points. */
  all: Float32Array;
  /** The points the plot shows (a subset of a built-in's training points; all of yours). */
  display: Float32Array;
  /**
   * The metric's held-out points and reference draw; null when there are fewer than 2 points. `heldOutFromTraining`
   * is true when there were too few of your points to hold some out, so the "held-out" points are training points.
   */
  metric: { heldOut: Float32Array; reference: Float32Array; heldOutFromTraining: boolean } | null;
}

/** What {@link useDataset} returns: the points, and a setter for the user's own points. */
export interface DatasetHandle {
  points: DatasetPoints;
  /** Replaces the user's points (and saves them in IndexedDB). */
  setCustomPoints: (points: Float32Array) => void;
  /** The last IndexedDB problem, in words, or null. */
  storageProblem: string | null;
  /** Where the user's points came from when a link carried them (or failed to), in words, else null. */
  linkNote: string | null;
}

/** The points of dataset `id` (built-in training points depend on `seed`). */
export function useDataset(id: string, seed: number): DatasetHandle {
  const [custom, setCustom] = useState<Float32Array | null>(null);
  const [storageProblem, setStorageProblem] = useState<string | null>(null);
  const [linkNote, setLinkNote] = useState<string | null>(null);

  // Points carried by the link (#points=...) are shown instead of the saved ones, without replacing them: they are
  // saved only once the user edits them. A link opened in this tab changes only the fragment (no reload): read it again.
  const [hashCode, setHashCode] = useState(() => pointsCodeOf(location.hash));
  useEffect(() => {
    const onHash = () => setHashCode(pointsCodeOf(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    let live = true;
    const code = hashCode;
    const fromLink = code === null ? Promise.resolve(null) : decodePoints(code);
    fromLink.then(
      (p) => {
        if (!live) return;
        if (p) {
          setCustom(p);
          setLinkNote(`Showing the ${(p.length / 2).toLocaleString('en')} points that came with the link. Points saved in this browser are kept until you draw, upload or clear.`);
          return;
        }
        return loadCustomPoints().then((saved) => live && setCustom(saved ?? new Float32Array(0)));
      },
      (err: unknown) => {
        if (!live) return;
        setLinkNote(`The link's points could not be read: ${err instanceof PointsLinkError ? err.message : errorMessage(err)} Your saved points are shown instead.`);
        return loadCustomPoints().then((saved) => live && setCustom(saved ?? new Float32Array(0)));
      },
    ).catch((err: unknown) => {
      if (!live) return;
      setCustom(new Float32Array(0));
      setStorageProblem(`your saved points could not be read (${errorMessage(err)})`);
    });
    return () => {
      live = false;
    };
  }, [hashCode]);

  const setCustomPoints = useCallback((p: Float32Array) => {
    setCustom(p);
    // Edited points are the user's own now: the link's copy no longer describes them.
    if (pointsCodeOf(location.hash) !== null) {
      history.replaceState(history.state, '', `${location.pathname}${location.search}${withPointsCode(location.hash, null)}`);
      setLinkNote(null);
    }
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
      train, all: train, display: train.subarray(0, 2 * DISPLAY_POINTS), metric: { heldOut, reference, heldOutFromTraining: false },
    } satisfies DatasetPoints;
  }, [id, seed]);

  const own = useMemo((): DatasetPoints => {
    const p = custom ?? new Float32Array(0);
    const { train, metric } = splitCustomPoints(p);
    return {
      id: CUSTOM_DATASET, name: 'Your points', description: 'Points you drew or uploaded (kept in this browser).',
      custom: true, loaded: custom !== null, train, all: p, display: p, metric,
    };
  }, [custom]);

  return { points: builtin ?? own, setCustomPoints, storageProblem, linkNote };
}
