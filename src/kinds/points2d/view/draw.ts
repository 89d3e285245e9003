/**
 * Pure drawing helpers for the playground plot: the square geometry (sized from its container, D3 scales on
 * [-1.1, 1.1]^2), frame interpolation, and the canvas layer that draws the thousands of marks: the data, the
 * sender samples y, the paths of a few tracked points, the input means mu (opacity from the precision rho) and the
 * predictions x_hat, or the live samples while training.
 */
import * as d3 from 'd3';
import type { TrajectoryPayload } from '../../../engine/protocol';
import type { Layers } from '../../../state/urlState';

/** Data-space extent of both axes. */
export const DOMAIN: [number, number] = [-1.1, 1.1];

/** Number of tracked points whose paths the 'paths' layer draws (few: their early steps jump across the plot). */
export const TRACKED_POINTS = 12;

/** Whose path the 'paths' layer draws: the input mean mu or the network's prediction x_hat. */
export type PathOf = 'mu' | 'xhat';

/** Opacity of the newest and of the oldest path segments, and the fading time in units of t. */
const PATH_FADE = { newest: 0.8, oldest: 0.05, tau: 1 / 6 } as const;

/**
 * Opacity of a path segment that ended `age` frames before the current position, for a run of `n` steps: it fades
 * exponentially with the time since, PATH_FADE.tau in units of t (so the early, wandering steps of the sampler
 * recede as t grows), down to a faint floor.
 */
export function pathAlpha(age: number, n: number): number {
  const ageT = Math.max(0, age) / Math.max(n, 1);
  return PATH_FADE.oldest + (PATH_FADE.newest - PATH_FADE.oldest) * Math.exp(-ageT / PATH_FADE.tau);
}

/** The values a path of `pathOf` follows ([frame][point][x, y]). */
export function pathValues(payload: TrajectoryPayload, pathOf: PathOf): Float32Array {
  return pathOf === 'xhat' ? payload.xHat : payload.mu;
}

/** Colours of the marks, shared by the canvas, the SVG, the legends and the charts. */
export const COLORS = {
  data: '#be123c',
  mu: '#2563eb',
  xHat: '#ea580c',
  y: '#16a34a',
  pathDone: 'rgba(51, 65, 85, 0.2)',
  path: '#334155',
  tracked: '#0f172a',
  ring: '#7c3aed',
  live: '#2563eb',
  selected: '#7c3aed',
} as const;

/** Size, margins, scales and mark size of one square plot. */
export interface PlotGeometry {
  size: number;
  margin: { top: number; right: number; bottom: number; left: number };
  x: d3.ScaleLinear<number, number>;
  y: d3.ScaleLinear<number, number>;
  /** Radius of one point, CSS pixels. */
  pointRadius: number;
  ticks: number;
}

/** A square plot of side `size` CSS pixels; margins and marks scale with it, within legible bounds. */
export function plotGeometry(size: number): PlotGeometry {
  const axisRoom = Math.round(Math.min(40, Math.max(30, size * 0.07)));
  const edge = Math.round(Math.min(14, Math.max(8, size * 0.025)));
  const margin = { top: edge, right: edge, bottom: axisRoom, left: axisRoom };
  const x = d3.scaleLinear().domain(DOMAIN).range([margin.left, size - margin.right]);
  const y = d3.scaleLinear().domain(DOMAIN).range([size - margin.bottom, margin.top]);
  const pointRadius = Math.min(2.3, Math.max(1.2, size / 320));
  return { size, margin, x, y, pointRadius, ticks: size < 360 ? 5 : 9 };
}

/** The indices of `count` points spread evenly over `points` (the tracked points whose paths are drawn). */
export function trackedIndices(points: number, count = TRACKED_POINTS): number[] {
  const k = Math.min(count, points);
  return Array.from({ length: k }, (_, i) => Math.floor(((i + 0.5) * points) / k));
}

/** Frame position `pos` (0..n, fractional) as the two frames around it and the weight of the second. */
export function framesAt(pos: number, n: number): { k0: number; k1: number; f: number } {
  const p = Math.min(Math.max(pos, 0), n);
  const k0 = Math.min(Math.floor(p), n);
  const k1 = Math.min(k0 + 1, n);
  return { k0, k1, f: k1 === k0 ? 0 : p - k0 };
}

/** Input precision rho at a fractional frame position (interpolated in log space, as rho grows geometrically). */
export function rhoAt(payload: TrajectoryPayload, pos: number): number {
  const { k0, k1, f } = framesAt(pos, payload.n);
  return Math.exp((1 - f) * Math.log(payload.rho[k0]!) + f * Math.log(payload.rho[k1]!));
}

/** Opacity of the input means for precision rho: faint at the prior (rho = 1), solid at the final precision. */
export function opacityForRho(rho: number, rhoFinal: number): number {
  const span = Math.log(Math.max(rhoFinal, 1 + 1e-9));
  const u = Math.min(1, Math.max(0, Math.log(Math.max(rho, 1)) / span));
  return 0.14 + 0.76 * u;
}

/** Point `i` of `values` ([frame][point][x, y], `points` per frame) at fractional frame position `pos`. */
export function pointAt(values: Float32Array, points: number, n: number, i: number, pos: number): [number, number] {
  const { k0, k1, f } = framesAt(pos, n);
  const frame = 2 * points;
  const a = k0 * frame + 2 * i;
  const b = k1 * frame + 2 * i;
  return [(1 - f) * values[a]! + f * values[b]!, (1 - f) * values[a + 1]! + f * values[b + 1]!];
}

/** The sender samples shown at frame position `pos`: those of the last update (none at frame 0). */
export function senderFrame(payload: TrajectoryPayload, pos: number): number | null {
  const k = Math.min(payload.n, Math.floor(Math.max(pos, 0)));
  return k >= 1 ? k - 1 : null;
}

/** Fills one disc per point of `values` (from offset `start`, `count` points). Squares when there are very many. */
function dots(ctx: CanvasRenderingContext2D, g: PlotGeometry, values: Float32Array, start: number, count: number, r: number): void {
  const { x, y } = g;
  if (count > 6000) {
    const s = 2 * r;
    for (let i = 0; i < count; i++) ctx.fillRect(x(values[start + 2 * i]!) - r, y(values[start + 2 * i + 1]!) - r, s, s);
    return;
  }
  ctx.beginPath();
  for (let i = 0; i < count; i++) {
    const px = x(values[start + 2 * i]!);
    const py = y(values[start + 2 * i + 1]!);
    ctx.moveTo(px + r, py);
    ctx.arc(px, py, r, 0, 2 * Math.PI);
  }
  ctx.fill();
}

/** What the canvas draws. */
export interface PlotScene {
  data: Float32Array | null;
  payload: TrajectoryPayload | null;
  pos: number;
  layers: Layers;
  /** Samples to show instead of the trajectory (while training), or null. */
  live: Float32Array | null;
  /** Points of the stroke being drawn, not yet added to the data. */
  pending: Float32Array | null;
  /** Whose paths the 'paths' layer draws. */
  pathOf: PathOf;
}

/** Number of opacity levels the path segments are grouped into (one canvas stroke per level). */
const FADE_LEVELS = 12;

/** Path segments of one opacity: `alpha`, and the segments as [x0, y0, x1, y1] in pixels, one after another. */
export interface FadeLevel {
  alpha: number;
  segments: number[];
}

/**
 * The paths of the points `indices` up to the fractional frame `pos` (never past it), as segments grouped into
 * FADE_LEVELS opacity levels: each segment is as opaque as {@link pathAlpha} says for its age, rounded to the nearest
 * level (so that drawing costs a dozen strokes). Levels are ordered from the faintest to the most opaque.
 */
export function fadingSegments(g: PlotGeometry, values: Float32Array, points: number, n: number, pos: number, indices: number[]): FadeLevel[] {
  const { x, y } = g;
  const frame = 2 * points;
  const { k0 } = framesAt(pos, n);
  const p = Math.min(Math.max(pos, 0), n);
  const top = pathAlpha(0, n);
  const bottom = pathAlpha(Infinity, n);
  const levels: FadeLevel[] = Array.from({ length: FADE_LEVELS }, (_, level) => ({ alpha: bottom + ((top - bottom) * level) / (FADE_LEVELS - 1), segments: [] }));
  const add = (age: number, ax: number, ay: number, bx: number, by: number) => {
    const u = (pathAlpha(age, n) - bottom) / (top - bottom);
    levels[Math.min(FADE_LEVELS - 1, Math.max(0, Math.round(u * (FADE_LEVELS - 1))))]!.segments.push(x(ax), y(ay), x(bx), y(by));
  };
  for (const i of indices) {
    for (let k = 1; k <= k0; k++) {
      add(p - k, values[(k - 1) * frame + 2 * i]!, values[(k - 1) * frame + 2 * i + 1]!, values[k * frame + 2 * i]!, values[k * frame + 2 * i + 1]!);
    }
    if (p > k0) {
      const [ax, ay] = pointAt(values, points, n, i, p);
      add(0, values[k0 * frame + 2 * i]!, values[k0 * frame + 2 * i + 1]!, ax, ay);
    }
  }
  return levels.filter((l) => l.segments.length > 0);
}

/** Draws the fading paths of the `tracked` points up to `pos` ({@link fadingSegments}), one stroke per opacity level. */
function drawFadingPaths(ctx: CanvasRenderingContext2D, g: PlotGeometry, values: Float32Array, points: number, n: number, pos: number, tracked: number[]): void {
  for (const { alpha, segments } of fadingSegments(g, values, points, n, pos, tracked)) {
    ctx.globalAlpha = alpha;
    ctx.beginPath();
    for (let s = 0; s < segments.length; s += 4) {
      ctx.moveTo(segments[s]!, segments[s + 1]!);
      ctx.lineTo(segments[s + 2]!, segments[s + 3]!);
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

/** Draws the canvas layer. The canvas is `size * dpr` device pixels square. */
export function drawScene(ctx: CanvasRenderingContext2D, g: PlotGeometry, dpr: number, scene: PlotScene): void {
  const { size, margin, x, y, pointRadius } = g;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.save();
  ctx.beginPath();
  ctx.rect(margin.left, margin.top, size - margin.left - margin.right, size - margin.top - margin.bottom);
  ctx.clip();

  const { payload, layers, pos } = scene;
  if (layers.data && scene.data && scene.data.length > 0) {
    ctx.globalAlpha = scene.data.length > 8000 ? 0.3 : 0.45;
    ctx.fillStyle = COLORS.data;
    dots(ctx, g, scene.data, 0, scene.data.length / 2, pointRadius * 0.8);
  }
  if (scene.pending && scene.pending.length > 0) {
    ctx.globalAlpha = 0.8;
    ctx.fillStyle = COLORS.data;
    dots(ctx, g, scene.pending, 0, scene.pending.length / 2, pointRadius * 0.9);
  }
  ctx.globalAlpha = 1;

  if (scene.live) {
    ctx.globalAlpha = 0.75;
    ctx.fillStyle = COLORS.live;
    dots(ctx, g, scene.live, 0, scene.live.length / 2, pointRadius);
    ctx.restore();
    return;
  }
  if (!payload) {
    ctx.restore();
    return;
  }

  const { n, points } = payload;
  const frame = 2 * points;
  const { k0 } = framesAt(pos, n);

  if (layers.y) {
    const k = senderFrame(payload, pos);
    if (k !== null) {
      ctx.globalAlpha = 0.4;
      ctx.fillStyle = COLORS.y;
      dots(ctx, g, payload.y, k * frame, points, pointRadius * 0.85);
      ctx.globalAlpha = 1;
    }
  }

  const tracked = trackedIndices(points);
  const pathSource = pathValues(payload, scene.pathOf);
  if (layers.paths) {
    // Older segments fade: the early steps, where the means are still close to the prior and jump, recede.
    ctx.lineCap = 'round';
    ctx.lineWidth = 1.1;
    ctx.strokeStyle = scene.pathOf === 'xhat' ? COLORS.xHat : COLORS.path;
    drawFadingPaths(ctx, g, pathSource, points, n, pos, tracked);
  }

  if (layers.mu) {
    ctx.globalAlpha = opacityForRho(rhoAt(payload, pos), payload.rho[n]!);
    ctx.fillStyle = COLORS.mu;
    const { k1, f } = framesAt(pos, n);
    if (f === 0) {
      dots(ctx, g, payload.mu, k0 * frame, points, pointRadius);
    } else {
      const blend = new Float32Array(frame);
      for (let j = 0; j < frame; j++) blend[j] = (1 - f) * payload.mu[k0 * frame + j]! + f * payload.mu[k1 * frame + j]!;
      dots(ctx, g, blend, 0, points, pointRadius);
    }
    ctx.globalAlpha = 1;
  }

  if (layers.xhat) {
    ctx.globalAlpha = 0.5;
    ctx.fillStyle = COLORS.xHat;
    const { k1, f } = framesAt(pos, n);
    const blend = new Float32Array(frame);
    for (let j = 0; j < frame; j++) blend[j] = (1 - f) * payload.xHat[k0 * frame + j]! + f * payload.xHat[k1 * frame + j]!;
    dots(ctx, g, blend, 0, points, pointRadius * 0.85);
    ctx.globalAlpha = 1;
  }

  if (layers.paths) {
    ctx.lineWidth = 1.2;
    ctx.fillStyle = '#ffffff';
    ctx.strokeStyle = COLORS.tracked;
    const r = pointRadius + 1.4;
    for (const i of tracked) {
      const [ax, ay] = pointAt(pathSource, points, n, i, pos);
      ctx.beginPath();
      ctx.arc(x(ax), y(ay), r, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
  ctx.restore();
}

/** Index of the input mean nearest to the pixel (px, py) at `pos`, within `maxPx` pixels, or null. */
export function nearestPoint(g: PlotGeometry, payload: TrajectoryPayload, pos: number, px: number, py: number, maxPx: number): number | null {
  const { k0, k1, f } = framesAt(pos, payload.n);
  const frame = 2 * payload.points;
  let best: number | null = null;
  let bestD = maxPx * maxPx;
  for (let i = 0; i < payload.points; i++) {
    const mx = (1 - f) * payload.mu[k0 * frame + 2 * i]! + f * payload.mu[k1 * frame + 2 * i]!;
    const my = (1 - f) * payload.mu[k0 * frame + 2 * i + 1]! + f * payload.mu[k1 * frame + 2 * i + 1]!;
    const d = (g.x(mx) - px) ** 2 + (g.y(my) - py) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
