/**
 * The tour card: one step of a tour (./tourSteps.ts) at a time, beside the live element it is about, which it outlines
 * and scrolls into view. Keyboard: focus moves into the card when it opens; Tab reaches Back / Next / Close; the left
 * and right arrow keys go back and on; Escape closes it (the page then puts focus back where it was).
 */
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { applyTourStep, runSignature, visibleElement } from './applyStep';
import { cardPosition, chooseSide, scrollFor, type Box, type Side } from './placement';
import type { TourEntry } from './tourSteps';

/** Props of {@link TourCard}. */
export interface TourCardProps {
  tour: TourEntry;
  /** The step shown, counted from 0. */
  step: number;
  onStep: (step: number) => void;
  onClose: () => void;
}

/** How long a step waits for its target (a view still loading) before it says that the target is missing. */
const MISSING_AFTER_MS = 1500;
/** How long a step tries to set its t or layers (the view may have no trajectory yet). */
const APPLY_FOR_MS = 20_000;
/** How long the shown run must stay the same before a step sets its t (a run that has just arrived starts playing). */
const RUN_SETTLE_MS = 300;
/** For this long after a step places its card, a target that moves or grows (panels still loading) is scrolled to again. */
const SETTLE_MS = 4000;

const boxOf = (r: DOMRect): Box => ({ left: r.left, top: r.top, width: r.width, height: r.height });

/** The tour card and the outline around its target; positioned every animation frame while the target moves. */
export function TourCard({ tour, step, onStep, onClose }: TourCardProps) {
  const id = useId();
  const cardRef = useRef<HTMLDivElement>(null);
  const ringRef = useRef<HTMLDivElement>(null);
  const [missing, setMissing] = useState(false);
  // The run the view showed, and since when: kept from step to step.
  const seenRun = useRef({ run: '', since: 0 });
  const current = tour.steps[step]!;
  const last = step === tour.steps.length - 1;

  // Focus moves into the card when the tour opens (the buttons keep it from step to step).
  useEffect(() => {
    cardRef.current?.focus({ preventScroll: true });
  }, []);

  // Each step: set its t and layers, wait for its target, scroll it into view beside the card, then follow it.
  useLayoutEffect(() => {
    const card = cardRef.current;
    const ring = ringRef.current;
    if (!card || !ring) return;
    const start = performance.now();
    let applied = false;
    let appliedTo = '';
    let side: Side | null = null;
    let placedOn: HTMLElement | null = null;
    let placedBox: Box | null = null;
    let frame = 0;
    setMissing(false);
    // A focused Back or Next that this step disables would drop focus to the page: keep it in the card.
    if (!card.contains(document.activeElement) || (document.activeElement as HTMLButtonElement | null)?.disabled) card.focus({ preventScroll: true });

    const tick = () => {
      const now = performance.now();
      // Once the shown run has settled (a new run starts playing from t = 0 just after it arrives), and again when a
      // new run arrives while the step is fresh.
      const run = runSignature();
      if (run !== seenRun.current.run) seenRun.current = { run, since: now };
      if (applied && run !== appliedTo && now - start < APPLY_FOR_MS) applied = false;
      if (!applied && now - seenRun.current.since >= RUN_SETTLE_MS) {
        applied = applyTourStep(current.apply) || now - start > APPLY_FOR_MS;
        appliedTo = run;
      }
      const target = visibleElement(current.target);
      const viewport = { width: document.documentElement.clientWidth, height: window.innerHeight };
      if (!target) {
        placedOn = null;
        placedBox = null;
        side = null;
        ring.hidden = true;
        card.dataset.side = 'centred';
        card.style.width = '';
        card.style.left = `${Math.max(12, (viewport.width - card.offsetWidth) / 2)}px`;
        card.style.top = `${Math.max(12, (viewport.height - card.offsetHeight) / 2)}px`;
        if (now - start > MISSING_AFTER_MS) setMissing(true);
      } else {
        const seen = target.getBoundingClientRect();
        const moved =
          placedBox !== null &&
          now - start < SETTLE_MS &&
          (Math.abs(seen.top + window.scrollY - placedBox.top) > 24 || Math.abs(seen.height - placedBox.height) > 24 || Math.abs(seen.left - placedBox.left) > 24);
        if (placedOn !== target || moved) {
          // First sight of the target: choose the card's side and width, then scroll both into view.
          setMissing(false);
          placedOn = target;
          const page: Box = { left: seen.left, top: seen.top + window.scrollY, width: seen.width, height: seen.height };
          placedBox = page;
          const choice = chooseSide(page, viewport);
          card.style.width = `${choice.width}px`;
          const placed = scrollFor(page, card.offsetHeight, choice.side, viewport.height);
          side = placed.side;
          window.scrollTo({ top: placed.scrollTop, behavior: 'instant' });
        }
        const r = boxOf(target.getBoundingClientRect());
        ring.hidden = false;
        ring.style.left = `${r.left - 4}px`;
        ring.style.top = `${r.top - 4}px`;
        ring.style.width = `${r.width + 8}px`;
        ring.style.height = `${r.height + 8}px`;
        const pos = cardPosition(r, { width: card.offsetWidth, height: card.offsetHeight }, side ?? 'below', viewport);
        card.dataset.side = side ?? 'below';
        card.style.left = `${pos.left}px`;
        card.style.top = `${pos.top}px`;
      }
      frame = requestAnimationFrame(tick);
    };
    tick();
    return () => cancelAnimationFrame(frame);
  }, [current]);

  // In the body, so that no panel's styles or stacking reach the card.
  return createPortal(
    <>
      <div className="tour-ring" ref={ringRef} hidden aria-hidden="true" data-testid="tour-ring" />
      <div
        className="tour-card"
        ref={cardRef}
        role="dialog"
        aria-modal="false"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-text`}
        tabIndex={-1}
        data-testid="tour-card"
        data-tour-id={tour.id}
        data-step={String(step + 1)}
        data-target={current.target}
        data-missing={missing ? 'yes' : 'no'}
        onKeyDown={(e) => {
          const keys: Record<string, () => void> = {
            ArrowRight: () => (last ? undefined : onStep(step + 1)),
            ArrowLeft: () => (step > 0 ? onStep(step - 1) : undefined),
            Escape: onClose,
          };
          const action = keys[e.key];
          if (!action || e.altKey || e.ctrlKey || e.metaKey) return;
          // The tour's keys are not the page's: the timeline must not also step.
          e.preventDefault();
          e.stopPropagation();
          action();
        }}
      >
        <p className="tour-counter" data-testid="tour-counter">
          {tour.name}: step {step + 1} of {tour.steps.length}
        </p>
        <h2 id={`${id}-title`} className="tour-title">
          {current.title}
        </h2>
        <p id={`${id}-text`} className="tour-text">
          {current.text}
        </p>
        {missing ? (
          <p className="tour-missing" data-testid="tour-missing">
            The part of the page this step points at is not shown right now (still loading, hidden, or not in this layout).
          </p>
        ) : null}
        <div className="tour-buttons">
          <button type="button" className="button" onClick={() => onStep(step - 1)} disabled={step === 0} data-testid="tour-back">
            Back
          </button>
          <button type="button" className="button primary" onClick={() => (last ? onClose() : onStep(step + 1))} data-testid="tour-next">
            {last ? 'Finish' : 'Next'}
          </button>
          <button type="button" className="button subtle" onClick={onClose} data-testid="tour-close" aria-label="Close the tour">
            Close
          </button>
        </div>
        <p className="tour-keys muted">← → to move, Esc to close</p>
      </div>
    </>,
    document.body,
  );
}
