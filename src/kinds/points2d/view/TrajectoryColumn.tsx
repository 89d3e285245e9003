/**
 * The centre column: the plot with its tools, the timeline, the layers (the legend) and the current step's numbers in
 * one card (the one presentation mode fills the screen with), then the sampling settings, the linked chart of the
 * chosen point and the accuracy schedule, each in a card of its own so that the page layout can place them. It owns
 * the playback position (which changes every animation frame) and the chosen point, so that only this column redraws
 * while playing.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { TrajectoryPayload } from '../../../engine/protocol';
import { encodePoints, LINK_LIMIT, withPointsCode } from '../../../state/pointsLink';
import type { LayerKey, PlaygroundState } from '../../../state/urlState';
import { PointChart } from './PointChart';
import { ScheduleChart } from './ScheduleChart';
import { usePlayback } from '../../../ui/hooks/usePlayback';
import { useFirstFrameMark } from '../../../ui/firstFrame';
import { useEscapeKey } from '../../../ui/hooks/dom';
import { Layers } from './Layers';
import { Readouts } from './Readouts';
import { SamplingControls } from './SamplingControls';
import { Timeline } from '../../../ui/panels/Timeline';
import type { PathOf, PlotScene } from './draw';
import { PresentButton, usePresentation } from '../../../ui/Presentation';
import { PlaygroundPlot, type PlotTool } from './PlaygroundPlot';
import { Help, Tip } from '../../../ui/Help';
import { CONTROL_HELP } from '../../../ui/controlHelp';

/** Props of {@link TrajectoryColumn}. */
export interface TrajectoryColumnProps {
  /** The recorded trajectory to show, or null. A new one plays from t = 0 (or shows t = 1 under reduced motion). */
  payload: TrajectoryPayload | null;
  /** While `payload` is still being sampled, how many of its frames hold values (playback waits there); else null. */
  framesReady?: number | null;
  /** The sampling run `payload` belongs to: a new run plays from t = 0; the same run's complete payload goes on playing. */
  runKey?: number;
  /** True while `payload` is a recorded opening of the first run (src/engine/opening.ts) that no live frame has reached. */
  recorded?: boolean;
  /** The data points the plot shows. */
  data: Float32Array;
  /** Samples to show instead of the trajectory while training, or null. */
  live: Float32Array | null;
  runInfo: string;
  placeholder: string | null;
  settings: PlaygroundState;
  update: (patch: Partial<PlaygroundState>) => void;
  reducedMotion: boolean;
  /** True for the user's own points (the draw tools are shown). */
  custom: boolean;
  pointCount: number;
  tool: PlotTool;
  onTool: (tool: PlotTool) => void;
  onStroke: (points: Float32Array) => void;
  /** Called when a drawing stroke starts. */
  onStrokeStart?: () => void;
  onClearPoints: () => void;
  canSample: boolean;
  sampling: boolean;
  progress: { done: number; total: number } | null;
  onSample: () => void;
  /** Whether a new trajectory plays from t = 0 (false: it shows its last frame, e.g. after editing your points). */
  autoplay: boolean;
  /** Panels shown below the charts of this column (the steps-vs-quality panel). */
  below?: ReactNode;
}

const LINK_ICON = 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1';

/** The plot, timeline, sampling settings, layers, point chart and schedule chart. */
export const TrajectoryColumn = memo(function TrajectoryColumn(props: TrajectoryColumnProps) {
  const { payload, data, live, settings, update, reducedMotion, custom, pointCount, tool } = props;
  const setSpeed = useCallback((speed: number) => update({ speed }), [update]);
  const framesReady = props.framesReady ?? null;
  const recorded = props.recorded ?? false;
  const playback = usePlayback(payload?.n ?? 0, settings.speed, setSpeed, reducedMotion, true, framesReady === null ? payload?.n ?? 0 : framesReady - 1);
  const [hovered, setHovered] = useState<number | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [brush, setBrush] = useState(0.06);
  const [copied, setCopied] = useState<string | null>(null);
  const [pathOf, setPathOf] = useState<PathOf>('mu');
  const vizRef = useRef<HTMLElement>(null);
  const presentation = usePresentation(vizRef);

  // A new trajectory plays from the prior; the chosen point is kept when it still exists.
  const { restart } = playback;
  // Read when a new trajectory arrives: a change of the flag alone restarts nothing.
  const autoplayRef = useRef(props.autoplay);
  autoplayRef.current = props.autoplay;
  // A run's streamed frames and its complete payload are one trajectory: only a new run (or, without run keys, a new
  // payload) restarts.
  const restartKey = props.runKey ?? payload;
  const hasPayload = payload !== null;
  const pointsRef = useRef(payload?.points ?? 0);
  pointsRef.current = payload?.points ?? 0;
  useEffect(() => {
    setHovered(null);
    setSelected((i) => (hasPayload && i !== null && i < pointsRef.current ? i : null));
    if (hasPayload) restart(autoplayRef.current);
  }, [restartKey, hasPayload, restart]);

  useEscapeKey(() => {
    setSelected(null);
    setHovered(null);
  });

  // The link carries your points in its fragment when they fit in LINK_LIMIT characters; when they do not, the
  // note says so before anything is copied, and offers the settings-only link.
  const [tooLong, setTooLong] = useState<string | null>(null);
  const [copiedPlain, setCopiedPlain] = useState('');
  const copy = useCallback(async (url: string, what: string) => {
    setTooLong(null);
    try {
      await navigator.clipboard.writeText(url);
      setCopied(`Link copied${what}.`);
    } catch {
      setCopied(`Copy this link${what}: ${url}`);
    }
  }, []);
  const copyLink = useCallback(async () => {
    const base = `${location.origin}${location.pathname}${location.search}`;
    const plain = `${base}${withPointsCode(location.hash, null)}`;
    if (!custom || pointCount === 0) return copy(plain, '');
    const withPoints = `${base}${withPointsCode(location.hash, await encodePoints(data))}`;
    if (withPoints.length <= LINK_LIMIT) return copy(withPoints, ` with your ${pointCount.toLocaleString('en')} points`);
    setCopied(null);
    setTooLong(
      `Your ${pointCount.toLocaleString('en')} points do not fit in a link (${withPoints.length.toLocaleString('en')} characters; links are kept under ${LINK_LIMIT.toLocaleString('en')}, about 3,300 drawn points). ` +
        'A link without them opens with no points: download them (Data panel, “Download CSV”) and send the file with the settings-only link.',
    );
    setCopiedPlain(plain);
  }, [copy, custom, pointCount, data]);

  const { layers } = settings;
  const toggleLayer = useCallback((key: LayerKey) => update({ layers: { ...layers, [key]: !layers[key] } }), [update, layers]);
  const scene = useMemo<PlotScene>(() => ({ data, payload, pos: playback.pos, layers, live, pending: null, pathOf }), [data, payload, playback.pos, layers, live, pathOf]);
  const focus = selected ?? hovered;
  const frame = payload ? Math.min(payload.n, Math.floor(playback.pos)) : 0;
  useFirstFrameMark(payload !== null && playback.playing && playback.pos > 0, framesReady === null ? { view: '2d', source: 'live' } : { view: '2d', source: recorded ? 'recorded' : 'streamed', framesReady, frames: (payload?.n ?? 0) + 1 });
  const t = payload ? frame / payload.n : 0;

  return (
    <div className="col-main">
      <section className={`card viz${presentation.presenting ? ' presenting' : ''}`} aria-labelledby="viz-h" id="plot" tabIndex={-1} ref={vizRef} data-testid="viz-card">
        <div className="viz-head">
          <h2 id="viz-h">From the prior (t = 0) to the data (t = 1)</h2>
          <span className="viz-actions">
            <PresentButton presentation={presentation} />
            <Tip text={CONTROL_HELP.copyLink} describes="copy-link-button">
              <button type="button" className="button subtle small" onClick={() => void copyLink()} data-testid="copy-link" id="copy-link-button">
                <svg viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false">
                  <path d={LINK_ICON} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
                </svg>
                <span className="button-words">Copy link</span>
              </button>
            </Tip>
          </span>
        </div>
        {copied ? (
          <p className="inline-note copied" data-testid="copied">
            {copied}
          </p>
        ) : null}
        {tooLong ? (
          <p className="inline-note" role="status" data-testid="link-too-long">
            {tooLong}{' '}
            <button type="button" className="button subtle small" onClick={() => void copy(copiedPlain, ' (settings only, no points)')} data-testid="copy-plain-link">
              Copy the settings-only link
            </button>
          </p>
        ) : null}
        <p className="muted run-info" data-testid="run-info" data-source={payload?.source ?? ''} data-ready={payload && framesReady === null ? 'yes' : 'no'} data-frames-ready={payload ? framesReady ?? payload.n + 1 : 0}>
          {props.runInfo}
        </p>
        {custom ? (
          <div className="toolbar" role="group" aria-label="Plot tool">
            <div className="segmented small">
              <button type="button" aria-pressed={tool === 'inspect'} className={tool === 'inspect' ? 'active' : ''} onClick={() => props.onTool('inspect')} data-testid="tool-inspect">
                Inspect
              </button>
              <button type="button" aria-pressed={tool === 'draw'} className={tool === 'draw' ? 'active' : ''} onClick={() => props.onTool('draw')} data-testid="tool-draw">
                ✎ Draw
              </button>
            </div>
            <label className="brush-size">
              Brush
              <input type="range" min={0.01} max={0.3} step={0.01} value={brush} onChange={(e) => setBrush(Number(e.currentTarget.value))} data-testid="brush-size" />
            </label>
            <button type="button" className="button subtle small" onClick={props.onClearPoints} disabled={pointCount === 0}>
              Clear
            </button>
            <Help topic="the plot tools" text={CONTROL_HELP.plotTool} />
          </div>
        ) : null}
        <PlaygroundPlot
          scene={scene}
          tool={custom ? tool : 'inspect'}
          brush={brush}
          selected={selected}
          hovered={hovered}
          onHover={setHovered}
          onSelect={setSelected}
          onStroke={props.onStroke}
          onStrokeStart={props.onStrokeStart}
          placeholder={props.placeholder}
          label={payload ? `Input means of ${payload.points} points at step ${frame} of ${payload.n}` : 'The playground plot'}
        />
        <Timeline
          n={payload?.n ?? 0}
          playback={playback}
          disabled={!payload || !!live}
          speed={settings.speed}
          onSpeed={setSpeed}
          sampled={framesReady === null ? null : framesReady - 1}
        />
        <Layers layers={layers} onToggle={toggleLayer} solver={payload !== null && payload.sampler !== 'original'} pathOf={pathOf} onPathOf={setPathOf} />
        {/* While training, the plot shows live samples: the step readouts of the last trajectory would describe another run. */}
        <Readouts payload={live ? null : payload} pos={playback.pos} />
        {live ? (
          <p className="hint" data-testid="readouts-live">
            Training: the plot shows samples of your network as it learns. Pause to sample it step by step.
          </p>
        ) : null}
      </section>
      <section className="card sampling-card" aria-label="Sampling">
        <SamplingControls settings={settings} update={update} canSample={props.canSample} busy={props.sampling} progress={props.progress} onSample={props.onSample} />
        {payload && payload.sampler !== 'original' ? (
          <p className="hint" data-testid="solver-note">
            This run used a BFN-Solver (Xue et al. 2024): its n steps run on the grid t = {payload.t[0]!.toFixed(3)} + i(1 − {payload.t[0]!.toFixed(3)})/n and
            move μ by the solver&apos;s update instead of a Bayesian update with a noisy sender sample{' '}
            {payload.sampler.startsWith('ode') ? '(an ODE solver draws no noise after its start)' : '(an SDE solver adds fresh noise every step)'}; its last step returns
            the prediction x̂. “What you are seeing” describes the original sampler.
          </p>
        ) : null}
      </section>
      <section className="card point-card" aria-labelledby="point-h" data-tour="point-chart">
        <h2 id="point-h">{focus !== null && payload ? `Point ${focus} over time` : 'One point over time'}</h2>
        <PointChart payload={payload} index={focus} frame={frame} t={t} />
      </section>
      <section className="card schedule-card" aria-labelledby="schedule-h">
        <h2 id="schedule-h">Accuracy schedule</h2>
        <ScheduleChart payload={payload} t={t} />
      </section>
      {props.below}
    </div>
  );
});
