/**
 * The generic n-step BFN sampler (paper §3, official `BFN.sample` at commit b62568e; paper Algorithms
 * 3, 6 and 9), for any data kind and any network, optionally recording the whole trajectory as typed arrays.
 */
import * as tf from '@tensorflow/tfjs';
import type { NoiseSource } from './noise';
import { disposeInputParams, kindOps, type BfnSpec, type InputParams, type OutputParams } from './kinds';

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
 * memory is unchanged when it returns (all intermediates are disposed).
 * @param spec data kind and hyperparameters. @param net the network. @param dataShape [batch, ...D] of the samples.
 * @throws RangeError for n < 1 or an invalid spec; rethrows errors from `net` or `onStep` after disposing state.
 */
export async function sample(spec: BfnSpec, net: Network, dataShape: number[], options: SampleOptions): Promise<SampleResult> {
  const { n, noise, record = false, onStep } = options;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`the number of steps n must be a positive integer, got ${n}`);
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
