/**
 * How good a simplex model is, as its card reports it: the negative log-likelihood bound L^inf + L^r (Graves et al.
 * 2023, §3 and §6; official `test.py`: one t ~ U(0, 1) per sample for L^inf, the reconstruction loss L^r at t = 1),
 * summed over the 3 variables and divided by 3 ln 2: bits per variable, with its standard error over fresh data
 * samples, beside the data's entropy (the lowest reachable value); and what a person sees in samples: the share that
 * obey the rule x_3 = (x_1 + x_2) mod 3 and the total variation between their 27-cell joint histogram and the data's,
 * beside the same for as many fresh data samples. Every draw is seeded.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bfnLossPerVariable, bfnReconstructionPerVariable, sample, seededNoise, type BfnSpec, type Network } from '../../bfn';
import { meanAndSE } from '../../train/knnMetrics';
import { jointHistogram, ruleShare, sampleToyData, SIMPLEX_D, TOY_MARGINALS, toyEntropyBitsPerVariable, toyJoint, totalVariation } from '../../data/simplexToy';

/** Settings of an evaluation; the defaults are what the card reports. */
export interface EvalSimplexOptions {
  dataSamples: number;
  samples: number;
  steps: number;
  seed: number;
  batch: number;
}

export const DEFAULT_EVAL_SIMPLEX: EvalSimplexOptions = { dataSamples: 20_000, samples: 4000, steps: 100, seed: 2023, batch: 5000 };

/** A mean and its standard error. */
export interface Estimate {
  value: number;
  se: number;
}

/** What {@link evaluateSimplex} measures (the card's `evaluation` without the command, wall time and backend). */
export interface EvalSimplexResult {
  unit: 'bits per variable';
  dataSamples: number;
  seed: number;
  reconstruction: Estimate;
  continuous: Estimate;
  dataEntropy: number;
  samples: number;
  steps: number;
  ruleShare: Estimate;
  totalVariation: number;
  dataTotalVariation: number;
  independentRuleShare: number;
}

/** P(rule) when each variable is drawn from its own marginal, independently: the score of a model that learned no dependency. */
export function independentRuleShare(): number {
  const p3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) p3[(a + b) % 3]! += TOY_MARGINALS[0][a]! * TOY_MARGINALS[1][b]!;
  let share = 0;
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) share += TOY_MARGINALS[0][a]! * TOY_MARGINALS[1][b]! * p3[(a + b) % 3]!;
  return share;
}

/**
 * Evaluates a simplex network. @param net Psi(theta [batch, 3, 3], t) -> logits [batch, 3, 3].
 * @throws RangeError for counts that are not positive integers.
 */
export async function evaluateSimplex(spec: BfnSpec, net: Network, options: Partial<EvalSimplexOptions> = {}): Promise<EvalSimplexResult> {
  const o = { ...DEFAULT_EVAL_SIMPLEX, ...options };
  for (const key of ['dataSamples', 'samples', 'steps', 'batch'] as const) {
    if (!(Number.isInteger(o[key]) && o[key] >= 1)) throw new RangeError(`${key} must be a positive integer, got ${o[key]}`);
  }
  const N = o.dataSamples;
  const recon = new Float64Array(N);
  const total = new Float64Array(N);
  const toBits = 1 / (SIMPLEX_D * Math.LN2);
  for (let start = 0, b = 0; start < N; start += o.batch, b++) {
    const rows = Math.min(o.batch, N - start);
    const x = tf.tensor2d(sampleToyData(rows, `eval:${o.seed}:${b}`), [rows, SIMPLEX_D], 'int32');
    const [r, inf] = tf.tidy(() => [
      tf.sum(bfnReconstructionPerVariable(spec, net, x, seededNoise(o.seed * 101 + 2 * b)), 1),
      tf.sum(bfnLossPerVariable(spec, net, x, seededNoise(o.seed * 101 + 2 * b + 1), { type: 'inf' }), 1),
    ]);
    x.dispose();
    const rv = await r!.data();
    const iv = await inf!.data();
    tf.dispose([r!, inf!]);
    for (let k = 0; k < rows; k++) {
      recon[start + k] = rv[k]! * toBits;
      total[start + k] = (rv[k]! + iv[k]!) * toBits;
    }
  }
  const est = (v: Float64Array): Estimate => {
    const { mean, se } = meanAndSE(v);
    return { value: mean, se };
  };
  const { samples } = await sample(spec, net, [o.samples, SIMPLEX_D], { n: o.steps, noise: seededNoise(o.seed + 17) });
  const share = ruleShare(samples);
  const joint = toyJoint();
  return {
    unit: 'bits per variable', dataSamples: N, seed: o.seed,
    reconstruction: est(recon), continuous: est(total), dataEntropy: toyEntropyBitsPerVariable(),
    samples: o.samples, steps: o.steps,
    ruleShare: { value: share, se: Math.sqrt((share * (1 - share)) / o.samples) },
    totalVariation: totalVariation(jointHistogram(samples), joint),
    dataTotalVariation: totalVariation(jointHistogram(sampleToyData(o.samples, `eval-reference:${o.seed}`)), joint),
    independentRuleShare: independentRuleShare(),
  };
}
