/**
 * The discretized output distribution's edge bins reach -inf and +inf (official `DiscretizedCtsDistribution` with
 * clipping), so for any finite mu_x, however far outside [-1, 1], all mass lies in the edge bin on its side: the
 * probabilities sum to 1, the mode is that bin's centre, L^inf of that bin's centre is 0 and its log-probability 0.
 * Before, ±1e6 stood in for the infinite edges and every probability was 0 at mu_x = 2e6 (mode -0.9375, L^inf NaN),
 * and at mu_x = 1e6 they summed to 0.5. Runs on the Node backends; tests/e2e/limits.spec.ts runs the same edge-bin
 * vector file (tests/conformance/edgeBins.ts) on webgl and webgpu.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { discretizedLogProb, discretizedLossInf, discretizedMode, discretizedOutputParams, discretizedProbs } from '../../src/bfn';
import { NODE_BACKENDS, useBackend } from '../backends';
import { checkVectorFile } from '../../src/conformance/checks';
import { edgeBinVectorFile } from '../conformance/edgeBins';

const K = 16;
const read = async (t: tf.Tensor) => {
  const values = Array.from(await t.data());
  t.dispose();
  return values;
};

for (const backend of NODE_BACKENDS) {
  describe(`discretized edge bins on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    test('all mass in the edge bin for mu_x far outside [-1, 1], on either side, for any finite mu_x', async () => {
      for (const [mu, bin] of [[2e6, K - 1], [1e6, K - 1], [3e38, K - 1], [-2e6, 0], [-1e6, 0], [-3e38, 0]] as const) {
        const probs = await read(discretizedProbs(tf.tensor1d([mu]), tf.tensor1d([1e-3]), K));
        expect(probs.reduce((a, b) => a + b, 0), `sum at mu_x = ${mu}`).toBeCloseTo(1, 6);
        expect(probs[bin], `edge bin at mu_x = ${mu}`).toBeCloseTo(1, 6);
        const mode = await read(tf.tidy(() => discretizedMode(discretizedProbs(tf.tensor1d([mu]), tf.tensor1d([1e-3]), K), K)));
        expect(mode[0]).toBe(bin === 0 ? -0.9375 : 0.9375);
      }
    });

    test('L^inf of the edge bin\'s centre is 0 and its log-probability is 0 (not NaN, not -Infinity)', async () => {
      const lossInf = await read(tf.tidy(() => discretizedLossInf(tf.tensor1d([0.9375]), discretizedProbs(tf.tensor1d([2e6]), tf.tensor1d([1e-3]), K), tf.scalar(0.5), Math.sqrt(1e-3), K)));
      expect(lossInf[0]).toBe(0);
      const logProb = await read(tf.tidy(() => discretizedLogProb(tf.tensor1d([0.9375, -0.9375]), tf.tensor1d([2e6, -2e6]), tf.tensor1d([1e-3, 1e-3]), K)));
      for (const v of logProb) expect(Math.abs(v)).toBeLessThan(1e-6);
    });

    test('reachable from a network: t = 1e-6, sigma1^2 = 1e-3, mu = 0 and a predicted noise of -4000 put all mass in the last bin', async () => {
      const probs = await read(tf.tidy(() => {
        const { muX, sigmaX } = discretizedOutputParams(tf.tensor1d([0]), tf.tensor2d([[-4000, 0]]), tf.tensor1d([1e-6]), Math.sqrt(1e-3));
        return discretizedProbs(muX, sigmaX, K);
      }));
      expect(probs[K - 1]).toBeCloseTo(1, 6);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    });
  });
}

describe.each(NODE_BACKENDS)('the edge-bin vector file on %s (the browser runs the same file on webgl and webgpu)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  test('every check of the conformance harness passes', async () => {
    const results = await checkVectorFile(edgeBinVectorFile());
    expect(results.length).toBeGreaterThan(5);
    expect(results.filter((r) => !r.ok).map((r) => `${r.check}: ${r.message}`)).toEqual([]);
  });
});
