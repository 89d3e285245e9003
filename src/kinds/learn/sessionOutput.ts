/**
 * Worker methods of the Learn widgets on sender, receiver and output distributions and on a BFN beside diffusion.
 * The shipped two-moons and words models are loaded on first use; every number comes from src/bfn.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  ctsAlphaI, ctsBeta, ctsFlowSample, ctsGamma, ctsOutputXHat, discreteAlphaI, discreteFlowSample, discreteNetInputs,
  discreteOutputLogProbs, normalLogPdf, seededNoise,
} from '../../bfn';
import { ctsSenderReceiverKl, discreteClassMarginals, discreteSenderReceiverKl } from '../../bfn/senderReceiver';
import { diffusionAlphaBarAtBfnTime, diffusionSample } from '../../bfn/diffusion';
import { sampleDataset } from '../../data/toy2d';
import { encodeWords, WORD_ALPHABET } from '../../data/words/words';
import { buffersOf, ModelStore, type SessionEnv, type SessionWiring } from '../../engine/session';
import { SHIPPED_WORDS_ID } from '../../engine/protocol';
import { LEARN_OUTPUT_LIMITS } from '../../settings/settingsLearnOutput';
import { POINTS_FILES } from '../points2d/files';
import { WORDS_FILES } from '../words/files';
import {
  LEARN_POINTS_MODEL, type CtsKlOptions, type CtsKlPayload, type DiscreteKlOptions, type DiscreteKlPayload,
  type FlowVsDiffusionOptions, type FlowVsDiffusionPayload, type LearnOutputApi,
} from './apiOutput';

/** Points on a density grid. */
const GRID = 241;
/** The fixed draw of two moons the continuous widget picks its data point from. */
const POINTS_SEED = 'learn';

function checkInt(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${name} must be a whole number in ${lo}..${hi}, got ${v}`);
}

/** Checks n, i and the seed shared by both KL widgets. @throws RangeError naming the bad field. */
function checkStep(o: { n: number; i: number; seed: number }): void {
  checkInt('n', o.n, LEARN_OUTPUT_LIMITS.n[0], LEARN_OUTPUT_LIMITS.n[1]);
  checkInt('step i', o.i, 1, o.n);
  if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be a whole number, got ${o.seed}`);
}

/** G evenly spaced points covering both means +- 5 standard deviations. */
function gridAround(a: number, b: number, sd: number): number[] {
  const lo = Math.min(a, b) - 5 * sd;
  const hi = Math.max(a, b) + 5 * sd;
  return Array.from({ length: GRID }, (_, k) => lo + ((hi - lo) * k) / (GRID - 1));
}

/** The output widgets' methods. */
export function outputMethods(env: SessionEnv, wiring: SessionWiring): LearnOutputApi {
  const { afterInit, transfer } = wiring;
  const points = new ModelStore(POINTS_FILES, env.shipped, env.known);
  const words = new ModelStore(WORDS_FILES, env.shipped, env.known);
  const pointsModel = () => points.loadShipped(LEARN_POINTS_MODEL);

  async function ctsKl(o: CtsKlOptions): Promise<CtsKlPayload> {
    checkInt('data point', o.point, 0, LEARN_OUTPUT_LIMITS.points - 1);
    if (o.coordinate !== 0 && o.coordinate !== 1) throw new RangeError(`coordinate must be 0 or 1, got ${String(o.coordinate)}`);
    checkStep(o);
    const m = await pointsModel();
    const { sigma1 } = m.spec;
    const data = sampleDataset(LEARN_POINTS_MODEL, LEARN_OUTPUT_LIMITS.points, POINTS_SEED);
    const point: [number, number] = [data[2 * o.point]!, data[2 * o.point + 1]!];
    const t = (o.i - 1) / o.n;
    const alpha = ctsAlphaI(o.i, o.n, sigma1);
    const [mu, xHat, kl] = tf.tidy(() => {
      const x = tf.tensor2d([point]);
      const tt = tf.fill([1, 1], t);
      const muT = ctsFlowSample(x, tt, sigma1, seededNoise(o.seed));
      const xHatT = ctsOutputXHat(muT, m.net.net(muT, tt), tt, sigma1, m.spec.prediction);
      const klT = ctsSenderReceiverKl(x, xHatT, alpha);
      return [muT.dataSync()[o.coordinate]!, xHatT.dataSync()[o.coordinate]!, klT.dataSync()[o.coordinate]!];
    });
    const x = point[o.coordinate];
    const grid = gridAround(x, xHat, 1 / Math.sqrt(alpha));
    const [sender, receiver] = tf.tidy(() => {
      const g = tf.tensor1d(grid);
      const sd = 1 / Math.sqrt(alpha);
      return [tf.exp(normalLogPdf(g, x, sd)).dataSync() as Float32Array, tf.exp(normalLogPdf(g, xHat, sd)).dataSync() as Float32Array];
    });
    const p: CtsKlPayload = { options: o, sigma1, t, point, x, mu, rho: 1 + ctsBeta(t, sigma1), xHat, alpha, kl, grid: Float32Array.from(grid), sender, receiver };
    return transfer(p, buffersOf(p.grid, p.sender, p.receiver));
  }

  async function discreteKl(o: DiscreteKlOptions): Promise<DiscreteKlPayload> {
    checkStep(o);
    checkInt('sender samples', o.samples, LEARN_OUTPUT_LIMITS.samples[0], LEARN_OUTPUT_LIMITS.samples[1]);
    const m = await words.loadShipped(SHIPPED_WORDS_ID);
    const { beta1 } = m.spec;
    const L = m.net.config.length;
    const K = WORD_ALPHABET.length;
    checkInt('position', o.position, 1, L);
    const encoded = encodeWords([o.word], L);
    const x = encoded[o.position - 1]!;
    const t = (o.i - 1) / o.n;
    const alpha = discreteAlphaI(o.i, o.n, beta1);
    const noise = seededNoise(o.seed);
    const out = tf.tidy(() => {
      const xs = tf.tensor2d(encoded, [1, L], 'int32');
      const tt = tf.fill([1, 1], t);
      const theta = discreteFlowSample(xs, tt, K, beta1, noise);
      const logProbs = discreteOutputLogProbs(m.net.net(discreteNetInputs(theta), tt), K);
      const at = (v: tf.Tensor) => tf.reshape(tf.slice(v, [0, o.position - 1, 0], [1, 1, K]), [1, K]);
      const lp = at(logProbs);
      const { kl, se } = discreteSenderReceiverKl(tf.tensor1d([x], 'int32'), lp, alpha, noise.normal([o.samples, 1, K]));
      return { theta: at(theta).dataSync() as Float32Array, pO: tf.exp(lp).dataSync() as Float32Array, kl: kl.dataSync()[0]!, se: se.dataSync()[0]! };
    });
    const sd = Math.sqrt(alpha * K);
    const grid = gridAround(-alpha, alpha * (K - 1), sd);
    const [sender, receiver] = tf.tidy(() => {
      const d = discreteClassMarginals(tf.tensor1d(grid), Math.min(1, Math.max(0, out.pO[x]!)), alpha, K);
      return [d.sender.dataSync() as Float32Array, d.receiver.dataSync() as Float32Array];
    });
    const p: DiscreteKlPayload = {
      options: o, beta1, K, L, alphabet: WORD_ALPHABET, x, t, alpha, theta: out.theta, pO: out.pO, kl: out.kl, klSE: out.se,
      grid: Float32Array.from(grid), sender, receiver,
    };
    return transfer(p, buffersOf(p.theta, p.pO, p.grid, p.sender, p.receiver));
  }

  async function flowVsDiffusion(o: FlowVsDiffusionOptions): Promise<FlowVsDiffusionPayload> {
    if (!(o.t >= 0 && o.t <= 1)) throw new RangeError(`t must lie in [0, 1], got ${o.t}`);
    checkInt('points', o.points, LEARN_OUTPUT_LIMITS.scatter[0], LEARN_OUTPUT_LIMITS.scatter[1]);
    if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be a whole number, got ${o.seed}`);
    if (o.schedule !== 'cosine' && o.schedule !== 'matched') throw new RangeError(`unknown diffusion schedule '${String(o.schedule)}'`);
    const { sigma1 } = (await pointsModel()).spec;
    const gamma = ctsGamma(o.t, sigma1);
    const alphaBar = diffusionAlphaBarAtBfnTime(o.t, o.schedule, sigma1);
    const data = sampleDataset(LEARN_POINTS_MODEL, o.points, `learn-diffusion:${o.seed}`);
    // The same seed for both: the BFN and the diffusion model add the same standard normal draws eps.
    const out = tf.tidy(() => {
      const x = tf.tensor2d(data, [o.points, 2]);
      const mu = ctsFlowSample(x, tf.scalar(o.t), sigma1, seededNoise(o.seed));
      const z = diffusionSample(x, alphaBar, seededNoise(o.seed));
      const varOf = (v: tf.Tensor, scale: number) => tf.moments(tf.sub(v, tf.mul(x, scale))).variance.dataSync()[0]!;
      return { mu: mu.dataSync() as Float32Array, z: z.dataSync() as Float32Array, muNoiseVar: varOf(mu, gamma), zNoiseVar: varOf(z, Math.sqrt(alphaBar)) };
    });
    const p: FlowVsDiffusionPayload = { options: o, sigma1, gamma, alphaBar, x: data, ...out, muNoiseVarExact: gamma * (1 - gamma), zNoiseVarExact: 1 - alphaBar };
    return transfer(p, buffersOf(p.x, p.mu, p.z));
  }

  return {
    ctsKl: (o) => afterInit(() => ctsKl(o)),
    discreteKl: (o) => afterInit(() => discreteKl(o)),
    flowVsDiffusion: (o) => afterInit(() => flowVsDiffusion(o)),
  };
}
