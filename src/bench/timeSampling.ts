/**
 * The timing loop of the sampling benchmarks (src/bench/bench*.ts): one untimed 2-step run, then `repeats` timed runs
 * of the original BFN sampler (Graves et al. 2023, Algorithms 3, 6 and 9; official `BFN.sample`) without a trajectory.
 */
import { sample, seededNoise, type BfnSpec, type Network } from '../bfn';

/**
 * Times `repeats` sampling runs of `net` for `shape` ([batch, variables]) with n = `steps`, seeded noise 2, 3, ...
 * @returns the milliseconds of each timed run. @throws RangeError when steps or repeats is not a positive integer.
 */
export async function timeSampling(spec: BfnSpec, net: Network, shape: number[], steps: number, repeats: number, now: () => number = () => performance.now()): Promise<number[]> {
  for (const [name, v] of Object.entries({ steps, repeats })) if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`timeSampling: ${name} must be a positive integer, got ${v}`);
  await sample(spec, net, shape, { n: 2, noise: seededNoise(1) });
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = now();
    await sample(spec, net, shape, { n: steps, noise: seededNoise(2 + k) });
    times.push(now() - t0);
  }
  return times;
}
