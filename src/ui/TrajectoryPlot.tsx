/**
 * The trajectory view: an SVG with D3 scales and axes on [-1.1, 1.1]^2 for the few marks (axes, grid, the
 * stand-in's data points) over a canvas for the thousands of input means. Square, as wide as its container.
 * It redraws only when the data, the position, the layers or the size change.
 */
import { useEffect, useMemo, useRef } from 'react';
import * as d3 from 'd3';
import type { TrajectoryPayload } from '../engine/protocol';
import { useDevicePixelRatio, useElementWidth } from './hooks';
import { COLORS, drawTrajectory, plotGeometry, type PlotLayers } from './plot';

/** Props of {@link TrajectoryPlot}. */
export interface TrajectoryPlotProps {
  payload: TrajectoryPayload | null;
  /** Frame position 0..n (fractional while playing). */
  pos: number;
  layers: PlotLayers;
  /** Shown over the empty plot (e.g. "Sampling…"). */
  placeholder?: string;
}

/** The square plot of the input means at frame position `pos`, as wide as its container. */
export function TrajectoryPlot({ payload, pos, layers, placeholder }: TrajectoryPlotProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const size = useElementWidth(wrapRef);
  const dpr = useDevicePixelRatio();
  const geometry = useMemo(() => plotGeometry(size), [size]);

  useEffect(() => {
    if (!xAxisRef.current || !yAxisRef.current || size === 0) return;
    const { x, y, ticks } = geometry;
    d3.select(xAxisRef.current).call(d3.axisBottom(x).ticks(ticks).tickSizeOuter(0));
    d3.select(yAxisRef.current).call(d3.axisLeft(y).ticks(ticks).tickSizeOuter(0));
  }, [geometry, size]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || size === 0) return;
    drawTrajectory(ctx, geometry, dpr, payload, pos, layers);
  }, [geometry, dpr, payload, pos, layers, size]);

  const { margin, x, y } = geometry;
  const gridTicks = size > 0 ? x.ticks(geometry.ticks) : [];
  const mark = Math.min(6, Math.max(3.5, size / 90));
  const dataPoints = payload?.dataPoints ?? null;
  const dataMarks: [number, number][] = [];
  if (dataPoints && layers.data) for (let j = 0; j + 1 < dataPoints.length; j += 2) dataMarks.push([dataPoints[j]!, dataPoints[j + 1]!]);

  return (
    <div className="plot" ref={wrapRef}>
      {size > 0 ? (
        <div className="plot-stack" style={{ width: size, height: size }}>
          <canvas
            ref={canvasRef}
            data-testid="trajectory-canvas"
            width={Math.round(size * dpr)}
            height={Math.round(size * dpr)}
            style={{ width: size, height: size }}
            aria-hidden="true"
          />
          <svg
            width={size}
            height={size}
            viewBox={`0 0 ${size} ${size}`}
            role="img"
            aria-label={
              payload
                ? `Input means of ${payload.points} points at step ${Math.floor(pos)} of ${payload.n}`
                : 'Empty plot: no trajectory yet'
            }
          >
            <g className="grid" aria-hidden="true">
              {gridTicks.map((v) => (
                <g key={v}>
                  <line x1={x(v)} x2={x(v)} y1={margin.top} y2={size - margin.bottom} />
                  <line x1={margin.left} x2={size - margin.right} y1={y(v)} y2={y(v)} />
                </g>
              ))}
            </g>
            <rect
              className="frame"
              x={margin.left}
              y={margin.top}
              width={size - margin.left - margin.right}
              height={size - margin.top - margin.bottom}
            />
            <g ref={xAxisRef} className="axis" transform={`translate(0, ${size - margin.bottom})`} />
            <g ref={yAxisRef} className="axis" transform={`translate(${margin.left}, 0)`} />
            <text className="axis-label" x={size - margin.right - 6} y={size - margin.bottom - 6} textAnchor="end">
              x₁
            </text>
            <text className="axis-label" x={margin.left + 6} y={margin.top + 14}>
              x₂
            </text>
            <g className="data-marks" data-testid="data-marks">
              {dataMarks.map(([dx, dy], j) => (
                <g key={j} transform={`translate(${x(dx)}, ${y(dy)})`}>
                  <path d={`M${-mark},0H${mark}M0,${-mark}V${mark}`} stroke="#ffffff" strokeWidth={4.2} strokeLinecap="round" />
                  <path d={`M${-mark},0H${mark}M0,${-mark}V${mark}`} stroke={COLORS.data} strokeWidth={2} strokeLinecap="round" />
                </g>
              ))}
            </g>
            {placeholder ? (
              <text className="placeholder" x={(margin.left + size - margin.right) / 2} y={(margin.top + size - margin.bottom) / 2} textAnchor="middle">
                {placeholder}
              </text>
            ) : null}
          </svg>
        </div>
      ) : null}
    </div>
  );
}
