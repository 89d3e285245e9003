/**
 * Presentation mode for a classroom projector: one container (a view's plot or grids with their timeline and legend)
 * fills the screen with large type. It asks the browser for real full screen (the Fullscreen API) and, whether or
 * not the browser grants it (an iframe without permission, a refused request, a browser without the API), fills the
 * window with the container by CSS (`.presenting` in ./presentation.css). The F key or the button enters and leaves;
 * Escape leaves.
 */
import { useCallback, useEffect, useEffectEvent, useState, type RefObject } from 'react';
import { controlOwnsKey } from './hooks/dom';
import './presentation.css';

/** The state and controls of {@link usePresentation}. */
export interface PresentationHandle {
  presenting: boolean;
  toggle: () => void;
  leave: () => void;
}

/**
 * Presentation mode of the element in `ref`. While `presenting`, the caller puts the class `presenting` on it.
 * @param active false while the view is hidden: the F key is not listened to (and a hidden view leaves the mode).
 */
export function usePresentation(ref: RefObject<HTMLElement | null>, active = true): PresentationHandle {
  const [presenting, setPresenting] = useState(false);

  const leave = useCallback(() => {
    setPresenting(false);
    if (document.fullscreenElement && document.fullscreenElement === ref.current) {
      // A refused exit (the document already left full screen meanwhile) changes nothing the page shows.
      void document.exitFullscreen().catch(() => undefined);
    }
  }, [ref]);

  const enter = useCallback(() => {
    setPresenting(true);
    const el = ref.current;
    // The window-filling class is already on; real full screen is a bonus the browser may refuse.
    if (el && typeof el.requestFullscreen === 'function' && document.fullscreenEnabled) void el.requestFullscreen().catch(() => undefined);
  }, [ref]);

  const toggle = useCallback(() => (presenting ? leave() : enter()), [presenting, leave, enter]);

  // Leaving real full screen by the browser's own means (Escape, the browser's UI) leaves the mode too.
  const onFullscreenChange = useEffectEvent(() => {
    if (presenting && document.fullscreenElement === null) setPresenting(false);
  });
  useEffect(() => {
    const onChange = () => onFullscreenChange();
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const onKey = useEffectEvent((e: KeyboardEvent) => {
    // Escape leaves from anywhere (a help popover that used it first has prevented its default); F only where no
    // focused control takes the key.
    if (e.key === 'Escape') {
      // Taken here (capture phase, default prevented) so that the same Escape does not also drop the chosen point.
      if (presenting && !e.defaultPrevented) {
        e.preventDefault();
        leave();
      }
    } else if ((e.key === 'f' || e.key === 'F') && !e.repeat && !controlOwnsKey(e)) {
      e.preventDefault();
      toggle();
    }
  });
  useEffect(() => {
    if (!active) return;
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener('keydown', listener, true);
    return () => window.removeEventListener('keydown', listener, true);
  }, [active]);

  // A view that is hidden (another tab chosen) leaves presentation mode.
  const [wasActive, setWasActive] = useState(active);
  if (wasActive !== active) {
    setWasActive(active);
    if (!active && presenting) setPresenting(false);
  }

  return { presenting, toggle, leave };
}

const PRESENT_ICON = 'M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5';

/** The button that enters and leaves presentation mode (key F). */
export function PresentButton({ presentation, testId = 'present-button' }: { presentation: PresentationHandle; testId?: string }) {
  const { presenting, toggle } = presentation;
  return (
    <button
      type="button"
      className="button subtle small present-button"
      onClick={toggle}
      aria-pressed={presenting}
      title={presenting ? 'Leave presentation mode (F or Esc)' : 'Presentation mode: the plot, timeline and legend fill the screen with large type (F)'}
      data-testid={testId}
    >
      <svg viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false">
        <path d={PRESENT_ICON} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <span className="button-words">{presenting ? 'Leave (Esc)' : 'Present'}</span>
    </button>
  );
}
