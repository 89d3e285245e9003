/**
 * A small line chart: D3 scales and axes in an SVG sized to its container, any number of series, horizontal
 * reference lines, an optional vertical marker (e.g. the current t), labelled vertical event lines (e.g. a setting
 * changed at that training step), axis labels and a legend. The y axis may be chosen from the data (log when the
 * values span decades) with a control to override it. Long series are thinned to about two points per pixel.
 * Non-finite values leave gaps; non-positive ones on a log axis leave gaps, and a chart whose axis follows the data
 * says how many.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import * as d3 from 'd3';
import { useElementWidth } from '../hooks/dom';
import { chooseYScale, integerTicks, type YScaleMode } from './chartScale';
import './charts.css';

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

/** A labelled vertical line at `x` (a training step where a setting changed, for instance). */
export interface ChartEvent {
  x: number;
  /** Short text above the line ("lr 0.003"). */
  label: string;
  /** The full sentence, as the line's tooltip and accessible text. */
  detail: string;
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
  /** The y scale, or 'auto': log when the values span more than LOG_RATIO (default linear). */
  yScale?: YScaleMode;
  /** Show a control that lets the user override the y scale (auto / linear / log); a chart with it, or with 'auto', notes the values a log axis leaves out. */
  scaleToggle?: boolean;
  /** The x axis counts whole things (training steps): only integer ticks. */
  xInteger?: boolean;
  /** Labelled vertical lines, with a legend entry named `eventsLabel`. */
  events?: ChartEvent[];
  eventsLabel?: string;
  /** A sentence shown under the chart (e.g. why part of its history is missing). */
  note?: string | null;
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

const BASE_MARGIN = { top: 10, right: 12, bottom: 34, left: 54 };
/** Height of a row of event labels above the frame, and the most rows (further labels show as lines only). */
const EVENT_ROW = 12;
const EVENT_ROWS = 2;
/** Approximate width of a character of an event label (10 px type), to keep labels of close events apart. */
const EVENT_CHAR = 5.8;
/** Approximate width of a character of an axis label (11 px type), and the height of a y label's row above the frame. */
const LABEL_CHAR = 6.3;
const Y_LABEL_ROW = 14;

/**
 * Places event labels (sorted by x, each [start, end] in pixels) in rows: each goes in the first row where it clears
 * the label before it, -1 when no row has room (the line is drawn without a label; its tooltip keeps the text).
 */
export function eventRows(spans: [number, number][], rows = EVENT_ROWS): number[] {
  const ends = Array.from({ length: rows }, () => -Infinity);
  return spans.map(([start, end]) => {
    const row = ends.findIndex((e) => start > e + 4);
    if (row >= 0) ends[row] = end;
    return row;
  });
}

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

/** A legend entry for a vertical line (the marker, or the events) drawn with `className`. */
function VerticalLegend({ className, label }: { className: string; label: string }) {
  return (
    <span className="legend-item">
      <svg width="22" height="10" aria-hidden="true">
        <line x1="11" x2="11" y1="0" y2="10" className={className} />
      </svg>
      {label}
    </span>
  );
}

/** A line chart with axes, labels and a legend, as wide as its container. */
export function LineChart(props: LineChartProps) {
  const { title, series, refLines = [], xDomain, xLabel, yLabel, yScale = 'linear', scaleToggle = false, xInteger = false, events = [], eventsLabel, note = null } = props;
  const { xScale = 'linear', xTicks: xTickValues, yDomain, marker = null, markerLabel, height = 170, empty, testId, data } = props;
  const wrapRef = useRef<HTMLDivElement>(null);
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const width = useElementWidth(wrapRef);
  const reactId = useId().replace(/[^\w-]/g, '');
  const clipId = `chart-clip-${reactId}`;
  const [userScale, setUserScale] = useState<YScaleMode | null>(null);
  const mode = userScale ?? yScale;
  const [defaultChoice, choice] = useMemo(() => {
    const values = [...series.map((s) => s.y), refLines.map((r) => r.y)];
    const byDefault = chooseYScale(values, yScale);
    return [byDefault, userScale === null ? byDefault : chooseYScale(values, userScale)];
  }, [series, refLines, yScale, userScale]);
  const log = choice.scale === 'log';
  const ok = (v: number) => drawable(v, log);
  const shownEvents = events.filter((e) => Number.isFinite(e.x) && e.x >= Math.min(...xDomain) && e.x <= Math.max(...xDomain));
  // A y label longer than the frame is tall goes above the frame, horizontally, instead of beside it, rotated.
  const yLabelAbove = yLabel.length * LABEL_CHAR > height - BASE_MARGIN.top - BASE_MARGIN.bottom;
  // Room for the events' labels (once there are events to label) and for a y label above the frame.
  const eventSpace = (shownEvents.length ? EVENT_ROWS * EVENT_ROW : 0) + (yLabelAbove ? Y_LABEL_ROW : 0);
  const eventTop = BASE_MARGIN.top + (yLabelAbove ? Y_LABEL_ROW : 0);
  const marginTop = BASE_MARGIN.top + eventSpace;
  const fullHeight = height + eventSpace;

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
    const range: [number, number] = [fullHeight - BASE_MARGIN.bottom, marginTop];
    return log ? d3.scaleLog().domain([lo, hi]).range(range).clamp(true) : d3.scaleLinear().domain([lo, hi]).range(range).nice();
  }, [thinned, refLo, refHi, yLo, yHi, log, fullHeight, marginTop]);

  const x = useMemo((): d3.ScaleContinuousNumeric<number, number> => {
    const range = [BASE_MARGIN.left, Math.max(BASE_MARGIN.left + 10, width - BASE_MARGIN.right)];
    if (xScale === 'log') return d3.scaleLog().domain(x0 === x1 ? [x0, x0 * 10] : [x0, x1]).range(range);
    return d3.scaleLinear().domain(x0 === x1 ? [x0, x0 + 1] : [x0, x1]).range(range);
  }, [x0, x1, width, xScale]);
  const xTickKey = xTickValues?.join(',') ?? '';

  useEffect(() => {
    if (!xAxisRef.current || !yAxisRef.current || width === 0) return;
    const xTicks = Math.max(2, Math.floor((width - BASE_MARGIN.left) / 70));
    const xAxis = d3.axisBottom(x).tickFormat((d) => tickLabel(Number(d))).tickSizeOuter(0);
    if (xTickKey) xAxis.tickValues(xTickKey.split(',').map(Number));
    else if (xInteger) xAxis.tickValues(integerTicks(x.domain()[0]!, x.domain()[1]!, xTicks));
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
  }, [x, y, log, width, height, xTickKey, xInteger]);

  const line = d3.line<[number, number]>().defined(([, v]) => ok(v)).x(([u]) => x(u)).y(([, v]) => y(v));
  const inner = { left: BASE_MARGIN.left, right: width - BASE_MARGIN.right, top: marginTop, bottom: fullHeight - BASE_MARGIN.bottom };
  const dataAttrs = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  // Event labels start right of their line, or end left of it near the frame's right edge.
  const eventSpans = shownEvents
    .map((e) => {
      const at = x(e.x);
      const w = e.label.length * EVENT_CHAR;
      const start = at + 3 + w <= inner.right ? at + 3 : at - 3 - w;
      return { e, at, start, end: start + w, anchorEnd: start < at };
    })
    .sort((a, b) => a.start - b.start);
  const rows = eventRows(eventSpans.map((s) => [s.start, s.end]));
  // Charts whose y axis follows the data (or the user) say what it leaves out; a caller's fixed log axis (a schedule
  // that starts at 0) keeps its gaps unannounced.
  const notes = [yScale === 'auto' || userScale !== null ? choice.note : null, note].filter((n): n is string => !!n);

  return (
    <figure className="chart" data-testid={testId} data-y-scale={choice.scale} data-y-mode={mode} {...dataAttrs}>
      <div ref={wrapRef} className="chart-svg">
        {width > 0 ? (
          <svg width={width} height={fullHeight} role="img" aria-label={title}>
            <defs>
              <clipPath id={clipId}>
                <rect x={inner.left} y={inner.top - 2} width={Math.max(0, inner.right - inner.left)} height={inner.bottom - inner.top + 4} />
              </clipPath>
            </defs>
            <rect className="chart-frame" x={inner.left} y={inner.top} width={Math.max(0, inner.right - inner.left)} height={inner.bottom - inner.top} />
            <g ref={xAxisRef} className="axis" transform={`translate(0, ${inner.bottom})`} />
            <g ref={yAxisRef} className="axis" transform={`translate(${inner.left}, 0)`} />
            <text className="chart-label" x={(inner.left + inner.right) / 2} y={fullHeight - 3} textAnchor="middle">
              {xLabel}
            </text>
            {yLabelAbove ? (
              <text className="chart-label" x={4} y={BASE_MARGIN.top + 6}>
                {yLabel}
              </text>
            ) : (
              <text className="chart-label" transform={`translate(12, ${(inner.top + inner.bottom) / 2}) rotate(-90)`} textAnchor="middle">
                {yLabel}
              </text>
            )}
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
              {eventSpans.map(({ at }, k) => (
                <line key={`event-${k}`} className="chart-event" x1={at} x2={at} y1={inner.top} y2={inner.bottom} />
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
            {eventSpans.map(({ e, at, start, end, anchorEnd }, k) => (
              <g key={`event-${k}`} className="chart-event-label" data-testid={testId ? `${testId}-change` : undefined} data-step={String(e.x)} data-label={e.label}>
                <title>{e.detail}</title>
                <line className="chart-event" x1={at} x2={at} y1={eventTop} y2={inner.top} />
                {rows[k]! >= 0 ? (
                  <text x={anchorEnd ? end : start} y={eventTop + rows[k]! * EVENT_ROW + 8} textAnchor={anchorEnd ? 'end' : 'start'}>
                    {e.label}
                  </text>
                ) : null}
              </g>
            ))}
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
        {marker !== null && markerLabel ? <VerticalLegend className="chart-marker" label={markerLabel} /> : null}
        {eventsLabel && shownEvents.length ? <VerticalLegend className="chart-event" label={eventsLabel} /> : null}
        {scaleToggle ? (
          <label className="legend-item chart-scale">
            y axis
            <select value={userScale ?? 'auto'} onChange={(ev) => setUserScale(ev.currentTarget.value === 'auto' ? null : ev.currentTarget.value === 'log' ? 'log' : 'linear')} data-testid={testId ? `${testId}-yscale` : undefined}>
              <option value="auto">auto ({defaultChoice.scale})</option>
              <option value="linear">linear</option>
              <option value="log">log</option>
            </select>
          </label>
        ) : null}
        {notes.map((n) => (
          <span key={n} className="chart-note" data-testid={testId ? `${testId}-note` : undefined}>
            {n}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
