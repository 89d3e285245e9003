/**
 * The sampler choice shared by the views and tools (src/train/samplers.ts sampleWith): an ODE BFN-Solver's samples
 * are a function of its initial noise alone (later draws cannot change them), an SDE solver's are not; the original
 * sampler and every solver give the same result through sampleWith as when called directly; unknown ids are refused.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { sample, seededNoise, solverSample, type NoiseSource } from '../../src/bfn';
import { SAMPLER_IDS } from '../../src/bfn/samplerChoices';
import { toyContinuousNet } from '../../src/nets/toy';
import { sampleWith, samplerIds } from '../../src/train/samplers';
import { useBackend } from '../backends';

const spec = { kind: 'continuous' as const, sigma1: 0.02 };

/** The first draw of `seed`, then every later draw from another stream. */
function sameStart(seed: number, later: number): NoiseSource {
  const first = seededNoise(seed);
  const rest = seededNoise(later);
  let used = false;
  return {
    normal: (shape) => (used ? rest.normal(shape) : ((used = true), first.normal(shape))),
    uniform: (shape) => rest.uniform(shape),
  };
}

describe('sampler choice', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  test('an ODE solver\'s samples depend on its start only; an SDE solver\'s also on the later draws', async () => {
    const net = toyContinuousNet;
    const run = async (id: (typeof SAMPLER_IDS)[number], later: number) => Array.from((await sampleWith(id, spec, net, [64, 2], { n: 8, noise: sameStart(3, later) })).samples);
    for (const ode of ['ode_bfnsolver1', 'ode_bfnsolver2_multi_step'] as const) expect(await run(ode, 11)).toEqual(await run(ode, 12));
    for (const sde of ['sde_bfnsolver1', 'sde_bfnsolver2_multi_step'] as const) expect(await run(sde, 11)).not.toEqual(await run(sde, 12));
  });

  test('sampleWith gives what the samplers give when called directly', async () => {
    const net = toyContinuousNet;
    const direct = await sample(spec, net, [16, 2], { n: 5, noise: seededNoise(4) });
    expect(Array.from((await sampleWith('original', spec, net, [16, 2], { n: 5, noise: seededNoise(4) })).samples)).toEqual(Array.from(direct.samples));
    const solver = await solverSample(spec, net, [16, 2], { algorithm: 'sde_bfnsolver2_multi_step', n: 5, noise: seededNoise(4) });
    expect(Array.from((await sampleWith('sde_bfnsolver2_multi_step', spec, net, [16, 2], { n: 5, noise: seededNoise(4) })).samples)).toEqual(Array.from(solver.samples));
    expect(tf.memory().numTensors).toBeLessThan(100);
  });

  test('each data kind offers its samplers; an unknown id is refused with the list', async () => {
    expect(samplerIds('continuous')).toEqual([...SAMPLER_IDS]);
    expect(samplerIds('discretized')).toEqual(['original']);
    await expect(sampleWith('nope' as never, spec, toyContinuousNet, [4, 2], { n: 2, noise: seededNoise(1) })).rejects.toThrow(/unknown sampler 'nope' for continuous data; choose one of original, ode_bfnsolver1/);
  });
});
