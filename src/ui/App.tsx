/** The home page: what a BFN is, which backend runs it, and the 2D sampler with its trajectory. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { createEngine, engineOptionsFromUrl } from '../engine/client';
import type { BackendInfo } from '../engine/protocol';
import { BackendStatus } from './BackendStatus';
import { ErrorBox, type ErrorItem } from './ErrorBox';
import { errorMessage } from './format';
import { SamplerPanel } from './SamplerPanel';

/** The home page: intro, backend status, errors, and the sampler panel. Starts the engine with the URL's options. */
export function App() {
  const [engine] = useState(() => createEngine());
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [initFailed, setInitFailed] = useState(false);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const nextId = useRef(0);

  const report = useCallback((where: string, message: string) => {
    setErrors((list) => [...list, { id: nextId.current++, where, message }]);
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
          A <a href="https://arxiv.org/abs/2308.07037">Bayesian Flow Network</a> generates data by sharpening a simple
          distribution step by step. Each coordinate of each point starts as a Gaussian with mean μ = 0 and precision
          ρ = 1. At every step the network sees all the means and the time t and predicts the data (x̂); a noisy message y
          is drawn around that prediction with accuracy α, and a Bayesian update moves μ toward y and adds α to ρ. By
          t = 1 the means are the samples. The network here is a closed-form stand-in, the exact Bayes-optimal denoiser
          for a small fixed point set, so you can watch the flow before training anything. It all runs in your browser,
          with TensorFlow.js in a background worker.
        </p>
      </header>
      <BackendStatus info={backend} failed={initFailed} />
      <ErrorBox errors={errors} onDismiss={dismiss} />
      <SamplerPanel engine={engine} ready={backend !== null} onError={report} />
      <footer className="footer muted">
        Graves, Srivastava, Atkinson, Gomez (2023), <i>Bayesian Flow Networks</i>, arXiv:2308.07037. Choose a backend
        with <code>?backend=webgpu</code>, <code>webgl</code>, <code>wasm</code> or <code>cpu</code>.
      </footer>
    </main>
  );
}
