/**
 * The trainer's per-step update of every parameter as two TF.js kernels: `BfnSumSquares` (the squared global
 * gradient norm) and `BfnAdamWEma` (AdamW, Loshchilov & Hutter 2019, as `torch.optim.AdamW`, and the exponential
 * moving average of the weights), each one call for all parameters, on every backend.
 *
 * Why hand-written: TF.js has no fused optimizer kernel, and composing AdamW + EMA from its elementwise ops costs
 * about 17 kernels per parameter tensor, each a full pass over memory (about 270 kernels per step for the
 * 3.8M-parameter MNIST network), with every intermediate alive until the update ends (the step's peak memory was
 * 4.5x its live tensors). On wasm the loop is WebAssembly SIMD (src/train/wasm/fusedAdamW.wat, four values per
 * instruction, run in TF.js's own memory): a plain JS loop was no faster than the composed ops there (38 against
 * 27 ms, minima of 15 interleaved rounds, 1 thread), the SIMD loop was 3-4x faster than them (measured the
 * same way). The cpu backend runs the JS loop (25x faster than its composed ops).
 * On the GPU backends (webgpu, webgl), where every kernel is a shader dispatch with its own fixed cost, the kernels
 * run hand-written WGSL / GLSL programs (src/train/gpu/gpuKernels.ts): four one-pass programs per parameter tensor
 * instead of 17, and a chunked reduction for the norm instead of a square, a sum and an addN per tensor; the engine
 * sees two kernels per step instead of about 19 per parameter tensor.
 * The kernels are registered with `tf.registerKernel` (TF.js's own extension point), so they run through the engine
 * like any other kernel: `tf.profile` counts them and the memory accounting sees their outputs. The trainer's
 * `fusedUpdate: false` still composes TF.js ops (the reference the fused kernels are checked against).
 */
import * as tf from '@tensorflow/tfjs-core';
import { FUSED_ADAMW_WASM_PLAIN, FUSED_ADAMW_WASM_SHARED } from './wasm/fusedAdamWBinary';
import { GPU_KINDS, registerGpuKernels } from './gpu/gpuKernels';
import { ADAMW_EMA_KERNEL, SUM_SQUARES_KERNEL, type AdamWEmaAttrs } from './fusedKernels';

export { ADAMW_EMA_KERNEL, SUM_SQUARES_KERNEL, type AdamWEmaAttrs } from './fusedKernels';

/** Float32 views of tensors and a way to make outputs, per backend. */
interface HostAccess {
  read(info: tf.TensorInfo): Float32Array;
  /** Allocates an output (its values written later through {@link read}). */
  alloc(shape: number[]): tf.TensorInfo;
  /** The SIMD loops of src/train/wasm/fusedAdamW.wat in the backend's own memory (wasm only, where it assembles). */
  simd: SimdLoops | null;
}

/** The exports of src/train/wasm/fusedAdamW.wat (pointers are byte offsets into TF.js's wasm memory). */
interface SimdLoops {
  adamw(w: number, g: number, m: number, v: number, e: number, wo: number, mo: number, vo: number, eo: number, n: number, ema: number,
    scale: number, b1: number, b2: number, lr: number, wd: number, c1: number, c2: number, eps: number, d: number): void;
  sumsq(x: number, n: number): number;
}

let simdLoops: { memory: WebAssembly.Memory; loops: SimdLoops | null } | null = null;

/**
 * The SIMD loops instantiated on TF.js's wasm memory (the Emscripten module's `wasmMemory`, or `asm.memory` in the
 * non-threaded build), once per memory; null where WebAssembly SIMD or the memory is unavailable (the JS loops run).
 */
function simdFor(backend: unknown): SimdLoops | null {
  const module = (backend as { wasm?: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } } }).wasm;
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  if (!memory) return null;
  if (simdLoops?.memory === memory) return simdLoops.loops;
  let loops: SimdLoops | null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = Uint8Array.from(atob(shared ? FUSED_ADAMW_WASM_SHARED : FUSED_ADAMW_WASM_PLAIN), (c) => c.charCodeAt(0));
    loops = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as SimdLoops;
  } catch {
    loops = null;
  }
  simdLoops = { memory, loops };
  return loops;
}

function hostAccess(backend: unknown, name: string): HostAccess {
  if (name === 'wasm') {
    const b = backend as unknown as { makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo; typedArrayFromHeap(info: tf.TensorInfo): Float32Array };
    return { read: (info) => b.typedArrayFromHeap(info), alloc: (shape) => b.makeOutput(shape, 'float32'), simd: simdFor(backend) };
  }
  const b = backend as unknown as { data: { get(id: tf.DataId): { values: Float32Array } }; makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo };
  return {
    read: (info) => b.data.get(info.dataId).values,
    alloc: (shape) => b.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((s, d) => s * d, 1))),
    simd: null,
  };
}

/**
 * The AdamW (+ EMA when `e` is given) update of one tensor, written into the outputs: a function of its own with
 * typed-array arguments, which V8 compiles to one tight loop.
 */
function adamWEmaLoop(
  w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, e: Float32Array | null,
  wOut: Float32Array, mOut: Float32Array, vOut: Float32Array, eOut: Float32Array | null, a: AdamWEmaAttrs,
): void {
  const b1 = a.beta1Adam, b2 = a.beta2Adam, lr = a.lr, wd = a.weightDecay, scale = a.gradScale, eps = a.epsilon;
  const c1 = a.c1, c2 = a.c2, decay = a.emaDecay;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i]! * scale;
    const mi = b1 * m[i]! + (1 - b1) * gi;
    const vi = b2 * v[i]! + (1 - b2) * gi * gi;
    // AdamW: w <- w - lr (m_hat / (sqrt(v_hat) + eps) + weightDecay w), as torch.optim.AdamW.
    const wi = w[i]! - lr * (mi / c1 / (Math.sqrt(vi / c2) + eps) + wd * w[i]!);
    mOut[i] = mi;
    vOut[i] = vi;
    wOut[i] = wi;
    if (eOut) eOut[i] = decay * e![i]! + (1 - decay) * wi;
  }
}

/** Sum of squares of one tensor's values (float64 accumulator). */
function sumSquaresLoop(x: Float32Array): number {
  let s = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
  return s;
}

const BACKENDS = ['wasm', 'cpu'] as const;

function register(): void {
  for (const backendName of BACKENDS) {
    if (!tf.getKernel(SUM_SQUARES_KERNEL, backendName)) {
      tf.registerKernel({
        kernelName: SUM_SQUARES_KERNEL, backendName,
        kernelFunc: ({ inputs, backend }) => {
          const host = hostAccess(backend, backendName);
          const out = host.alloc([]);
          let total = 0;
          for (const info of Object.values(inputs) as tf.TensorInfo[]) {
            const x = host.read(info);
            total += host.simd ? host.simd.sumsq(x.byteOffset, x.length) : sumSquaresLoop(x);
          }
          host.read(out)[0] = total;
          return out;
        },
      });
    }
    if (!tf.getKernel(ADAMW_EMA_KERNEL, backendName)) {
      tf.registerKernel({
        kernelName: ADAMW_EMA_KERNEL, backendName,
        kernelFunc: ({ inputs, backend, attrs }) => {
          const a = attrs as unknown as AdamWEmaAttrs;
          const host = hostAccess(backend, backendName);
          const ins = inputs as Record<string, tf.TensorInfo>;
          const outputs: tf.TensorInfo[] = [];
          // Allocate every output before taking any view: an allocation may grow (and detach) the wasm heap.
          for (let k = 0; k < a.count; k++) {
            const shape = [...ins[`w${k}`]!.shape];
            outputs.push(host.alloc(shape), host.alloc(shape), host.alloc(shape));
            if (a.ema) outputs.push(host.alloc(shape));
          }
          const per = a.ema ? 4 : 3;
          for (let k = 0; k < a.count; k++) {
            const w = host.read(ins[`w${k}`]!), g = host.read(ins[`g${k}`]!), m = host.read(ins[`m${k}`]!), v = host.read(ins[`v${k}`]!);
            const e = a.ema ? host.read(ins[`e${k}`]!) : null;
            const wOut = host.read(outputs[per * k]!), mOut = host.read(outputs[per * k + 1]!), vOut = host.read(outputs[per * k + 2]!);
            const eOut = a.ema ? host.read(outputs[per * k + 3]!) : null;
            if (host.simd) {
              const p = (x: Float32Array | null) => x?.byteOffset ?? 0;
              host.simd.adamw(p(w), p(g), p(m), p(v), p(e), p(wOut), p(mOut), p(vOut), p(eOut), w.length, eOut ? 1 : 0,
                a.gradScale, a.beta1Adam, a.beta2Adam, a.lr, a.weightDecay, a.c1, a.c2, a.epsilon, a.emaDecay);
            } else {
              adamWEmaLoop(w, g, m, v, e, wOut, mOut, vOut, eOut, a);
            }
          }
          return outputs;
        },
      });
    }
  }
}

register();
registerGpuKernels();

/** Whether the active backend runs the fused kernels (wasm, cpu, webgpu, webgl); any other composes TF.js ops. */
export function hasFusedUpdate(): boolean {
  const name = tf.getBackend();
  return (BACKENDS as readonly string[]).includes(name) || name in GPU_KINDS;
}

/**
 * The squared global L2 norm of a list of tensors, sum_k sum_i x_ki^2, in one kernel (accumulated in float64 on wasm
 * and cpu, in float32 partial sums of 64 values on the GPU backends).
 * @param tensors any shapes, float32. @returns a float32 scalar. @throws Error on a backend without the kernel.
 */
export function sumOfSquares(tensors: tf.Tensor[]): tf.Scalar {
  const inputs: tf.NamedTensorMap = {};
  tensors.forEach((t, k) => (inputs[`x${k}`] = t));
  return tf.engine().runKernel(SUM_SQUARES_KERNEL, inputs, {}) as tf.Scalar;
}

/**
 * One AdamW + EMA step of every parameter in one kernel: with g = gradScale x grad,
 * m' = beta1 m + (1 - beta1) g, v' = beta2 v + (1 - beta2) g^2, w' = w - lr (m' / c1 / (sqrt(v' / c2) + eps) + wd w),
 * e' = decay e + (1 - decay) w' (as `torch.optim.AdamW` followed by an EMA of the weights).
 * @param w, grads, m, v, ema: lists of the same length and matching shapes (ema null without averages).
 * @returns new tensors {w, m, v, ema} (the caller assigns them to its variables). @throws Error on a backend
 *   without the kernel.
 */
export function adamWEmaStep(
  w: tf.Tensor[], grads: tf.Tensor[], m: tf.Tensor[], v: tf.Tensor[], ema: tf.Tensor[] | null,
  attrs: Omit<AdamWEmaAttrs, 'count' | 'ema'>,
): { w: tf.Tensor[]; m: tf.Tensor[]; v: tf.Tensor[]; ema: tf.Tensor[] | null } {
  const inputs: tf.NamedTensorMap = {};
  w.forEach((t, k) => {
    inputs[`w${k}`] = t;
    inputs[`g${k}`] = grads[k]!;
    inputs[`m${k}`] = m[k]!;
    inputs[`v${k}`] = v[k]!;
    if (ema) inputs[`e${k}`] = ema[k]!;
  });
  const full: AdamWEmaAttrs = { ...attrs, count: w.length, ema: ema !== null };
  const out = tf.engine().runKernel(ADAMW_EMA_KERNEL, inputs, full as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
  const per = ema ? 4 : 3;
  const pick = (j: number) => w.map((_, k) => out[per * k + j]!);
  return { w: pick(0), m: pick(1), v: pick(2), ema: ema ? pick(3) : null };
}

/**
 * Which loop the fused update runs on the active backend: 'wasm-simd', 'js' (the cpu backend, or wasm without
 * SIMD), 'webgpu-wgsl' or 'webgl-glsl' (the GPU programs of src/train/gpu/gpuKernels.ts), or 'composed' (any other
 * backend: TF.js ops, one parameter at a time).
 */
export function fusedUpdateKind(): 'wasm-simd' | 'js' | 'webgpu-wgsl' | 'webgl-glsl' | 'composed' {
  if (!hasFusedUpdate()) return 'composed';
  const name = tf.getBackend();
  if (name in GPU_KINDS) return GPU_KINDS[name as keyof typeof GPU_KINDS];
  return tf.getBackend() === 'wasm' && simdFor(tf.backend()) ? 'wasm-simd' : 'js';
}
