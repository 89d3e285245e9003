/**
 * A matrix product x W whose gradient uses explicit transposes and plain matMuls. The wasm backend of TF.js 4.22 runs
 * matMul with a transposed operand 7-25x slower than a transpose followed by a plain matMul (measured with
 * scripts/bench.ts's MNIST rows: a [64, 784]^T [64, 1024] product takes 217 ms transposed, 9 ms explicit), and the
 * built-in gradient of matMul uses the transposed forms.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * x W with a fast gradient: dx = dy transpose(W), dW = transpose(x) dy.
 * @param x [batch, in]. @param W [in, out]. @param inputGrad when false the gradient for x is returned as zeros, saving
 *   one product (for a first layer whose input needs no gradient). @returns [batch, out].
 */
export function denseMatMul(x: tf.Tensor2D, W: tf.Tensor2D, inputGrad = true): tf.Tensor2D {
  const f = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([a, b]);
    return {
      value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dA = inputGrad ? tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)) : tf.zerosLike(sa);
        return [dA, tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x, W) as tf.Tensor2D;
}
