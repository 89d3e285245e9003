/**
 * A small line chart: D3 scales and axes in an SVG sized to its container, any number of series, horizontal
 * reference lines, an optional vertical marker (e.g. the current t), axis labels and a legend. Long series are
 * thinned to about two points per pixel. Non-finite values (and non-positive ones on a log axis) leave gaps.
 */
import { useEffect, useId, useMemo, useRef } from 'react';
import * as d3 from 'd3';
import { useElementWidth } from '../hooks/dom';

/** One line of a {@link LineChart}. */
export interface Series {
  id: string;
  label: string;
  color: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dash?: string;
  width?: number;
  opacity?: number;
  /** Draw a dot at every point (for sparse series such as the metric). */
  dots?: boolean;
  /** Radius of the dots (default 2.6). */
  dotRadius?: number;
  /** Outline colour of the dots (none by default); outlined dots are drawn on top, unclipped, so that one on the frame's edge shows whole. */
  dotStroke?: string;
}

/** A horizontal reference line. */
export interface RefLine {
  id: string;
  label: string;
  y: number;
  color: string;
  dash?: string;
}

/** Props of {@link LineChart}. */
export interface LineChartProps {
  /** Accessible name of the chart. */
  title: string;
  series: Series[];
  refLines?: RefLine[];
  xDomain: [number, number];
  xLabel: string;
  yLabel: string;
  yScale?: 'linear' | 'log';
  /** Scale of the x axis (default linear); a log axis needs a positive domain. */
  xScale?: 'linear' | 'log';
  /** Tick values of the x axis (default: d3's choice). */
  xTicks?: number[];
  /** Fixed y domain; by default it fits the data. */
  yDomain?: [number, number];
  /** x of a vertical marker line, or null. */
  marker?: number | null;
  markerLabel?: string;
  height?: number;
  /** Shown in the middle when no series has data. */
  empty?: string;
  testId?: string;
  /** Extra data-* attributes on the chart (read by tests). */
  data?: Record<string, string>;
}

/** A tick label: plain for ordinary numbers, SI-prefixed for large ones (12k), never "1e+2". */
function tickLabel(v: number): string {
  return Math.abs(v) >= 1e4 ? d3.format('~s')(v) : d3.format('~g')(v);
}

const MARGIN = { top: 10, right: 12, bottom: 34, left: 54 };

/** Whether `v` can be drawn on the y axis (finite, and positive on a log axis). */
const drawable = (v: number, log: boolean) => Number.isFinite(v) && (!log || v > 0);

function thin(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): [number, number][] {
  const n = Math.min(x.length, y.length);
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const out: [number, number][] = [];
  for (let k = 0; k < n; k += stride) out.push([x[k]!, y[k]!]);
  if (n > 0 && (n - 1) % stride !== 0) out.push([x[n - 1]!, y[n - 1]!]);
  return out;
}

/** A line chart with axes, labels and a legend, as wide as its container. */
export function LineChart({ title, series, refLines = [], xDomain, xLabel, yLabel, yScale = 'linear', xScale = 'linear', xTicks: xTickValues, yDomain, marker = null, markerLabel, height = 170, empty, testId, data }: LineChartProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const width = useElementWidth(wrapRef);
  const clipId = `chart-clip-${useId().replace(/[^\w-]/g, '')}`;
  const log = yScale === 'log';
  const ok = (v: number) => drawable(v, log);

  const thinned = useMemo(() => series.map((s) => thin(s.x, s.y, Math.max(50, 2 * width))), [series, width]);
  // Domains and reference lines arrive as fresh arrays on every render: key the scales on their values.
  const [x0, x1] = xDomain;
  const [yLo, yHi] = yDomain ?? [NaN, NaN];
  let refLo = Infinity;
  let refHi = -Infinity;
  for (const r of refLines) {
    if (!ok(r.y)) continue;
    refLo = Math.min(refLo, r.y);
    refHi = Math.max(refHi, r.y);
  }
  const hasData = thinned.some((pts) => pts.some(([, v]) => ok(v)));

  const y = useMemo(() => {
    let lo = refLo;
    let hi = refHi;
    if (Number.isFinite(yLo) && Number.isFinite(yHi)) [lo, hi] = [yLo, yHi];
    else {
      for (const pts of thinned) {
        for (const [, v] of pts) {
          if (!drawable(v, log)) continue;
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      if (!Number.isFinite(lo)) [lo, hi] = log ? [0.1, 10] : [0, 1];
      if (log) [lo, hi] = [lo / 1.25, hi * 1.25];
      else {
        const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
        [lo, hi] = [lo - pad, hi + pad];
      }
    }
    const range: [number, number] = [height - MARGIN.bottom, MARGIN.top];
    return log ? d3.scaleLog().domain([lo, hi]).range(range).clamp(true) : d3.scaleLinear().domain([lo, hi]).range(range).nice();
  }, [thinned, refLo, refHi, yLo, yHi, log, height]);

  const x = useMemo((): d3.ScaleContinuousNumeric<number, number> => {
    const range = [MARGIN.left, Math.max(MARGIN.left + 10, width - MARGIN.right)];
    if (xScale === 'log') return d3.scaleLog().domain(x0 === x1 ? [x0, x0 * 10] : [x0, x1]).range(range);
    return d3.scaleLinear().domain(x0 === x1 ? [x0, x0 + 1] : [x0, x1]).range(range);
  }, [x0, x1, width, xScale]);
  const xTickKey = xTickValues?.join(',') ?? '';

  useEffect(() => {
    if (!xAxisRef.current || !yAxisRef.current || width === 0) return;
    const xTicks = Math.max(2, Math.floor((width - MARGIN.left) / 70));
    const xAxis = d3.axisBottom(x).tickFormat((d) => tickLabel(Number(d))).tickSizeOuter(0);
    if (xTickKey) xAxis.tickValues(xTickKey.split(',').map(Number));
    else xAxis.ticks(xTicks);
    d3.select(xAxisRef.current).call(xAxis);
    const yAxis = d3.axisLeft(y).tickSizeOuter(0);
    const [lo, hi] = y.domain() as [number, number];
    const decades = log ? Math.log10(hi / lo) : 0;
    if (log && decades >= 1.2) {
      yAxis.ticks(Math.max(2, Math.floor(height / 45)));
      d3.select(yAxisRef.current).call(yAxis);
      // Wide log axes label the powers of ten only and leave the minor ticks unlabelled.
      d3.select(yAxisRef.current).selectAll<SVGTextElement, number>('.tick text').text((d) => (Math.abs(Math.log10(d) - Math.round(Math.log10(d))) < 1e-9 ? d3.format('~g')(d) : ''));
    } else if (log) {
      // Narrow log axes: a few evenly spaced labelled ticks.
      const ticks = d3.ticks(lo, hi, Math.max(2, Math.floor(height / 45)));
      yAxis.tickValues(ticks.length >= 2 ? ticks : [lo, hi]).tickFormat((d) => d3.format('.2~g')(Number(d)));
      d3.select(yAxisRef.current).call(yAxis);
    } else {
      yAxis.ticks(Math.max(2, Math.floor(height / 40))).tickFormat((d) => tickLabel(Number(d)));
      d3.select(yAxisRef.current).call(yAxis);
    }
  }, [x, y, log, width, height, xTickKey]);

  const line = d3.line<[number, number]>().defined(([, v]) => ok(v)).x(([u]) => x(u)).y(([, v]) => y(v));
  const inner = { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };
  const dataAttrs = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));

  return (
    <figure className="chart" data-testid={testId} {...dataAttrs}>
      <div ref={wrapRef} className="chart-svg">
        {width > 0 ? (
          <svg width={width} height={height} role="img" aria-label={title}>
            <defs>
              <clipPath id={clipId}>
                <rect x={inner.left} y={inner.top - 2} width={Math.max(0, inner.right - inner.left)} height={inner.bottom - inner.top + 4} />
              </clipPath>
            </defs>
            <rect className="chart-frame" x={inner.left} y={inner.top} width={Math.max(0, inner.right - inner.left)} height={inner.bottom - inner.top} />
            <g ref={xAxisRef} className="axis" transform={`translate(0, ${inner.bottom})`} />
            <g ref={yAxisRef} className="axis" transform={`translate(${inner.left}, 0)`} />
            <text className="chart-label" x={(inner.left + inner.right) / 2} y={height - 3} textAnchor="middle">
              {xLabel}
            </text>
            <text className="chart-label" transform={`translate(12, ${(inner.top + inner.bottom) / 2}) rotate(-90)`} textAnchor="middle">
              {yLabel}
            </text>
            <g clipPath={`url(#${clipId})`}>
              {refLines.filter((r) => ok(r.y)).map((r) => (
                <line key={r.id} x1={inner.left} x2={inner.right} y1={y(r.y)} y2={y(r.y)} stroke={r.color} strokeDasharray={r.dash ?? '5 4'} strokeWidth={1.4} />
              ))}
              {series.map((s, k) => (
                <g key={s.id}>
                  <path d={line(thinned[k]!) ?? ''} fill="none" stroke={s.color} strokeWidth={s.width ?? 1.6} strokeDasharray={s.dash} strokeOpacity={s.opacity ?? 1} strokeLinejoin="round" />
                  {s.dots && !s.dotStroke ? thinned[k]!.filter(([, v]) => ok(v)).map(([u, v], j) => <circle key={j} cx={x(u)} cy={y(v)} r={s.dotRadius ?? 2.6} fill={s.color} />) : null}
                </g>
              ))}
              {marker !== null && Number.isFinite(marker) ? (
                <line className="chart-marker" x1={x(marker)} x2={x(marker)} y1={inner.top} y2={inner.bottom} data-testid={testId ? `${testId}-marker` : undefined} />
              ) : null}
            </g>
            {series.map((s, k) =>
              s.dots && s.dotStroke ? (
                <g key={s.id}>
                  {thinned[k]!
                    .filter(([u, v]) => ok(v) && x(u) >= inner.left - 1 && x(u) <= inner.right + 1 && y(v) >= inner.top - 1 && y(v) <= inner.bottom + 1)
                    .map(([u, v], j) => (
                      <circle key={j} cx={x(u)} cy={y(v)} r={s.dotRadius ?? 2.6} fill={s.color} stroke={s.dotStroke} strokeWidth={1.6} />
                    ))}
                </g>
              ) : null,
            )}
            {!hasData && empty ? (
              <text className="chart-empty" x={(inner.left + inner.right) / 2} y={inner.top + 0.32 * (inner.bottom - inner.top) + 4} textAnchor="middle">
                {empty}
              </text>
            ) : null}
          </svg>
        ) : null}
      </div>
      <figcaption className="chart-legend">
        {series.map((s) => (
          <span key={s.id} className="legend-item">
            <svg width="22" height="10" aria-hidden="true">
              <line x1="1" x2="21" y1="5" y2="5" stroke={s.color} strokeWidth={Math.max(2, s.width ?? 1.6)} strokeDasharray={s.dash} strokeOpacity={Math.max(0.5, s.opacity ?? 1)} />
              {s.dots ? <circle cx="11" cy="5" r={Math.min(4, s.dotRadius ?? 2.6)} fill={s.color} stroke={s.dotStroke} strokeWidth={s.dotStroke ? 1.2 : undefined} /> : null}
            </svg>
            {s.label}
          </span>
        ))}
        {refLines.map((r) => (
          <span key={r.id} className="legend-item">
            <svg width="22" height="10" aria-hidden="true">
              <line x1="1" x2="21" y1="5" y2="5" stroke={r.color} strokeWidth={2} strokeDasharray={r.dash ?? '5 4'} />
            </svg>
            {r.label}
          </span>
        ))}
        {marker !== null && markerLabel ? (
          <span className="legend-item">
            <svg width="22" height="10" aria-hidden="true">
              <line x1="11" x2="11" y1="0" y2="10" className="chart-marker" />
            </svg>
            {markerLabel}
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
