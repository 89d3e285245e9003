/**
 * The Learn widgets' plot: D3 scales and axes in an SVG as wide as its container, with what the general line chart
 * (src/ui/charts/LineChart.tsx) does not draw: filled densities, histograms, bands (mean ± k sd), labelled vertical
 * markers, and draggable handles on the x axis that are also keyboard sliders (arrow keys, Page Up / Down, Home / End).
 * Axis labels carry units; the legend is HTML under the plot, so it wraps on a phone instead of being clipped.
 */
import { useEffect, useId, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import * as d3 from 'd3';
import { useElementWidth } from '../../../ui/hooks/dom';

/** A curve y(x), optionally filled down to 0. */
export interface PlotLine { id: string; label?: string; colour: string; x: ArrayLike<number>; y: ArrayLike<number>; fill?: boolean; dash?: string; width?: number; opacity?: number }
/** A band between lo(x) and hi(x). */
export interface PlotBand { id: string; label?: string; colour: string; x: ArrayLike<number>; lo: ArrayLike<number>; hi: ArrayLike<number>; opacity: number }
/** A histogram: counts normalised to a density on bins [edges[k], edges[k + 1]). */
export interface PlotHistogram { id: string; label: string; colour: string; edges: number[]; density: number[]; hatch?: boolean }
/** A vertical marker at x. */
export interface PlotMarker { id: string; label: string; colour: string; x: number; dash?: string }
/** A handle on the x axis that the user drags (or moves with the keyboard) to set a value. */
export interface PlotHandle { id: string; label: string; colour: string; x: number; min: number; max: number; step: number; onChange: (x: number) => void; testId?: string }

export interface LearnPlotProps {
  /** Accessible name of the plot. */
  title: string;
  xLabel: string;
  yLabel: string;
  xDomain: [number, number];
  yDomain: [number, number];
  lines?: PlotLine[];
  bands?: PlotBand[];
  histograms?: PlotHistogram[];
  markers?: PlotMarker[];
  handles?: PlotHandle[];
  height?: number;
  testId?: string;
}

const MARGIN = { top: 12, right: 14, bottom: 40, left: 52 };

/** Snaps v to the handle's step and range. */
function snap(h: PlotHandle, v: number): number {
  const stepped = Math.round((v - h.min) / h.step) * h.step + h.min;
  return Number(Math.min(h.max, Math.max(h.min, stepped)).toFixed(6));
}

/** The plot. */
export function LearnPlot({ title, xLabel, yLabel, xDomain, yDomain, lines = [], bands = [], histograms = [], markers = [], handles = [], height = 240, testId }: LearnPlotProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const width = useElementWidth(wrapRef);
  const clipId = `learn-clip-${useId().replace(/[^\w-]/g, '')}`;
  const x = d3.scaleLinear().domain(xDomain).range([MARGIN.left, Math.max(MARGIN.left + 10, width - MARGIN.right)]);
  const y = d3.scaleLinear().domain(yDomain).range([height - MARGIN.bottom, MARGIN.top]);
  const [x0, x1] = xDomain;
  const [y0, y1] = yDomain;

  useEffect(() => {
    if (!xAxisRef.current || !yAxisRef.current || width === 0) return;
    const xs = d3.scaleLinear().domain([x0, x1]).range([MARGIN.left, Math.max(MARGIN.left + 10, width - MARGIN.right)]);
    const ys = d3.scaleLinear().domain([y0, y1]).range([height - MARGIN.bottom, MARGIN.top]);
    d3.select(xAxisRef.current).call(d3.axisBottom(xs).ticks(Math.max(3, Math.floor(width / 80))).tickSizeOuter(0));
    d3.select(yAxisRef.current).call(d3.axisLeft(ys).ticks(Math.max(3, Math.floor(height / 45))).tickFormat(d3.format('~g')).tickSizeOuter(0));
  }, [x0, x1, y0, y1, width, height]);

  const path = (xs: ArrayLike<number>, ys: ArrayLike<number>) =>
    d3.line<number>().defined((k) => Number.isFinite(ys[k]!)).x((k) => x(xs[k]!)).y((k) => y(ys[k]!))(d3.range(Math.min(xs.length, ys.length))) ?? '';
  const area = (xs: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>) =>
    d3.area<number>().x((k) => x(xs[k]!)).y0((k) => y(lo[k]!)).y1((k) => y(hi[k]!))(d3.range(xs.length)) ?? '';
  const inner = { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };

  const dragging = useRef<PlotHandle | null>(null);
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const h = dragging.current;
    if (!h) return;
    const box = e.currentTarget.getBoundingClientRect();
    h.onChange(snap(h, x.invert(e.clientX - box.left)));
  };
  const onKey = (h: PlotHandle) => (e: KeyboardEvent<SVGGElement>) => {
    const big = (h.max - h.min) / 10;
    const moves: Record<string, number> = {
      ArrowRight: h.x + h.step, ArrowUp: h.x + h.step, ArrowLeft: h.x - h.step, ArrowDown: h.x - h.step,
      PageUp: h.x + big, PageDown: h.x - big, Home: h.min, End: h.max,
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    e.stopPropagation();
    h.onChange(snap(h, moves[e.key]!));
  };

  return (
    <figure className="chart learn-plot" data-testid={testId}>
      <div ref={wrapRef} className="chart-svg">
        {width > 0 ? (
          <svg
            width={width} height={height} role="group" aria-label={title}
            onPointerMove={onPointerMove} onPointerUp={() => (dragging.current = null)} onPointerCancel={() => (dragging.current = null)}
          >
            <defs>
              <clipPath id={clipId}><rect x={inner.left} y={inner.top} width={Math.max(0, inner.right - inner.left)} height={inner.bottom - inner.top} /></clipPath>
              <pattern id={`${clipId}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <line x1="0" y1="0" x2="0" y2="6" stroke="#0f172a" strokeWidth="1.2" strokeOpacity="0.45" />
              </pattern>
            </defs>
            <rect className="chart-frame" x={inner.left} y={inner.top} width={Math.max(0, inner.right - inner.left)} height={inner.bottom - inner.top} />
            <g ref={xAxisRef} className="axis" transform={`translate(0, ${inner.bottom})`} />
            <g ref={yAxisRef} className="axis" transform={`translate(${inner.left}, 0)`} />
            <text className="chart-label learn-axis-label" x={(inner.left + inner.right) / 2} y={height - 4} textAnchor="middle">{xLabel}</text>
            <text className="chart-label learn-axis-label" transform={`translate(13, ${(inner.top + inner.bottom) / 2}) rotate(-90)`} textAnchor="middle">{yLabel}</text>
            <g clipPath={`url(#${clipId})`}>
              {bands.map((b) => <path key={b.id} d={area(b.x, b.lo, b.hi)} fill={b.colour} fillOpacity={b.opacity} stroke="none" />)}
              {histograms.map((h) => (
                <g key={h.id}>
                  {h.density.map((d, k) => (
                    <rect key={k} x={x(h.edges[k]!)} width={Math.max(0, x(h.edges[k + 1]!) - x(h.edges[k]!))} y={y(d)} height={Math.max(0, y(0) - y(d))}
                      fill={h.hatch ? `url(#${clipId}-hatch)` : h.colour} fillOpacity={h.hatch ? 1 : 0.35} stroke={h.colour} strokeWidth={0.8} />
                  ))}
                </g>
              ))}
              {lines.map((l) => (
                <g key={l.id}>
                  {l.fill ? <path d={area(l.x, Array.from(l.x, () => 0), l.y)} fill={l.colour} fillOpacity={0.12} stroke="none" /> : null}
                  <path d={path(l.x, l.y)} fill="none" stroke={l.colour} strokeWidth={l.width ?? 2} strokeDasharray={l.dash} strokeOpacity={l.opacity ?? 1} strokeLinejoin="round" />
                </g>
              ))}
              {markers.map((m) => (
                <line key={m.id} x1={x(m.x)} x2={x(m.x)} y1={inner.top} y2={inner.bottom} stroke={m.colour} strokeWidth={2} strokeDasharray={m.dash} />
              ))}
            </g>
            {handles.map((h) => (
              <g
                key={h.id} className="learn-handle" role="slider" tabIndex={0} aria-label={h.label} aria-valuemin={h.min} aria-valuemax={h.max} aria-valuenow={h.x}
                data-testid={h.testId} transform={`translate(${x(h.x)}, ${inner.bottom})`} onKeyDown={onKey(h)}
                onPointerDown={(e) => { e.preventDefault(); (e.currentTarget.ownerSVGElement ?? e.currentTarget).setPointerCapture?.(e.pointerId); dragging.current = h; (e.currentTarget as SVGGElement).focus(); }}
              >
                <title>{`${h.label}: drag, or use the arrow keys`}</title>
                <path d="M0,-2 L-9,12 L9,12 Z" fill={h.colour} stroke="#fff" strokeWidth={1.5} />
              </g>
            ))}
          </svg>
        ) : null}
      </div>
      <figcaption className="chart-legend">
        {bands.filter((b) => b.label).map((b) => (
          <span key={b.id} className="legend-item"><svg width="22" height="12" aria-hidden="true"><rect x="1" y="1" width="20" height="10" fill={b.colour} fillOpacity={Math.max(0.25, b.opacity)} /></svg>{b.label}</span>
        ))}
        {histograms.map((h) => (
          <span key={h.id} className="legend-item"><svg width="22" height="12" aria-hidden="true"><rect x="1" y="1" width="20" height="10" fill={h.hatch ? `url(#${clipId}-hatch)` : h.colour} fillOpacity={h.hatch ? 1 : 0.35} stroke={h.colour} /></svg>{h.label}</span>
        ))}
        {lines.filter((l) => l.label).map((l) => (
          <span key={l.id} className="legend-item"><svg width="22" height="12" aria-hidden="true"><line x1="1" x2="21" y1="6" y2="6" stroke={l.colour} strokeWidth={Math.max(2, l.width ?? 2)} strokeDasharray={l.dash} /></svg>{l.label}</span>
        ))}
        {markers.map((m) => (
          <span key={m.id} className="legend-item"><svg width="22" height="12" aria-hidden="true"><line x1="11" x2="11" y1="0" y2="12" stroke={m.colour} strokeWidth={2} strokeDasharray={m.dash} /></svg>{m.label}</span>
        ))}
        {handles.length ? <span className="legend-item learn-muted">▲ handles: drag, or focus and use the arrow keys</span> : null}
      </figcaption>
    </figure>
  );
}
