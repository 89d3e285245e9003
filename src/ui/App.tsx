/** The home page: what a BFN is, which backend runs it, errors, and the active view (2D playground or MNIST). */
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { createEngine, engineOptionsFromUrl, type BackendInfo } from '../engine/client';
import { BackendStatus } from './BackendStatus';
import { useBackendMeasure } from './hooks/useBackendMeasure';
import { useScrollEdges } from './hooks/dom';
import { ClassroomTools } from './lessons/ClassroomTools';
import { ErrorBox, type ErrorItem } from './ErrorBox';
import { errorMessage } from './format';
import { UrlNote } from './UrlNote';
import { VIEWS, viewFromSearch, viewMessages, type ViewEntry } from './views';

/**
 * The home page: intro, view tabs, backend status, errors, and the active view (src/ui/views.tsx). Starts the engine
 * with the URL's options. A view is mounted while shown; one that keeps its runs (the MNIST view) stays mounted, hidden
 * and idle, once opened.
 */
export function App() {
  const [engine] = useState(() => createEngine());
  const [view, setView] = useState<ViewEntry>(() => viewFromSearch(location.search));
  const [badView] = useState(() => viewMessages(location.search));
  // Views that keep their runs stay mounted (hidden) once opened.
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set([view.id]));
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [initFailed, setInitFailed] = useState(false);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const nextId = useRef(0);

  const report = useCallback((where: string, message: string) => {
    setErrors((list) => (list.some((e) => e.where === where && e.message === message) ? list : [...list, { id: nextId.current++, where, message }]));
  }, []);
  const dismiss = useCallback((id: number) => setErrors((list) => list.filter((e) => e.id !== id)), []);

  /** Switches the view and records it in the URL (the other parameters stay). */
  const chooseView = useCallback((next: ViewEntry) => {
    setView(next);
    setOpened((ids) => (ids.has(next.id) ? ids : new Set([...ids, next.id])));
    const params = new URLSearchParams(location.search);
    if (next === VIEWS[0]) params.delete('view');
    else params.set('view', next.id);
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  }, []);

  useEffect(() => {
    let live = true;
    engine.init(engineOptionsFromUrl()).then(
      (info) => live && setBackend(info),
      (err: unknown) => {
        if (!live) return;
        setInitFailed(true);
        report('Starting the engine', errorMessage(err));
      },
    );
    return () => {
      live = false;
    };
  }, [engine, report]);

  // On a narrow screen the tabs scroll sideways; a fade at the side with more tabs says so.
  const tabsRef = useRef<HTMLElement>(null);
  const tabsMore = useScrollEdges(tabsRef);
  // The active tab is scrolled into the row's view (a later view opened by its link starts off-screen otherwise).
  useEffect(() => {
    const nav = tabsRef.current;
    const tab = nav?.querySelector<HTMLElement>('[aria-selected="true"]');
    if (!nav || !tab) return;
    const row = nav.getBoundingClientRect();
    const box = tab.getBoundingClientRect();
    // Clear of the 3 rem fades at the row's ends.
    const margin = 48;
    if (box.left < row.left + margin || box.right > row.right - margin) nav.scrollLeft += box.left - row.left - (row.width - box.width) / 2;
  }, [view]);
  const measuring = useBackendMeasure(engine, backend, view.id, setBackend);

  useEffect(() => {
    const onError = (e: ErrorEvent) => report('Page', e.message);
    const onRejection = (e: PromiseRejectionEvent) => report('Page', errorMessage(e.reason));
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    return () => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    };
  }, [report]);

  return (
    <main className="page">
      <a className="skip-link" href={view.skip.href} data-testid="skip-link">
        Skip to the {view.skip.words}
      </a>
      <header className="intro">
        <h1>BFN Playground</h1>
        <p>
          A <a href="https://arxiv.org/abs/2308.07037">Bayesian Flow Network</a> generates data by sharpening simple
          distributions: {view.intro}
        </p>
        <nav className="view-tabs" role="tablist" aria-label="Views" ref={tabsRef} data-more={tabsMore}>
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              aria-selected={view === v}
              className={view === v ? 'active' : ''}
              onClick={() => chooseView(v)}
              data-testid={`view-${v.id}`}
            >
              {v.label}
            </button>
          ))}
        </nav>
        <ClassroomTools view={view.id} onView={(id) => chooseView(VIEWS.find((v) => v.id === id) ?? view)} />
      </header>
      <UrlNote messages={badView} testId="view-note" />
      <BackendStatus info={backend} failed={initFailed} measuring={measuring} />
      <ErrorBox errors={errors} onDismiss={dismiss} />
      {VIEWS.map((v) =>
        v === view || (v.keepMounted && opened.has(v.id)) ? <Fragment key={v.id}>{v.render({ engine, backend, engineFailed: initFailed, onError: report, active: v === view })}</Fragment> : null,
      )}
      <footer className="footer muted">
        Graves, Srivastava, Atkinson, Gomez (2023), <i>Bayesian Flow Networks</i>, arXiv:2308.07037. Choose a backend
        with <code>?backend=webgpu</code>, <code>webgl</code>, <code>wasm</code> or <code>cpu</code>; the settings live in
        the address, so a link reproduces the view.
      </footer>
    </main>
  );
}
