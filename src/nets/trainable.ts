/**
 * The one interface every trainable network of the playground offers (the 2D MLP, the MNIST network, and any kind
 * added later): its function Psi(input, t) for the BFN code, its variables with names for the optimizer, the weight
 * average and checkpoints, and its tensors as a model file stores them, by name. The trainer (src/train/trainer.ts)
 * and the model file (src/train/modelFile.ts) are written against this interface only.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../bfn/sampler';

/** A tensor with the name it has in a model file or a checkpoint. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** The name and shape of one tensor of a model file. */
export interface TensorSpec {
  name: string;
  shape: number[];
}

/** A trainable network. `C` is its size configuration as a model file records it. */
export interface TrainableNet<C = unknown> {
  readonly config: C;
  /** Psi(input, t): the network the BFN losses and samplers call. */
  readonly net: Network;
  /** The trainable variables in a fixed order (the optimizer's moments and the weight average follow it). */
  readonly variables: tf.Variable[];
  /** One unique name per variable, in the same order (checkpoints store `model/<name>`, `ema/<name>`, ...). */
  readonly names: string[];
  /** Number of trainable parameters. */
  readonly parameterCount: number;
  /** Names and shapes of the tensors a model file stores, in file order; allocates nothing. */
  fileSpecs(): TensorSpec[];
  /** The tensors a model file stores, in the order of {@link fileSpecs}. New tensors: the caller disposes them. */
  fileTensors(): NamedTensor[];
  /**
   * Sets every weight from tensors keyed by file name (copied, not kept). The model file checks names and shapes
   * against {@link fileSpecs} first. @throws RangeError when a name is missing or a shape differs.
   */
  setFileTensors(byName: Readonly<Record<string, tf.Tensor>>): void;
  dispose(): void;
}

/**
 * What is wrong with tensors keyed by name for a network's file specs: the first missing name or differing shape, in
 * words ("weights.bin has no tensor named layer0/bias", "weight layer0/kernel has shape [2, 8]; the network needs
 * [26, 8]"), or null when they fit. @param where what holds the tensors, for the message.
 */
export function fileTensorProblem(specs: readonly TensorSpec[], byName: Readonly<Record<string, tf.Tensor>>, where = 'the file'): string | null {
  for (const { name, shape } of specs) {
    const t = byName[name];
    if (!t) return `${where} has no tensor named ${name}`;
    if (t.shape.join(',') !== shape.join(',')) return `weight ${name} has shape [${t.shape.join(', ')}]; the network needs [${shape.join(', ')}]`;
  }
  return null;
}

/** Checks tensors keyed by name against a network's file specs. @throws RangeError naming the first problem ({@link fileTensorProblem}). */
export function checkFileTensors(specs: readonly TensorSpec[], byName: Readonly<Record<string, tf.Tensor>>): void {
  const problem = fileTensorProblem(specs, byName);
  if (problem) throw new RangeError(problem);
}
