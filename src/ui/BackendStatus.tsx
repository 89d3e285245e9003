/** The status line: which TF.js backend runs the engine, and (folded) why any preferred backend was passed over. */
import type { BackendInfo } from '../engine/protocol';

const LABELS: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'plain JavaScript (cpu)' };

/** The status line for `info` (null while starting; `failed` when the engine did not start). */
export function BackendStatus({ info, failed }: { info: BackendInfo | null; failed: boolean }) {
  return (
    <section className="status" aria-live="polite" data-testid="backend-status">
      {info ? (
        <>
          <span className="status-main">
            <span className="dot dot-ok" aria-hidden="true" /> Engine running on{' '}
            <strong data-testid="active-backend">{info.active}</strong>
            {LABELS[info.active] && LABELS[info.active] !== info.active ? <> ({LABELS[info.active]})</> : null}
            {info.adapter ? <span className="muted"> · adapter: {info.adapter}</span> : null}
            {info.requested ? (
              <span className="muted">
                {' '}
                · requested by URL: {info.requested}
                {info.requested !== info.active ? ' (not available, fell back)' : ''}
              </span>
            ) : null}
            {!info.cpuForward ? <span className="muted"> · small tensors kept on the GPU (cpuForward=0)</span> : null}
          </span>
          {info.refused.length > 0 ? (
            <details className="refused">
              <summary>
                {info.refused.map((r) => r.name).join(', ')} not used: why?
              </summary>
              <ul className="refused-list">
                {info.refused.map((r) => (
                  <li key={r.name}>
                    <strong>{r.name}</strong> refused: {r.reason}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : failed ? (
        <span className="status-main">
          <span className="dot dot-bad" aria-hidden="true" /> The engine did not start (see the error above).
        </span>
      ) : (
        <span className="status-main">
          <span className="dot dot-wait" aria-hidden="true" /> Starting the engine: choosing a TensorFlow.js backend (WebGPU, WebGL,
          WebAssembly, then plain JavaScript)…
        </span>
      )}
    </section>
  );
}
