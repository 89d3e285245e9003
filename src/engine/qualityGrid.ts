/**
 * The loop of the steps-vs-quality measurements of both views (worker side): one run per (sampler, n), in order,
 * reporting progress in runs, yielding to the message loop between runs so that a cancel can arrive, and stopping
 * with an error named STEPS_QUALITY_CANCELLED once cancelled.
 */
import type { SamplerId } from '../bfn/samplerChoices';
import { STEPS_QUALITY_CANCELLED, type ProgressCallback } from './protocol';

/**
 * Runs `measure` for every sampler and every n. @param cancelled true once the caller's run was cancelled.
 * @returns the results in sampler-major order. @throws an Error named STEPS_QUALITY_CANCELLED when cancelled, and
 *   whatever `measure` throws.
 */
export async function qualityGrid<R>(samplers: SamplerId[], steps: number[], measure: (sampler: SamplerId, n: number) => Promise<R>, onProgress: ProgressCallback | undefined, cancelled: () => boolean): Promise<R[]> {
  if (samplers.length === 0 || steps.length === 0) throw new RangeError('choose at least one sampler and one step count');
  const stop = () => {
    if (!cancelled()) return;
    const err = new Error('the steps-vs-quality run was cancelled');
    err.name = STEPS_QUALITY_CANCELLED;
    throw err;
  };
  const out: R[] = [];
  const total = samplers.length * steps.length;
  for (const sampler of samplers) {
    for (const n of steps) {
      stop();
      out.push(await measure(sampler, n));
      if (onProgress) Promise.resolve(onProgress(out.length, total)).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  stop();
  return out;
}
