/**
 * The 2D plot's paths (src/kinds/points2d/view/draw.ts): segments fade with their age in units of t (exponential,
 * down to a faint floor), the canvas draws each segment at the opacity of its age (within one of the dozen opacity
 * levels it groups them into), never past the current position, and follows mu or x_hat as chosen.
 */
import { describe, expect, test } from 'vitest';
import type { TrajectoryPayload } from '../../src/engine/protocol';
import { COLORS, drawScene, pathAlpha, plotGeometry, type PathOf } from '../../src/kinds/points2d/view/draw';

/** One stroke of the fake canvas: its opacity, colour and segments (pixel end points). */
interface Stroke {
  alpha: number;
  style: string;
  segments: [number, number, number, number][];
}

/** A 2D context that records strokes (all the paths layer uses), and ignores fills. */
function recordingContext(): { ctx: CanvasRenderingContext2D; strokes: Stroke[] } {
  const strokes: Stroke[] = [];
  let segments: [number, number, number, number][] = [];
  let at: [number, number] = [0, 0];
  const state = { globalAlpha: 1, strokeStyle: '', fillStyle: '', lineWidth: 1, lineCap: 'butt', lineJoin: 'miter' };
  const noop = () => undefined;
  const ctx = {
    ...state,
    canvas: { width: 400, height: 400 },
    setTransform: noop,
    clearRect: noop,
    save: noop,
    restore: noop,
    rect: noop,
    clip: noop,
    arc: noop,
    fill: noop,
    fillRect: noop,
    beginPath: () => {
      segments = [];
    },
    moveTo: (x: number, y: number) => {
      at = [x, y];
    },
    lineTo: (x: number, y: number) => {
      segments.push([at[0], at[1], x, y]);
      at = [x, y];
    },
    stroke() {
      strokes.push({ alpha: this.globalAlpha, style: String(this.strokeStyle), segments });
    },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, strokes };
}

/** One point over n steps: mu walks from x = -1 to x = 1 along y = 0, x_hat stays on y = 0.5. */
function onePointRun(n: number): TrajectoryPayload {
  const mu = new Float32Array(2 * (n + 1));
  const xHat = new Float32Array(2 * (n + 1));
  for (let k = 0; k <= n; k++) {
    mu[2 * k] = -1 + (2 * k) / n;
    xHat[2 * k] = -1 + (2 * k) / n;
    xHat[2 * k + 1] = 0.5;
  }
  return { n, points: 1, mu, xHat, y: new Float32Array(2 * n), rho: Float64Array.from({ length: n + 1 }, (_, k) => 1 + k), t: Float64Array.from({ length: n + 1 }, (_, k) => k / n) } as unknown as TrajectoryPayload;
}

function draw(n: number, pos: number, pathOf: PathOf) {
  const g = plotGeometry(400);
  const { ctx, strokes } = recordingContext();
  const payload = onePointRun(n);
  drawScene(ctx, g, 1, { data: null, payload, pos, layers: { data: false, y: false, paths: true, mu: false, xhat: false }, live: null, pending: null, pathOf });
  // Each segment with the frame it ends at (from its end point's x) and its opacity.
  const drawn = strokes.flatMap((s) => s.segments.map(([, , x1, y1]) => ({ end: ((g.x.invert(x1) + 1) * n) / 2, y: g.y.invert(y1), alpha: s.alpha, style: s.style })));
  return drawn;
}

describe('fading paths', () => {
  test('opacity: 0.8 for the newest segment, 0.05 + 0.75/e after t = 1/6, the floor 0.05 long after, the same at the same age in t', () => {
    expect(pathAlpha(0, 100)).toBeCloseTo(0.8, 12);
    expect(pathAlpha(100 / 6, 100)).toBeCloseTo(0.05 + 0.75 / Math.E, 12);
    expect(pathAlpha(1e9, 100)).toBeCloseTo(0.05, 12);
    expect(pathAlpha(10, 100)).toBeCloseTo(pathAlpha(2, 20), 12);
    for (let age = 0; age < 100; age++) expect(pathAlpha(age + 1, 100)).toBeLessThan(pathAlpha(age, 100));
  });

  test('the canvas draws each segment at the opacity of its age, none past the current position', () => {
    const n = 24;
    const pos = 18.5;
    const drawn = draw(n, pos, 'mu');
    // Segments 1..18 and the part of the 19th up to the position.
    expect(drawn.length).toBe(19);
    const step = (pathAlpha(0, n) - pathAlpha(Infinity, n)) / 11;
    for (const s of drawn) {
      expect(s.end).toBeLessThanOrEqual(pos + 1e-6);
      expect(s.style).toBe(COLORS.path);
      expect(s.y).toBeCloseTo(0, 9);
      // A whole segment ending at frame k is pos - k frames old; the part of the current step ends at pos (age 0).
      const age = Math.abs(s.end - pos) < 1e-6 ? 0 : pos - Math.round(s.end);
      expect(Math.abs(s.alpha - pathAlpha(age, n)), `segment ending at frame ${s.end}, age ${age}`).toBeLessThanOrEqual(step / 2 + 1e-9);
    }
    // Older is fainter: the oldest segment is near the floor, the newest near full.
    const byEnd = [...drawn].sort((a, b) => a.end - b.end);
    for (let i = 1; i < byEnd.length; i++) expect(byEnd[i]!.alpha).toBeGreaterThanOrEqual(byEnd[i - 1]!.alpha);
    expect(byEnd[0]!.alpha).toBeLessThan(0.15);
    expect(byEnd.at(-1)!.alpha).toBeGreaterThan(0.7);
  });

  test("x_hat's paths follow the predictions, in their colour", () => {
    const drawn = draw(12, 12, 'xhat');
    expect(drawn.length).toBe(12);
    for (const s of drawn) {
      expect(s.y).toBeCloseTo(0.5, 9);
      expect(s.style).toBe(COLORS.xHat);
    }
  });
});
