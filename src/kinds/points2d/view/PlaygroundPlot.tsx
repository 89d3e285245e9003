/**
 * The playground's main view: a canvas for the thousands of marks (drawScene in ./draw.ts) under an SVG with D3 axes
 * and the few interactive marks (the focused point, its path and its one-standard-deviation ring, the brush).
 * Pointer Events serve mouse, touch and pen alike: in 'inspect' mode hovering or tapping picks a point; in 'draw'
 * mode a stroke sprays points within the brush radius, handed to `onStroke` when the stroke ends. Redraws only when
 * its inputs change.
 */
import { useEffect, useId, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import * as d3 from 'd3';
import { createRng } from '../../../data/random';
import { useDevicePixelRatio, useElementWidth } from '../../../ui/hooks/dom';
import { COLORS, drawScene, fadingSegments, nearestPoint, plotGeometry, pointAt, rhoAt, type FadeLevel, type PlotScene } from './draw';
import { usePlotKeyboard } from './usePlotKeyboard';

/** What a pointer does on the plot. */
export type PlotTool = 'inspect' | 'draw';

/** Props of {@link PlaygroundPlot}. */
export interface PlaygroundPlotProps {
  scene: PlotScene;
  tool: PlotTool;
  /** Brush radius in data units. */
  brush: number;
  /** The selected point (sticky) and the hovered one. */
  selected: number | null;
  hovered: number | null;
  onHover: (index: number | null) => void;
  onSelect: (index: number | null) => void;
  /** Receives the points of a finished stroke ([n, 2], inside [-1, 1]). */
  onStroke: (points: Float32Array) => void;
  /** Called when a stroke starts (before its points arrive in `onStroke`). */
  onStrokeStart?: () => void;
  /** Text over the plot (e.g. "Sampling…"), or null. */
  placeholder: string | null;
  label: string;
}

/** Largest number of points one stroke may add. */
const STROKE_LIMIT = 20000;

/** SVG path data of segments [x0, y0, x1, y1, ...] (pixels). */
const segmentsPath = (segments: number[]) => {
  let d = '';
  for (let s = 0; s < segments.length; s += 4) d += `M${segments[s]!.toFixed(2)},${segments[s + 1]!.toFixed(2)}L${segments[s + 2]!.toFixed(2)},${segments[s + 3]!.toFixed(2)}`;
  return d;
};

/** The chosen point's fading path: one SVG path per opacity level, the newest (most opaque) last, with `testId`. */
function FadingPath({ levels, width, dash, testId }: { levels: FadeLevel[]; width: number; dash?: string; testId?: string }) {
  return (
    <>
      {levels.map((l, k) => (
        <path
          key={l.alpha}
          d={segmentsPath(l.segments)}
          fill="none"
          stroke={COLORS.selected}
          strokeWidth={width}
          strokeOpacity={Math.min(1, l.alpha * 1.1)}
          strokeDasharray={dash}
          strokeLinecap="round"
          data-testid={k === levels.length - 1 ? testId : undefined}
        />
      ))}
    </>
  );
}

/** The square playground plot, as wide as its container. */
export function PlaygroundPlot({ scene, tool, brush, selected, hovered, onHover, onSelect, onStroke, onStrokeStart, placeholder, label }: PlaygroundPlotProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const size = useElementWidth(wrapRef);
  const dpr = useDevicePixelRatio();
  const geometry = useMemo(() => plotGeometry(size), [size]);
  const [pending, setPending] = useState<Float32Array | null>(null);
  const [cursor, setCursor] = useState<[number, number] | null>(null);
  const stroke = useRef<{ id: number; points: number[]; last: [number, number] | null } | null>(null);
  const down = useRef<{ x: number; y: number } | null>(null);
  const rng = useRef(createRng('brush'));
  const clipId = `plot-clip-${useId().replace(/[^\w-]/g, '')}`;
  const keyboard = usePlotKeyboard(scene.payload, scene.pos, scene.live !== null, selected ?? hovered, onSelect, label);

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
    drawScene(ctx, geometry, dpr, { ...scene, pending });
  }, [geometry, dpr, scene, pending, size]);

  const local = (e: ReactPointerEvent<SVGSVGElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };

  /** Adds brush points around pixel (px, py) to the current stroke. */
  const spray = (px: number, py: number, pressure: number) => {
    const s = stroke.current;
    if (!s) return;
    const spacing = Math.max(3, Math.abs(geometry.x(brush) - geometry.x(0)) * 0.35);
    if (s.last && Math.hypot(px - s.last[0], py - s.last[1]) < spacing) return;
    s.last = [px, py];
    const cx = geometry.x.invert(px);
    const cy = geometry.y.invert(py);
    const count = Math.max(1, Math.round(Math.ceil(brush * 40) * pressure));
    for (let k = 0; k < count && s.points.length < 2 * STROKE_LIMIT; k++) {
      const r = brush * Math.sqrt(rng.current.uniform());
      const a = 2 * Math.PI * rng.current.uniform();
      s.points.push(Math.max(-1, Math.min(1, cx + r * Math.cos(a))), Math.max(-1, Math.min(1, cy + r * Math.sin(a))));
    }
    setPending(Float32Array.from(s.points));
  };

  const pressureOf = (e: PointerEvent | ReactPointerEvent) => (e.pointerType === 'pen' && e.pressure > 0 ? Math.min(2, 2 * e.pressure) : 1);

  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    const [px, py] = local(e);
    if (tool === 'draw') {
      e.preventDefault();
      try {
        e.currentTarget.setPointerCapture(e.pointerId);
      } catch {
        // A pointer that is already gone (or a synthetic one) cannot be captured; the stroke still works.
      }
      stroke.current = { id: e.pointerId, points: [], last: null };
      onStrokeStart?.();
      spray(px, py, pressureOf(e));
      return;
    }
    down.current = { x: px, y: py };
  };

  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>) => {
    const [px, py] = local(e);
    if (tool === 'draw') {
      setCursor([px, py]);
      const s = stroke.current;
      if (!s || s.id !== e.pointerId) return;
      const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
      if (events.length > 1) {
        const r = e.currentTarget.getBoundingClientRect();
        for (const ce of events) spray(ce.clientX - r.left, ce.clientY - r.top, pressureOf(ce));
      } else {
        spray(px, py, pressureOf(e));
      }
      return;
    }
    if (e.pointerType === 'mouse' && scene.payload && !scene.live) onHover(nearestPoint(geometry, scene.payload, scene.pos, px, py, 14));
  };

  const finishStroke = (e: ReactPointerEvent<SVGSVGElement>) => {
    const s = stroke.current;
    if (!s || s.id !== e.pointerId) return;
    stroke.current = null;
    setPending(null);
    if (s.points.length > 0) onStroke(Float32Array.from(s.points));
  };

  const onPointerUp = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (tool === 'draw') {
      finishStroke(e);
      return;
    }
    const start = down.current;
    down.current = null;
    if (!start || !scene.payload || scene.live) return;
    const [px, py] = local(e);
    if (Math.hypot(px - start.x, py - start.y) > 8) return;
    const radius = e.pointerType === 'mouse' ? 14 : 24;
    const i = nearestPoint(geometry, scene.payload, scene.pos, px, py, radius);
    onSelect(i === selected ? null : i);
  };

  const onPointerLeave = () => {
    setCursor(null);
    if (tool === 'inspect') onHover(null);
  };

  const { margin, x, y } = geometry;
  const gridTicks = size > 0 ? x.ticks(geometry.ticks) : [];
  const focus = selected ?? hovered;
  const payload = scene.payload;
  let focusMarks: { cx: number; cy: number; ring: number; path: FadeLevel[]; prediction: { path: FadeLevel[]; cx: number; cy: number } | null } | null = null;
  if (payload && !scene.live && focus !== null && focus < payload.points) {
    // Its path so far, fading with age as the tracked paths do: the future stays hidden until it is played. The mean
    // mu's path ends at the point's mark; with x_hat's paths chosen, the prediction's path so far is drawn too
    // (dashed), ending at the current x_hat.
    const pathSoFar = (values: Float32Array) => {
      const [ex, ey] = pointAt(values, payload.points, payload.n, focus, scene.pos);
      return { path: fadingSegments(geometry, values, payload.points, payload.n, scene.pos, [focus]), cx: x(ex), cy: y(ey) };
    };
    const mean = pathSoFar(payload.mu);
    const ring = Math.abs(x(1 / Math.sqrt(rhoAt(payload, scene.pos))) - x(0));
    focusMarks = { ...mean, ring, prediction: scene.pathOf === 'xhat' ? pathSoFar(payload.xHat) : null };
  }
  const brushPx = Math.abs(x(brush) - x(0));

  return (
    <div className="plot" ref={wrapRef} data-tour="plot">
      {size > 0 ? (
        <div className="plot-stack" style={{ width: size, height: size }}>
          <canvas
            ref={canvasRef}
            data-testid="plot-canvas"
            width={Math.round(size * dpr)}
            height={Math.round(size * dpr)}
            style={{ width: size, height: size }}
            aria-hidden="true"
          />
          <svg
            width={size}
            height={size}
            viewBox={`0 0 ${size} ${size}`}
            {...keyboard.props}
            id="plot-area"
            data-testid="plot-svg"
            className={tool === 'draw' ? 'drawing' : 'inspecting'}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={(e) => (tool === 'draw' ? finishStroke(e) : undefined)}
            onPointerLeave={onPointerLeave}
          >
            <g className="grid" aria-hidden="true">
              {gridTicks.map((v) => (
                <g key={v}>
                  <line x1={x(v)} x2={x(v)} y1={margin.top} y2={size - margin.bottom} />
                  <line x1={margin.left} x2={size - margin.right} y1={y(v)} y2={y(v)} />
                </g>
              ))}
            </g>
            <rect className="frame" x={margin.left} y={margin.top} width={size - margin.left - margin.right} height={size - margin.top - margin.bottom} />
            <g ref={xAxisRef} className="axis" transform={`translate(0, ${size - margin.bottom})`} />
            <g ref={yAxisRef} className="axis" transform={`translate(${margin.left}, 0)`} />
            <text className="axis-label" x={size - margin.right - 6} y={size - margin.bottom - 6} textAnchor="end">
              x₁
            </text>
            <text className="axis-label" x={margin.left + 6} y={margin.top + 14}>
              x₂
            </text>
            <defs>
              <clipPath id={clipId}>
                <rect x={margin.left} y={margin.top} width={Math.max(0, size - margin.left - margin.right)} height={Math.max(0, size - margin.top - margin.bottom)} />
              </clipPath>
            </defs>
            {focusMarks ? (
              <g className="focus" data-testid="focus-mark" pointerEvents="none" clipPath={`url(#${clipId})`}>
                <FadingPath levels={focusMarks.path} width={1.6} testId="focus-path" />
                {focusMarks.prediction ? (
                  <g data-testid="focus-prediction">
                    <FadingPath levels={focusMarks.prediction.path} width={1.3} dash="3 2" />
                    <circle cx={focusMarks.prediction.cx} cy={focusMarks.prediction.cy} r={geometry.pointRadius + 2} fill={COLORS.xHat} stroke={COLORS.selected} strokeWidth={1.4} />
                  </g>
                ) : null}
                <circle cx={focusMarks.cx} cy={focusMarks.cy} r={focusMarks.ring} fill="none" stroke={COLORS.ring} strokeDasharray="4 3" strokeWidth={1.3} />
                <circle cx={focusMarks.cx} cy={focusMarks.cy} r={geometry.pointRadius + 3.5} fill="#ffffff" fillOpacity={0.6} stroke={COLORS.selected} strokeWidth={2.2} />
                {keyboard.focused ? <rect className="key-focus" data-testid="key-focus-mark" x={focusMarks.cx - 11} y={focusMarks.cy - 11} width={22} height={22} rx={4} /> : null}
              </g>
            ) : null}
            {tool === 'draw' && cursor ? (
              <circle className="brush" cx={cursor[0]} cy={cursor[1]} r={brushPx} pointerEvents="none" />
            ) : null}
            {placeholder ? (
              <text className="placeholder" x={(margin.left + size - margin.right) / 2} y={(margin.top + size - margin.bottom) / 2} textAnchor="middle" pointerEvents="none">
                {placeholder}
              </text>
            ) : null}
          </svg>
        </div>
      ) : null}
      <p className="sr-only" aria-live="polite" data-testid="plot-announce">
        {keyboard.announcement}
      </p>
    </div>
  );
}
