/**
 * TF.js backend selection with fallback, for the engine worker: webgpu, then webgl, wasm, cpu. Every refusal is
 * recorded with its reason, so the page can say why a preferred backend is not in use. Without a requested backend,
 * a GPU backend that runs on a software adapter (SwiftShader, llvmpipe: a CPU emulation, slower than WebAssembly) is
 * passed over; asking for it by name still uses it. Worker-side only.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// The gradients of TF.js's ops (training), which the '@tensorflow/tfjs' bundle registers and tfjs-core alone does not.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKEND_ORDER, type BackendInfo, type InitOptions, type RefusedBackend, type WasmInfo } from './protocol';

// Under Vite the .wasm binaries are emitted as assets; tell the wasm backend where they are. TF.js loads the
// threaded SIMD one when SIMD and WebAssembly threads are available (threads need a cross-origin isolated page: the
// COOP/COEP headers of vite.config.ts and public/_headers). Its thread pool then has half as many threads as there
// are logical cores (navigator.hardwareConcurrency / 2, at most 8; setThreadsCount() can only lower that), so a
// 2-core machine still computes on one thread: measured here, two threads on two busy cores were slower than one.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
});

/** Renderer names of software GPU implementations (CPU emulations). */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver/i;

/**
 * TF.js 4.22's WebGPU AddN kernel binds one storage buffer per input and ignores the device's
 * maxStorageBuffersPerShaderStage (8 by default), so tf.addN of 8 or more tensors builds an invalid pipeline and
 * every later read hangs. This wrapper adds the inputs in groups that fit, as the backend's own concat does.
 */
function patchWebgpuAddN(): void {
  const original = tf.getKernel('AddN', 'webgpu');
  if (!original) return;
  tf.unregisterKernel('AddN', 'webgpu');
  const kernelFunc: tf.KernelFunc = (args) => {
    const inputs = args.inputs as unknown as tf.TensorInfo[];
    const backend = args.backend as { device?: GPUDevice; disposeData(dataId: object): unknown };
    const max = Math.max(2, (backend.device?.limits.maxStorageBuffersPerShaderStage ?? 8) - 1);
    if (inputs.length <= max) return original.kernelFunc(args);
    const partial: tf.TensorInfo[] = [];
    for (let k = 0; k < inputs.length; k += max) {
      partial.push(original.kernelFunc({ ...args, inputs: inputs.slice(k, k + max) as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo);
    }
    const result = kernelFunc({ ...args, inputs: partial as unknown as tf.NamedTensorInfoMap });
    for (const p of partial) backend.disposeData(p.dataId);
    return result;
  };
  tf.registerKernel({ ...original, kernelFunc });
}

/** The GPU backends' modules, loading or loaded (see loadBackendModule). */
const gpuModules = new Map<string, Promise<void>>();

/**
 * Imports a GPU backend's module (which registers the backend and its kernels with TF.js) on first use: the worker
 * starts with the cpu and wasm backends only, because parsing and running the webgl and webgpu modules (about 690 kB)
 * delayed every view's first frame on machines where they are passed over (no GPU, or a software one). Other names
 * need nothing. @throws Error when the module cannot be loaded.
 */
async function loadBackendModule(name: string): Promise<void> {
  let loading = gpuModules.get(name);
  if (!loading) {
    if (name === 'webgpu') loading = import('@tensorflow/tfjs-backend-webgpu').then(() => patchWebgpuAddN());
    else if (name === 'webgl') loading = import('@tensorflow/tfjs-backend-webgl').then(() => undefined);
    else return;
    gpuModules.set(name, loading);
  }
  await loading;
  setCpuForward(cpuForwardChoice);
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** The WebGL renderer's name, read from a throwaway context (null when there is no WebGL2 here). */
function webglRenderer(): string | null {
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : null;
    const gl = canvas?.getContext('webgl2') as WebGL2RenderingContext | null | undefined;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

/** Reasons a backend cannot work here, found before asking TF.js (which would only log a warning). */
export async function precheck(name: string, avoidSoftware: boolean): Promise<{ reason: string | null; adapter: string | null }> {
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
    if (avoidSoftware && (fallback || SOFTWARE_RENDERER.test(description))) {
      return { reason: `the only WebGPU adapter is a software emulation (${description}), slower than WebAssembly; add ?backend=webgpu to use it anyway`, adapter: description };
    }
    return { reason: null, adapter: description };
  }
  if (name === 'webgl' && typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') {
    return { reason: 'OffscreenCanvas is absent, so WebGL cannot run in a worker', adapter: null };
  }
  if (name === 'webgl' && avoidSoftware) {
    const renderer = webglRenderer();
    if (renderer && SOFTWARE_RENDERER.test(renderer)) {
      return { reason: `WebGL runs on a software renderer (${renderer.slice(0, 120)}), slower than WebAssembly; add ?backend=webgl to use it anyway`, adapter: null };
    }
  }
  if (name === 'wasm' && typeof WebAssembly === 'undefined') return { reason: 'WebAssembly is absent', adapter: null };
  return { reason: null, adapter: null };
}

/** Runs tf.setBackend(name) and returns null on success or the reason of the failure (TF.js only logs it). */
export async function activate(name: string): Promise<string | null> {
  try {
    await loadBackendModule(name);
  } catch (err) {
    return `its module did not load: ${messageOf(err)}`;
  }
  if (name === 'wasm') await chooseWasmBuild();
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

/** Whether this browser can run WebAssembly threads here (read before {@link chooseWasmBuild} may turn them off). */
let wasmThreadsPossible: boolean | null = null;

/**
 * Loads the wasm backend without threads where it would compute on one thread anyway: TF.js runs half as many
 * threads as there are logical cores, so below 4 cores the threaded build's pool of 8 worker threads only costs
 * start-up time (each loads and instantiates the binary; measured here, on 2 cores, about 100 ms of the first
 * frame's path, competing with the page's first render).
 */
async function chooseWasmBuild(): Promise<void> {
  if (wasmThreadsPossible !== null) return;
  wasmThreadsPossible = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  if ((globalThis.navigator?.hardwareConcurrency ?? 1) < 4) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

/**
 * How the active wasm backend runs: its thread count (tfjs-backend-wasm's getThreadsCount()), SIMD, whether
 * WebAssembly threads are possible here, whether this worker is cross-origin isolated, its logical cores. Call only after
 * `tf.setBackend('wasm')` succeeded. @throws Error from getThreadsCount() when the wasm backend never started.
 */
export async function wasmInfo(): Promise<WasmInfo> {
  const [simd, threadsSupported] = await Promise.all([tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')]);
  return {
    threads: getThreadsCount(),
    simd: simd === true,
    threadsSupported: wasmThreadsPossible ?? threadsSupported === true,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    logicalCores: globalThis.navigator?.hardwareConcurrency ?? 1,
  };
}

/** The page's cpuForward choice, applied to each GPU backend's flag once its module is loaded. */
let cpuForwardChoice = true;

function setCpuForward(enabled: boolean): void {
  cpuForwardChoice = enabled;
  for (const flag of ['WEBGPU_CPU_FORWARD', 'WEBGL_CPU_FORWARD']) {
    try {
      tf.env().set(flag, enabled);
    } catch {
      // The flag is registered by its backend's module, which loads on first use (loadBackendModule sets it then).
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
    // Software GPUs are passed over only when no backend was asked for by name.
    const { reason, adapter } = await precheck(name, requested === null || name !== requested);
    if (reason) {
      refused.push({ name, reason });
      continue;
    }
    const failure = await activate(name);
    if (failure) {
      refused.push({ name, reason: failure });
      continue;
    }
    return { active: name, requested, refused, cpuForward, adapter: name === 'webgpu' ? adapter : null, wasm: name === 'wasm' ? await wasmInfo() : null };
  }
  throw new Error(`no TF.js backend started: ${refused.map((r) => `${r.name}: ${r.reason}`).join('; ')}`);
}

/**
 * The GPU this device would compute on, in words, for the measurement cache's device key: the WebGPU adapter's
 * description, else the WebGL renderer's name, else null.
 */
export async function gpuDescription(): Promise<string | null> {
  const { adapter } = await precheck('webgpu', false);
  return adapter ?? webglRenderer();
}
