/**
 * The names and attributes of the trainer's two fused kernels, shared by their CPU-side implementations
 * (src/train/fusedAdamW.ts) and their GPU programs (src/train/gpu/gpuKernels.ts).
 */

/** Name of the kernel: sum of squares of all inputs -> a float32 scalar. */
export const SUM_SQUARES_KERNEL = 'BfnSumSquares';
/** Name of the kernel: AdamW + EMA over all parameters -> new weights, moments and averages. */
export const ADAMW_EMA_KERNEL = 'BfnAdamWEma';

/** Constants of one AdamW + EMA step. */
export interface AdamWEmaAttrs {
  /** Learning rate of the step. */
  lr: number;
  beta1Adam: number;
  beta2Adam: number;
  /** Bias corrections 1 - beta1^step and 1 - beta2^step. */
  c1: number;
  c2: number;
  epsilon: number;
  weightDecay: number;
  /** Factor applied to every gradient first (clipping by global norm; 1 for none). */
  gradScale: number;
  /** EMA decay of the step; ignored without averages. */
  emaDecay: number;
  /** Number of parameter tensors. */
  count: number;
  /** Whether averages are given (inputs e0..). */
  ema: boolean;
}
