/**
 * The support metrics of src/train/knnMetrics.ts (k-NN precision and recall of Kynkäänniemi et al. 2019, the
 * off-support share, the standard error helper): known answers on constructed point sets, the grid search against a
 * brute-force search, the errors on bad input, and the 2D acceptance bar built on them.
 */
import { describe, expect, test } from 'vitest';
import { createRng } from '../../src/data/random';
import { sampleDataset } from '../../src/data/toy2d';
import {
  KNN_K,
  knnPrecisionRecall,
  kthNeighbourDistances,
  meanAndSE,
  offSupportShare,
  supportCoverage,
  supportMetrics,
} from '../../src/train/knnMetrics';
import { evaluate2D, evaluationBar2D } from '../../src/kinds/points2d/evaluate';

/** n points of an isotropic Gaussian with standard deviation `sd` around (cx, cy), [n, 2]. */
function blob(n: number, cx: number, cy: number, sd: number, seed: string): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = cx + sd * rng.normal();
    out[2 * i + 1] = cy + sd * rng.normal();
  }
  return out;
}

const concat = (...sets: Float32Array[]) => {
  const out = new Float32Array(sets.reduce((s, x) => s + x.length, 0));
  let at = 0;
  for (const x of sets) {
    out.set(x, at);
    at += x.length;
  }
  return out;
};

const points = (xy: number[][]) => Float32Array.from(xy.flat());

describe('k-NN support radii', () => {
  // Points on a line at x = 0, 0.1, 0.3, 0.6, 1 (gaps 0.1, 0.2, 0.3, 0.4); their sorted distances to the others:
  // 0: .1 .3 .6 1 | 0.1: .1 .2 .5 .9 | 0.3: .2 .3 .3 .7 | 0.6: .3 .4 .5 .6 | 1: .4 .7 .9 1.
  const line = points([[0, 0], [0.1, 0], [0.3, 0], [0.6, 0], [1, 0]]);

  test.each([
    [1, [0.1, 0.1, 0.2, 0.3, 0.4]],
    [2, [0.3, 0.2, 0.3, 0.4, 0.7]],
    [3, [0.6, 0.5, 0.3, 0.5, 0.9]],
    [4, [1, 0.9, 0.7, 0.6, 1]],
  ])('k = %i: the distance to the k-th nearest other point', (k, expected) => {
    const r = kthNeighbourDistances(line, k);
    expect(r.length).toBe(5);
    expected.forEach((e, i) => expect(r[i], `point ${i}`).toBeCloseTo(e, 6));
  });

  test('a duplicate of a point is a neighbour at distance 0; the point itself is not', () => {
    const r = kthNeighbourDistances(points([[0, 0], [0, 0], [3, 4]]), 1);
    expect(Array.from(r)).toEqual([0, 0, 5]);
  });

  test('needs more than k points and a positive integer k', () => {
    expect(() => kthNeighbourDistances(line, 5)).toThrow(/at least 6 points, got 5/);
    expect(() => kthNeighbourDistances(line, 0)).toThrow(/k must be a positive integer/);
    expect(() => kthNeighbourDistances(line, 1.5)).toThrow(/k must be a positive integer/);
    expect(() => kthNeighbourDistances(new Float32Array(5), 1)).toThrow(/odd length 5/);
    expect(() => kthNeighbourDistances(points([[0, 0], [NaN, 1], [2, 2]]), 1)).toThrow(/non-finite coordinate at index 2/);
  });
});

describe('support coverage', () => {
  test('balls are closed: a query at exactly the radius is inside', () => {
    // Radii 0.5 around (0, 0) and 0.25 around (1, 0): (0.5, 0) and (0.75, 0) lie on the spheres (exact in float32);
    // (0.6, 0) is 0.6 > 0.5 from the first and 0.4 > 0.25 from the second.
    const share = supportCoverage(points([[0, 0], [1, 0]]), [0.5, 0.25], points([[0.5, 0], [0.75, 0], [0.6, 0]]));
    expect(share).toBe(2 / 3);
  });

  test('rejects radii that do not match the support or are negative', () => {
    expect(() => supportCoverage(points([[0, 0], [1, 0]]), [0.5], points([[0, 0]]))).toThrow(/one radius per support point \(2\), got 1/);
    expect(() => supportCoverage(points([[0, 0]]), [-1], points([[0, 0]]))).toThrow(/radii must be >= 0, got -1/);
    expect(() => supportCoverage(points([[0, 0]]), [NaN], points([[0, 0]]))).toThrow(/radii must be >= 0/);
  });
});

describe('k-NN precision and recall (Kynkäänniemi et al. 2019)', () => {
  test('identical sets: precision = recall = 1', () => {
    const a = blob(300, 0, 0, 0.3, 'same');
    expect(knnPrecisionRecall(a, a.slice())).toEqual({ precision: 1, recall: 1 });
  });

  test('sets far apart: precision = recall = 0', () => {
    const a = blob(200, -0.5, 0, 0.02, 'a');
    const b = blob(200, 0.5, 0, 0.02, 'b');
    expect(knnPrecisionRecall(a, b)).toEqual({ precision: 0, recall: 0 });
  });

  test.each([
    [50, 50, 0.5],
    [60, 40, 0.6],
  ])('samples equal to one cluster (%i points) of two (the other %i): precision 1, recall %f', (nA, nB, recall) => {
    // Real data: clusters A around (-0.5, 0) and B around (0.5, 0), sd 0.02 (all points within 0.15 of the centre:
    // checked below). Samples: exactly A's points. Every sample is a real point (distance 0), so precision = 1.
    // Every real point of A is a sample (distance 0); every real point of B is > 0.7 from every sample while the
    // samples' k-NN radii are < 0.3 (A's diameter), so recall = nA / (nA + nB) exactly.
    const A = blob(nA, -0.5, 0, 0.02, `A${nA}`);
    const B = blob(nB, 0.5, 0, 0.02, `B${nB}`);
    for (const [set, cx] of [[A, -0.5], [B, 0.5]] as const) {
      for (let i = 0; i < set.length / 2; i++) expect(Math.hypot(set[2 * i]! - cx, set[2 * i + 1]!)).toBeLessThan(0.15);
    }
    expect(knnPrecisionRecall(concat(A, B), A.slice())).toEqual({ precision: 1, recall });
  });

  test('samples drawn afresh from one of two equal clusters: precision near 1, recall at most 1/2', () => {
    const real = concat(blob(500, -0.5, 0, 0.05, 'realA'), blob(500, 0.5, 0, 0.05, 'realB'));
    const { precision, recall } = knnPrecisionRecall(real, blob(1000, -0.5, 0, 0.05, 'fakeA'));
    expect(precision).toBeGreaterThan(0.95);
    expect(recall).toBeLessThanOrEqual(0.5);
    expect(recall).toBeGreaterThan(0.45);
  });

  test('agrees with a sort-based brute force on random sets', () => {
    const real = blob(150, 0, 0, 0.3, 'r');
    const fake = blob(120, 0.1, 0, 0.4, 'f');
    const radius = (x: Float32Array, i: number, k: number) => {
      const d: number[] = [];
      for (let j = 0; j < x.length / 2; j++) if (j !== i) d.push(Math.hypot(x[2 * i]! - x[2 * j]!, x[2 * i + 1]! - x[2 * j + 1]!));
      return d.sort((u, v) => u - v)[k - 1]!;
    };
    const share = (support: Float32Array, queries: Float32Array, k: number) => {
      const r = Array.from({ length: support.length / 2 }, (_, j) => radius(support, j, k));
      let inside = 0;
      for (let i = 0; i < queries.length / 2; i++) {
        if (r.some((rj, j) => Math.hypot(queries[2 * i]! - support[2 * j]!, queries[2 * i + 1]! - support[2 * j + 1]!) <= rj)) inside++;
      }
      return inside / (queries.length / 2);
    };
    for (const k of [1, 3, KNN_K]) {
      const got = knnPrecisionRecall(real, fake, k);
      expect(got.precision, `precision, k = ${k}`).toBe(share(real, fake, k));
      expect(got.recall, `recall, k = ${k}`).toBe(share(fake, real, k));
      expect(got.precision).toBeGreaterThan(0.3);
      expect(got.precision).toBeLessThan(1);
    }
  });
});

describe('off-support share', () => {
  test('0 for the data itself at a large delta, 1 for points far away', () => {
    const reference = sampleDataset('checkerboard', 20000, 'offsupport-test:reference');
    const fresh = sampleDataset('checkerboard', 1000, 'offsupport-test:fresh');
    expect(offSupportShare(fresh, reference, 0.5)).toBe(0);
    const far = fresh.map((v) => v + 5);
    expect(offSupportShare(far, reference, 0.5)).toBe(1);
  });

  test('an exact fraction for a constructed mix', () => {
    // Reference: the 11 x 11 lattice {0, 0.1, ..., 1}^2; delta = 0.05. Samples: 6 lattice points (distance 0),
    // 3 points 0.03 right of a lattice point (on the support), 4 cell centres (distance 0.05 sqrt 2 = 0.0707 > delta)
    // and 2 points far outside: 6 of 15 are off the support.
    const reference = points(Array.from({ length: 121 }, (_, c) => [0.1 * (c % 11), 0.1 * Math.floor(c / 11)]));
    const samples = points([
      [0, 0], [1, 1], [0.5, 0.5], [0.3, 0.7], [1, 0], [0, 1],
      [0.03, 0], [0.43, 0.2], [0.93, 0.9],
      [0.05, 0.05], [0.45, 0.55], [0.95, 0.95], [0.65, 0.15],
      [2, 2], [-1, 0.5],
    ]);
    expect(offSupportShare(samples, reference, 0.05)).toBe(6 / 15);
  });

  test('a sample at exactly delta is on the support', () => {
    expect(offSupportShare(points([[0.25, 0], [0, -0.25], [0.5, 0.5]]), points([[0, 0], [3, 3]]), 0.25)).toBe(1 / 3);
  });

  test.each([1e-4, 0.01, 0.05, 0.2, 10])('agrees with a brute-force search at delta = %f', (delta) => {
    const reference = sampleDataset('spirals', 3000, 'offsupport-test:spirals');
    const samples = blob(500, 0, 0, 0.6, 'offsupport-test:samples');
    let off = 0;
    for (let i = 0; i < 500; i++) {
      let near = false;
      for (let j = 0; j < 3000 && !near; j++) near = Math.hypot(samples[2 * i]! - reference[2 * j]!, samples[2 * i + 1]! - reference[2 * j + 1]!) <= delta;
      if (!near) off++;
    }
    expect(offSupportShare(samples, reference, delta)).toBe(off / 500);
  });

  test('a reference on one line (an empty bounding box) works', () => {
    const reference = points(Array.from({ length: 50 }, (_, i) => [i / 49, 0.5]));
    expect(offSupportShare(points([[0.5, 0.52], [0.5, 0.6], [-0.2, 0.5]]), reference, 0.05)).toBe(2 / 3);
  });

  test('rejects a bad delta or shape', () => {
    const p = points([[0, 0]]);
    expect(() => offSupportShare(p, p, 0)).toThrow(/delta must be positive and finite, got 0/);
    expect(() => offSupportShare(p, p, Infinity)).toThrow(/delta must be positive and finite/);
    expect(() => offSupportShare(new Float32Array(0), p, 0.1)).toThrow(/samples must hold at least 1 points, got 0/);
    expect(() => offSupportShare(p, new Float32Array(3), 0.1)).toThrow(/reference must be \[n, 2\] row-major, got an odd length 3/);
  });
});

describe('supportMetrics and meanAndSE', () => {
  test('supportMetrics combines precision and recall against held-out points with the off-support share', () => {
    const heldOut = concat(blob(100, -0.5, 0, 0.02, 'hA'), blob(100, 0.5, 0, 0.02, 'hB'));
    const samples = heldOut.subarray(0, 200);
    // Samples: held-out cluster A exactly; the reference is cluster B only, 0.7 or more away.
    const m = supportMetrics(samples, heldOut, heldOut.subarray(200), { k: 3, delta: 0.1 });
    expect(m).toEqual({ precision: 1, recall: 0.5, offSupport: 1 });
  });

  test('standard error of the mean: sqrt(sample variance / n)', () => {
    // [1, 2, 3, 4]: mean 2.5, sample variance (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3, se = sqrt(5/12).
    const { mean, se } = meanAndSE([1, 2, 3, 4]);
    expect(mean).toBe(2.5);
    expect(se).toBeCloseTo(Math.sqrt(5 / 12), 14);
    expect(meanAndSE([7, 7, 7])).toEqual({ mean: 7, se: 0 });
    expect(meanAndSE([3]).se).toBeNaN();
    expect(() => meanAndSE([])).toThrow(/at least one value/);
  });
});

describe('the 2D acceptance bar', () => {
  const good = { precision: 0.97, recall: 0.96, offSupport: 0.002, dataOffSupport: 0.001 };

  test('passes at the limits: precision and recall 0.95, off-support twice the data\'s or the 0.5 % floor', () => {
    expect(evaluationBar2D(good)).toEqual([]);
    expect(evaluationBar2D({ precision: 0.95, recall: 0.95, offSupport: 0.012, dataOffSupport: 0.006 })).toEqual([]);
    expect(evaluationBar2D({ ...good, offSupport: 0.005, dataOffSupport: 0 })).toEqual([]);
  });

  test('names each failed condition', () => {
    expect(evaluationBar2D({ ...good, precision: 0.758 })).toEqual(['precision 0.758 < 0.95']);
    expect(evaluationBar2D({ ...good, recall: 0.9 })).toEqual(['recall 0.900 < 0.95']);
    expect(evaluationBar2D({ ...good, offSupport: 0.0121, dataOffSupport: 0.006 })).toEqual(["off-support share 0.0121 > 0.0120 (2 x the data's 0.0060, at least 0.005)"]);
    // Data with no off-support samples at all: the floor decides.
    expect(evaluationBar2D({ ...good, offSupport: 0.0051, dataOffSupport: 0 })).toEqual(["off-support share 0.0051 > 0.0050 (2 x the data's 0.0000, at least 0.005)"]);
    expect(evaluationBar2D({ precision: NaN, recall: 0.5, offSupport: 0.1, dataOffSupport: 0 })).toHaveLength(3);
  });

  test('evaluate2D needs at least 2 repeats for a standard error', async () => {
    const net = { net: () => { throw new Error('not reached'); } } as unknown as Parameters<typeof evaluate2D>[1];
    await expect(evaluate2D({ kind: 'continuous', sigma1: 0.02 }, net, 'two-moons', { samples: 10, steps: 2, seed: 1, repeats: 1 })).rejects.toThrow(/repeats must be an integer >= 2/);
  });
});
