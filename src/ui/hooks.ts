/** Small React hooks for the views: element size, reduced motion, requestAnimationFrame playback. */
import { useEffect, useRef, useState, type RefObject } from 'react';

/** The content-box width of an element, tracked with a ResizeObserver (0 before the first measurement). */
export function useElementWidth<T extends HTMLElement>(ref: RefObject<T | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      setWidth((old) => (old === w ? old : w));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** True when the user asked the system for reduced motion. */
export function usePrefersReducedMotion(): boolean {
  const query = '(prefers-reduced-motion: reduce)';
  const [reduced, setReduced] = useState(() => typeof matchMedia === 'function' && matchMedia(query).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(query);
    const onChange = () => setReduced(mq.matches);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  return reduced;
}

/** The current devicePixelRatio, updated when it changes (zoom, moving between screens). */
export function useDevicePixelRatio(): number {
  const [dpr, setDpr] = useState(() => (typeof devicePixelRatio === 'number' && devicePixelRatio > 0 ? devicePixelRatio : 1));
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(`(resolution: ${dpr}dppx)`);
    const onChange = () => setDpr(devicePixelRatio > 0 ? devicePixelRatio : 1);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, [dpr]);
  return dpr;
}

/** Options of {@link usePlayback}. */
export interface PlaybackOptions {
  playing: boolean;
  /** Last frame index (positions run from 0 to `last`). */
  last: number;
  pos: number;
  setPos: (pos: number) => void;
  /** Called when playback reaches the last frame. */
  onEnd: () => void;
  /** Step through whole frames slowly instead of gliding between them. */
  reducedMotion: boolean;
}

/** Milliseconds a whole trajectory takes to play: about 80 ms a step, between 3 and 8 seconds. */
export function playbackDuration(steps: number): number {
  return Math.min(8000, Math.max(3000, steps * 80));
}

/** Milliseconds per frame in reduced-motion playback (whole frames, no gliding). */
const REDUCED_MOTION_FRAME_MS = 500;

/**
 * Advances `pos` with requestAnimationFrame while `playing`: smoothly (fractional positions) normally, one whole
 * frame every half second under reduced motion. Stops at `last` and calls `onEnd`.
 */
export function usePlayback({ playing, last, pos, setPos, onEnd, reducedMotion }: PlaybackOptions): void {
  const posRef = useRef(pos);
  posRef.current = pos;
  const onEndRef = useRef(onEnd);
  onEndRef.current = onEnd;
  useEffect(() => {
    if (!playing || last <= 0) return;
    let raf = 0;
    let previous: number | null = null;
    let carry = 0;
    const framesPerMs = last / playbackDuration(last);
    const tick = (now: number) => {
      const dt = previous === null ? 0 : Math.min(100, now - previous);
      previous = now;
      let next = posRef.current;
      if (reducedMotion) {
        carry += dt;
        if (carry >= REDUCED_MOTION_FRAME_MS) {
          carry -= REDUCED_MOTION_FRAME_MS;
          next = Math.floor(next) + 1;
        }
      } else {
        next += dt * framesPerMs;
      }
      if (next >= last) {
        posRef.current = last;
        setPos(last);
        onEndRef.current();
        return;
      }
      if (next !== posRef.current) {
        posRef.current = next;
        setPos(next);
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing, last, reducedMotion, setPos]);
}
