/**
 * A matrix product x W whose gradient avoids the slow forms of each backend.
 *
 * On wasm (TF.js 4.22, XNNPACK) a product runs fast only as A B with B a weight-like operand, and it packs B anew
 * whenever B is a new tensor: `matMul` with a transposed operand falls back to a plain loop (x^T dy with
 * transposeA: 301 ms against 6.7 ms explicit, for [64, 1024] x [64, 1024]), and dy transpose(W) costs a transpose
 * plus a packing of the new [1024, 1024] tensor (23.7 ms). So here dx = (W dy^T)^T: W is the left operand (never
 * packed or transposed; 5.0 ms), and only the [batch, *] activations are transposed. Measured with 1 thread on this
 * machine's wasm, medians of 12 (the product sizes of the MNIST network's hidden layers).
 * The GPU and cpu backends read a transposed operand at no cost, so there the gradient is the two built-in
 * transposed products (one kernel each).
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * x W with a fast gradient: dx = dy W^T, dW = x^T dy.
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
        const g = dy as tf.Tensor2D;
        if (tf.getBackend() !== 'wasm') {
          return [inputGrad ? tf.matMul(g, sb, false, true) : tf.zerosLike(sa), tf.matMul(sa, g, true, false)];
        }
        const dA = inputGrad ? tf.transpose(tf.matMul(sb, tf.transpose(g))) : tf.zerosLike(sa);
        return [dA, tf.matMul(tf.transpose(sa), g)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x, W) as tf.Tensor2D;
}
