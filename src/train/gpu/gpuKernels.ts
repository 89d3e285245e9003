/**
 * The trainer's two fused kernels on the GPU backends: WGSL compute programs on webgpu and GLSL fragment programs on
 * webgl, run through each backend's own program runner (`runWebGPUProgram`, `runWebGLProgram`) so that TF.js
 * compiles, caches and schedules them like its own ops.
 *
 * A TF.js GPU program has one output, so the AdamW + EMA update of one parameter tensor is four small elementwise
 * programs, each one pass over the tensor, in the order of the composed ops (and with their arithmetic, so the
 * numbers are the same to float32 rounding): m' = beta1 m + (1 - beta1) g, v' = beta2 v + (1 - beta2) g^2 (g the
 * gradient times the clipping factor), w' = w - lr (m' / c1 / (sqrt(v' / c2) + eps) + weightDecay w) reading m' and
 * v', and e' = decay e + (1 - decay) w' reading w'. (One program writing a packed [4, N] output would need four
 * slice programs after it on webgpu, which has no shallow slice.) On webgl the programs are packed (four values per
 * texel), as TF.js's own elementwise ops are, so neither their inputs nor their outputs need (un)packing.
 *
 * The sum of squares of all gradients is a strided chunk reduction: one program reads up to 7 (webgpu: 8 storage
 * buffers per stage, one for the output) or 8 (webgl) tensors and writes, per chunk of {@link CHUNK} values of one
 * tensor, their sum of squares; the partial sums are reduced the same way (without squaring) until one value is
 * left. Each output value reads the values r, r + G, r + 2G, ... of its tensor (G the tensor's number of chunks),
 * so that neighbouring invocations read neighbouring memory. Accumulated in float32, like TF.js's own `sum`.
 *
 * The backends are reached through the few members of their classes named in {@link WebGpuBackendLike} and
 * {@link WebGlBackendLike} (no import of the backend packages, which the Node scripts do not load).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ADAMW_EMA_KERNEL, SUM_SQUARES_KERNEL, type AdamWEmaAttrs } from '../fusedKernels';

/** Values per partial sum of the sum-of-squares reduction. */
export const CHUNK = 64;

/** The GPU backends with fused kernels, and what fusedUpdateKind (src/train/fusedAdamW.ts) calls their programs. */
export const GPU_KINDS = { webgpu: 'webgpu-wgsl', webgl: 'webgl-glsl' } as const;

type Info = tf.TensorInfo;
type Uniform = { type: 'float32'; data: number[] };

/** The members of tfjs-backend-webgpu's WebGPUBackend these kernels use. */
interface WebGpuBackendLike {
  runWebGPUProgram(program: WebGpuProgram, inputs: Info[], dtype: tf.DataType, uniforms?: Uniform[]): Info;
  disposeData(dataId: tf.DataId): boolean;
}

/** A program as tfjs-backend-webgpu runs it (its `WebGPUProgram` interface, the members a flat elementwise op sets). */
interface WebGpuProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  size: boolean;
  uniforms?: string;
  getUserCode(): string;
}

/** The members of tfjs-backend-webgl's MathBackendWebGL these kernels use. */
interface WebGlBackendLike {
  runWebGLProgram(program: WebGlProgram, inputs: Info[], dtype: tf.DataType, customUniformValues?: number[][]): Info;
  disposeIntermediateTensorInfo(info: Info): void;
  unpackTensor(info: Info): Info;
  texData: { get(dataId: tf.DataId): { isPacked?: boolean } };
}

/** A program as tfjs-backend-webgl runs it (its `GPGPUProgram` interface). */
interface WebGlProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs?: boolean;
  packedOutput?: boolean;
  customUniforms?: { name: string; type: 'float' }[];
}

const WORKGROUP = 128;
const size = (shape: readonly number[]) => shape.reduce((s, d) => s * d, 1);
const flat = (info: Info): Info => ({ dataId: info.dataId, shape: [size(info.shape)], dtype: info.dtype });

function webGpuProgram(key: string, variableNames: string[], n: number, body: string, uniforms?: string): WebGpuProgram {
  return {
    variableNames, outputShape: [n], shaderKey: key, dispatchLayout: { x: [0] }, workgroupSize: [WORKGROUP, 1, 1],
    dispatch: [Math.ceil(n / WORKGROUP), 1, 1], size: true, ...(uniforms ? { uniforms } : {}),
    getUserCode: () => `fn main(index : i32) {\n  if (index < uniforms.size) {\n${body}\n  }\n}`,
  };
}

/** One step's scalars, named as the programs read them (WGSL uniforms, GLSL custom uniforms). */
const SCALARS = ['scale', 'beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'c1', 'c2', 'epsilon', 'lr', 'weightDecay', 'decay', 'oneMinusDecay'] as const;

function scalarValues(a: AdamWEmaAttrs): number[] {
  return [a.gradScale, a.beta1Adam, 1 - a.beta1Adam, a.beta2Adam, 1 - a.beta2Adam, a.c1, a.c2, a.epsilon, a.lr, a.weightDecay, a.emaDecay, 1 - a.emaDecay];
}

/**
 * The four updates as expressions over one element (WGSL and GLSL alike, with `read(X)` for an input's value and
 * `u(name)` for a scalar), each with the inputs it reads, in the order they run. The arithmetic is the composed
 * path's (src/train/trainer.ts applyComposed), op for op.
 */
function updates(read: (x: string) => string, u: (name: string) => string, scaled: boolean, decayed: boolean) {
  const g = scaled ? `(${read('G')} * ${u('scale')})` : read('G');
  const step = `((${read('M')} / ${u('c1')}) / (sqrt(${read('V')} / ${u('c2')}) + ${u('epsilon')}))`;
  return {
    m: { inputs: ['M', 'G'], expr: `${read('M')} * ${u('beta1')} + ${g} * ${u('oneMinusBeta1')}` },
    v: { inputs: ['V', 'G'], expr: `${read('V')} * ${u('beta2')} + (${g} * ${g}) * ${u('oneMinusBeta2')}` },
    // AdamW: w <- w - lr (m_hat / (sqrt(v_hat) + eps) + weightDecay w), as torch.optim.AdamW; M and V are m' and v'.
    w: {
      inputs: ['W', 'M', 'V'],
      expr: decayed ? `${read('W')} - (${step} + ${read('W')} * ${u('weightDecay')}) * ${u('lr')}` : `${read('W')} - ${step} * ${u('lr')}`,
    },
    e: { inputs: ['E', 'W'], expr: `${read('E')} * ${u('decay')} + ${read('W')} * ${u('oneMinusDecay')}` },
  };
}

type Which = 'm' | 'v' | 'w' | 'e';

/**
 * Runs the update of every parameter with `run(which, inputs by name, scaled, decayed)` (one program per output) and
 * returns the outputs in the order of the CPU kernel: w', m', v' (, e') per parameter.
 */
function updateAll(ins: Record<string, Info>, a: AdamWEmaAttrs, run: (which: Which, inputs: Record<string, Info>) => Info): Info[] {
  const outputs: Info[] = [];
  for (let k = 0; k < a.count; k++) {
    const g = ins[`g${k}`]!;
    const m = run('m', { M: ins[`m${k}`]!, G: g });
    const v = run('v', { V: ins[`v${k}`]!, G: g });
    const w = run('w', { W: ins[`w${k}`]!, M: m, V: v });
    outputs.push(w, m, v);
    if (a.ema) outputs.push(run('e', { E: ins[`e${k}`]!, W: w }));
  }
  return outputs;
}

/** A group of tensors reduced by one program: each tensor's length, number of chunks and first output index. */
interface ChunkLayout {
  n: number[];
  chunks: number[];
  offsets: number[];
  total: number;
}

function chunkLayout(infos: Info[]): ChunkLayout {
  const n = infos.map((i) => size(i.shape));
  const chunks = n.map((x) => Math.max(1, Math.ceil(x / CHUNK)));
  const offsets = chunks.map((_, j) => chunks.slice(0, j).reduce((s, c) => s + c, 0));
  return { n, chunks, offsets, total: chunks.reduce((s, c) => s + c, 0) };
}

/**
 * The body of a chunk-reduction program (WGSL or GLSL by `lang`): output value `index` of tensor j sums (the squares
 * of) the values r, r + G_j, ..., r + (CHUNK - 1) G_j below n_j, r = index - offset_j.
 */
function chunkBody(layout: ChunkLayout, square: boolean, lang: 'wgsl' | 'glsl'): string {
  const wgsl = lang === 'wgsl';
  const branches = layout.n.map((n, j) => {
    const read = wgsl ? `X${j}[i]` : `getX${j}(i)`;
    const loop = wgsl
      ? `for (var t = 0; t < ${CHUNK}; t++) { let i = r + t * ${layout.chunks[j]}; if (i >= ${n}) { break; } let x = ${read}; s = s + ${square ? 'x * x' : 'x'}; }`
      : `for (int t = 0; t < ${CHUNK}; t++) { int i = r + t * ${layout.chunks[j]}; if (i >= ${n}) { break; } float x = ${read}; s += ${square ? 'x * x' : 'x'}; }`;
    const head = j === 0 ? '' : '} else ';
    const test = j === layout.n.length - 1 ? '{' : `if (index < ${layout.offsets[j]! + layout.chunks[j]!}) {`;
    return `${head}${test}\n  ${wgsl ? 'let' : 'int'} r = index - ${layout.offsets[j]};\n  ${loop}`;
  });
  return `${wgsl ? 'var s = 0.0;' : 'float s = 0.0;'}\n${branches.join('\n')}\n}`;
}

/**
 * Reduces tensors to the sum of (the squares of) all their values with `runChunks(group, square)` (one program per
 * group of at most `maxInputs` flat tensors, whose output is the group's partial sums), freeing the partial sums with
 * `free`. @returns a float32 scalar.
 */
function reduceSumSquares(infos: Info[], maxInputs: number, runChunks: (group: Info[], square: boolean) => Info, free: (info: Info) => void): Info {
  if (infos.length === 0) throw new Error('the sum of squares needs at least one tensor');
  let level = infos;
  let square = true;
  for (;;) {
    const next: Info[] = [];
    for (let j = 0; j < level.length; j += maxInputs) next.push(runChunks(level.slice(j, j + maxInputs), square));
    if (!square) level.forEach(free);
    square = false;
    level = next;
    if (level.length === 1 && size(level[0]!.shape) === 1) return { ...level[0]!, shape: [] };
  }
}

function registerWebGpu(): void {
  tf.registerKernel({
    kernelName: SUM_SQUARES_KERNEL, backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as WebGpuBackendLike;
      return reduceSumSquares(Object.values(inputs as Record<string, Info>).map(flat), 7, (group, square) => {
        const layout = chunkLayout(group);
        const key = `bfnSumSquares_${square}_${layout.n.join(',')}`;
        const body = `${chunkBody(layout, square, 'wgsl')}\nresult[index] = s;`;
        return b.runWebGPUProgram(webGpuProgram(key, group.map((_, j) => `X${j}`), layout.total, body), group, 'float32');
      }, (info) => b.disposeData(info.dataId));
    },
  });
  tf.registerKernel({
    kernelName: ADAMW_EMA_KERNEL, backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as WebGpuBackendLike;
      const a = attrs as unknown as AdamWEmaAttrs;
      const uniformDecl = SCALARS.map((s) => `${s} : f32,`).join(' ');
      const uniforms: Uniform[] = scalarValues(a).map((x) => ({ type: 'float32', data: [x] }));
      const scaled = a.gradScale !== 1;
      const decayed = a.weightDecay > 0;
      const exprs = updates((x) => `${x}[index]`, (name) => `uniforms.${name}`, scaled, decayed);
      return updateAll(inputs as Record<string, Info>, a, (which, named) => {
        const { inputs: names, expr } = exprs[which];
        const shape = named[names[0]!]!.shape;
        const program = webGpuProgram(`bfnAdamW_${which}_${scaled}_${decayed}`, names, size(shape), `    result[index] = ${expr};`, uniformDecl);
        const out = b.runWebGPUProgram(program, names.map((x) => flat(named[x]!)), 'float32', uniforms);
        return { ...out, shape: [...shape] };
      });
    },
  });
}

function registerWebGl(): void {
  tf.registerKernel({
    kernelName: SUM_SQUARES_KERNEL, backendName: 'webgl',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as WebGlBackendLike;
      const unpacked: Info[] = [];
      // The chunk programs read flat unpacked textures (row-major, as an unpacked tensor's texture is laid out).
      const flatInputs = Object.values(inputs as Record<string, Info>).map((info) => {
        if (!b.texData.get(info.dataId).isPacked) return flat(info);
        const u = b.unpackTensor(info);
        unpacked.push(u);
        return flat(u);
      });
      const maxInputs = Math.max(1, Math.min(8, tf.env().getNumber('WEBGL_MAX_TEXTURES_IN_SHADER')));
      const out = reduceSumSquares(flatInputs, maxInputs, (group, square) => {
        const layout = chunkLayout(group);
        const userCode = `void main() {\n  int index = getOutputCoords();\n${chunkBody(layout, square, 'glsl')}\n  setOutput(s);\n}`;
        return b.runWebGLProgram({ variableNames: group.map((_, j) => `X${j}`), outputShape: [layout.total], userCode }, group, 'float32');
      }, (info) => b.disposeIntermediateTensorInfo(info));
      unpacked.forEach((u) => b.disposeIntermediateTensorInfo(u));
      return out;
    },
  });
  tf.registerKernel({
    kernelName: ADAMW_EMA_KERNEL, backendName: 'webgl',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as WebGlBackendLike;
      const a = attrs as unknown as AdamWEmaAttrs;
      const values = scalarValues(a).map((x) => [x]);
      const customUniforms = SCALARS.map((name) => ({ name, type: 'float' as const }));
      const exprs = updates((x) => `get${x}AtOutCoords()`, (name) => name, a.gradScale !== 1, a.weightDecay > 0);
      return updateAll(inputs as Record<string, Info>, a, (which, named) => {
        const { inputs: names, expr } = exprs[which];
        const userCode = `void main() {\n  setOutput(${expr});\n}`;
        const program: WebGlProgram = { variableNames: names, outputShape: [...named[names[0]!]!.shape], userCode, packedInputs: true, packedOutput: true, customUniforms };
        return b.runWebGLProgram(program, names.map((x) => named[x]!), 'float32', values);
      });
    },
  });
}

/**
 * Registers the two kernels (src/train/fusedKernels.ts) on webgpu and webgl, once; later calls do nothing.
 * `BfnSumSquares`: inputs x0.. (any shapes, float32) -> the float32 scalar sum_k sum_i x_ki^2. `BfnAdamWEma`: inputs
 * w0, g0, m0, v0 (, e0), ... with {@link AdamWEmaAttrs} -> w', m', v' (, e') per parameter.
 */
export function registerGpuKernels(): void {
  if (!tf.getKernel(SUM_SQUARES_KERNEL, 'webgpu')) registerWebGpu();
  if (!tf.getKernel(SUM_SQUARES_KERNEL, 'webgl')) registerWebGl();
}
