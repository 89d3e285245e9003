/** The home page: what a BFN is, which backend runs it, errors, and the active view (2D playground or MNIST). */
import { useCallback, useEffect, useRef, useState } from 'react';
import { createEngine, engineOptionsFromUrl, type BackendInfo } from '../engine/client';
import { BackendStatus } from './BackendStatus';
import { ErrorBox, type ErrorItem } from './ErrorBox';
import { errorMessage } from './format';
import { MnistView } from './mnist/MnistView';
import { Playground } from './Playground';

/** The page's views; `?view=mnist` opens the MNIST view, anything else the 2D playground. */
export type ViewId = '2d' | 'mnist';

/** The view named by a query string. */
export function viewFromSearch(search: string): ViewId {
  return new URLSearchParams(search).get('view') === 'mnist' ? 'mnist' : '2d';
}

const VIEWS: { id: ViewId; label: string }[] = [
  { id: '2d', label: '2D points' },
  { id: 'mnist', label: 'MNIST digits' },
];

/**
 * The home page: intro, view tabs, backend status, errors, and the active view. Starts the engine with the URL's
 * options. The 2D playground is mounted only while shown; the MNIST view, once opened, stays mounted and is hidden
 * (and idle) while the 2D view is shown.
 */
export function App() {
  const [engine] = useState(() => createEngine());
  const [view, setView] = useState<ViewId>(() => viewFromSearch(location.search));
  // The MNIST view stays mounted (hidden) once opened, so that its runs, models and training survive a view switch.
  const [mnistOpened, setMnistOpened] = useState(view === 'mnist');
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [initFailed, setInitFailed] = useState(false);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const nextId = useRef(0);

  const report = useCallback((where: string, message: string) => {
    setErrors((list) => (list.some((e) => e.where === where && e.message === message) ? list : [...list, { id: nextId.current++, where, message }]));
  }, []);
  const dismiss = useCallback((id: number) => setErrors((list) => list.filter((e) => e.id !== id)), []);

  /** Switches the view and records it in the URL (the other parameters stay). */
  const chooseView = useCallback((next: ViewId) => {
    setView(next);
    if (next === 'mnist') setMnistOpened(true);
    const params = new URLSearchParams(location.search);
    if (next === '2d') params.delete('view');
    else params.set('view', next);
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
      <a className="skip-link" href={view === 'mnist' ? '#mnist-main' : '#plot'} data-testid="skip-link">
        Skip to the {view === 'mnist' ? 'digits' : 'plot'}
      </a>
      <header className="intro">
        <h1>BFN Playground</h1>
        <p>
          A <a href="https://arxiv.org/abs/2308.07037">Bayesian Flow Network</a> generates data by sharpening simple
          distributions: {view === 'mnist'
            ? 'every pixel starts as a fair coin (θ = ½) and, one noisy message at a time, its probability of being on flows to 0 or 1. Sample digits, watch what the network sees and predicts, and train one here in your browser.'
            : 'every point starts as a broad Gaussian at the origin and, one noisy message at a time, its mean μ flows to a sample. Pick or draw a point cloud, train a network on it here in your browser, and scrub t from 0 to 1.'}
        </p>
        <nav className="view-tabs" role="tablist" aria-label="Views">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              aria-selected={view === v.id}
              className={view === v.id ? 'active' : ''}
              onClick={() => chooseView(v.id)}
              data-testid={`view-${v.id}`}
            >
              {v.label}
            </button>
          ))}
        </nav>
      </header>
      <BackendStatus info={backend} failed={initFailed} />
      <ErrorBox errors={errors} onDismiss={dismiss} />
      {mnistOpened ? <MnistView engine={engine} backend={backend} engineFailed={initFailed} onError={report} active={view === 'mnist'} /> : null}
      {view === '2d' ? <Playground engine={engine} backend={backend} onError={report} /> : null}
      <footer className="footer muted">
        Graves, Srivastava, Atkinson, Gomez (2023), <i>Bayesian Flow Networks</i>, arXiv:2308.07037. Choose a backend
        with <code>?backend=webgpu</code>, <code>webgl</code>, <code>wasm</code> or <code>cpu</code>; the settings live in
        the address, so a link reproduces the view.
      </footer>
    </main>
  );
}
