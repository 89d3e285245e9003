/**
 * Evaluation of a 2D model, shared by `npm run eval`, the training script and the tests: sample N points with
 * n steps, and compare with held-out data by the energy distance, beside the data-vs-data baseline of the same
 * metric (two independent draws of the dataset of the same size).
 */
import { sample, seededNoise, type BfnSpec } from '../bfn';
import type { Mlp } from '../nets/mlp';
import { sampleDataset } from '../data/toy2d';
import { energyDistance, METRIC_DESCRIPTION } from './metrics';

/** Settings of an evaluation; the defaults are what the model cards report. */
export interface Eval2DOptions {
  samples: number;
  steps: number;
  seed: number;
  /** Independent repeats (fresh samples, held-out and baseline draws) averaged into the reported values. */
  repeats: number;
}

export const DEFAULT_EVAL_2D: Eval2DOptions = { samples: 1000, steps: 100, seed: 12345, repeats: 32 };

/** The evaluation result written into a model card. */
export interface Eval2DResult {
  metric: string;
  value: number;
  /** Standard error of `value` over the repeats. */
  valueSE: number;
  baseline: number;
  baselineSE: number;
  ratio: number;
  repeats: number;
  samples: number;
  steps: number;
  heldOutPoints: number;
  seed: number;
}

/**
 * Samples the model and measures its energy distance to held-out data (drawn with seeds disjoint from training's,
 * which uses 'train:<seed>' streams) and the data-vs-data baseline, each averaged over `repeats` independent draws.
 * @returns value, baseline and value / baseline (the card's acceptance is ratio <= 1.5).
 */
export async function evaluate2D(spec: BfnSpec, mlp: Mlp, datasetId: string, options: Eval2DOptions = DEFAULT_EVAL_2D): Promise<Eval2DResult> {
  const { samples: N, steps, seed, repeats } = options;
  const values: number[] = [];
  const baselines: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const heldOut = sampleDataset(datasetId, N, `heldout:${seed}:${r}`);
    const other = sampleDataset(datasetId, N, `baseline:${seed}:${r}`);
    const { samples } = await sample(spec, mlp.net, [N, 2], { n: steps, noise: seededNoise(seed + r) });
    values.push(energyDistance(samples, heldOut));
    baselines.push(energyDistance(other, heldOut));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const se = (xs: number[]) => (xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length) : 0);
  const value = mean(values);
  const baseline = mean(baselines);
  return {
    metric: METRIC_DESCRIPTION, value, valueSE: se(values), baseline, baselineSE: se(baselines), ratio: value / baseline,
    samples: N, steps, heldOutPoints: N, seed, repeats,
  };
}
