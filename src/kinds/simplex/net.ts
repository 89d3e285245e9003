/**
 * The simplex kind's network Psi(theta, t) for D variables with K classes (Graves et al. 2023, §6: the network reads the
 * input distribution's parameters theta and t and returns K logits per variable, official `DiscreteBayesianFlow`
 * `params_to_net_inputs` for K > 2): the MLP of src/nets/mlp.ts over the flattened theta [batch, D K], its output
 * reshaped to logits [batch, D, K]. Every variable sees every other's theta, which is what lets it learn dependencies.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../../bfn/sampler';
import { createMlp, type Mlp } from '../../nets/mlp';
import type { TrainableNet } from '../../nets/trainable';

/** Size of a {@link SimplexNet}. */
export interface SimplexNetConfig {
  /** Variables D and classes K per sample. */
  D: number;
  K: number;
  width: number;
  depth: number;
  timeFeatures: number;
  seed: number;
}

/** The default size (the shipped model's). */
export const DEFAULT_SIMPLEX_NET: SimplexNetConfig = { D: 3, K: 3, width: 64, depth: 3, timeFeatures: 16, seed: 1 };

/** The simplex network: a {@link TrainableNet} whose `net` maps theta [batch, D, K] and t to logits [batch, D, K]. */
export interface SimplexNet extends TrainableNet<SimplexNetConfig> {
  readonly mlp: Mlp;
}

/**
 * Creates a simplex network. @throws RangeError when the MLP refuses a size (src/nets/mlp.ts createMlp) or D, K are
 * not integers >= 1 and >= 3.
 */
export function createSimplexNet(config: Partial<SimplexNetConfig> = {}): SimplexNet {
  const c = { ...DEFAULT_SIMPLEX_NET, ...config };
  if (!(Number.isInteger(c.D) && c.D >= 1)) throw new RangeError(`D must be a whole number >= 1, got ${c.D}`);
  if (!(Number.isInteger(c.K) && c.K >= 3)) throw new RangeError(`K must be a whole number >= 3, got ${c.K}`);
  const mlp = createMlp({ inputDim: c.D * c.K, outputDim: c.D * c.K, width: c.width, depth: c.depth, timeFeatures: c.timeFeatures, seed: c.seed });
  const net: Network = (theta, t) => tf.tidy(() => tf.reshape(mlp.net(tf.reshape(theta, [-1, c.D * c.K]), t), [-1, c.D, c.K]));
  return {
    config: c, mlp, net, variables: mlp.variables, names: mlp.names, parameterCount: mlp.parameterCount,
    fileSpecs: () => mlp.fileSpecs(), fileTensors: () => mlp.fileTensors(), setFileTensors: (byName) => mlp.setFileTensors(byName),
    dispose: () => mlp.dispose(),
  };
}
