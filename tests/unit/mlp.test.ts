/**
 * The 2D MLP's hand-written backward pass (src/nets/mlp.ts) against TF.js's own automatic differentiation of the same
 * network written plainly (concat of the input blocks, matMul, swish), on the cpu and wasm backends: same outputs and
 * same gradients for every weight, with and without residual layers and Fourier features, for one time per row and
 * for one time shared by every row; and the model-file layout round trip.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { createMlp, timeEmbedding, type Mlp, type MlpConfig } from '../../src/nets/mlp';
import { NODE_BACKENDS, useBackend } from '../backends';

/** The same network by the textbook: one [x, sin, cos, embed(t)] W_0 product, plain ops, TF.js's tape for gradients. */
function plainNet(mlp: Mlp, weights: tf.Tensor[], x: tf.Tensor2D, t: tf.Tensor2D): tf.Tensor {
  const { inputDim, timeFeatures: F, fourierFeatures: K, depth, residual } = mlp.config;
  const [W0, b0, ...rest] = weights as [tf.Tensor2D, tf.Tensor1D, ...tf.Tensor[]];
  const parts: tf.Tensor[] = [x];
  if (K > 0) {
    const freqs = tf.tensor1d(Array.from({ length: K }, (_, k) => Math.PI * 2 ** k));
    const angles = tf.reshape(tf.mul(tf.reshape(x, [-1, inputDim, 1]), freqs), [-1, inputDim * K]);
    parts.push(tf.sin(angles), tf.cos(angles));
  }
  parts.push(tf.tile(timeEmbedding(t, F), [x.shape[0] / t.shape[0], 1]));
  const swish = (z: tf.Tensor) => tf.mul(z, tf.sigmoid(z));
  let h = swish(tf.add(tf.matMul(tf.concat(parts, 1) as tf.Tensor2D, W0), b0)) as tf.Tensor2D;
  for (let l = 0; l < depth - 1; l++) {
    const a = swish(tf.add(tf.matMul(h, rest[2 * l] as tf.Tensor2D), rest[2 * l + 1]!)) as tf.Tensor2D;
    h = residual ? tf.add(h, a) : a;
  }
  return tf.add(tf.matMul(h, rest[rest.length - 2] as tf.Tensor2D), rest[rest.length - 1]!);
}

const maxAbsDiff = async (a: tf.Tensor, b: tf.Tensor) => {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const value = (await d.data())[0]!;
  d.dispose();
  return value;
};

for (const backend of NODE_BACKENDS) {
  describe(`2D MLP on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    const configs: [string, Partial<MlpConfig>][] = [
      ['plain', {}],
      ['residual', { residual: true }],
      ['Fourier features', { fourierFeatures: 3 }],
      ['residual and Fourier features', { residual: true, fourierFeatures: 2 }],
    ];
    for (const [name, extra] of configs) {
      for (const shared of [false, true]) {
        test(`${name}, ${shared ? 'one time for every row' : 'one time per row'}: outputs and every gradient match TF.js's tape`, async () => {
          const before = tf.memory().numTensors;
          const mlp = createMlp({ inputDim: 2, outputDim: 2, width: 12, depth: 3, seed: 4, ...extra });
          // Non-zero output weights so every gradient is exercised.
          tf.tidy(() => mlp.variables.forEach((v, k) => v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', 50 + k))));
          const checks = tf.tidy(() => {
            const x = tf.randomNormal([7, 2], 0, 0.6, 'float32', 1) as tf.Tensor2D;
            const t = tf.randomUniform([shared ? 1 : 7, 1], 0, 1, 'float32', 2) as tf.Tensor2D;
            const target = tf.randomNormal([7, 2], 0, 1, 'float32', 3);
            const fileWeights = mlp.fileWeights();
            const loss = (out: tf.Tensor) => tf.sum(tf.mul(out, target)) as tf.Scalar;
            const mine = tf.variableGrads(() => loss(mlp.net(x, t)), mlp.variables);
            // The tape's gradients with respect to the file layout's tensors; the first layer's rows split like the MLP's blocks.
            const plainGrads = tf.grads((...ws: tf.Tensor[]) => loss(plainNet(mlp, ws, x, t)))(fileWeights);
            const blockRows = mlp.variables.slice(0, -(2 * mlp.config.depth + 1)).map((v) => v.shape[0]!);
            const expected = [...tf.split(plainGrads[0]!, blockRows, 0), ...plainGrads.slice(1)];
            const diff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b)));
            return {
              count: tf.scalar(expected.length),
              out: diff(mlp.net(x, t), plainNet(mlp, fileWeights, x, t)),
              grads: mlp.variables.map((v, k) => tf.stack([diff(mine.grads[v.name]!, expected[k]!), tf.max(tf.abs(expected[k]!)), tf.scalar(mine.grads[v.name]!.shape.join(',') === v.shape.join(',') ? 1 : 0)])),
            };
          });
          expect((await checks.count.data())[0]).toBe(mlp.variables.length);
          expect((await checks.out.data())[0]).toBeLessThan(1e-5);
          for (const g of checks.grads) {
            const [d, scale, sameShape] = await g.data();
            expect(sameShape).toBe(1);
            expect(scale).toBeGreaterThan(1e-3);
            expect(d).toBeLessThan(1e-5 * Math.max(1, scale!));
          }
          tf.dispose([checks.count, checks.out, ...checks.grads]);
          mlp.dispose();
          expect(tf.memory().numTensors).toBe(before);
        });
      }
    }

    test('the model-file layout round-trips, and a wrong shape is refused by name', async () => {
      const a = createMlp({ inputDim: 2, outputDim: 2, width: 8, depth: 2, fourierFeatures: 2, seed: 1 });
      const b = createMlp({ inputDim: 2, outputDim: 2, width: 8, depth: 2, fourierFeatures: 2, seed: 2 });
      expect(a.fileShapes()).toEqual([[2 + 8 + 16, 8], [8], [8, 8], [8], [8, 2], [2]]);
      const w = a.fileWeights();
      b.setFileWeights(w);
      const x = tf.randomNormal([5, 2], 0, 0.5, 'float32', 9);
      const t = tf.randomUniform([5, 1], 0, 1, 'float32', 8);
      a.variables.at(-2)!.assign(tf.randomNormal([8, 2], 0, 1, 'float32', 7));
      b.setFileWeights(tf.tidy(() => a.fileWeights()));
      expect(await maxAbsDiff(a.net(x, t), b.net(x, t))).toBe(0);
      expect(() => b.setFileWeights([w[1]!, ...w.slice(1)])).toThrow(/weight 0 has shape \[8\]; the network needs \[26, 8\]/);
      tf.dispose([...w, x, t]);
      a.dispose();
      b.dispose();
    });
  });
}
