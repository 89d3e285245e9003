/**
 * A probability simplex for K = 3 drawn as a triangle: barycentric coordinates theta -> theta_1 V_1 + theta_2 V_2 +
 * theta_3 V_3 with the corners labelled by class, an optional heat map of cell probabilities on a canvas (D3's log colour
 * scale, with its legend), and optional paths of theta in SVG. D3 owns the scales, React the few SVG marks.
 */
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import * as d3 from 'd3';
import type { SimplexGrid } from '../../../bfn/simplexFlow';

/** Drawing box of one triangle, in SVG user units. */
export const BOX = { width: 360, height: 318 } as const;
const PAD = 42;
const BOTTOM = BOX.height - 40;
const SIDE = BOX.width - 2 * PAD;
/** The corners of classes 1, 2, 3 (theta_0 = 1, theta_1 = 1, theta_2 = 1). */
export const CORNERS: readonly (readonly [number, number])[] = [[PAD, BOTTOM], [BOX.width - PAD, BOTTOM], [BOX.width / 2, BOTTOM - (SIDE * Math.sqrt(3)) / 2]];

/** Class colours (D3's category10), by 0-based class. */
export const CLASS_COLOURS = d3.schemeCategory10.slice(0, 3);

/** The position of theta (three probabilities) in the drawing box. */
export function toXY(t0: number, t1: number, t2: number): [number, number] {
  return [t0 * CORNERS[0]![0] + t1 * CORNERS[1]![0] + t2 * CORNERS[2]![0], t0 * CORNERS[0]![1] + t1 * CORNERS[1]![1] + t2 * CORNERS[2]![1]];
}

/** The colour scale of heat maps: density relative to the uniform distribution (mass x G^2), log scale. */
export function heatColour(max: number): d3.ScaleSequential<string> {
  return d3.scaleSequentialLog(d3.interpolateViridis).domain([0.01, Math.max(max, 0.1)]).clamp(true);
}

/** One path of theta: its points [frames, 3] and colour. */
export interface ThetaPath {
  points: Float32Array;
  colour: string;
}

interface TriangleProps {
  /** Accessible name of the picture. */
  label: string;
  /** Corner labels, by 0-based class. */
  cornerLabels: readonly string[];
  heat?: { grid: SimplexGrid; masses: Float64Array } | null;
  paths?: ThetaPath[];
  /** Frames of each path to draw (0..frames-1); the head is drawn at the last. */
  frame?: number;
  testId: string;
  /** Extra attributes for tests (e.g. data-masses) on the figure. */
  data?: Record<string, string>;
  children?: ReactNode;
  caption?: ReactNode;
}

/** A labelled triangle with an optional heat map and paths. */
export function Triangle({ label, cornerLabels, heat, paths = [], frame, testId, data, caption }: TriangleProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const maxDensity = useMemo(() => (heat ? d3.max(heat.masses)! * heat.grid.G * heat.grid.G : 1), [heat]);
  const colour = useMemo(() => heatColour(maxDensity), [maxDensity]);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    canvas.width = BOX.width * dpr;
    canvas.height = BOX.height * dpr;
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, BOX.width, BOX.height);
    if (!heat) return;
    const { grid, masses } = heat;
    const G2 = grid.G * grid.G;
    for (let k = 0; k < grid.cells; k++) {
      const v = masses[k]! * G2;
      if (!(v >= 0.001)) continue;
      ctx.beginPath();
      for (let c = 0; c < 3; c++) {
        const a = grid.corners[6 * k + 2 * c]!;
        const b = grid.corners[6 * k + 2 * c + 1]!;
        const [px, py] = toXY(a, b, 1 - a - b);
        if (c === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      }
      ctx.closePath();
      ctx.fillStyle = colour(v);
      ctx.fill();
      // A hairline of the same colour closes the seams between cells.
      ctx.strokeStyle = ctx.fillStyle;
      ctx.lineWidth = 0.6;
      ctx.stroke();
    }
  }, [heat, colour]);
  // A cell holding most of the mass (t near 0, or a large beta(t)) is a few pixels wide: ring it and give its mass.
  const peak = useMemo(() => {
    if (!heat) return null;
    const k = d3.maxIndex(heat.masses);
    if (!(heat.masses[k]! >= 0.5)) return null;
    const a = heat.grid.centroids[2 * k]!;
    const b = heat.grid.centroids[2 * k + 1]!;
    return { xy: toXY(a, b, 1 - a - b), mass: heat.masses[k]! };
  }, [heat]);
  const outline = CORNERS.map(([x, y]) => `${x},${y}`).join(' ');
  const lines = d3.line<[number, number]>();
  return (
    <figure className="simplex-figure" data-testid={testId} {...data}>
      <div className="simplex-stack">
        <canvas ref={canvasRef} className="simplex-canvas" aria-hidden="true" />
        <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-label={label} className="simplex-svg">
          <polygon points={outline} fill="none" stroke="#334155" strokeWidth={1.2} />
          {paths.map((p, k) => {
            const frames = p.points.length / 3;
            const last = Math.min(frames - 1, frame ?? frames - 1);
            const pts: [number, number][] = [];
            for (let f = 0; f <= last; f++) pts.push(toXY(p.points[3 * f]!, p.points[3 * f + 1]!, p.points[3 * f + 2]!));
            const head = pts[pts.length - 1]!;
            return (
              <g key={k}>
                <path d={lines(pts) ?? ''} fill="none" stroke={p.colour} strokeWidth={1.3} strokeOpacity={0.85} />
                <circle cx={head[0]} cy={head[1]} r={3.2} fill={p.colour} stroke="#fff" strokeWidth={1} />
              </g>
            );
          })}
          {peak ? (
            // The note goes below the ring near the top corner, whose label sits above it.
            <g data-testid="simplex-peak">
              <circle cx={peak.xy[0]} cy={peak.xy[1]} r={11} fill="none" stroke="#f59e0b" strokeWidth={2.5} />
              <text
                x={peak.xy[0] + (peak.xy[0] < BOX.width / 3 ? -8 : peak.xy[0] > (2 * BOX.width) / 3 ? 8 : 0)} y={peak.xy[1] < BOX.height / 3 ? peak.xy[1] + 26 : peak.xy[1] - 16}
                textAnchor={peak.xy[0] < BOX.width / 3 ? 'start' : peak.xy[0] > (2 * BOX.width) / 3 ? 'end' : 'middle'} className="simplex-peak-text"
              >
                {`${(100 * peak.mass).toFixed(peak.mass > 0.999 ? 2 : 0)} % of the mass in this cell`}
              </text>
            </g>
          ) : null}
          {CORNERS.map(([x, y], k) => (
            <text key={k} x={x} y={k === 2 ? y - 10 : y + 22} textAnchor={k === 0 ? 'start' : k === 1 ? 'end' : 'middle'} className="simplex-corner" fill={CLASS_COLOURS[k]}>
              {cornerLabels[k]}
            </text>
          ))}
        </svg>
      </div>
      {heat ? <HeatLegend colour={colour} /> : null}
      {caption ? <figcaption className="hint">{caption}</figcaption> : null}
    </figure>
  );
}

/** The heat map's colour legend: a log axis of density relative to uniform under a gradient. */
function HeatLegend({ colour }: { colour: d3.ScaleSequential<string> }) {
  const [lo, hi] = colour.domain() as [number, number];
  const width = 260;
  const x = d3.scaleLog().domain([lo, hi]).range([0, width]);
  const ticks = x.ticks(4).filter((t) => Math.log10(t) % 1 === 0);
  const stops = d3.range(0, 1.0001, 0.1).map((f) => ({ f, c: colour(Math.exp(Math.log(lo) + f * (Math.log(hi) - Math.log(lo)))) }));
  return (
    <svg viewBox={`0 0 ${width + 40} 44`} className="simplex-legend" role="img" aria-label={`colour legend: density relative to uniform, ${lo} to ${hi.toPrecision(2)}, log scale`} data-testid="simplex-legend">
      <defs>
        <linearGradient id="simplex-heat-gradient">
          {stops.map((s) => <stop key={s.f} offset={s.f} stopColor={s.c} />)}
        </linearGradient>
      </defs>
      <g transform="translate(20, 4)">
        <rect width={width} height={10} fill="url(#simplex-heat-gradient)" />
        {ticks.map((t) => (
          <g key={t} transform={`translate(${x(t)}, 10)`}>
            <line y2={4} stroke="#334155" />
            <text y={15} textAnchor="middle" className="simplex-legend-text">{d3.format('~g')(t)}</text>
          </g>
        ))}
        <text x={width / 2} y={38} textAnchor="middle" className="simplex-legend-text">density ÷ uniform density (log scale)</text>
      </g>
    </svg>
  );
}
