/**
 * The three data kinds behind one interface, so that the sampler, the losses and the trainer are written once
 * (paper §3, the shared structure of Algorithms 1-9; official `BayesianFlow`, `model.py`). Each {@link KindOps} supplies the prior, the network's view of theta, the output
 * distribution, its sample and mode, the sender sample and the Bayesian update of its data kind.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NoiseSource } from './noise';
import { ctsAlphaI, discreteAlphaI } from './schedules';
import { ctsBayesianUpdate, ctsOutputXHat, ctsSenderSample } from './continuous';
import { discretizedMean, discretizedMode, discretizedOutputParams, discretizedProbs, discretizedSample } from './discretized';
import {
  discreteBayesianUpdate, discreteMode, discreteNetInputs, discreteOutputProbs, discreteOutputSample, discretePrior,
  discreteSenderSample,
} from './discrete';

/** A BFN's data kind and its flow hyperparameters (paper §4-§6; official `configs/*.yaml`). */
export type BfnSpec =
  | { kind: 'continuous'; sigma1: number; prediction?: 'eps' | 'x' }
  | { kind: 'discretized'; sigma1: number; K: number }
  | { kind: 'discrete'; K: number; beta1: number };

/**
 * Checks a spec's hyperparameters. @throws RangeError naming the bad field: sigma1 outside (0, 1), K not an
 * integer >= 2, beta1 not positive and finite.
 */
export function validateSpec(spec: BfnSpec): BfnSpec {
  if (spec.kind === 'continuous' || spec.kind === 'discretized') {
    if (!(spec.sigma1 > 0 && spec.sigma1 < 1)) throw new RangeError(`sigma1 must lie in (0, 1), got ${spec.sigma1}`);
  }
  if (spec.kind === 'discretized' || spec.kind === 'discrete') {
    if (!Number.isInteger(spec.K) || spec.K < 2) throw new RangeError(`K must be an integer >= 2, got ${spec.K}`);
  }
  if (spec.kind === 'discrete' && !(spec.beta1 > 0 && Number.isFinite(spec.beta1))) {
    throw new RangeError(`beta1 must be positive and finite, got ${spec.beta1}`);
  }
  return spec;
}

/**
 * The parameters theta of the input distribution (Graves et al. 2023, section 2.1; official `bfn/model.py`,
 * `get_prior_input_params` and `update_input_params`). Continuous and discretized data: the means `mu` [...D] and
 * the scalar precision `rho` (a float64, as in the official sampler). Discrete data: the class probabilities
 * `theta` [...D, K].
 */
export type InputParams = { mu: tf.Tensor; rho: number } | { theta: tf.Tensor };

/** Named tensors of the output distribution's parameters (x_hat; mu_x and sigma_x; or probs). */
export type OutputParams = Record<string, tf.Tensor>;

/** The per-kind operations of the generic sampler (paper Algorithms 3, 6, 9; official `BFN.sample`). */
export interface KindOps {
  readonly spec: BfnSpec;
  /** The prior theta_0 for data of shape [...D]. */
  prior(dataShape: number[]): InputParams;
  /** The network input computed from theta (official `params_to_net_inputs`). */
  netInput(theta: InputParams): tf.Tensor;
  /** The output distribution's parameters from the network output at time t ([batch, 1, ...]). */
  output(theta: InputParams, netOut: tf.Tensor, t: tf.Tensor): OutputParams;
  /**
   * Parameters derived from {@link output}'s that sampling itself does not need, computed only when a trajectory is
   * recorded (discretized data: the K bin probabilities, which cost about 4x the network's forward pass per step, and the
   * output mean sum_k p_O(k) k_c).
   */
  details?(out: OutputParams): OutputParams;
  /** A sample x' ~ p_O (continuous data: x_hat itself; no randomness). Draws output noise first (`BFN.sample`). */
  sampleOutput(out: OutputParams, noise: NoiseSource): tf.Tensor;
  /** The mode of p_O, the sampler's final answer. */
  mode(out: OutputParams): tf.Tensor;
  /** alpha_i(n), float64. */
  alphaI(i: number, n: number): number;
  /** A sender sample y ~ p_S(. | x'; alpha). */
  sender(xPrime: tf.Tensor, alpha: number, noise: NoiseSource): tf.Tensor;
  /** The Bayesian update theta_i = h(theta_{i-1}, y, alpha). Does not dispose its inputs. */
  update(theta: InputParams, y: tf.Tensor, alpha: number): InputParams;
}

function gaussianParams(theta: InputParams): { mu: tf.Tensor; rho: number } {
  if (!('mu' in theta)) throw new Error('expected the parameters {mu, rho} of a Gaussian input distribution');
  return theta;
}

function categoricalParams(theta: InputParams): { theta: tf.Tensor } {
  if (!('theta' in theta)) throw new Error('expected the parameters {theta} of a categorical input distribution');
  return theta;
}

/** The {@link KindOps} of a spec. @throws RangeError for an invalid spec ({@link validateSpec}). */
export function kindOps(spec: BfnSpec): KindOps {
  validateSpec(spec);
  switch (spec.kind) {
    case 'continuous': {
      const { sigma1 } = spec;
      return {
        spec,
        prior: (shape) => ({ mu: tf.zeros(shape), rho: 1 }),
        netInput: (s) => tf.clone(gaussianParams(s).mu),
        output: (s, netOut, t) => ({
          x_hat: ctsOutputXHat(gaussianParams(s).mu, netOut, t, sigma1, spec.prediction),
        }),
        sampleOutput: (out) => tf.clone(out.x_hat!),
        mode: (out) => tf.clone(out.x_hat!),
        alphaI: (i, n) => ctsAlphaI(i, n, sigma1),
        sender: (x, alpha, noise) => ctsSenderSample(x, alpha, noise),
        update: (s, y, alpha) => ctsBayesianUpdate(gaussianParams(s).mu, gaussianParams(s).rho, y, alpha),
      };
    }
    case 'discretized': {
      const { sigma1, K } = spec;
      return {
        spec,
        prior: (shape) => ({ mu: tf.zeros(shape), rho: 1 }),
        netInput: (s) => tf.clone(gaussianParams(s).mu),
        output: (s, netOut, t) => {
          const { muX, sigmaX } = discretizedOutputParams(gaussianParams(s).mu, netOut, t, sigma1);
          return { mu_x: muX, sigma_x: sigmaX };
        },
        details: (out) => {
          const probs = discretizedProbs(out.mu_x!, out.sigma_x!, K);
          return { probs, mean: discretizedMean(probs, K) };
        },
        sampleOutput: (out, noise) => discretizedSample({ muX: out.mu_x!, sigmaX: out.sigma_x! }, K, noise),
        mode: (out) => discretizedMode(out.probs ?? discretizedProbs(out.mu_x!, out.sigma_x!, K), K),
        alphaI: (i, n) => ctsAlphaI(i, n, sigma1),
        sender: (x, alpha, noise) => ctsSenderSample(x, alpha, noise),
        update: (s, y, alpha) => ctsBayesianUpdate(gaussianParams(s).mu, gaussianParams(s).rho, y, alpha),
      };
    }
    case 'discrete': {
      const { K, beta1 } = spec;
      return {
        spec,
        prior: (shape) => ({ theta: discretePrior(shape, K) }),
        netInput: (s) => discreteNetInputs(categoricalParams(s).theta),
        output: (_s, netOut) => ({ probs: discreteOutputProbs(netOut, K) }),
        sampleOutput: (out, noise) => discreteOutputSample(out.probs!, noise),
        mode: (out) => discreteMode(out.probs!),
        alphaI: (i, n) => discreteAlphaI(i, n, beta1),
        sender: (k, alpha, noise) => discreteSenderSample(k, alpha, K, noise),
        update: (s, y) => ({ theta: discreteBayesianUpdate(categoricalParams(s).theta, y) }),
      };
    }
  }
}

/** Disposes the tensors of the input distribution's parameters (mu, or theta); rho is a number and needs nothing. */
export function disposeInputParams(theta: InputParams): void {
  if ('mu' in theta) theta.mu.dispose();
  else theta.theta.dispose();
}
