/** The status line: which TF.js backend runs the engine, and (folded) why any preferred backend was passed over. */
import type { BackendInfo, MeasuredBackend, WasmInfo } from '../engine/protocol';

const LABELS: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'plain JavaScript (cpu)' };

/**
 * How many threads the wasm backend computes with, and why only one when so: e.g. "4 threads (SIMD)", "1 thread
 * (SIMD): the page is not cross-origin isolated", "1 thread (SIMD): TF.js uses half of the 2 logical cores".
 */
export function wasmThreadsText(wasm: WasmInfo): string {
  const count = `${wasm.threads} thread${wasm.threads === 1 ? '' : 's'}${wasm.simd ? ' (SIMD)' : ''}`;
  if (wasm.threads > 1) return count;
  if (!wasm.crossOriginIsolated) return `${count}: the page is not cross-origin isolated`;
  if (!wasm.threadsSupported) return `${count}: this browser has no WebAssembly threads`;
  return `${count}: TF.js uses half of the ${wasm.logicalCores} logical core${wasm.logicalCores === 1 ? '' : 's'}`;
}

/** Why the engine runs on its backend when a measurement chose it: the figures in a summary, each backend's line folded. */
function MeasuredLine({ measured }: { measured: MeasuredBackend }) {
  return (
    <details className="measured" data-testid="backend-measured" data-state={measured.state}>
      <summary>{measured.summary}</summary>
      <ul className="refused-list measured-list">
        {measured.workload ? <li>Workload of the {measured.view} view, per step: {measured.workload}{measured.tookMs !== null && measured.busyMs !== null ? `; the measurement took ${(measured.tookMs / 1000).toFixed(1)} s, ${(measured.busyMs / 1000).toFixed(1)} s of it its own steps` : ''}.</li> : null}
        {measured.details.map((line) => (
          <li key={line}>{line}</li>
        ))}
        {measured.switchedFrom ? <li>Switched from {measured.switchedFrom}; the loaded networks' weights moved with it.</li> : null}
      </ul>
    </details>
  );
}

/**
 * The status line for `info` (null while starting; `failed` when the engine did not start); `measuring` while the
 * backends are being timed on the view's workload.
 */
export function BackendStatus({ info, failed, measuring = false }: { info: BackendInfo | null; failed: boolean; measuring?: boolean }) {
  return (
    <section className="status" aria-live="polite" data-testid="backend-status">
      {info ? (
        <>
          <span className="status-main">
            <span className="dot dot-ok" aria-hidden="true" /> Engine running on{' '}
            <strong data-testid="active-backend">{info.active}</strong>
            {LABELS[info.active] && LABELS[info.active] !== info.active ? <> ({LABELS[info.active]})</> : null}
            {info.wasm ? <span data-testid="wasm-threads">, {wasmThreadsText(info.wasm)}</span> : null}
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
          {measuring ? (
            <span className="muted" data-testid="backend-measuring">
              measuring the backends on this view (a click or key press stops it)…
            </span>
          ) : null}
          {info.measured ? <MeasuredLine measured={info.measured} /> : null}
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
