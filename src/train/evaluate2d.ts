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
}

export const DEFAULT_EVAL_2D: Eval2DOptions = { samples: 2000, steps: 100, seed: 12345 };

/** The evaluation result written into a model card. */
export interface Eval2DResult {
  metric: string;
  value: number;
  baseline: number;
  ratio: number;
  samples: number;
  steps: number;
  heldOutPoints: number;
  seed: number;
}

/**
 * Samples the model and measures its energy distance to held-out data (drawn with seeds disjoint from training's,
 * which uses 'train:<seed>' streams) and the data-vs-data baseline.
 * @returns value, baseline and value / baseline (the card's acceptance is ratio <= 1.5).
 */
export async function evaluate2D(spec: BfnSpec, mlp: Mlp, datasetId: string, options: Eval2DOptions = DEFAULT_EVAL_2D): Promise<Eval2DResult> {
  const { samples: N, steps, seed } = options;
  const heldOut = sampleDataset(datasetId, N, `heldout:${seed}`);
  const other = sampleDataset(datasetId, N, `baseline:${seed}`);
  const { samples } = await sample(spec, mlp.net, [N, 2], { n: steps, noise: seededNoise(seed) });
  const value = energyDistance(samples, heldOut);
  const baseline = energyDistance(other, heldOut);
  return { metric: METRIC_DESCRIPTION, value, baseline, ratio: value / baseline, samples: N, steps, heldOutPoints: N, seed };
}
