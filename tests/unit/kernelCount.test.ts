/**
 * The kernel counter of `npm run bench` (src/bench/kernelCount.ts) on computations whose kernels are derived by hand
 * from TF.js 4.22's op and gradient definitions, on both Node backends:
 * - a 2-layer network's gradient step, loss = sum(relu(x W1) W2) with tf.variableGrads over [W1, W2]:
 *   forward BatchMatMul, Relu, BatchMatMul, Sum (4); each of them first clones the inputs its gradient needs
 *   (Identity: a and b of each BatchMatMul, x of Relu, x of Sum: 6); backward: Sum's gradient reshapes dy and
 *   multiplies it by ones (Reshape, Multiply: 2; `ones` is made in JS, no kernel), the second BatchMatMul's two
 *   gradients (dy W2^T for the relu output, h^T dy for W2: 2 BatchMatMul), Relu's gradient dy * step(cast(x))
 *   (Step, Cast, Multiply: 3), the first BatchMatMul's gradient for W1 only (x is a constant: 1 BatchMatMul).
 *   18 in all, 11 that compute (Identity and Reshape only alias data);
 * - a tf.customGrad op counts its own kernels, not the wrapper entry the profiler also lists;
 * - tensors made from arrays, Variable.assign and reads are not kernels;
 * - kernelsPerStep of a loop of k Square kernels plus a fixed part is 1 per step.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { countKernels, kernelsPerStep } from '../../src/bench/kernelCount';
import { NODE_BACKENDS, useBackend } from '../backends';

describe.each(NODE_BACKENDS)('countKernels on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  test('a 2-layer matMul network\'s gradient step: 18 kernels, 11 that compute', async () => {
    const x = tf.tensor2d([[1, -2, 3], [4, 5, -6]]);
    const W1 = tf.variable(tf.tensor2d([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]));
    const W2 = tf.variable(tf.tensor2d([[1], [-1]]));
    const { count } = await countKernels(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.matMul(tf.relu(tf.matMul(x, W1)), W2)) as tf.Scalar, [W1, W2]);
      tf.dispose([value, ...Object.values(grads)]);
      return [];
    });
    expect(count.total).toBe(18);
    expect(count.compute).toBe(11);
    expect(Object.fromEntries(count.byName)).toEqual({ Identity: 6, BatchMatMul: 5, Multiply: 2, Cast: 1, Relu: 1, Reshape: 1, Step: 1, Sum: 1 });
    tf.dispose([x, W1, W2]);
  });

  test('a customGrad op counts its kernels once, not its wrapper; arrays, assign and reads are no kernels', async () => {
    const square = tf.customGrad(((a: tf.Tensor, save: tf.GradSaveFunc) => {
      save([a]);
      return { value: tf.square(a), gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => tf.mul(dy, tf.mul(s!, 2)) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    const v = tf.variable(tf.zeros([3]));
    const { count, result } = await countKernels(async () => {
      const a = tf.tensor1d([1, 2, 3]);
      v.assign(a);
      await v.data();
      const y = square(a) as tf.Tensor;
      a.dispose();
      return y;
    });
    expect(count.byName).toEqual([['Square', 1]]);
    expect(count.total).toBe(1);
    expect(Array.from(await result.data())).toEqual([1, 4, 9]);
    tf.dispose([result, v]);
  });

  test('kernelsPerStep: a loop of Square kernels after a fixed Add and Sum is 1 per step', async () => {
    const run = async (steps: number) => {
      let y = tf.add(tf.ones([4]), 1);
      for (let k = 0; k < steps; k++) {
        const next = tf.square(y);
        y.dispose();
        y = next;
      }
      const s = tf.sum(y);
      await s.data();
      tf.dispose([y, s]);
    };
    const perStep = await kernelsPerStep(run, 3);
    expect(perStep).toEqual({ total: 1, compute: 1, byName: [['Square', 1]] });
  });
});
