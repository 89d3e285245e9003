/**
 * One call for every sampler a view offers: the original BFN sampler (`sample`, Graves et al. 2023, Algorithms 3,
 * 6, 9) or a BFN-Solver (`solverSample`, Xue et al. 2024), chosen by its {@link SamplerId}. Used by the worker, the
 * evaluation and the command-line tools, so that all of them sample the same way.
 */
import { SAMPLER_CHOICES, sample, solverSample, type BfnSpec, type Network, type NoiseSource, type SampleResult, type SamplerId, type SolverResult, type TrajectoryStep } from '../bfn';

/** Options of {@link sampleWith}. */
export interface SampleWithOptions {
  /** Steps n >= 1 (network calls: n + 1 for the original sampler, n for the solvers). */
  n: number;
  noise: NoiseSource;
  record?: boolean;
  /** After each step; the original sampler with `record` passes step i's record (src/bfn/sampler.ts). */
  onStep?: (i: number, n: number, step?: TrajectoryStep) => void | Promise<void>;
}

/** What {@link sampleWith} returns: the sampler's own result, tagged with which kind it is. */
export type SampleWithResult = ({ sampler: 'original' } & SampleResult) | ({ sampler: Exclude<SamplerId, 'original'> } & SolverResult);

/** The sampler ids, in display order, that `kind` offers. */
export function samplerIds(kind: BfnSpec['kind']): SamplerId[] {
  return SAMPLER_CHOICES[kind].map((c) => c.id);
}

/**
 * Samples `dataShape` ([batch, ...D]) from `net` with `sampler`: samples [batch, ...D] (continuous values, or class indices)
 * and, with `record`, the sampler's trajectory. The solvers use the official configs' eta and last_drop.
 * @throws RangeError for a sampler the data kind does not offer (see {@link samplerIds}) or a bad n.
 */
export async function sampleWith(sampler: SamplerId, spec: BfnSpec, net: Network, dataShape: number[], options: SampleWithOptions): Promise<SampleWithResult> {
  if (!samplerIds(spec.kind).includes(sampler)) throw new RangeError(`unknown sampler '${String(sampler)}' for ${spec.kind} data; choose one of ${samplerIds(spec.kind).join(', ')}`);
  if (sampler === 'original') return { sampler, ...(await sample(spec, net, dataShape, options)) };
  return { sampler, ...(await solverSample(spec, net, dataShape, { algorithm: sampler, ...options })) };
}
