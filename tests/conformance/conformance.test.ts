/**
 * Conformance of src/bfn against the official implementation's reference vectors (official_f32), on the Node backends
 * cpu and wasm. Every case of every file in tests/vectors (or $BFN_VECTORS_DIR) is checked at the file's tolerance.
 */
import { describe, expect, test, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { checkIndex, checkVectorFile, type CheckResult } from '../../src/conformance/checks';
import { NODE_BACKENDS, useBackend } from '../backends';
import { loadVectorFiles, VECTORS_DIR } from '../../scripts/lib/vectors';

const files = loadVectorFiles();

function describeFailures(results: CheckResult[]): string[] {
  return results.filter((r) => !r.ok).map((r) => `${r.file} :: ${r.check} :: ${r.message}`);
}

describe.each(NODE_BACKENDS)('conformance on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  test(`INDEX.json of ${VECTORS_DIR} lists only present files`, () => {
    const results = checkIndex(files);
    expect(results.length, 'INDEX.json is present').toBe(1);
    expect(describeFailures(results)).toEqual([]);
  });

  test.each(files.filter((f) => f.name !== 'INDEX.json').map((f) => [f.name, f] as const))('%s', async (_name, file) => {
    const before = tf.memory().numTensors;
    const results = await checkVectorFile(file);
    expect(results.length).toBeGreaterThan(0);
    expect(describeFailures(results)).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
