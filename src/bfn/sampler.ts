/**
 * The generic n-step BFN sampler (paper §3, official `BFN.sample` at commit b62568e; paper Algorithms
 * 3, 6 and 9), for any data kind and any network, optionally recording the whole trajectory as typed arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NoiseSource } from './noise';
import { disposeInputParams, kindOps, validateSpec, type BfnSpec, type InputParams, type OutputParams } from './kinds';
import { discreteAlphaI } from './schedules';
import { binaryBayesianUpdate, binaryNetInputFromLogOdds, binarySenderDifference, twoClassProbs } from './discrete';

/**
 * A network Psi(input, t). `input` is the kind's network input ([batch, D] for Gaussian data, [batch, D, 1] or [batch, D, K]
 * for discrete data); `t` has shape [batch, 1] (rank-2 data) or [batch, 1, 1] (rank-3 data), one time per batch row, as the losses pass it; or [1, 1] /
 * [1, 1, 1], one time shared by every row, as {@link sample} passes it. A network broadcasts t over the rows.
 * It returns the output distribution's raw parameters: eps_hat [batch, D]; (mu_eps, ln sigma_eps) [batch, D, 2]; or
 * logits [batch, D, 1] (K = 2) / [batch, D, K].
 */
export type Network = (input: tf.Tensor, t: tf.Tensor) => tf.Tensor;

/** One recorded sampling step i (1-based): the state theta_{i-1} the network saw, and what followed. */
export interface TrajectoryStep {
  /** t_{i-1} = (i - 1)/n. */
  t: number;
  /** alpha_i(n), float64. */
  alpha: number;
  /** theta_{i-1}: `mu` (with `rho` below) or `theta` [.., K], row-major. */
  theta: Record<string, Float32Array>;
  /** rho_{i-1} for Gaussian kinds (float64), undefined for discrete data. */
  rho?: number;
  /** The output distribution's parameters at (theta_{i-1}, t_{i-1}): x_hat | mu_x, sigma_x, probs | probs. */
  output: Record<string, Float32Array>;
  /** The sample x' of the output distribution (continuous: x_hat; discretized: a bin centre; discrete: a class). */
  sample: Float32Array;
  /** The sender sample y: [...D] or [...D, K]. */
  y: Float32Array;
}

/** A recorded trajectory: n steps and the final network call at t = 1. */
export interface Trajectory {
  spec: BfnSpec;
  n: number;
  dataShape: number[];
  steps: TrajectoryStep[];
  final: { t: 1; theta: Record<string, Float32Array>; rho?: number; output: Record<string, Float32Array> };
}

/** What {@link sample} returns: the final mode, and the trajectory when requested. */
export interface SampleResult {
  /** The mode of p_O(. | theta_n; 1), data shape [...D]: values in [-1, 1] or class indices. */
  samples: Float32Array;
  trajectory?: Trajectory;
}

/** Options of {@link sample}. */
export interface SampleOptions {
  /** Number of steps n >= 1. */
  n: number;
  /** Source of every random draw (output samples first, then sender noise, each step). */
  noise: NoiseSource;
  /** Record theta, the output parameters, x' and y at every step (costs one read-back per step). */
  record?: boolean;
  /**
   * Called after each step with (i, n) and, with `record`, step i's record (the frame of theta_{i-1}), so that a
   * caller can show the trajectory while the rest is sampled; awaiting it lets a caller yield or cancel (throw to abort).
   */
  onStep?: (i: number, n: number, step?: TrajectoryStep) => void | Promise<void>;
}

async function read(tensors: OutputParams | Record<string, tf.Tensor>): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [name, x] of Object.entries(tensors)) out[name] = Float32Array.from(await x.data());
  return out;
}

function inputParamTensors(theta: InputParams): Record<string, tf.Tensor> {
  return 'mu' in theta ? { mu: theta.mu } : { theta: theta.theta };
}

/**
 * Runs the BFN sampler: theta <- prior; for i = 1..n: t = (i-1)/n, out = Psi(theta, t), x' ~ p_O, y ~ p_S(x'; alpha_i),
 * theta <- h(theta, y, alpha_i); finally the mode of p_O(theta_n, 1). The network is called n + 1 times. Tensor
 * memory is unchanged when it returns (all intermediates are disposed). Discrete data with K = 2 runs on
 * [batch, ...D] tensors (the log-odds of theta, one logit per variable), with the same draws and, to float32
 * rounding, the same results and trajectory as {@link sampleGeneric}.
 * @param spec data kind and hyperparameters. @param net the network. @param dataShape [batch, ...D] of the samples.
 * @throws RangeError for n < 1 or an invalid spec; rethrows errors from `net` or `onStep` after disposing state.
 */
export async function sample(spec: BfnSpec, net: Network, dataShape: number[], options: SampleOptions): Promise<SampleResult> {
  if (spec.kind === 'discrete' && spec.K === 2) {
    checkSteps(options.n);
    validateSpec(spec);
    return sampleBinary(spec, net, dataShape, options);
  }
  return sampleGeneric(spec, net, dataShape, options);
}

function checkSteps(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`the number of steps n must be a positive integer, got ${n}`);
}

/**
 * {@link sample} through the data kind's {@link KindOps}, on their tensor shapes for every kind (discrete data:
 * theta [batch, ...D, K], also for K = 2, where {@link sample} takes the [batch, ...D] path instead). Same contract,
 * draws and results as {@link sample}.
 * @throws RangeError for n < 1 or an invalid spec; rethrows errors from `net` or `onStep` after disposing state.
 */
export async function sampleGeneric(spec: BfnSpec, net: Network, dataShape: number[], options: SampleOptions): Promise<SampleResult> {
  const { n, noise, record = false, onStep } = options;
  checkSteps(n);
  const ops = kindOps(spec);
  // One time shared by every row, shape [1, 1, ...]: the network embeds it once per step, not once per point.
  const tShape = Array(dataShape.length).fill(1);
  const timeTensor = (t: number) => tf.fill(tShape, t);
  let theta = ops.prior(dataShape);
  const steps: TrajectoryStep[] = [];
  // With a recorded trajectory, the output parameters that only the record needs are added (KindOps.details).
  const withDetails = (out: OutputParams): OutputParams => (record && ops.details ? { ...out, ...tf.tidy(() => ops.details!(out)) } : out);
  try {
    for (let i = 1; i <= n; i++) {
      const tValue = (i - 1) / n;
      const alpha = ops.alphaI(i, n);
      const { out, xPrime, y } = tf.tidy(() => {
        const t = timeTensor(tValue);
        const out = withDetails(ops.output(theta, net(ops.netInput(theta), t), t));
        const xPrime = ops.sampleOutput(out, noise);
        const y = ops.sender(xPrime, alpha, noise);
        return { out, xPrime, y };
      });
      try {
        if (record) {
          steps.push({
            t: tValue, alpha, theta: await read(inputParamTensors(theta)), rho: 'rho' in theta ? theta.rho : undefined,
            output: await read(out), sample: Float32Array.from(await xPrime.data()), y: Float32Array.from(await y.data()),
          });
        }
        const next = ops.update(theta, y, alpha);
        disposeInputParams(theta);
        theta = next;
      } finally {
        tf.dispose([...Object.values(out), xPrime, y]);
      }
      if (onStep) await onStep(i, n, record ? steps[i - 1] : undefined);
    }
    const out = tf.tidy(() => {
      const t = timeTensor(1);
      return withDetails(ops.output(theta, net(ops.netInput(theta), t), t));
    });
    try {
      const modeTensor = tf.tidy(() => tf.cast(ops.mode(out), 'float32'));
      const samples = Float32Array.from(await modeTensor.data());
      modeTensor.dispose();
      if (!record) return { samples };
      return {
        samples,
        trajectory: {
          spec, n, dataShape: [...dataShape], steps,
          final: { t: 1, theta: await read(inputParamTensors(theta)), rho: 'rho' in theta ? theta.rho : undefined, output: await read(out) },
        },
      };
    } finally {
      tf.dispose(Object.values(out));
    }
  } finally {
    disposeInputParams(theta);
  }
}

/** A discrete spec ({@link sampleBinary} takes it with K = 2). */
type BinarySpec = Extract<BfnSpec, { kind: 'discrete' }>;

/** A recorded step's theta and p_O for K = 2, from the log-odds and the logit, as the generic path's [..., 2] arrays. */
async function binaryRecord(logOdds: tf.Tensor, logit: tf.Tensor): Promise<{ theta: Record<string, Float32Array>; output: Record<string, Float32Array> }> {
  return { theta: { theta: twoClassProbs(await logOdds.data()) }, output: { probs: twoClassProbs(await logit.data()) } };
}

/**
 * {@link sample} for discrete data with K = 2 (paper §6, Algorithm 9; official `BFN.sample` with
 * `DiscreteBayesianFlow`) on [batch, ...D] tensors: the state is the log-odds lambda = ln(theta_1 / theta_0) (prior 0),
 * the network sees 2 theta_0 - 1 = tanh(-lambda / 2) and returns the logit l of class 1, k = 1 where u < sigmoid(l),
 * and the update adds y_1 - y_0 ({@link binarySenderDifference}, {@link binaryBayesianUpdate}). The draws are those
 * of {@link sampleGeneric} (per step one uniform [batch, ...D], then the normals [batch, ...D, 2]), and so are the
 * results, to float32 rounding; a recorded trajectory has the generic path's [..., 2] arrays. The final sample is class
 * 1 where sigmoid(l) > 0.5 (class 0 at exactly 0.5, as `discreteMode`).
 */
async function sampleBinary(spec: BinarySpec, net: Network, dataShape: number[], options: SampleOptions): Promise<SampleResult> {
  const { n, noise, record = false, onStep } = options;
  const { beta1 } = spec;
  const tShape = Array(dataShape.length).fill(1);
  const logitAt = (logOdds: tf.Tensor, t: number) =>
    tf.reshape(net(tf.reshape(binaryNetInputFromLogOdds(logOdds), [...dataShape, 1]), tf.fill(tShape, t)), dataShape);
  let logOdds = tf.zeros(dataShape);
  const steps: TrajectoryStep[] = [];
  try {
    for (let i = 1; i <= n; i++) {
      const tValue = (i - 1) / n;
      const alpha = discreteAlphaI(i, n, beta1);
      const { next, ...kept } = tf.tidy(() => {
        const logit = logitAt(logOdds, tValue);
        const k = tf.less(noise.uniform(dataShape), tf.sigmoid(logit));
        const z = noise.normal([...dataShape, 2]);
        const next = binaryBayesianUpdate(logOdds, binarySenderDifference(k, z, alpha));
        return record ? { next, logit, k, z } : { next };
      });
      try {
        if (kept.logit && kept.k && kept.z) {
          const k = await kept.k.data();
          const s = Math.sqrt(2 * alpha);
          const z = await kept.z.data();
          const y = new Float32Array(z.length);
          // y_c = alpha (2 e_c - 1) + sqrt(2 alpha) z_c for class c = j mod 2 of variable j / 2.
          for (let j = 0; j < z.length; j++) y[j] = alpha * ((j & 1) === k[j >> 1] ? 1 : -1) + s * z[j]!;
          steps.push({ t: tValue, alpha, ...(await binaryRecord(logOdds, kept.logit)), sample: Float32Array.from(k), y });
        }
      } finally {
        tf.dispose([logOdds, ...Object.values(kept)]);
        logOdds = next;
      }
      if (onStep) await onStep(i, n, record ? steps[i - 1] : undefined);
    }
    const logit = tf.tidy(() => logitAt(logOdds, 1));
    try {
      const modeTensor = tf.tidy(() => tf.cast(tf.greater(tf.sigmoid(logit), 0.5), 'float32'));
      const samples = Float32Array.from(await modeTensor.data());
      modeTensor.dispose();
      if (!record) return { samples };
      return { samples, trajectory: { spec, n, dataShape: [...dataShape], steps, final: { t: 1, ...(await binaryRecord(logOdds, logit)) } } };
    } finally {
      logit.dispose();
    }
  } finally {
    logOdds.dispose();
  }
}
