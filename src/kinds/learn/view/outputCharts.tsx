/**
 * The Learn output widgets' bar chart (probabilities over K classes) and scatter plot (2D points), drawn with D3
 * scales and axes in an SVG as wide as its container, with axis labels and a legend (the line charts are
 * src/ui/charts/LineChart.tsx).
 */
import { useEffect, useRef, type ReactNode, type RefObject } from 'react';
import * as d3 from 'd3';
import { useElementWidth } from '../../../ui/hooks/dom';

const MARGIN = { top: 10, right: 10, bottom: 40, left: 50 };

/** Draws a D3 axis into a <g> whenever its scale or settings change. */
function useAxis(axis: d3.Axis<d3.NumberValue> | d3.Axis<string> | null) {
  const ref = useRef<SVGGElement>(null);
  useEffect(() => {
    if (ref.current && axis) d3.select(ref.current).call(axis as d3.Axis<d3.NumberValue>);
  }, [axis]);
  return ref;
}

/** The frame every chart here shares: figure, SVG, D3 axes on the plot area's bottom and left, axis labels, legend. */
function ChartFrame({ wrapRef, width, height, plot, title, testId, xAxis, yAxis, xLabel, yLabel, legend, children }: {
  wrapRef: RefObject<HTMLDivElement | null>; width: number; height: number; plot: { left: number; right: number; top: number; bottom: number };
  title: string; testId?: string; xAxis: d3.Axis<d3.NumberValue> | d3.Axis<string>; yAxis: d3.Axis<d3.NumberValue>; xLabel: string; yLabel: string; legend: ReactNode; children: ReactNode;
}) {
  const xAxisRef = useAxis(width > 0 ? xAxis : null);
  const yAxisRef = useAxis(width > 0 ? yAxis : null);
  return (
    <figure className="chart" data-testid={testId}>
      <div ref={wrapRef} className="chart-svg">
        {width > 0 ? (
          <svg width={width} height={height} role="img" aria-label={title}>
            {children}
            <g ref={xAxisRef} className="axis" transform={`translate(0, ${plot.bottom})`} />
            <g ref={yAxisRef} className="axis" transform={`translate(${plot.left}, 0)`} />
            <text className="chart-label" x={(plot.left + plot.right) / 2} y={height - 4} textAnchor="middle">{xLabel}</text>
            <text className="chart-label" transform={`translate(12, ${(plot.top + plot.bottom) / 2}) rotate(-90)`} textAnchor="middle">{yLabel}</text>
          </svg>
        ) : null}
      </div>
      <figcaption className="chart-legend">{legend}</figcaption>
    </figure>
  );
}

/** One series of bars. */
export interface BarSeries {
  id: string;
  label: string;
  color: string;
  values: ArrayLike<number>;
}

/** Props of {@link BarChart}: categories on x, one bar per series in each, probabilities on y in [0, 1]. */
export interface BarChartProps {
  title: string;
  categories: readonly string[];
  series: BarSeries[];
  /** Index of a category to mark (e.g. the true class), or null. */
  mark: number | null;
  markLabel: string;
  xLabel: string;
  yLabel: string;
  height?: number;
  testId?: string;
}

/** Grouped bars over categories, y in [0, 1]. */
export function BarChart({ title, categories, series, mark, markLabel, xLabel, yLabel, height = 200, testId }: BarChartProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(wrapRef);
  const x = d3.scaleBand<string>().domain(categories.map((_, k) => `${k}`)).range([MARGIN.left, Math.max(MARGIN.left + 10, width - MARGIN.right)]).padding(0.15);
  const y = d3.scaleLinear().domain([0, 1]).range([height - MARGIN.bottom, MARGIN.top]);
  const inner = x.bandwidth() / Math.max(1, series.length);
  const plot = { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };
  const legend = (
    <>
      {series.map((s) => (
        <span key={s.id} className="legend-item"><svg width="14" height="10" aria-hidden="true"><rect width="14" height="10" fill={s.color} /></svg>{s.label}</span>
      ))}
      {mark !== null ? <span className="legend-item"><svg width="14" height="10" aria-hidden="true"><rect width="14" height="10" className="learn-bar-mark" /></svg>{markLabel}</span> : null}
    </>
  );
  return (
    <ChartFrame
      wrapRef={wrapRef} width={width} height={height} plot={plot} title={title} testId={testId} xLabel={xLabel} yLabel={yLabel} legend={legend}
      xAxis={d3.axisBottom(x).tickFormat((k) => categories[Number(k)] ?? '').tickSizeOuter(0)} yAxis={d3.axisLeft(y).ticks(5).tickSizeOuter(0)}
    >
      {mark !== null ? <rect className="learn-bar-mark" x={x(`${mark}`)! - 1} width={x.bandwidth() + 2} y={plot.top} height={plot.bottom - plot.top} /> : null}
      {series.map((s, j) => (
        <g key={s.id} fill={s.color}>
          {categories.map((c, k) => {
            const v = s.values[k] ?? 0;
            return <rect key={c + k} x={x(`${k}`)! + j * inner} width={inner} y={y(v)} height={Math.max(0, y(0) - y(v))}><title>{`${s.label}, ${c}: ${v.toPrecision(4)}`}</title></rect>;
          })}
        </g>
      ))}
    </ChartFrame>
  );
}

/** One set of points of a {@link ScatterPlot}: [N, 2] row-major. */
export interface PointSet {
  id: string;
  label: string;
  color: string;
  points: ArrayLike<number>;
  radius?: number;
  opacity?: number;
}

/** Props of {@link ScatterPlot}: a square plot over [-extent, extent]^2. */
export interface ScatterPlotProps {
  title: string;
  sets: PointSet[];
  extent: number;
  xLabel: string;
  yLabel: string;
  testId?: string;
}

/** A square scatter plot of 2D point sets, sized to its container (at most 360 px). */
export function ScatterPlot({ title, sets, extent, xLabel, yLabel, testId }: ScatterPlotProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = Math.min(360, useElementWidth(wrapRef));
  const side = Math.max(10, width - MARGIN.left - MARGIN.right);
  const height = side + MARGIN.top + MARGIN.bottom;
  const x = d3.scaleLinear().domain([-extent, extent]).range([MARGIN.left, MARGIN.left + side]);
  const y = d3.scaleLinear().domain([-extent, extent]).range([MARGIN.top + side, MARGIN.top]);
  const plot = { left: MARGIN.left, right: MARGIN.left + side, top: MARGIN.top, bottom: MARGIN.top + side };
  const legend = sets.map((s) => (
    <span key={s.id} className="legend-item"><svg width="10" height="10" aria-hidden="true"><circle cx="5" cy="5" r="4" fill={s.color} /></svg>{s.label}</span>
  ));
  return (
    <ChartFrame
      wrapRef={wrapRef} width={width} height={height} plot={plot} title={title} testId={testId} xLabel={xLabel} yLabel={yLabel} legend={legend}
      xAxis={d3.axisBottom(x).ticks(5).tickSizeOuter(0)} yAxis={d3.axisLeft(y).ticks(5).tickSizeOuter(0)}
    >
      <rect className="chart-frame" x={plot.left} y={plot.top} width={side} height={side} />
      {sets.map((s) => {
        const dots = [];
        for (let k = 0; 2 * k + 1 < s.points.length; k++) dots.push(<circle key={k} cx={x(s.points[2 * k]!)} cy={y(s.points[2 * k + 1]!)} r={s.radius ?? 1.8} />);
        return <g key={s.id} fill={s.color} fillOpacity={s.opacity ?? 0.8}>{dots}</g>;
      })}
    </ChartFrame>
  );
}
