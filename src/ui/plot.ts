/**
 * Pure drawing helpers for the trajectory plot: the plot geometry (square, sized from its container) and the
 * canvas layer that draws thousands of input means, the paths of a few tracked points and the predictions.
 */
import * as d3 from 'd3';
import type { TrajectoryPayload } from '../engine/protocol';

/** Data-space extent of both axes. */
export const DOMAIN: [number, number] = [-1.1, 1.1];

/** Which marks are drawn. */
export interface PlotLayers {
  mu: boolean;
  paths: boolean;
  data: boolean;
  xHat: boolean;
}

/** Layers shown at first: everything but the predictions. */
export const DEFAULT_LAYERS: PlotLayers = { mu: true, paths: true, data: true, xHat: false };

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
  const axisRoom = Math.round(Math.min(44, Math.max(30, size * 0.075)));
  const edge = Math.round(Math.min(16, Math.max(8, size * 0.025)));
  const margin = { top: edge, right: edge, bottom: axisRoom, left: axisRoom };
  // Equal horizontal and vertical room keeps the plotting area square.
  const x = d3.scaleLinear().domain(DOMAIN).range([margin.left, size - margin.right]);
  const y = d3.scaleLinear().domain(DOMAIN).range([size - margin.bottom, margin.top]);
  const pointRadius = Math.min(2.4, Math.max(1.1, size / 330));
  return { size, margin, x, y, pointRadius, ticks: size < 360 ? 5 : 9 };
}

/** The indices of `count` points spread evenly over `points` (the tracked points whose paths are drawn). */
export function trackedIndices(points: number, count = 20): number[] {
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
  return 0.16 + 0.74 * u;
}

/** Steps of the dark trail drawn behind each tracked point. */
export const TRAIL_STEPS = 5;

/** Colours of the marks, shared by the canvas, the SVG and the legend. */
export const COLORS = {
  mu: '#2563eb',
  xHat: '#ea580c',
  pathAll: 'rgba(71, 85, 105, 0.13)',
  pathDone: 'rgba(51, 65, 85, 0.3)',
  pathTrail: 'rgba(15, 23, 42, 0.75)',
  tracked: '#0f172a',
  ring: '#7c3aed',
  data: '#be123c',
} as const;

/** Draws the canvas layer for frame position `pos`. The canvas is `size * dpr` device pixels square. */
export function drawTrajectory(
  ctx: CanvasRenderingContext2D,
  geometry: PlotGeometry,
  dpr: number,
  payload: TrajectoryPayload | null,
  pos: number,
  layers: PlotLayers,
): void {
  const { size, margin, x, y, pointRadius } = geometry;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  if (!payload) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.save();
  ctx.beginPath();
  ctx.rect(margin.left, margin.top, size - margin.left - margin.right, size - margin.top - margin.bottom);
  ctx.clip();

  const { n, points } = payload;
  const frame = 2 * points;
  const { k0, k1, f } = framesAt(pos, n);
  const at = (values: Float32Array, i: number, c: 0 | 1) =>
    (1 - f) * values[k0 * frame + 2 * i + c]! + f * values[k1 * frame + 2 * i + c]!;
  const tracked = trackedIndices(points);

  if (layers.paths) {
    ctx.lineJoin = 'round';
    const polyline = (from: number, to: number, endAtPos: boolean) => {
      ctx.beginPath();
      for (const i of tracked) {
        for (let k = from; k <= to; k++) {
          const px = x(payload.mu[k * frame + 2 * i]!);
          const py = y(payload.mu[k * frame + 2 * i + 1]!);
          if (k === from) ctx.moveTo(px, py);
          else ctx.lineTo(px, py);
        }
        if (endAtPos) ctx.lineTo(x(at(payload.mu, i, 0)), y(at(payload.mu, i, 1)));
      }
      ctx.stroke();
    };
    // The whole run, faint; the part travelled so far, a little darker; the last few steps, dark (a short trail).
    ctx.lineWidth = 1;
    ctx.strokeStyle = COLORS.pathAll;
    polyline(0, n, false);
    ctx.strokeStyle = COLORS.pathDone;
    polyline(0, k0, true);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = COLORS.pathTrail;
    polyline(Math.max(0, k0 - TRAIL_STEPS), k0, true);
  }

  if (layers.mu) {
    ctx.globalAlpha = opacityForRho(rhoAt(payload, pos), payload.rho[n]!);
    ctx.fillStyle = COLORS.mu;
    ctx.beginPath();
    for (let i = 0; i < points; i++) {
      const px = x(at(payload.mu, i, 0));
      const py = y(at(payload.mu, i, 1));
      ctx.moveTo(px + pointRadius, py);
      ctx.arc(px, py, pointRadius, 0, 2 * Math.PI);
    }
    ctx.fill();
    ctx.globalAlpha = 1;
  }

  if (layers.xHat) {
    ctx.globalAlpha = 0.5;
    ctx.fillStyle = COLORS.xHat;
    const r = pointRadius * 0.85;
    ctx.beginPath();
    for (let i = 0; i < points; i++) {
      const px = x(at(payload.xHat, i, 0));
      const py = y(at(payload.xHat, i, 1));
      ctx.moveTo(px + r, py);
      ctx.arc(px, py, r, 0, 2 * Math.PI);
    }
    ctx.fill();
    ctx.globalAlpha = 1;
  }

  if (layers.paths && tracked.length > 0) {
    // One standard deviation 1/sqrt(rho) of the input distribution around the first tracked point.
    const first = tracked[0]!;
    const cx = x(at(payload.mu, first, 0));
    const cy = y(at(payload.mu, first, 1));
    const radius = Math.abs(x(1 / Math.sqrt(rhoAt(payload, pos))) - x(0));
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1.3;
    ctx.strokeStyle = COLORS.ring;
    ctx.beginPath();
    ctx.arc(cx, cy, radius, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.lineWidth = 1.2;
    ctx.fillStyle = '#ffffff';
    ctx.strokeStyle = COLORS.tracked;
    const r = pointRadius + 1.4;
    for (const i of tracked) {
      ctx.beginPath();
      ctx.arc(x(at(payload.mu, i, 0)), y(at(payload.mu, i, 1)), r, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
  ctx.restore();
}
