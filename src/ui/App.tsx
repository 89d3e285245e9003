/** The home page: what a BFN is, which backend runs it, errors, and the 2D playground. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { createEngine, engineOptionsFromUrl, type BackendInfo } from '../engine/client';
import { BackendStatus } from './BackendStatus';
import { ErrorBox, type ErrorItem } from './ErrorBox';
import { errorMessage } from './format';
import { Playground } from './Playground';

/** The home page: intro, backend status, errors, and the playground. Starts the engine with the URL's options. */
export function App() {
  const [engine] = useState(() => createEngine());
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [initFailed, setInitFailed] = useState(false);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const nextId = useRef(0);

  const report = useCallback((where: string, message: string) => {
    setErrors((list) => (list.some((e) => e.where === where && e.message === message) ? list : [...list, { id: nextId.current++, where, message }]));
  }, []);
  const dismiss = useCallback((id: number) => setErrors((list) => list.filter((e) => e.id !== id)), []);

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
      <header className="intro">
        <h1>BFN Playground</h1>
        <p>
          A <a href="https://arxiv.org/abs/2308.07037">Bayesian Flow Network</a> generates data by sharpening simple
          distributions: every point starts as a broad Gaussian at the origin and, one noisy message at a time, its mean μ
          flows to a sample. Pick or draw a point cloud, train a network on it here in your browser, and scrub t from 0 to 1.
        </p>
      </header>
      <BackendStatus info={backend} failed={initFailed} />
      <ErrorBox errors={errors} onDismiss={dismiss} />
      <Playground engine={engine} backend={backend} onError={report} />
      <footer className="footer muted">
        Graves, Srivastava, Atkinson, Gomez (2023), <i>Bayesian Flow Networks</i>, arXiv:2308.07037. Choose a backend
        with <code>?backend=webgpu</code>, <code>webgl</code>, <code>wasm</code> or <code>cpu</code>; the settings live in
        the address, so a link reproduces the view.
      </footer>
    </main>
  );
}
