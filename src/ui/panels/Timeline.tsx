/** Transport controls for a recorded trajectory: step back, play/pause, step forward, the t slider and the speed. */
import type { CSSProperties } from 'react';
import { fixed } from '../format';
import { SPEEDS, type PlaybackHandle } from '../hooks/usePlayback';
import { Help } from '../Help';
import { CONTROL_HELP } from '../controlHelp';

/** Props of {@link Timeline}. */
export interface TimelineProps {
  /** Number of steps n (frames 0..n). */
  n: number;
  /** The position and controls of {@link usePlayback}. */
  playback: PlaybackHandle;
  disabled: boolean;
  speed: number;
  onSpeed: (speed: number) => void;
  /**
   * While the run is still being sampled: the last frame that holds values (0..n). The slider then shows how far the
   * run is sampled with a bar under its track (playback waits there and seeking stops there: usePlayback's `available`).
   */
  sampled?: number | null;
}

function Icon({ kind }: { kind: 'play' | 'pause' | 'back' | 'forward' }) {
  const paths = {
    play: 'M7 4.5v15l12-7.5z',
    pause: 'M6.5 4.5h4v15h-4zM13.5 4.5h4v15h-4z',
    back: 'M6 5h2.5v14H6zM19 5v14L9.5 12z',
    forward: 'M15.5 5H18v14h-2.5zM5 5v14l9.5-7z',
  } as const;
  return (
    <svg viewBox="0 0 24 24" width="1.15em" height="1.15em" aria-hidden="true" focusable="false">
      <path d={paths[kind]} fill="currentColor" />
    </svg>
  );
}

/** Step back / play-pause / step forward buttons, the t slider over frames 0..n, and the playback speed. */
export function Timeline({ n, playback, disabled, speed, onSpeed, sampled = null }: TimelineProps) {
  const { pos, playing, togglePlay: onTogglePlay, step: onStep, seek: onSeek } = playback;
  const frame = Math.min(n, Math.max(0, Math.floor(pos)));
  const t = n > 0 ? frame / n : 0;
  const speeds: number[] = [...SPEEDS];
  if (!speeds.includes(speed)) speeds.push(speed);
  speeds.sort((a, b) => a - b);
  return (
    <div className="timeline" data-testid="timeline" data-tour="timeline">
      <div className="transport" role="group" aria-label="Playback">
        <button type="button" className="icon-button" onClick={() => onStep(-1)} disabled={disabled || frame <= 0} aria-label="Step back" title="Step back (←)">
          <Icon kind="back" />
        </button>
        <button
          type="button"
          className="icon-button primary"
          onClick={onTogglePlay}
          disabled={disabled}
          aria-label={playing ? 'Pause' : 'Play'}
          title={playing ? 'Pause (space)' : 'Play (space)'}
          data-testid="play-button"
        >
          <Icon kind={playing ? 'pause' : 'play'} />
        </button>
        <button type="button" className="icon-button" onClick={() => onStep(1)} disabled={disabled || frame >= n} aria-label="Step forward" title="Step forward (→)">
          <Icon kind="forward" />
        </button>
      </div>
      <label className="slider">
        <span className="slider-label">t</span>
        <span className="slider-end" aria-hidden="true">0</span>
        <span className="slider-track">
          <input
            type="range"
            min={0}
            max={Math.max(n, 1)}
            step={1}
            value={frame}
            disabled={disabled}
            onChange={(e) => onSeek(Number(e.currentTarget.value))}
            aria-valuetext={`t = ${fixed(t, 3)}, step ${frame} of ${n}${sampled !== null ? `, sampled up to step ${sampled}` : ''}`}
            data-testid="t-slider"
            data-sampled={sampled ?? undefined}
          />
          {sampled !== null && n > 0 ? <span className="slider-sampled" aria-hidden="true" style={{ '--sampled': String(sampled / n) } as CSSProperties} /> : null}
        </span>
        <span className="slider-end" aria-hidden="true">1</span>
      </label>
      <label className="speed" title="Playback speed (+ and − keys)">
        <span className="sr-only">Speed</span>
        <select value={String(speed)} onChange={(e) => onSpeed(Number(e.currentTarget.value))} data-testid="speed-select" aria-label="Playback speed">
          {speeds.map((s) => (
            <option key={s} value={String(s)}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <Help topic="the timeline" text={CONTROL_HELP.timeline} />
    </div>
  );
}
