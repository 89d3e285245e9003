/**
 * TF.js backend selection with fallback, for the engine worker: webgpu, then webgl, wasm, cpu. Every refusal is
 * recorded with its reason, so the page can say why a preferred backend is not in use. Worker-side only.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKEND_ORDER, type BackendInfo, type InitOptions, type RefusedBackend } from './protocol';

// Under Vite the .wasm binaries are emitted as assets; tell the wasm backend where they are.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
});

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** Reasons a backend cannot work here, found before asking TF.js (which would only log a warning). */
async function precheck(name: string): Promise<{ reason: string | null; adapter: string | null }> {
  if (name === 'webgpu') {
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    if (!gpu) return { reason: 'navigator.gpu is absent (no WebGPU in this browser, or it is disabled)', adapter: null };
    let adapter: GPUAdapter | null;
    try {
      adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    } catch (err) {
      return { reason: `navigator.gpu.requestAdapter() threw: ${messageOf(err)}`, adapter: null };
    }
    if (!adapter) return { reason: 'navigator.gpu.requestAdapter() returned null (no WebGPU adapter)', adapter: null };
    // `adapter.info` is newer than the @webgpu/types version installed here: read it loosely.
    const loose = adapter as unknown as { info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean };
    const info = loose.info;
    const words = [info?.vendor, info?.architecture, info?.description].filter((w): w is string => !!w && w.length > 0);
    const fallback = info?.isFallbackAdapter ?? loose.isFallbackAdapter;
    const description = `${words.length ? words.join(' ') : 'unnamed adapter'}${fallback ? ' (fallback adapter, CPU emulation)' : ''}`;
    return { reason: null, adapter: description };
  }
  if (name === 'webgl' && typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') {
    return { reason: 'OffscreenCanvas is absent, so WebGL cannot run in a worker', adapter: null };
  }
  if (name === 'wasm' && typeof WebAssembly === 'undefined') return { reason: 'WebAssembly is absent', adapter: null };
  return { reason: null, adapter: null };
}

/** Runs tf.setBackend(name) and returns null on success or the reason of the failure (TF.js only logs it). */
async function activate(name: string): Promise<string | null> {
  if (!tf.findBackendFactory(name)) return `backend '${name}' is not registered with TF.js`;
  const warnings: string[] = [];
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    originalWarn.apply(console, args);
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (err) {
    return `tf.setBackend('${name}') threw: ${messageOf(err)}`;
  } finally {
    console.warn = originalWarn;
  }
  if (!ok) {
    // TF.js logs "Initialization of backend X failed", then the error's stack or message.
    const detail = warnings.filter((w) => !w.startsWith('Initialization of backend')).map((w) => w.split('\n')[0]).join('; ');
    return detail ? `initialization failed: ${detail}` : `tf.setBackend('${name}') resolved false`;
  }
  if (tf.getBackend() !== name) return `tf.setBackend('${name}') succeeded but tf.getBackend() is '${tf.getBackend()}'`;
  // A tiny computation, read back asynchronously (never dataSync on webgpu), proves the backend really works.
  try {
    const y = tf.tidy(() => tf.add(tf.square(tf.tensor1d([1, 2, 3])), 1));
    const values = await y.data();
    y.dispose();
    const expected = [2, 5, 10];
    if (!expected.every((v, k) => values[k] === v)) return `smoke test 1+x^2 gave [${Array.from(values).join(', ')}], expected [2, 5, 10]`;
  } catch (err) {
    return `smoke test failed: ${messageOf(err)}`;
  }
  return null;
}

function setCpuForward(enabled: boolean): void {
  for (const flag of ['WEBGPU_CPU_FORWARD', 'WEBGL_CPU_FORWARD']) {
    try {
      tf.env().set(flag, enabled);
    } catch {
      // The flag is registered by its backend's module; both are imported above, so this does not happen.
    }
  }
}

/**
 * Selects the TF.js backend: the requested one first when given, else webgpu, webgl, wasm, cpu; each candidate is
 * prechecked, activated (checking the boolean `tf.setBackend` resolves to) and smoke-tested. A failing requested
 * backend is refused with its reason and selection continues with the backends after it in the list.
 * @throws Error when no backend at all starts (cpu always should).
 */
export async function selectBackend(options: InitOptions = {}): Promise<BackendInfo> {
  const requested = options.backend ? options.backend.toLowerCase() : null;
  const cpuForward = options.cpuForward ?? true;
  setCpuForward(cpuForward);
  const order: readonly string[] = BACKEND_ORDER;
  const refused: RefusedBackend[] = [];
  let candidates: string[];
  if (requested === null) {
    candidates = [...order];
  } else if (order.includes(requested)) {
    candidates = order.slice(order.indexOf(requested));
  } else {
    refused.push({ name: requested, reason: `unknown backend; choose one of ${order.join(', ')}` });
    candidates = [...order];
  }
  for (const name of candidates) {
    const { reason, adapter } = await precheck(name);
    if (reason) {
      refused.push({ name, reason });
      continue;
    }
    const failure = await activate(name);
    if (failure) {
      refused.push({ name, reason: failure });
      continue;
    }
    return { active: name, requested, refused, cpuForward, adapter: name === 'webgpu' ? adapter : null };
  }
  throw new Error(`no TF.js backend started: ${refused.map((r) => `${r.name}: ${r.reason}`).join('; ')}`);
}
