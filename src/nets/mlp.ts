/**
 * A multilayer perceptron Psi(input, t) with a sinusoidal time embedding, the network of the 2D playground
 * (`src/nets/`). Built from fused matMul + bias, sin/cos and elementwise ops only, with a hand-written
 * backward pass, so it trains on every TF.js backend and quickly on wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../bfn/sampler';
import { checkFileTensors, type NamedTensor, type TensorSpec, type TrainableNet } from './trainable';
import { MLP_SIZE_LIMITS } from '../settings/settings2d';

/** Shape of an {@link Mlp}. */
export interface MlpConfig {
  /** Features per input row (e.g. 2 for 2D points). */
  inputDim: number;
  /** Outputs per row (e.g. 2 for eps_hat of 2D points). */
  outputDim: number;
  /** Hidden width, 1..1024. */
  width: number;
  /** Number of hidden layers, 1..8. */
  depth: number;
  /** Number of sinusoidal time features (even), default 16. */
  timeFeatures?: number;
  /**
   * Hidden layers after the first add their input back (h_{l+1} = h_l + swish(h_l W_l + b_l)), default false.
   * Residual connections let a deeper network keep the fine detail of thin structures (spiral arms, rings).
   */
  residual?: boolean;
  /**
   * Number K of Fourier features of the input per input dimension, default 0 (none): the first layer also reads
   * sin(pi 2^k x_d) and cos(pi 2^k x_d) for k = 0..K-1 (Tancik et al. 2020, "Fourier features let networks learn high
   * frequency functions in low dimensional domains"), which lets a small MLP draw sharp, thin structures.
   */
  fourierFeatures?: number;
  /** Seed of the Glorot-uniform initialisation. */
  seed?: number;
}

/** Limits of the adjustable sizes, [min, max], declared with the playground's settings (src/settings/settings2d.ts). */
export const MLP_LIMITS = MLP_SIZE_LIMITS;

/** A trainable MLP: its network function and its variables (for optimizers, EMA and saving). */
export interface Mlp extends TrainableNet<Required<MlpConfig>> {
  config: Required<MlpConfig>;
  net: Network;
  /**
   * The trainable tensors: the first layer's weights by block of its input, W_0x [inputDim, width], then (with Fourier
   * features) W_0sin and W_0cos [inputDim K, width], then W_0t [timeFeatures, width]; b_0; W_l, b_l for each further
   * layer; W_out, b_out.
   */
  variables: tf.Variable[];
  /**
   * The weights in the model file's layout: W_0 = [W_0x; W_0sin; W_0cos; W_0t] ([inputDim (1 + 2K) + timeFeatures,
   * width]), b_0, W_1, b_1, ..., W_out, b_out. New tensors: the caller disposes them.
   */
  fileWeights(): tf.Tensor[];
  /** The shapes of {@link fileWeights}, in order. */
  fileShapes(): number[][];
  /**
   * Sets every weight from tensors in the file's layout (the tensors are copied, not kept).
   * @throws RangeError naming the first tensor whose count or shape does not match {@link fileShapes}.
   */
  setFileWeights(weights: tf.Tensor[]): void;
  /** Number of trainable parameters. */
  parameterCount: number;
  dispose(): void;
}

/**
 * Sinusoidal embedding of t in [0, 1]: [sin(2 pi f_k t), cos(2 pi f_k t)] with frequencies f_k = 2^(k/2), k = 0..F/2-1
 * (a Fourier-feature variant of Vaswani et al.'s positional code, as BFN's networks use for t).
 * @param t [batch, 1] (or [1, 1]: one time for every row). @returns [batch, features] ([1, features]).
 */
export function timeEmbedding(t: tf.Tensor, features: number): tf.Tensor {
  return tf.tidy(() => {
    const half = features / 2;
    const freqs = tf.tensor2d(Array.from({ length: half }, (_, k) => 2 * Math.PI * Math.pow(2, k / 2)), [1, half]);
    const angles = tf.mul(tf.reshape(t, [-1, 1]), freqs);
    return tf.concat([tf.sin(angles), tf.cos(angles)], 1);
  });
}

/**
 * Creates an MLP: z_0 = x W_0x [+ sin(pi 2^k x) W_0sin + cos(pi 2^k x) W_0cos] + embed(t) W_0t + b_0, h_1 = swish(z_0), h_{l+1} = swish(h_l W_l + b_l) (plus h_l when
 * `residual`), output = h_L W_out + b_out, with the output layer initialised to zero so an untrained network predicts
 * eps_hat = 0. The first layer is the product of [x, embed(t)] with W_0 = [W_0x; W_0t], written as two products so
 * that a time shared by every row (t of shape [1, 1], as the sampler passes) is embedded once, not once per point.
 * Every layer is one fused matMul + bias kernel; the backward pass is written out by hand and avoids wasm's slow
 * transposed matMul (see `dense.ts`).
 * @throws RangeError when a size is outside {@link MLP_LIMITS} or not an integer.
 */
export function createMlp(config: MlpConfig): Mlp {
  const cfg: Required<MlpConfig> = { timeFeatures: 16, residual: false, fourierFeatures: 0, seed: 0, ...config };
  for (const key of ['width', 'depth', 'fourierFeatures'] as const) {
    const [lo, hi] = MLP_LIMITS[key];
    if (!Number.isInteger(cfg[key]) || cfg[key] < lo || cfg[key] > hi) throw new RangeError(`MLP ${key} must be an integer in ${lo}..${hi}, got ${cfg[key]}`);
  }
  if (!Number.isInteger(cfg.inputDim) || cfg.inputDim < 1) throw new RangeError(`inputDim must be a positive integer, got ${cfg.inputDim}`);
  if (!Number.isInteger(cfg.outputDim) || cfg.outputDim < 1) throw new RangeError(`outputDim must be a positive integer, got ${cfg.outputDim}`);
  if (cfg.timeFeatures < 2 || cfg.timeFeatures % 2) throw new RangeError(`timeFeatures must be even and >= 2, got ${cfg.timeFeatures}`);
  const { inputDim, outputDim, width, depth, timeFeatures: F, fourierFeatures: K } = cfg;
  const variables: tf.Variable[] = [];
  const names: string[] = [];
  // tf.variable keeps its own reference to the data: dispose the initial tensors so nothing leaks.
  const variable = <R extends tf.Rank>(name: string, init: tf.Tensor) => {
    const v = tf.variable(init, true);
    init.dispose();
    variables.push(v);
    names.push(name);
    return v as tf.Variable<R>;
  };
  // Row blocks of the first layer's weight matrix W_0, one per block of its input [x, sin, cos, embed(t)].
  const blockRows = K > 0 ? [inputDim, inputDim * K, inputDim * K, F] : [inputDim, F];
  const fanIn0 = blockRows.reduce((a, b) => a + b, 0);
  // Glorot-uniform over each layer's whole fan-in; W_0's blocks are the rows of one [fanIn0, width] matrix drawn with
  // one seed, and layer l uses seed + 2l, so the weights are those of the single-matrix network of earlier versions.
  const glorot = (fanIn: number, fanOut: number, seed: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', seed);
  };
  const w0 = glorot(fanIn0, width, cfg.seed);
  const blockNames = K > 0 ? ['x', 'sin', 'cos', 't'] : ['x', 't'];
  const blocks = tf.split(w0, blockRows, 0).map((w, k) => variable<tf.Rank.R2>(`layer0/kernel_${blockNames[k]}`, w));
  w0.dispose();
  variable<tf.Rank.R1>('layer0/bias', tf.zeros([width])); // b_0
  const nHidden = depth - 1;
  for (let l = 0; l < nHidden; l++) {
    variable<tf.Rank.R2>(`layer${l + 1}/kernel`, glorot(width, width, cfg.seed + 2 * (l + 1))); // W_l
    variable<tf.Rank.R1>(`layer${l + 1}/bias`, tf.zeros([width])); // b_l
  }
  variable<tf.Rank.R2>('output/kernel', tf.zeros([width, outputDim])); // W_out
  variable<tf.Rank.R1>('output/bias', tf.zeros([outputDim])); // b_out
  const freqs = Array.from({ length: K }, (_, k) => Math.PI * 2 ** k);
  const weights: tf.Tensor[] = variables;

  // The whole network as one differentiable op with a hand-written backward pass (the chain rule of the forward pass
  // below, with swish'(z) = s (1 + z (1 - s)), s = sigmoid(z)). TF.js's tape records casts, identities and reshapes
  // around each op; this writes about 10 kernels per hidden layer. Measured on wasm (MLP 128 x 3, batch 256, generic
  // L^inf): 225 kernels for the loss and its gradients with the tape, 200 with this op.
  const forward = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [x, e, ...ws] = args as [tf.Tensor2D, tf.Tensor2D, ...tf.Tensor2D[]];
    const Wx = ws[0]!;
    const Wsin = ws[1]!;
    const Wcos = ws[2]!;
    const Wt = ws[blocks.length - 1]!;
    const b0t = ws[blocks.length] as unknown as tf.Tensor1D;
    const layerW = (l: number) => ws[blocks.length + 1 + 2 * l] as tf.Tensor2D;
    const layerB = (l: number) => ws[blocks.length + 2 + 2 * l] as unknown as tf.Tensor1D;
    // Input blocks and their weights: x, [sin(angles), cos(angles)], embed(t).
    const inputs: tf.Tensor2D[] = [x];
    const inputWeights: tf.Tensor2D[] = [Wx];
    if (K > 0) {
      // [batch, D, 1] x [K] -> angles [batch, D K], the order of W_0sin's and W_0cos's rows (d major, k minor).
      const angles = tf.reshape(tf.mul(tf.reshape(x, [-1, inputDim, 1]), tf.tensor1d(freqs)), [-1, inputDim * K]) as tf.Tensor2D;
      inputs.push(tf.sin(angles), tf.cos(angles));
      inputWeights.push(Wsin, Wcos);
    }
    inputs.push(e);
    inputWeights.push(Wt);
    let z = tf.fused.matMul({ a: x, b: Wx, bias: b0t }) as tf.Tensor2D;
    for (let k = 1; k < inputs.length; k++) z = tf.add(z, tf.matMul(inputs[k]!, inputWeights[k]!));
    const zs: tf.Tensor2D[] = [z];
    const ss: tf.Tensor2D[] = [tf.sigmoid(z)];
    const hs: tf.Tensor2D[] = [tf.mul(z, ss[0]!)];
    for (let l = 0; l < nHidden; l++) {
      const zl = tf.fused.matMul({ a: hs[l]!, b: layerW(l), bias: layerB(l) }) as tf.Tensor2D;
      const sl = tf.sigmoid(zl) as tf.Tensor2D;
      const al = tf.mul(zl, sl) as tf.Tensor2D;
      zs.push(zl);
      ss.push(sl);
      hs.push(cfg.residual ? tf.add(hs[l]!, al) : al);
    }
    const Wout = ws[ws.length - 2] as tf.Tensor2D;
    const bout = ws[ws.length - 1] as unknown as tf.Tensor1D;
    const y = tf.fused.matMul({ a: hs[nHidden]!, b: Wout, bias: bout });
    save([...inputs, ...zs, ...ss, ...hs]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const nIn = inputs.length;
        const sIn = saved.slice(0, nIn) as tf.Tensor2D[];
        const sZ = saved.slice(nIn, nIn + nHidden + 1) as tf.Tensor2D[];
        const sS = saved.slice(nIn + nHidden + 1, nIn + 2 * (nHidden + 1)) as tf.Tensor2D[];
        const sH = saved.slice(nIn + 2 * (nHidden + 1)) as tf.Tensor2D[];
        const g = dy as tf.Tensor2D;
        // Column sums as a product with a row of ones: on wasm 0.02 ms against 0.14 ms for tf.sum(m, 0) at [256, 128].
        const ones = tf.ones([1, g.shape[0]]) as tf.Tensor2D;
        const rowSum = (m: tf.Tensor2D) => tf.reshape(tf.matMul(ones, m), [m.shape[1]]);
        // dL/dW = h^T g with an explicit transpose (wasm's transposed matMul is slow, dense.ts).
        // A time embedding shared by every row ([1, F]) meets the column sums of gz.
        const weightGrad = (h: tf.Tensor2D, gz: tf.Tensor2D) => tf.matMul(tf.transpose(h), h.shape[0] === 1 && gz.shape[0] !== 1 ? tf.matMul(ones, gz) : gz);
        const swishGrad = (dh: tf.Tensor2D, l: number) => {
          const s = sS[l]!;
          return tf.mul(dh, tf.mul(s, tf.add(1, tf.mul(sZ[l]!, tf.sub(1, s))))) as tf.Tensor2D;
        };
        const outGrads = [weightGrad(sH[nHidden]!, g), rowSum(g)];
        let dh = tf.matMul(g, tf.transpose(Wout)) as tf.Tensor2D;
        const hiddenGrads: tf.Tensor[] = [];
        for (let l = nHidden - 1; l >= 0; l--) {
          const dz = swishGrad(dh, l + 1);
          hiddenGrads.unshift(weightGrad(sH[l]!, dz), rowSum(dz));
          const back = tf.matMul(dz, tf.transpose(layerW(l))) as tf.Tensor2D;
          dh = cfg.residual ? tf.add(dh, back) : back;
        }
        const dz0 = swishGrad(dh, 0);
        const blockGrads = sIn.map((input) => weightGrad(input, dz0));
        return [tf.zerosLike(x), tf.zerosLike(e), ...blockGrads, rowSum(dz0), ...hiddenGrads, ...outGrads];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);

  const net: Network = (input, t) => tf.tidy(() => forward(input, timeEmbedding(t, F), ...weights));

  const fileShapes = () => [[fanIn0, width], [width], ...Array.from({ length: nHidden }, () => [[width, width], [width]]).flat(), [width, outputDim], [outputDim]];
  // The file stores W_0 as one matrix (named layer0/kernel) and every other variable under its own name.
  const fileNames = ['layer0/kernel', ...names.slice(blocks.length)];
  const fileSpecs = (): TensorSpec[] => fileShapes().map((shape, k) => ({ name: fileNames[k]!, shape }));
  const rest = variables.slice(blocks.length);
  const setFileWeights = (weights: tf.Tensor[]) => {
    const shapes = fileShapes();
    if (weights.length !== shapes.length) throw new RangeError(`a ${depth}-layer MLP has ${shapes.length} weight tensors, got ${weights.length}`);
    weights.forEach((w, k) => {
      if (w.shape.join(',') !== shapes[k]!.join(',')) throw new RangeError(`weight ${k} has shape [${w.shape.join(', ')}]; the network needs [${shapes[k]!.join(', ')}]`);
    });
    tf.tidy(() => {
      tf.split(weights[0]!, blockRows, 0).forEach((w, k) => blocks[k]!.assign(w as tf.Tensor2D));
      weights.slice(1).forEach((w, k) => rest[k]!.assign(w));
    });
  };
  const fileWeights = () => [tf.concat(blocks, 0), ...rest.map((v) => tf.clone(v))];
  return {
    config: cfg,
    net,
    variables,
    names,
    fileWeights,
    fileShapes,
    setFileWeights,
    fileSpecs,
    fileTensors: (): NamedTensor[] => fileWeights().map((tensor, k) => ({ name: fileNames[k]!, tensor })),
    setFileTensors(byName) {
      const specs = fileSpecs();
      checkFileTensors(specs, byName);
      setFileWeights(specs.map((s) => byName[s.name]!));
    },
    parameterCount: variables.reduce((s, v) => s + v.size, 0),
    dispose: () => tf.dispose(variables),
  };
}
