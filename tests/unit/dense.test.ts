/**
 * src/nets/dense.ts: x W with its hand-arranged gradient (dx = (W dy^T)^T on wasm, the transposed built-in products
 * elsewhere) gives TF.js's own gradient of tf.matMul on every Node backend, for a rectangular product whose
 * transposes cannot be confused (in != out != batch).
 */
import { afterAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { denseMatMul } from '../../src/nets/dense';
import { NODE_BACKENDS, useBackend } from '../backends';

afterAll(async () => {
  await useBackend('cpu');
});

for (const backend of NODE_BACKENDS) {
  describe(`denseMatMul on ${backend}`, () => {
    test('value and gradients equal tf.matMul and its tape; without inputGrad the input gradient is zero', async () => {
      await useBackend(backend);
      const x = tf.randomNormal([5, 7], 0, 1, 'float32', 1) as tf.Tensor2D;
      const W = tf.randomNormal([7, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
      const R = tf.randomNormal([5, 3], 0, 1, 'float32', 3);
      const loss = (f: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor2D, b as tf.Tensor2D), R));
      const [dxRef, dWRef] = tf.grads(loss((a, b) => tf.matMul(a, b)))([x, W]);
      const [dx, dW] = tf.grads(loss((a, b) => denseMatMul(a, b)))([x, W]);
      const [dxNone, dWNone] = tf.grads(loss((a, b) => denseMatMul(a, b, false)))([x, W]);
      expect(Array.from(denseMatMul(x, W).dataSync())).toEqual(Array.from(tf.matMul(x, W).dataSync()));
      for (const [got, want] of [[dx, dxRef], [dW, dWRef], [dWNone, dWRef]] as const) {
        expect(got!.shape).toEqual(want!.shape);
        const g = got!.dataSync(), w = want!.dataSync();
        w.forEach((v, k) => expect(Math.abs(g[k]! - v)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v))));
      }
      expect(Math.max(...Array.from(tf.abs(dxNone!).dataSync()))).toBe(0);
      expect(Math.max(...Array.from(tf.abs(dxRef!).dataSync()))).toBeGreaterThan(0.1);
    });
  });
}
