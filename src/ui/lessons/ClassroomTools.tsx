/**
 * The page header's classroom tools: "Take the tour" (the active view's guided tour, ../tour/), the Lessons menu (named
 * presets, ./lessons.ts), "Copy classroom link", and the notes a link brings: its lesson, its classroom mode, a tour
 * it names that does not exist. A classroom link (`?classroom=1`) hides the training controls (elements marked
 * `data-training-controls`) by a class on the document's root element, and keeps the views.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState, type ReactNode } from 'react';
import { layerStates, restoreLayers } from '../tour/applyStep';
import { TourCard } from '../tour/Tour';
import { readTourLink, tourOfView, writeTourLink, type TourEntry } from '../tour/tourSteps';
import { findLesson, LESSONS, lessonSearch } from './lessons';
import { useLessonPresses } from './pressLesson';
import './classroom.css';

/** Props of {@link ClassroomTools}. */
export interface ClassroomToolsProps {
  /** The active view's id. */
  view: string;
  /** Shows the view with this id (a tour step in another view). */
  onView: (id: string) => void;
}

/** The class on the document's root element while the page is a classroom link. */
export const CLASSROOM_CLASS = 'classroom';

/** Writes `search` to the address bar, keeping the path and the fragment (no new history entry). */
function replaceSearch(search: string): void {
  history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
}

/** `search` with `classroom=1` set or removed. */
function withClassroom(search: string, on: boolean): string {
  const params = new URLSearchParams(search);
  if (on) params.set('classroom', '1');
  else params.delete('classroom');
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** A one-paragraph note that is shown or not, announced politely when it appears. */
function Note({ show, className, testId, children }: { show: boolean; className: string; testId: string; children: ReactNode }) {
  if (!show) return null;
  return (
    <p className={className} role="status" data-testid={testId}>
      {children}
    </p>
  );
}

/** The tools, the notes and, while a tour runs, its card. */
export function ClassroomTools({ view, onView }: ClassroomToolsProps) {
  const [link] = useState(() => readTourLink(location.search));
  const [tour, setTour] = useState<{ entry: TourEntry; step: number } | null>(() => (link.tour ? { entry: link.tour, step: link.step } : null));
  const [classroom, setClassroom] = useState(() => new URLSearchParams(location.search).get('classroom') === '1');
  const [lessonId, setLessonId] = useState(() => new URLSearchParams(location.search).get('lesson'));
  const [copied, setCopied] = useState<string | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  // The plot's layers when the tour began: its steps switch some, and closing it puts them back.
  const layersBefore = useRef<Record<string, boolean>>({});
  const tourButton = useRef<HTMLButtonElement>(null);
  const lessonsMenu = useRef<HTMLDetailsElement>(null);
  // The open Lessons menu closes on Escape (focus back on its button) and on a click or tap outside it, as a menu does.
  useEffect(() => {
    const close = (e: Event) => {
      const menu = lessonsMenu.current;
      if (!menu?.open) return;
      if (e instanceof KeyboardEvent) {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        menu.open = false;
        menu.querySelector('summary')?.focus();
      } else if (!(e.target instanceof Node && menu.contains(e.target))) {
        menu.open = false;
      }
    };
    // Capture phase: the menu takes its Escape before the page's other Escape handlers (which drop a chosen point).
    document.addEventListener('keydown', close, true);
    document.addEventListener('pointerdown', close);
    return () => {
      document.removeEventListener('keydown', close, true);
      document.removeEventListener('pointerdown', close);
    };
  }, []);
  const available = tourOfView(view);
  const lesson = findLesson(lessonId);
  // The link's lesson (not a later dismissal of its note) presses its controls once.
  const [linkLesson] = useState(() => findLesson(new URLSearchParams(location.search).get('lesson')));
  const keptSaved = useLessonPresses(linkLesson);

  useEffect(() => {
    document.documentElement.classList.toggle(CLASSROOM_CLASS, classroom);
    return () => document.documentElement.classList.remove(CLASSROOM_CLASS);
  }, [classroom]);

  // The address bar follows the tour, so that a copied link resumes it; a step in another view shows that view.
  const stepView = tour ? tour.entry.steps[tour.step]!.view : null;
  useEffect(() => {
    replaceSearch(writeTourLink(location.search, tour ? tour.entry.id : null, tour?.step ?? 0));
  }, [tour]);
  // Only when the step changes: a view the user picks during the tour stays (the card then says its target is missing).
  const showStepView = useEffectEvent((id: string) => {
    if (id !== view) onView(id);
  });
  useEffect(() => {
    if (stepView !== null) showStepView(stepView);
  }, [stepView]);

  const start = useCallback((entry: TourEntry) => {
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    layersBefore.current = layerStates();
    setTour({ entry, step: 0 });
  }, []);
  const close = useCallback(() => {
    setTour(null);
    restoreLayers(layersBefore.current);
    layersBefore.current = {};
    const back = returnFocus.current?.isConnected ? returnFocus.current : tourButton.current;
    returnFocus.current = null;
    // After the card is gone (it held focus).
    requestAnimationFrame(() => back?.focus());
  }, []);

  const copyClassroomLink = useCallback(async () => {
    const url = `${location.origin}${location.pathname}${withClassroom(writeTourLink(location.search, null, 0), true)}${location.hash}`;
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Classroom link copied: it opens this view with these settings and without the training controls.');
    } catch {
      setCopied(`Copy this classroom link: ${url}`);
    }
  }, []);

  const leaveClassroom = useCallback(() => {
    setClassroom(false);
    replaceSearch(withClassroom(location.search, false));
  }, []);

  return (
    <div className="classroom-tools">
      <div className="classroom-bar" role="group" aria-label="Tour, lessons and classroom link">
        {available ? (
          <button type="button" className="button small" ref={tourButton} onClick={() => start(available)} data-testid="tour-start">
            Take the tour
          </button>
        ) : null}
        <details className="lessons-menu" data-testid="lessons-menu" ref={lessonsMenu}>
          <summary className="button small" data-testid="lessons-button">Lessons</summary>
          <ul className="lessons-list" aria-label="Lessons">
            {LESSONS.map((l) => (
              <li key={l.id}>
                <a href={lessonSearch(l, location.search)} data-testid={`lesson-${l.id}`}>
                  {l.name}
                </a>
              </li>
            ))}
          </ul>
        </details>
        <button type="button" className="button small subtle" onClick={() => void copyClassroomLink()} data-testid="copy-classroom-link" title="A link to this view with these settings that hides the training controls, for a class">
          Copy classroom link
        </button>
      </div>
      <Note show={copied !== null} className="inline-note classroom-copied" testId="classroom-copied">
        {copied}
      </Note>
      <Note show={classroom} className="classroom-note muted" testId="classroom-note">
        Classroom link: the training controls are hidden.{' '}
        <button type="button" className="link-button" onClick={leaveClassroom} data-testid="classroom-leave">
          Show them
        </button>
      </Note>
      <Note show={lessonId !== null} className="inline-note lesson-note" testId="lesson-note">
        {lesson ? (
          <>
            <b>Lesson: {lesson.name}.</b> {lesson.description}
            {keptSaved ? <> <b>Step was not pressed for you:</b> it would replace the network you trained and saved in this browser. Press Reset, then Step, if you want that.</> : null}
          </>
        ) : (
          <>There is no lesson “{lessonId}”; the settings of the link are shown.</>
        )}{' '}
        <button type="button" className="link-button" onClick={() => setLessonId(null)} aria-label="Dismiss the lesson note">
          Dismiss
        </button>
      </Note>
      <Note show={link.problem !== null} className="inline-note" testId="tour-link-note">
        {link.problem}
      </Note>
      {tour ? <TourCard tour={tour.entry} step={tour.step} onStep={(step) => setTour({ entry: tour.entry, step })} onClose={close} /> : null}
    </div>
  );
}
