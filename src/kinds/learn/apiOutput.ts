/**
 * Worker calls of the Learn widgets on sender, receiver and output distributions (paper §3) and on a BFN beside a
 * diffusion model.
 */
import type { DiffusionSchedule } from '../../bfn/diffusion';

export type { DiffusionSchedule };

/** The shipped 2D model the continuous widget and the BFN / diffusion widget use. */
export const LEARN_POINTS_MODEL = 'two-moons';

/** Options of the continuous sender / receiver / output widget. */
export interface CtsKlOptions {
  /** Index of the data point in the fixed draw of two moons, 0..points-1. */
  point: number;
  /** Which coordinate is the variable shown (0: first, 1: second). */
  coordinate: 0 | 1;
  /** Steps n of L^n. */
  n: number;
  /** Step i, 1..n: the network sees theta at t = (i - 1)/n; the sender has accuracy alpha_i. */
  i: number;
  /** Seed of the flow sample mu. */
  seed: number;
}

/** One step of L^n for one continuous variable. Densities are per unit of data. */
export interface CtsKlPayload {
  options: CtsKlOptions;
  sigma1: number;
  /** t = (i - 1)/n. */
  t: number;
  /** The data point (both coordinates). */
  point: [number, number];
  /** The chosen coordinate's data value x. */
  x: number;
  /** Input mean mu ~ p_F(mu | x; t) and its precision rho(t). */
  mu: number;
  rho: number;
  /** The output distribution's point x_hat(theta, t). */
  xHat: number;
  /** Accuracy alpha_i of the sender at step i. */
  alpha: number;
  /** KL(p_S || p_R) = alpha/2 (x - x_hat)^2, nats. */
  kl: number;
  /** Grid of y and the densities of the sender N(x, 1/alpha) and the receiver N(x_hat, 1/alpha) on it. */
  grid: Float32Array;
  sender: Float32Array;
  receiver: Float32Array;
}

/** Options of the K-class widget (the shipped words model, K = 27). */
export interface DiscreteKlOptions {
  /** A word of lower-case letters a-z, at most the model's length. */
  word: string;
  /** Letter position, 1..L (positions after the word are padding '_'). */
  position: number;
  n: number;
  i: number;
  /** Seed of the flow sample theta and of the sender samples. */
  seed: number;
  /** Sender samples of the Monte-Carlo KL. */
  samples: number;
}

/** One step of L^n for one discrete variable. */
export interface DiscreteKlPayload {
  options: DiscreteKlOptions;
  beta1: number;
  K: number;
  /** The model's word length L. */
  L: number;
  /** The class symbols, index k -> symbol ('_' is padding). */
  alphabet: string;
  /** The true class x at the position. */
  x: number;
  t: number;
  /** Accuracy alpha_i = beta1 (2i - 1)/n^2. */
  alpha: number;
  /** The input distribution theta at the position (what the network saw), [K]. */
  theta: Float32Array;
  /** The output distribution p_O(k | theta; t), [K]. */
  pO: Float32Array;
  /** Monte-Carlo KL(p_S || p_R) (paper's receiver) and its standard error, nats. */
  kl: number;
  klSE: number;
  /** Grid of y_x and the marginal densities of the true class's coordinate under sender and receiver. */
  grid: Float32Array;
  sender: Float32Array;
  receiver: Float32Array;
}

/** Options of the BFN / diffusion widget. */
export interface FlowVsDiffusionOptions {
  /** BFN time t in [0, 1] (0: prior, 1: data); the diffusion model is shown at the same signal level direction. */
  t: number;
  /** Points drawn from two moons. */
  points: number;
  seed: number;
  schedule: DiffusionSchedule;
}

/** What each model's network gets at t, for the same data points and the same standard normal draws. */
export interface FlowVsDiffusionPayload {
  options: FlowVsDiffusionOptions;
  sigma1: number;
  /** gamma(t) = 1 - sigma1^(2t) and the diffusion's abar. */
  gamma: number;
  alphaBar: number;
  /** Data x, BFN input mean mu, diffusion input z; each [points, 2] row-major. */
  x: Float32Array;
  mu: Float32Array;
  z: Float32Array;
  /** Sample variances of mu - gamma x and z - sqrt(abar) x over every coordinate. */
  muNoiseVar: number;
  zNoiseVar: number;
  /** Their closed forms: gamma (1 - gamma) (paper eq. 80) and 1 - abar. */
  muNoiseVarExact: number;
  zNoiseVarExact: number;
}

/** The calls of the output widgets (d, e). */
export interface LearnOutputApi {
  /** One continuous variable's sender, receiver and output distribution at step i of n (shipped two-moons model). */
  ctsKl(options: CtsKlOptions): Promise<CtsKlPayload>;
  /** One letter's input, output, sender and receiver distributions at step i of n (shipped words model). */
  discreteKl(options: DiscreteKlOptions): Promise<DiscreteKlPayload>;
  /** BFN input mean beside diffusion noisy data at t, on two moons. */
  flowVsDiffusion(options: FlowVsDiffusionOptions): Promise<FlowVsDiffusionPayload>;
}
