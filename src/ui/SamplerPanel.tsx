/**
 * The sampling panel: settings, the run in the engine worker, and the trajectory view with its transport
 * controls, readouts and legend. Runs one sample automatically once the engine is ready.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../engine/client';
import type { TrajectoryPayload } from '../engine/protocol';
import { duration, errorMessage } from './format';
import { usePlayback, usePrefersReducedMotion } from './hooks';
import { Legend } from './Legend';
import { DEFAULT_LAYERS, type PlotLayers } from './plot';
import { Readouts } from './Readouts';
import { SampleControls } from './SampleControls';
import { settingsFromUrl, settingsToUrl, NET_LABELS, type SamplerSettings } from './settings';
import { Timeline } from './Timeline';
import { TrajectoryPlot } from './TrajectoryPlot';

/** Props of {@link SamplerPanel}: the engine client, whether it is ready, and where to report errors. */
export interface SamplerPanelProps {
  engine: EngineClient;
  ready: boolean;
  onError: (where: string, message: string) => void;
}

/** True when keys typed at `target` belong to it (text fields, selects, checkboxes) rather than to the player. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

function isSlider(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement && target.type === 'range';
}

/** Settings, the trajectory view, transport, readouts and legend, laid out as one grid. */
export function SamplerPanel({ engine, ready, onError }: SamplerPanelProps) {
  const [initial] = useState(() => settingsFromUrl(location.search));
  const [payload, setPayload] = useState<TrajectoryPayload | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [pos, setPos] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [layers, setLayers] = useState<PlotLayers>(DEFAULT_LAYERS);
  const reducedMotion = usePrefersReducedMotion();
  const runId = useRef(0);
  const autoRan = useRef(false);

  const runSample = useCallback(
    async (settings: SamplerSettings) => {
      const id = ++runId.current;
      setBusy(true);
      setPlaying(false);
      setProgress({ done: 0, total: settings.steps });
      history.replaceState(null, '', `${location.pathname}${settingsToUrl(settings, location.search)}${location.hash}`);
      try {
        const result = await engine.sampleToy(
          { n: settings.steps, points: settings.points, seed: settings.seed, sigma1: settings.sigma1, net: settings.net },
          (done, total) => {
            if (id === runId.current) setProgress({ done, total });
          },
        );
        if (id !== runId.current) return;
        setPayload(result);
        // Under reduced motion show the finished samples and let the user step; otherwise play from the prior.
        setPos(reducedMotion ? result.n : 0);
        setPlaying(!reducedMotion);
      } catch (err) {
        onError('Sampling', errorMessage(err));
      } finally {
        if (id === runId.current) {
          setBusy(false);
          setProgress(null);
        }
      }
    },
    [engine, onError, reducedMotion],
  );

  useEffect(() => {
    if (ready && !autoRan.current) {
      autoRan.current = true;
      void runSample(initial);
    }
  }, [ready, initial, runSample]);

  const n = payload?.n ?? 0;
  const onEnd = useCallback(() => setPlaying(false), []);
  usePlayback({ playing, last: n, pos, setPos, onEnd, reducedMotion });

  const togglePlay = useCallback(() => {
    if (!payload) return;
    if (!playing && pos >= payload.n) setPos(0);
    setPlaying((p) => !p);
  }, [payload, playing, pos]);
  const step = useCallback(
    (delta: number) => {
      setPlaying(false);
      setPos((p) => Math.min(n, Math.max(0, (delta > 0 ? Math.floor(p) : Math.ceil(p)) + delta)));
    },
    [n],
  );
  const seek = useCallback(
    (frame: number) => {
      setPlaying(false);
      setPos(Math.min(n, Math.max(0, frame)));
    },
    [n],
  );

  useEffect(() => {
    if (!payload) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      // On the t slider, space still plays/pauses; its arrows, Home and End are the slider's own.
      if (isSlider(e.target) ? e.key !== ' ' : isTyping(e.target)) return;
      const onButton = e.target instanceof HTMLButtonElement;
      if (e.key === ' ' && !onButton) {
        e.preventDefault();
        togglePlay();
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        step(1);
      } else if (e.key === 'ArrowLeft') {
        e.preventDefault();
        step(-1);
      } else if (e.key === 'Home') {
        e.preventDefault();
        seek(0);
      } else if (e.key === 'End') {
        e.preventDefault();
        seek(n);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [payload, togglePlay, step, seek, n]);

  const toggleLayer = useCallback((key: keyof PlotLayers) => setLayers((l) => ({ ...l, [key]: !l[key] })), []);

  return (
    <div className="workspace">
      <div className="area-controls">
        <SampleControls initial={initial} ready={ready} busy={busy} progress={progress} onSample={runSample} />
      </div>
      <section className="area-viz card viz" aria-label="Trajectory of the input means">
        <div className="viz-head">
          <h2>Input means μ from the prior (t = 0) to the samples (t = 1)</h2>
          {payload ? (
            <p className="muted run-info" data-testid="run-info">
              {payload.points.toLocaleString('en')} points × {payload.n} steps, σ₁ = {payload.sigma1}, {NET_LABELS[payload.net].toLowerCase()};
              sampled on {payload.backend} in {duration(payload.elapsedMs)}
            </p>
          ) : null}
        </div>
        <TrajectoryPlot payload={payload} pos={pos} layers={layers} placeholder={payload ? undefined : busy ? 'Sampling…' : ready ? '' : 'Starting the engine…'} />
        <Timeline n={n} pos={pos} playing={playing} disabled={!payload} onTogglePlay={togglePlay} onStep={step} onSeek={seek} />
      </section>
      <div className="area-readouts">
        <Readouts payload={payload} pos={pos} />
      </div>
      <div className="area-legend">
        <Legend layers={layers} onToggle={toggleLayer} hasData={!!payload?.dataPoints} />
      </div>
    </div>
  );
}
