/**
 * The timeline of a recorded trajectory: the frame position (fractional while playing), play/pause, steps, seeking
 * and speed, advanced with requestAnimationFrame, plus the keyboard shortcuts. Under reduced motion it never starts
 * by itself and steps through whole frames instead of gliding.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { SETTINGS_2D } from '../../settings/settings2d';
import { controlOwnsKey } from './dom';

/** Milliseconds the whole trajectory (t from 0 to 1) takes at speed 1. */
export const PLAYBACK_MS = 5000;
/** Speeds offered by the timeline (and by the + and - keys): the presets of the declared `speed` setting. */
export const SPEEDS: readonly number[] = SETTINGS_2D.speed.presets ?? [1];
/** Milliseconds per whole frame under reduced motion, at speed 1. */
const REDUCED_MOTION_FRAME_MS = 400;

/** The timeline's state and controls. */
export interface PlaybackHandle {
  pos: number;
  playing: boolean;
  togglePlay: () => void;
  /** Moves by whole frames and pauses. */
  step: (delta: number) => void;
  seek: (frame: number) => void;
  /** Starts from frame 0 (used when a new trajectory arrives). */
  restart: (autoplay: boolean) => void;
}

/** The next faster (+1) or slower (-1) speed of {@link SPEEDS}. */
export function nextSpeed(speed: number, direction: 1 | -1): number {
  const list: readonly number[] = SPEEDS;
  if (direction > 0) return list.find((s) => s > speed + 1e-9) ?? list[list.length - 1]!;
  return [...list].reverse().find((s) => s < speed - 1e-9) ?? list[0]!;
}

/**
 * Timeline state for frames 0..`last`. @param speed playback speed. @param setSpeed called by the + and - keys.
 * @param reducedMotion step whole frames; never glide. @param active false while the view is hidden: no
 * animation frames run (playback resumes where it was when the view is shown again) and no keys are listened to.
 * @param available frames 0..available of a trajectory still being sampled hold values (default: all, `last`):
 * playback waits at `available` until more frames arrive, and seeking stops there.
 */
export function usePlayback(last: number, speed: number, setSpeed: (speed: number) => void, reducedMotion: boolean, active = true, available = last): PlaybackHandle {
  const [pos, setPos] = useState(0);
  const [playing, setPlaying] = useState(false);
  // The position the animation frames advance: every change of `pos` goes through `moveTo`, which sets both, so an
  // animation frame already scheduled reads the position a seek or restart has just set. It may lie past `last`
  // (a restart shows the last frame of whatever arrives, and a new trajectory may be shorter): readers clamp it.
  const posRef = useRef(0);
  // Read by the animation frames, so that new frames arriving do not restart the animation loop.
  const reach = Math.min(available, last);
  const availableRef = useRef(reach);
  useLayoutEffect(() => {
    availableRef.current = reach;
  }, [reach]);
  const moveTo = useCallback((p: number) => {
    posRef.current = p;
    setPos(p);
  }, []);

  useEffect(() => {
    if (!playing || last <= 0 || !active) return;
    let raf = 0;
    let previous: number | null = null;
    let carry = 0;
    const framesPerMs = (last / PLAYBACK_MS) * speed;
    const tick = (now: number) => {
      const dt = previous === null ? 0 : Math.min(100, now - previous);
      previous = now;
      let next = Math.min(posRef.current, last);
      if (reducedMotion) {
        carry += dt * speed;
        if (carry >= REDUCED_MOTION_FRAME_MS) {
          carry -= REDUCED_MOTION_FRAME_MS;
          next = Math.floor(next) + 1;
        }
      } else {
        next += dt * framesPerMs;
      }
      if (next >= last && availableRef.current >= last) {
        moveTo(last);
        setPlaying(false);
        return;
      }
      // Still being sampled: wait at the last sampled frame (still playing) until more arrive.
      next = Math.min(next, availableRef.current);
      if (next !== posRef.current) moveTo(next);
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing, last, speed, reducedMotion, active, moveTo]);

  // Play from the end starts again from frame 0.
  const togglePlay = useCallback(() => {
    if (last <= 0) return;
    if (!playing && posRef.current >= last) moveTo(0);
    setPlaying(!playing);
  }, [last, playing, moveTo]);

  const step = useCallback(
    (delta: number) => {
      const p = Math.min(posRef.current, reach);
      setPlaying(false);
      moveTo(Math.min(reach, Math.max(0, (delta > 0 ? Math.floor(p) : Math.ceil(p)) + delta)));
    },
    [reach, moveTo],
  );

  const seek = useCallback(
    (frame: number) => {
      setPlaying(false);
      moveTo(Math.min(reach, Math.max(0, frame)));
    },
    [reach, moveTo],
  );

  const restart = useCallback(
    (autoplay: boolean) => {
      // posRef first: an animation frame already scheduled reads it, and must not put back the old position.
      if (autoplay && !reducedMotion) {
        moveTo(0);
        setPlaying(true);
      } else {
        setPlaying(false);
        moveTo(Number.MAX_SAFE_INTEGER);
      }
    },
    [reducedMotion, moveTo],
  );

  useEffect(() => {
    if (last <= 0 || !active) return;
    const onKey = (e: KeyboardEvent) => {
      // A focused control's own keys come first (space on a button, checkbox or disclosure; a slider's arrows).
      if (controlOwnsKey(e)) return;
      const keys: Record<string, () => void> = {
        ' ': togglePlay,
        ArrowRight: () => step(1),
        ArrowLeft: () => step(-1),
        Home: () => seek(0),
        End: () => seek(last),
        '+': () => setSpeed(nextSpeed(speed, 1)),
        '=': () => setSpeed(nextSpeed(speed, 1)),
        '-': () => setSpeed(nextSpeed(speed, -1)),
      };
      const action = keys[e.key];
      if (!action) return;
      e.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [last, active, togglePlay, step, seek, speed, setSpeed]);

  return { pos: Math.min(pos, last, available), playing, togglePlay, step, seek, restart };
}
