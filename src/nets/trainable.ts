/**
 * The one interface every trainable network of the playground offers (the 2D MLP, the MNIST network, and any kind
 * added later): its function Psi(input, t) for the BFN code, its variables with names for the optimizer, the weight
 * average and checkpoints, and its tensors as a model file stores them, by name. The trainer (src/train/trainer.ts)
 * and the model file (src/train/modelFile.ts) are written against this interface only.
 */
import type * as tf from '@tensorflow/tfjs';
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
 * Checks tensors keyed by name against a network's file specs. @returns nothing.
 * @throws RangeError naming the first missing tensor or the first shape that differs.
 */
export function checkFileTensors(specs: readonly TensorSpec[], byName: Readonly<Record<string, tf.Tensor>>): void {
  for (const { name, shape } of specs) {
    const t = byName[name];
    if (!t) throw new RangeError(`there is no tensor named ${name}`);
    if (t.shape.join(',') !== shape.join(',')) throw new RangeError(`weight ${name} has shape [${t.shape.join(', ')}]; the network needs [${shape.join(', ')}]`);
  }
}
