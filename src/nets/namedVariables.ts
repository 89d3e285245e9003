/**
 * The variables of a network built by hand, each under its own name (for the optimizer, the weight average and the
 * model file, src/nets/trainable.ts), with Glorot-uniform initialisation (Glorot & Bengio 2010) seeded per variable,
 * and the {@link TrainableNet} that wraps them: shared by the MNIST and words networks.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../bfn/sampler';
import { checkFileTensors, type TrainableNet } from './trainable';

/** A growing list of named variables. */
export class NamedVariables {
  readonly variables: tf.Variable[] = [];
  readonly names: string[] = [];

  /** @param prefix makes TF.js's variable names unique per network. @param seed seeds the initialisation. */
  constructor(private readonly prefix: string, private readonly seed: number) {}

  /** Adds a trainable variable named `name` with the value `init` (which is disposed). */
  add(name: string, init: tf.Tensor): tf.Variable {
    const v = tf.variable(init, true, `${this.prefix}/${name}`);
    init.dispose();
    this.variables.push(v);
    this.names.push(name);
    return v;
  }

  /** Adds a Glorot-uniform variable, limit sqrt(6 / (fanIn + fanOut)), seeded by seed x 1000 + its index. @param shape default [fanIn, fanOut]. */
  glorot(name: string, fanIn: number, fanOut: number, shape = [fanIn, fanOut]): tf.Variable {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return this.add(name, tf.randomUniform(shape, -limit, limit, 'float32', this.seed * 1000 + this.variables.length));
  }

  /** The network as a {@link TrainableNet}: a model file stores every variable under its own name. */
  trainable<C>(config: C, net: Network): TrainableNet<C> & { variables: tf.Variable[]; names: string[] } {
    const { variables, names } = this;
    const fileSpecs = () => variables.map((v, k) => ({ name: names[k]!, shape: [...v.shape] }));
    return {
      config, net, variables, names,
      parameterCount: variables.reduce((s, v) => s + v.size, 0),
      fileSpecs,
      fileTensors: () => variables.map((v, k) => ({ name: names[k]!, tensor: tf.clone(v) })),
      setFileTensors(byName) {
        checkFileTensors(fileSpecs(), byName);
        names.forEach((name, k) => variables[k]!.assign(byName[name]!));
      },
      dispose: () => tf.dispose(variables),
    };
  }
}
