/**
 * The browser-test harness (selftest.html): starts the engine with the backend from the URL
 * (`?backend=webgl&cpuForward=0`), shows what was selected, and exposes `window.bfnSelfTest` so Playwright can run
 * the conformance checks, the 2D benchmark and the time-to-quality benchmark inside the worker on that backend. Conformance results are also shown
 * as a table for a human.
 */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { timeToQuality } from './bench/timeToQuality';
import { applyFrameChunk, createEngine, engineOptionsFromUrl, type BackendInfo, type CheckResult, type TrajectoryPayload } from './engine/client';
import type {} from './engine/selftest-api';
import './ui/styles.css';

type Listener = (state: HarnessState) => void;
interface HarnessState {
  info: BackendInfo | null;
  error: string | null;
  running: boolean;
  results: CheckResult[] | null;
  ms: number | null;
}

let state: HarnessState = { info: null, error: null, running: false, results: null, ms: null };
const listeners = new Set<Listener>();
function update(patch: Partial<HarnessState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l(state);
}
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

const engine = createEngine();
const ready = engine.init(engineOptionsFromUrl());
ready.then(
  (info) => update({ info }),
  (err: unknown) => update({ error: errorText(err) }),
);

window.bfnSelfTest = {
  ready,
  async run(files) {
    await ready;
    update({ running: true, results: null, ms: null });
    const started = performance.now();
    try {
      const results = await engine.runConformance(files);
      update({ running: false, results, ms: performance.now() - started });
      return results;
    } catch (err) {
      update({ running: false, error: errorText(err) });
      throw err;
    }
  },
  async bench2d(request) {
    await ready;
    return engine.bench2d(request);
  },
  async benchMnist(options) {
    await ready;
    return engine.benchMnist(options);
  },
  async benchKindSampling(kind, repeats) {
    await ready;
    return engine.benchKindSampling(kind, repeats);
  },
  async timeToQuality(request) {
    await ready;
    return timeToQuality(engine.kind('points2d'), request);
  },
  async sampleStreamed2d({ dataset, points, steps, seed }) {
    await ready;
    const api = engine.kind('points2d');
    await api.loadModel({ slot: 'shipped', id: dataset });
    const started = performance.now();
    const chunks: { from: number; to: number; ms: number; head: boolean }[] = [];
    let streamed: TrajectoryPayload | null = null;
    const final = await api.sample({ source: 'shipped', sampler: 'original', points, steps, seed }, undefined, (chunk) => {
      chunks.push({ from: chunk.from, to: chunk.to, ms: performance.now() - started, head: chunk.head !== undefined });
      if (chunk.head) streamed = chunk.head;
      if (streamed) applyFrameChunk(streamed, chunk);
    });
    const doneMs = performance.now() - started;
    const plain = (p: TrajectoryPayload) => ({ t: Array.from(p.t), mu: Array.from(p.mu), xHat: Array.from(p.xHat), y: Array.from(p.y) });
    const empty = { t: [], mu: [], xHat: [], y: [] };
    return { n: final.n, chunks, doneMs, streamed: streamed ? plain(streamed) : empty, final: plain(final) };
  },
  memory: () => engine.memory(),
};

function SelfTest() {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    return () => void listeners.delete(setS);
  }, []);
  const failed = s.results?.filter((r) => !r.ok) ?? [];
  return (
    <main className="page selftest">
      <h1>BFN Playground self-test</h1>
      <p className="muted">
        Conformance harness for the browser tests. Choose a backend with <code>?backend=webgpu|webgl|wasm|cpu</code>,
        and add <code>&amp;cpuForward=0</code> to keep small tensors on the GPU.
      </p>
      <p data-testid="selftest-backend" className="status">
        {s.info ? (
          <>
            Active backend: <strong data-testid="active-backend">{s.info.active}</strong>
            {s.info.requested ? <> (requested: {s.info.requested})</> : null}
            {s.info.adapter ? <> on {s.info.adapter}</> : null}; CPU forwarding {s.info.cpuForward ? 'on' : 'off'}.
            {s.info.refused.map((r) => (
              <span key={r.name} className="refused"> {r.name} refused: {r.reason}.</span>
            ))}
          </>
        ) : s.error ? null : (
          'Starting the engine…'
        )}
      </p>
      {s.error ? <div role="alert" className="error-box">{s.error}</div> : null}
      {s.running ? <p aria-live="polite">Running conformance checks…</p> : null}
      {s.results ? (
        <>
          <p data-testid="selftest-summary">
            {s.results.length - failed.length} of {s.results.length} checks passed
            {s.ms !== null ? ` in ${(s.ms / 1000).toFixed(1)} s` : ''}.
          </p>
          <div className="table-scroll">
            <table className="results">
              <thead>
                <tr><th>file</th><th>check</th><th>ok</th><th>values</th><th>max |err|</th><th>message</th></tr>
              </thead>
              <tbody>
                {[...failed, ...s.results.filter((r) => r.ok)].map((r, k) => (
                  <tr key={k} className={r.ok ? '' : 'fail'}>
                    <td>{r.file}</td><td>{r.check}</td><td>{r.ok ? 'yes' : 'NO'}</td><td>{r.count}</td>
                    <td>{Number.isFinite(r.maxAbsErr) ? r.maxAbsErr.toExponential(2) : '—'}</td><td>{r.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SelfTest />
  </StrictMode>,
);
