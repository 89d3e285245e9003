/** Small React hooks for the views: element size, reduced motion, device pixel ratio, the Escape key, scroll edges. */
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


/** Keys that move a slider, a radio group or a listbox-like widget when it has the focus. */
const MOVING_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);
/** Roles whose element toggles or activates on space. */
const TOGGLE_ROLES = new Set(['button', 'checkbox', 'radio', 'switch', 'tab', 'menuitem', 'option', 'link']);

/**
 * True when a key pressed at the event's target belongs to the focused control, so that a page-wide shortcut must
 * leave it alone: the one rule every keyboard shortcut of the page checks (the timeline's and Escape's).
 * - A handler earlier in the page already used it (`defaultPrevented`, e.g. the plot's arrow keys), or a modifier
 *   (Alt, Ctrl, Meta) is held.
 * - Text fields (any input that takes text or numbers), text areas, selects and editable content take every key.
 * - Space and Enter toggle or activate buttons, checkboxes, radios, disclosures (`summary`), links and elements with
 *   such a role (a slider has no use for them: space on it still plays).
 * - Arrows, Home, End, PageUp and PageDown move sliders, radios and elements with a slider, radio or tab role.
 * `+`, `-` and `=` stay with the page on sliders (they do nothing there).
 */
export function controlOwnsKey(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return true;
  const el = e.target instanceof Element ? e.target : null;
  if (!el) return false;
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  const tag = el.tagName;
  const inputType = el instanceof HTMLInputElement ? el.type : '';
  if (tag === 'INPUT' && !['range', 'checkbox', 'radio', 'button', 'submit', 'reset', 'color'].includes(inputType)) return true;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  const role = el.getAttribute('role') ?? '';
  if (e.key === ' ' || e.key === 'Enter') {
    if (tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A' || (tag === 'INPUT' && inputType !== 'range') || TOGGLE_ROLES.has(role)) return true;
  }
  if (MOVING_KEYS.has(e.key) && (inputType === 'range' || inputType === 'radio' || ['slider', 'radio', 'tab', 'spinbutton'].includes(role))) return true;
  return false;
}

/** Calls `onEscape` when Escape is pressed anywhere in the page, while `active` (e.g. to drop a selection). */
export function useEscapeKey(onEscape: () => void, active = true): void {
  // The latest `onEscape`, without listening again whenever the caller passes a new function.
  const escape = useEffectEvent(() => onEscape());
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) escape();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}

/**
 * Which ends of a horizontally scrolling element have more content beyond them: 'start', 'end', 'both' or 'none',
 * kept up to date on scroll and resize (for a fade that says "this row scrolls").
 */
export function useScrollEdges<T extends HTMLElement>(ref: RefObject<T | null>): 'start' | 'end' | 'both' | 'none' {
  const [edges, setEdges] = useState<'start' | 'end' | 'both' | 'none'>('none');
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      // One pixel of slack: zoomed pages report fractional scroll positions.
      const before = el.scrollLeft > 1;
      const after = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      setEdges(before && after ? 'both' : before ? 'start' : after ? 'end' : 'none');
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      observer.disconnect();
    };
  }, [ref]);
  return edges;
}
