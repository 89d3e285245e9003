/**
 * Conformance of the BFN-Solver samplers (src/bfn/solvers*.ts) against the official BFN-Solver code's reference
 * vectors, on the Node backends cpu and wasm: every case of every file in tests/solver-vectors (or
 * $BFN_SOLVER_VECTORS_DIR) at its per-array tolerance against the official float64 run, integers exactly
 * (src/conformance/solverChecks.ts). All of these cases come from the official code; discrete_sde_euler.json records
 * its bug (the state becomes the logits) and is run with `officialSdeEulerBug`.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { checkIndex, type CheckResult } from '../../src/conformance/checks';
import { checkSolverVectorFile } from '../../src/conformance/solverChecks';
import { NODE_BACKENDS, useBackend } from '../backends';
import { loadVectorFiles, SOLVER_VECTORS_DIR } from '../../scripts/lib/vectors';

const files = loadVectorFiles(SOLVER_VECTORS_DIR);

function describeFailures(results: CheckResult[]): string[] {
  return results.filter((r) => !r.ok).map((r) => `${r.file} :: ${r.check} :: ${r.message}`);
}

describe.each(NODE_BACKENDS)('BFN-Solver conformance on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  test(`INDEX.json of ${SOLVER_VECTORS_DIR} lists only present files`, () => {
    const results = checkIndex(files);
    expect(results.length, 'INDEX.json is present').toBe(1);
    expect(describeFailures(results)).toEqual([]);
  });

  test.each(files.filter((f) => f.name !== 'INDEX.json').map((f) => [f.name, f] as const))('%s', async (_name, file) => {
    const before = tf.memory().numTensors;
    const results = await checkSolverVectorFile(file);
    const cases = (file.json as { cases: unknown[] }).cases.length;
    expect(results.length).toBeGreaterThanOrEqual(cases * 8);
    expect(describeFailures(results)).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
