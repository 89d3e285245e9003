/**
 * The sampler choice outside the views: sampleWith (src/train/samplers.ts) refuses ids it does not know; the ODE
 * BFN-Solvers are deterministic given their initial noise while the SDE ones follow their step noise; the per-sampler
 * evaluation of `npm run eval` (src/kinds/points2d/evaluate.ts evaluateSamplers2D, bestSolverGap) uses the main evaluation's
 * protocol, and a fresh measurement of the shipped two-moons model with other seeds confirms its card's n = 10 numbers
 * for ode_bfnsolver2_multi_step; every shipped 2D card carries the per-sampler table; the card schema accepts cards
 * with and without it.
 */
import { parseCard } from '../../src/train/modelFile';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { seededNoise, type BfnSpec, type NoiseSource, type SamplerId } from '../../src/bfn';
import { DATASETS_2D } from '../../src/data/toy2d';
import type { Mlp } from '../../src/nets/mlp';
import {
  bestSolverGap, DEFAULT_SAMPLER_EVAL_2D, evaluate2D, evaluateSamplers2D, type SamplerEvalCell, type SamplerEvalTable,
} from '../../src/kinds/points2d/evaluate';
import { decodePointsModel } from '../../src/kinds/modelFiles';
import { POINTS_FILES, type PointsCard } from '../../src/kinds/points2d/files';
import { sampleWith, samplerIds } from '../../src/train/samplers';
import { useBackend } from '../backends';

const root = join(import.meta.dirname, '..', '..');
const MODELS = join(root, 'models');
const SOLVERS = samplerIds('continuous').filter((id) => id !== 'original');

/** The shipped model `id`: its spec, network (dispose it) and card. */
function loadShipped(id: string): { spec: BfnSpec; mlp: Mlp; card: PointsCard } {
  const dir = join(MODELS, id);
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const { spec, mlp } = decodePointsModel(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { spec, mlp, card: parseCard(POINTS_FILES, JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8'))) };
}

/**
 * A noise source whose first normal draw (a solver's initial state) comes from seededNoise(initialSeed) and every
 * later draw from seededNoise(stepSeed); counts the normal draws.
 */
function splitNoise(initialSeed: number, stepSeed: number): NoiseSource & { draws: () => number } {
  const initial = seededNoise(initialSeed);
  const later = seededNoise(stepSeed);
  let draws = 0;
  return {
    normal: (shape) => (draws++ === 0 ? initial.normal(shape) : later.normal(shape)),
    uniform: (shape) => later.uniform(shape),
    draws: () => draws,
  };
}

let moons: ReturnType<typeof loadShipped>;
beforeAll(async () => {
  await useBackend('wasm');
  moons = loadShipped('two-moons');
});
afterAll(() => moons?.mlp.dispose());

describe('sampleWith', () => {
  test('refuses an unknown sampler id, naming the ones it knows', async () => {
    const before = tf.memory().numTensors;
    await expect(sampleWith('nope' as SamplerId, moons.spec, moons.mlp.net, [4, 2], { n: 2, noise: seededNoise(1) }))
      .rejects.toThrow(new RangeError(`unknown sampler 'nope' for continuous data; choose one of ${samplerIds('continuous').join(', ')}`));
    // Discretized data has no BFN-Solver.
    await expect(sampleWith('ode_bfnsolver1', { kind: 'discretized', sigma1: 0.02, K: 16 }, moons.mlp.net, [4, 2], { n: 2, noise: seededNoise(1) }))
      .rejects.toThrow(/unknown sampler 'ode_bfnsolver1' for discretized data; choose one of original$/);
    expect(tf.memory().numTensors).toBe(before);
  });

  test.each(SOLVERS)('%s: same seed, same samples; the ODE solvers ignore step noise, the SDE ones follow it', async (sampler) => {
    const run = async (noise: NoiseSource) => (await sampleWith(sampler, moons.spec, moons.mlp.net, [200, 2], { n: 10, noise })).samples;
    const a = splitNoise(1, 2);
    const first = await run(a);
    expect(await run(splitNoise(1, 2)), 'same seeds').toEqual(first);
    const otherSteps = await run(splitNoise(1, 3));
    const otherStart = await run(splitNoise(4, 2));
    // The initial state matters for every solver (so the equalities below are not a network that ignores its input).
    expect(otherStart).not.toEqual(first);
    if (sampler.startsWith('ode_')) {
      expect(a.draws(), 'an ODE solver draws only its initial state').toBe(1);
      expect(otherSteps, 'same initial noise, other step noise: identical').toEqual(first);
    } else {
      expect(a.draws(), 'an SDE solver draws its initial state and one z per step').toBe(11);
      expect(otherSteps, 'same initial noise, other step noise: other samples').not.toEqual(first);
    }
  });
});

describe('per-sampler evaluation', () => {
  test('the original sampler in the per-sampler table gives evaluate2D\'s precision, recall and off-support share', async () => {
    const options = { samples: 300, seed: 7, repeats: 2 };
    const main = await evaluate2D(moons.spec, moons.mlp, 'two-moons', { ...options, steps: 20 });
    const table = await evaluateSamplers2D(moons.spec, moons.mlp, 'two-moons', { ...options, samplers: ['original'], steps: [20] });
    expect(Object.keys(table)).toEqual(['original']);
    expect(table.original).toEqual({
      20: { precision: main.precision, precisionSE: main.precisionSE, recall: main.recall, recallSE: main.recallSE, offSupport: main.offSupport, offSupportSE: main.offSupportSE },
    });
  });

  test('refuses fewer than 2 repeats and an unknown sampler', async () => {
    const base = { samples: 50, seed: 1, steps: [2] };
    await expect(evaluateSamplers2D(moons.spec, moons.mlp, 'two-moons', { ...base, repeats: 1, samplers: ['original'] })).rejects.toThrow(/repeats must be an integer >= 2/);
    await expect(evaluateSamplers2D(moons.spec, moons.mlp, 'two-moons', { ...base, repeats: 2, samplers: ['nope' as SamplerId] })).rejects.toThrow(RangeError);
  });

  // The card: 1000 samples, 8 repeats, seed 12345 (recall 0.955 ± 0.003 here). Re-measured with 1000 samples, 4 repeats
  // and seed 424242 (held-out points, reference draw and sampling noise all independent of the card's): the SE of a
  // 4-repeat mean is about 0.005 for recall (per-repeat SD about 0.009), so the difference has an SD of about 0.006 and
  // 0.02 is about 3.5 of them (four other seeds gave recall 0.950-0.954, precision 0.984-0.987). A solver with its
  // second-order correction doubled (1/r in place of 1/(2r)) measured recall 0.913 and 0.923 here: caught.
  const BOUND = 0.02;
  test(`two-moons, ode_bfnsolver2_multi_step at n = 10: a fresh measurement is within ${BOUND} of the card`, async () => {
    const card = moons.card.evaluation?.samplers?.ode_bfnsolver2_multi_step?.['10'];
    expect(card, 'card.evaluation.samplers.ode_bfnsolver2_multi_step[10] (run npm run eval)').toBeDefined();
    const table = await evaluateSamplers2D(moons.spec, moons.mlp, 'two-moons', {
      samplers: ['ode_bfnsolver2_multi_step'], steps: [10], samples: 1000, seed: 424242, repeats: 4,
    });
    const fresh = table.ode_bfnsolver2_multi_step!['10']!;
    expect(Math.abs(fresh.precision - card!.precision), `precision ${fresh.precision} vs the card's ${card!.precision}`).toBeLessThanOrEqual(BOUND);
    expect(Math.abs(fresh.recall - card!.recall), `recall ${fresh.recall} vs the card's ${card!.recall}`).toBeLessThanOrEqual(BOUND);
    expect(fresh.offSupport).toBeLessThanOrEqual(card!.offSupport + BOUND);
  });

  test('bestSolverGap picks the solver with the smallest larger shortfall against the original at n = 100', () => {
    const cell = (precision: number, recall: number): SamplerEvalCell => ({ precision, precisionSE: 0.003, recall, recallSE: 0.004, offSupport: 0, offSupportSE: 0 });
    const table: SamplerEvalTable = {
      original: { 10: cell(0.9, 0.9), 100: cell(0.99, 0.98) },
      ode_bfnsolver1: { 10: cell(0.995, 0.9), 100: cell(0.99, 0.98) }, // recall 0.08 short
      ode_bfnsolver2_multi_step: { 10: cell(0.97, 0.97), 100: cell(0.99, 0.98) }, // 0.02 and 0.01 short
      sde_bfnsolver1: { 100: cell(0.99, 0.98) }, // no n = 10 cell
    };
    const best = bestSolverGap(table)!;
    expect(best.sampler).toBe('ode_bfnsolver2_multi_step');
    expect(best.precisionGap).toBeCloseTo(0.02, 12);
    expect(best.recallGap).toBeCloseTo(0.01, 12);
    expect(best.worstGap).toBeCloseTo(0.02, 12);
    expect(best.precisionGapSE).toBeCloseTo(Math.hypot(0.003, 0.003), 12);
    expect(bestSolverGap({ ode_bfnsolver1: table.ode_bfnsolver1 })).toBeNull();
    expect(bestSolverGap({ original: table.original })).toBeNull();
  });
});

describe('model cards', () => {
  test.each(DATASETS_2D.map((d) => d.id))('%s: the card has every sampler at n = 10 and n = 100, and they parse', (id) => {
    const e = parseCard(POINTS_FILES, JSON.parse(readFileSync(join(MODELS, id, 'card.json'), 'utf8'))).evaluation!;
    expect(e.samplerRepeats).toBe(DEFAULT_SAMPLER_EVAL_2D.repeats);
    expect(Object.keys(e.samplers ?? {})).toEqual(samplerIds('continuous'));
    for (const row of Object.values(e.samplers!)) expect(Object.keys(row)).toEqual(['10', '100']);
    // The original sampler at n = 100 with the main evaluation's repeats is the main evaluation.
    expect(e.samplers!.original!['100']).toMatchObject({ precision: e.precision, recall: e.recall, offSupport: e.offSupport });
  });

  test('the schema accepts a card without the table and refuses a bad sampler id or step count', () => {
    const raw = JSON.parse(readFileSync(join(MODELS, 'two-moons', 'card.json'), 'utf8'));
    const { samplers, samplerRepeats: _r, ...old } = raw.evaluation;
    expect(parseCard(POINTS_FILES, { ...raw, evaluation: old }).evaluation?.samplers).toBeUndefined();
    expect(() => parseCard(POINTS_FILES, { ...raw, evaluation: { ...old, samplers: { nope: samplers.original } } })).toThrow(/evaluation\.samplers/);
    expect(() => parseCard(POINTS_FILES, { ...raw, evaluation: { ...old, samplers: { original: { 0: samplers.original['10'] } } } })).toThrow(/evaluation\.samplers/);
    expect(() => parseCard(POINTS_FILES, { ...raw, evaluation: { ...old, samplers: { original: { 10: { ...samplers.original['10'], recall: 1.5 } } } } })).toThrow(/evaluation\.samplers/);
  });
});

describe('npm run sample --sampler', () => {
  test('an unknown sampler exits 2 with one line listing the samplers', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'sample.ts'), join(MODELS, 'two-moons'), '--sampler', 'nope', '--out', join(root, 'never.csv')], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`npm run sample: unknown sampler 'nope'; known: ${samplerIds('continuous').join(', ')} (--help for usage)\n`);
  }, 60_000);
});
