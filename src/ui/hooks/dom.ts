/** Small React hooks for the views: element size, reduced motion, device pixel ratio, the Escape key. */
import { useEffect, useEffectEvent, useState, type RefObject } from 'react';

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


/** Calls `onEscape` when Escape is pressed anywhere in the page, while `active` (e.g. to drop a selection). */
export function useEscapeKey(onEscape: () => void, active = true): void {
  // The latest `onEscape`, without listening again whenever the caller passes a new function.
  const escape = useEffectEvent(() => onEscape());
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') escape();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}
