/**
 * Sets what a tour step asks for (./tourSteps.ts TourApply) through the live view's own controls: the timeline's
 * t slider and the plot's layer checkboxes, exactly as a user would, so that the view's state, its URL and its readouts
 * stay the one source of what is shown. Hand-written: it is a few DOM events, for which no library is needed.
 */
import type { TourApply } from './tourSteps';

/** The first element matching `selector` that is rendered (not hidden, not inside a hidden view), or null. */
export function visibleElement(selector: string): HTMLElement | null {
  for (const el of document.querySelectorAll<HTMLElement>(selector)) {
    if (el.getClientRects().length > 0 && !el.closest('[hidden]')) return el;
  }
  return null;
}

/** Sets a React-controlled input's value and fires the input event React listens to. */
function setInputValue(input: HTMLInputElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  setter?.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * What identifies the run the visible view shows: the timeline's length and the view's line about its run (the 2D
 * view's run info, the MNIST view's status). A new run restarts playback from t = 0, so a step applies its t again.
 */
export function runSignature(): string {
  const slider = visibleElement('input[data-testid="t-slider"]') as HTMLInputElement | null;
  const info = visibleElement('[data-testid="run-info"], [data-testid="mnist-status"]');
  return `${slider?.max ?? ''}|${slider?.disabled ?? ''}|${info?.textContent ?? ''}`;
}

/**
 * Applies `apply` in the visible view. @returns true once done, false while a control it needs is missing or disabled
 * (no trajectory yet): the caller tries again on a later frame.
 */
export function applyTourStep(apply: TourApply | undefined): boolean {
  if (!apply) return true;
  if (apply.layers) {
    for (const [key, on] of Object.entries(apply.layers)) {
      const box = visibleElement(`input[data-testid="layer-${key}"]`) as HTMLInputElement | null;
      if (!box) return false;
      // One switch per frame: the view's layer state updates on render, and a second click in the same frame would
      // toggle from the stale state (only the last switch took effect).
      if (box.checked !== on) {
        box.click();
        return false;
      }
    }
  }
  if (apply.choosePoint) {
    const plot = visibleElement('[data-testid="plot-svg"]');
    if (!plot) return false;
    // Enter on the plot chooses the point nearest its centre and keeps a chosen one (usePlotKeyboard).
    plot.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  }
  if (apply.t !== undefined) {
    const slider = visibleElement('input[data-testid="t-slider"]') as HTMLInputElement | null;
    if (!slider || slider.disabled) return false;
    // Pause first: seeking pauses too, but a run that has just arrived may start playing after it.
    const play = visibleElement('[data-testid="play-button"]');
    if (play?.getAttribute('aria-label') === 'Pause') play.click();
    const frame = Math.round(apply.t * Number(slider.max));
    if (Number(slider.value) !== frame) setInputValue(slider, String(frame));
  }
  return true;
}

/** The plot's layer checkboxes that are rendered now, and whether each is on (empty when no plot is shown). */
export function layerStates(): Record<string, boolean> {
  const boxes = document.querySelectorAll<HTMLInputElement>('input[type="checkbox"][data-testid^="layer-"]');
  return Object.fromEntries([...boxes].filter((b) => b.getClientRects().length > 0).map((b) => [b.dataset.testid!, b.checked]));
}

/** Puts the layer checkboxes back as {@link layerStates} found them (a tour's steps switch some on and off), one per frame. */
export function restoreLayers(states: Record<string, boolean>, framesLeft = 30): void {
  for (const [testId, on] of Object.entries(states)) {
    const box = visibleElement(`input[data-testid="${testId}"]`) as HTMLInputElement | null;
    if (box && box.checked !== on) {
      // One switch per frame, as in applyTourStep; the rest on the next frames.
      box.click();
      if (framesLeft > 0) requestAnimationFrame(() => restoreLayers(states, framesLeft - 1));
      return;
    }
  }
}
