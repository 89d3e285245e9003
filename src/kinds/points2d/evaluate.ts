/**
 * Evaluation of a 2D model, shared by `npm run eval`, the training script and the tests: sample N points with
 * n steps and compare them with held-out data by
 * - the k-NN precision and recall (Kynkäänniemi et al. 2019; src/train/knnMetrics.ts) against held-out points, and
 *   the off-support share against a dense reference draw of the dataset: these see blur and samples where the
 *   data has none, and make the acceptance bar ({@link evaluationBar2D});
 * - the energy distance (src/train/metrics.ts), kept for comparison with earlier cards;
 * each beside its data-vs-data value computed the same way from a fresh independent draw of the dataset of the same
 * size, and each averaged over independent repeats with its standard error.
 * {@link evaluate2D} samples with the original BFN sampler (Graves et al. 2023, Algorithm 3): its numbers are the
 * card's main numbers and the bar. {@link evaluateSamplers2D} measures precision, recall and the off-support share
 * for each sampler (the original and the BFN-Solvers of Xue et al. 2024, src/train/samplers.ts) at several step
 * counts with the same protocol, and {@link bestSolverGap} says which solver comes closest to the original sampler at
 * n = 100 with few steps.
 *
 * Seeds: training draws its points from 'train:<seed>' streams; the evaluation draws held-out points from
 * 'heldout:<seed>:<r>', the data-vs-data draws from 'baseline:<seed>:<r>' and the dense reference from
 * 'offsupport:<seed>', all disjoint from training's and from one another. Repeat r samples with seededNoise(seed + r)
 * whatever the sampler and step count, so that every sampler starts from the same noise source and is measured
 * against the same held-out points.
 */
import { seededNoise, type BfnSpec, type SamplerId } from '../../bfn';
import type { Mlp } from '../../nets/mlp';
import { sampleDataset } from '../../data/toy2d';
import { energyDistance, METRIC_DESCRIPTION } from '../../train/metrics';
import { KNN_K, meanAndSE, OFF_SUPPORT_DELTA, OFF_SUPPORT_REFERENCE_POINTS, supportMetrics, type MeanSE, type SupportMetrics } from '../../train/knnMetrics';
import { sampleWith, samplerIds } from '../../train/samplers';

/** Settings of an evaluation; the defaults are what the model cards report. */
export interface Eval2DOptions {
  samples: number;
  steps: number;
  seed: number;
  /** Independent repeats (fresh samples, held-out and data-vs-data draws) averaged into the reported values, >= 2. */
  repeats: number;
  /** Neighbour rank of the k-NN precision and recall (default {@link KNN_K}). */
  k?: number;
  /** Radius of the off-support share, data units (default {@link OFF_SUPPORT_DELTA}). */
  delta?: number;
  /** Size of the dense reference draw of the off-support share (default {@link OFF_SUPPORT_REFERENCE_POINTS}). */
  referencePoints?: number;
}

/**
 * The default evaluation: 1000 samples with n = 100 steps against 1000 held-out points, 8 repeats. Measured on the
 * shipped spirals and two-moons models with 32 repeats, the standard errors of precision, recall and off-support
 * share were at most 0.0022, 0.0007 and 0.0016, so 8 repeats give SEs below about 0.005, far inside the bar's
 * margins, at a quarter of the sampling time (the energy distance's relative SE grows to about 15 %).
 */
export const DEFAULT_EVAL_2D: Eval2DOptions = { samples: 1000, steps: 100, seed: 12345, repeats: 8 };

/** The acceptance bar of a 2D model (see {@link evaluationBar2D}). */
export const EVAL_2D_BAR = { minPrecision: 0.95, minRecall: 0.95, maxOffSupportOverData: 2, offSupportFloor: 0.005 } as const;

/** Precision, recall and off-support share of one sampler at one step count, each a mean over repeats with its SE. */
export interface SamplerEvalCell {
  /** k-NN precision of the samples against held-out data, in [0, 1]. */
  precision: number;
  precisionSE: number;
  /** k-NN recall of the held-out data against the samples, in [0, 1]. */
  recall: number;
  recallSE: number;
  /** Share of samples farther than delta from the dense reference draw, in [0, 1]. */
  offSupport: number;
  offSupportSE: number;
}

/**
 * The evaluation result written into a model card: the original sampler's precision, recall and off-support share
 * ({@link SamplerEvalCell}) and the rest below. Shares are in [0, 1]; every SE is over the repeats.
 */
export interface Eval2DResult extends SamplerEvalCell {
  metric: string;
  /** Energy distance of the samples to held-out data, data units. */
  value: number;
  /** Standard error of `value` over the repeats. */
  valueSE: number;
  /** Energy distance between a fresh draw of the data and the held-out data. */
  baseline: number;
  baselineSE: number;
  /** value / baseline (reported; no longer the acceptance criterion). */
  ratio: number;
  /** The same three numbers for a fresh draw of the data in place of the samples. */
  dataPrecision: number;
  dataPrecisionSE: number;
  dataRecall: number;
  dataRecallSE: number;
  dataOffSupport: number;
  dataOffSupportSE: number;
  k: number;
  delta: number;
  referencePoints: number;
  repeats: number;
  samples: number;
  steps: number;
  heldOutPoints: number;
  seed: number;
}

/** Mean and standard error over the repeats of each support metric, as a {@link SamplerEvalCell}. */
function summarise(rows: SupportMetrics[]): SamplerEvalCell {
  const of = (key: keyof SupportMetrics): MeanSE => meanAndSE(rows.map((m) => m[key]));
  const [p, r, o] = [of('precision'), of('recall'), of('offSupport')];
  return { precision: p.mean, precisionSE: p.se, recall: r.mean, recallSE: r.se, offSupport: o.mean, offSupportSE: o.se };
}

/**
 * The settings both evaluations share, checked, with the dense reference draw of the off-support share.
 * @throws Error when repeats < 2 or samples is not a positive integer.
 */
function protocolOf(fn: string, datasetId: string, options: Pick<Eval2DOptions, 'samples' | 'seed' | 'repeats' | 'k' | 'delta' | 'referencePoints'>) {
  const { samples, seed, repeats } = options;
  if (!Number.isInteger(repeats) || repeats < 2) throw new Error(`${fn}: repeats must be an integer >= 2 (for a standard error), got ${repeats}`);
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`${fn}: samples must be a positive integer, got ${samples}`);
  const referencePoints = options.referencePoints ?? OFF_SUPPORT_REFERENCE_POINTS;
  return {
    k: options.k ?? KNN_K,
    delta: options.delta ?? OFF_SUPPORT_DELTA,
    referencePoints,
    reference: sampleDataset(datasetId, referencePoints, `offsupport:${seed}`),
  };
}

/**
 * Repeat r's draws (seeds as in the module header): N held-out points and N samples of `sampler` with n = `steps`.
 * @returns heldOut and samples, Float32Array [N, 2] each. @throws RangeError (sampleWith) for an unknown sampler or bad n.
 */
async function drawRepeat(spec: BfnSpec, mlp: Mlp, datasetId: string, sampler: SamplerId, steps: number, options: Pick<Eval2DOptions, 'samples' | 'seed'>, r: number): Promise<{ heldOut: Float32Array; samples: Float32Array }> {
  const { samples: N, seed } = options;
  const heldOut = sampleDataset(datasetId, N, `heldout:${seed}:${r}`);
  const { samples } = await sampleWith(sampler, spec, mlp.net, [N, 2], { n: steps, noise: seededNoise(seed + r) });
  return { heldOut, samples };
}

/**
 * Samples the model and measures it against held-out data (see the module header for the metrics and seeds),
 * each number averaged over `repeats` independent draws with its standard error.
 * @param spec the model's BFN spec. @param mlp its network. @param datasetId a built-in 2D dataset.
 * @param options sizes, steps, seed, repeats (>= 2), k, delta and reference size; defaults {@link DEFAULT_EVAL_2D}.
 * @returns an {@link Eval2DResult}; pass it to {@link evaluationBar2D} for the acceptance verdict.
 * @throws Error when repeats < 2, the dataset is unknown or a size is not a positive integer (k must be < samples).
 */
export async function evaluate2D(spec: BfnSpec, mlp: Mlp, datasetId: string, options: Eval2DOptions = DEFAULT_EVAL_2D): Promise<Eval2DResult> {
  const { samples: N, steps, seed, repeats } = options;
  const { k, delta, referencePoints, reference } = protocolOf('evaluate2D', datasetId, options);
  const values: number[] = [];
  const baselines: number[] = [];
  const model: SupportMetrics[] = [];
  const data: SupportMetrics[] = [];
  for (let r = 0; r < repeats; r++) {
    const { heldOut, samples } = await drawRepeat(spec, mlp, datasetId, 'original', steps, options, r);
    const other = sampleDataset(datasetId, N, `baseline:${seed}:${r}`);
    values.push(energyDistance(samples, heldOut));
    baselines.push(energyDistance(other, heldOut));
    model.push(supportMetrics(samples, heldOut, reference, { k, delta }));
    data.push(supportMetrics(other, heldOut, reference, { k, delta }));
  }
  const m = summarise(model);
  const d = summarise(data);
  const value = meanAndSE(values);
  const baseline = meanAndSE(baselines);
  return {
    metric: METRIC_DESCRIPTION, value: value.mean, valueSE: value.se, baseline: baseline.mean, baselineSE: baseline.se, ratio: value.mean / baseline.mean,
    ...m,
    dataPrecision: d.precision, dataPrecisionSE: d.precisionSE, dataRecall: d.recall, dataRecallSE: d.recallSE,
    dataOffSupport: d.offSupport, dataOffSupportSE: d.offSupportSE,
    k, delta, referencePoints, samples: N, steps, heldOutPoints: N, seed, repeats,
  };
}

/**
 * The acceptance bar of a 2D model: precision >= 0.95, recall >= 0.95 and an off-support share at most twice the
 * data's own or 0.5 %, whichever is larger ({@link EVAL_2D_BAR}). The floor is there because a fresh draw of the data is
 * almost never 0.05 from the dense reference (its share is 0 to 0.06 % on the eight datasets), so "twice the data's"
 * alone would fail a model for a single stray sample in 8000; 0.5 % is 5 samples in 1000 (the old spirals model had
 * 10.8 %, the old checkerboard 17 % in empty squares). The energy-distance ratio is not part of the bar.
 * @param result the precision, recall and off-support numbers of an {@link Eval2DResult}.
 * @returns the failed conditions in words; empty when the model passes.
 */
export function evaluationBar2D(result: Pick<Eval2DResult, 'precision' | 'recall' | 'offSupport' | 'dataOffSupport'>): string[] {
  const failed: string[] = [];
  if (!(result.precision >= EVAL_2D_BAR.minPrecision)) failed.push(`precision ${result.precision.toFixed(3)} < ${EVAL_2D_BAR.minPrecision}`);
  if (!(result.recall >= EVAL_2D_BAR.minRecall)) failed.push(`recall ${result.recall.toFixed(3)} < ${EVAL_2D_BAR.minRecall}`);
  const maxOffSupport = Math.max(EVAL_2D_BAR.maxOffSupportOverData * result.dataOffSupport, EVAL_2D_BAR.offSupportFloor);
  if (!(result.offSupport <= maxOffSupport)) {
    failed.push(`off-support share ${result.offSupport.toFixed(4)} > ${maxOffSupport.toFixed(4)} (${EVAL_2D_BAR.maxOffSupportOverData} x the data's ${result.dataOffSupport.toFixed(4)}, at least ${EVAL_2D_BAR.offSupportFloor})`);
  }
  return failed;
}

/** The per-sampler table of a card: sampler id -> step count n (as a decimal string, JSON's key) -> cell. */
export type SamplerEvalTable = Partial<Record<SamplerId, Record<string, SamplerEvalCell>>>;

/** Settings of {@link evaluateSamplers2D}; {@link DEFAULT_SAMPLER_EVAL_2D} is what the cards report. */
export interface SamplerEval2DOptions extends Omit<Eval2DOptions, 'steps'> {
  /** The samplers to measure, each one a continuous-data {@link SamplerId}. */
  samplers: readonly SamplerId[];
  /** The step counts n to measure each sampler at (network calls: n + 1 for the original sampler, n for a solver). */
  steps: readonly number[];
}

/**
 * The per-sampler evaluation of `npm run eval`: every continuous-data sampler at n = 10 and n = 100, with the main
 * evaluation's protocol ({@link DEFAULT_EVAL_2D}: 1000 samples against 1000 held-out points, 8 repeats, seed 12345).
 */
export const DEFAULT_SAMPLER_EVAL_2D: Readonly<SamplerEval2DOptions> = Object.freeze({
  samplers: samplerIds('continuous'), steps: [10, 100], samples: DEFAULT_EVAL_2D.samples, seed: DEFAULT_EVAL_2D.seed, repeats: DEFAULT_EVAL_2D.repeats,
});

/**
 * Measures precision, recall and the off-support share of each sampler at each step count, with the protocol of
 * {@link evaluate2D} (same held-out draws, dense reference and per-repeat noise seeds; no energy distance and no
 * data-vs-data values, which do not depend on the sampler). With the same samples, seed and repeats, the original
 * sampler's cell at n = {@link DEFAULT_EVAL_2D}.steps equals evaluate2D's precision, recall and off-support share.
 * Sources: the metrics are Kynkäänniemi et al. 2019, eq. 1-3 (src/train/knnMetrics.ts); the samplers are the
 * original BFN sampler (Graves et al. 2023, Algorithm 3) and the BFN-Solvers of Xue et al. 2024, Table 1 (official
 * `bfnsolver_i.py` `batch_sample`, eta 0.01 and last_drop as its CIFAR-10 config), through sampleWith.
 * Samples are [N, 2] in data units, drawn on the active backend. Cost: repeats x the sum over samplers and n of the
 * network calls (n + 1 for the original sampler, n for a solver) on N-row batches; about 2 minutes for the default
 * options and an MLP 256 x 3 on Node's wasm backend here.
 * @param spec the model's BFN spec (continuous). @param mlp its network. @param datasetId a built-in 2D dataset.
 * @param options samplers, step counts, sizes, seed, repeats (>= 2); defaults {@link DEFAULT_SAMPLER_EVAL_2D}.
 * @param onCell called after each (sampler, n) cell, e.g. to print progress.
 * @returns the {@link SamplerEvalTable}, cells in the order of `options.samplers` and `options.steps`.
 * @throws Error when repeats < 2 or samples is not a positive integer; RangeError (sampleWith) for a sampler the
 *   spec's data kind does not offer or a step count that is not a positive integer.
 */
export async function evaluateSamplers2D(
  spec: BfnSpec, mlp: Mlp, datasetId: string, options: SamplerEval2DOptions = DEFAULT_SAMPLER_EVAL_2D,
  onCell?: (sampler: SamplerId, steps: number, cell: SamplerEvalCell) => void,
): Promise<SamplerEvalTable> {
  const { k, delta, reference } = protocolOf('evaluateSamplers2D', datasetId, options);
  const table: SamplerEvalTable = {};
  for (const sampler of options.samplers) {
    const row: Record<string, SamplerEvalCell> = {};
    for (const steps of options.steps) {
      const rows: SupportMetrics[] = [];
      for (let r = 0; r < options.repeats; r++) {
        const { heldOut, samples } = await drawRepeat(spec, mlp, datasetId, sampler, steps, options, r);
        rows.push(supportMetrics(samples, heldOut, reference, { k, delta }));
      }
      const cell = summarise(rows);
      row[String(steps)] = cell;
      onCell?.(sampler, steps, cell);
    }
    table[sampler] = row;
  }
  return table;
}

/** How far a solver at few steps is from the original sampler at many (see {@link bestSolverGap}). */
export interface SolverGap {
  sampler: SamplerId;
  /** The solver's step count and the original sampler's. */
  steps: number;
  baselineSteps: number;
  /** Original sampler at baselineSteps minus the solver at steps: > 0 when the solver is worse. */
  precisionGap: number;
  recallGap: number;
  /** SEs of the gaps, the two cells' SEs combined as if independent (conservative: both share the held-out draws). */
  precisionGapSE: number;
  recallGapSE: number;
  /** max(precisionGap, recallGap): the solver's larger shortfall (<= 0 when it matches or beats both numbers). */
  worstGap: number;
}

/**
 * The BFN-Solver (every sampler but 'original' in the table) whose precision and recall at n = `steps` fall least
 * below the original sampler's at n = `baselineSteps`: the one with the smallest larger shortfall
 * max(precisionGap, recallGap) (first in table order on ties). The fast-sampler target is a worst gap <= 0.02. The
 * criterion is this project's (Xue et al. 2024 compare samplers by sample quality at equal numbers of network calls); pure
 * arithmetic on the table, no tensors.
 * @param table a {@link SamplerEvalTable} (e.g. a card's `evaluation.samplers`).
 * @param steps the solvers' step count (default 10). @param baselineSteps the original sampler's (default 100).
 * @returns the best solver's {@link SolverGap}, or null when the table lacks the original sampler at baselineSteps or
 *   every solver at steps.
 */
export function bestSolverGap(table: SamplerEvalTable, steps = 10, baselineSteps = 100): SolverGap | null {
  const base = table.original?.[String(baselineSteps)];
  if (!base) return null;
  let best: SolverGap | null = null;
  for (const [sampler, row] of Object.entries(table) as [SamplerId, Record<string, SamplerEvalCell>][]) {
    const cell = row[String(steps)];
    if (sampler === 'original' || !cell) continue;
    const precisionGap = base.precision - cell.precision;
    const recallGap = base.recall - cell.recall;
    const gap: SolverGap = {
      sampler, steps, baselineSteps, precisionGap, recallGap,
      precisionGapSE: Math.hypot(base.precisionSE, cell.precisionSE), recallGapSE: Math.hypot(base.recallSE, cell.recallSE),
      worstGap: Math.max(precisionGap, recallGap),
    };
    if (!best || gap.worstGap < best.worstGap) best = gap;
  }
  return best;
}
