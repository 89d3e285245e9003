/**
 * The one trainer of every kind of model: AdamW (Loshchilov & Hutter 2019, decoupled weight decay, as
 * `torch.optim.AdamW`, which the official BFN code trains with; weight decay 0 gives Adam), gradient clipping by
 * global norm, a learning rate with linear warm-up and a cosine decay, an exponential moving average (EMA) of the
 * weights for sampling and evaluation, and a state that saves and restores exactly (checkpoints, resume). A kind
 * supplies its network and, for each step, the batch and its loss; everything else is here.
 *
 * A step whose loss or gradient is not finite is not applied and raises {@link NonFiniteLossError}. With a
 * divergence watch, a run whose finite loss stays far above its best is put back to its last good checkpoint and
 * raises {@link DivergedError}. No DOM, no I/O: used by the worker and the Node scripts alike.
 *
 * Written by hand rather than with `tf.train.adam` because TF.js has no AdamW (decoupled weight decay), no clipping
 * in its optimizers, and no way to change the learning rate of a step but writing to a protected field.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainableNet } from '../nets/trainable';
import { adamWEmaStep, hasFusedUpdate, sumOfSquares } from './fusedAdamW';
import { DIVERGENCE, divergenceWords, DivergedError, LossWatch, NonFiniteLossError, type LossWatchState } from './halt';

/** The optimizer, its learning-rate schedule and the weight average. */
export interface OptimizerConfig {
  /** Peak learning rate. */
  learningRate: number;
  /** Linear warm-up from 0 to the peak over this many steps (0: none). */
  warmupSteps: number;
  /** When set, the rate follows a cosine from the peak down to `cosineFloor` x peak at this step, then stays there. */
  cosineSteps?: number;
  /** Share of the peak the cosine ends at, in [0, 1) (0: down to zero). */
  cosineFloor: number;
  /** Adam's beta_1 and beta_2 (the decay of the first and second moment estimates). */
  beta1Adam: number;
  beta2Adam: number;
  /** Adam's epsilon, added to the root of the second moment. */
  epsilon: number;
  /** Decoupled weight decay (AdamW); 0 gives Adam. */
  weightDecay: number;
  /** Gradient clipping by global L2 norm; 0 turns it off. */
  clipNorm: number;
  /** Decay of the EMA of the weights (with warm-up (1 + s) / (10 + s)); 0 turns the average off. */
  emaDecay: number;
}

/**
 * The learning rate of a step (1-based) under a schedule: peak x min(1, step / warmup) x (floor + (1 - floor) x
 * (1 + cos(pi min(1, step / cosineSteps))) / 2), the last factor 1 without a cosine.
 */
export function learningRateAt(config: Pick<OptimizerConfig, 'learningRate' | 'warmupSteps' | 'cosineSteps' | 'cosineFloor'>, step: number): number {
  const warm = config.warmupSteps > 0 ? Math.min(1, step / config.warmupSteps) : 1;
  if (!config.cosineSteps) return config.learningRate * warm;
  const progress = Math.min(1, step / config.cosineSteps);
  return config.learningRate * warm * (config.cosineFloor + (1 - config.cosineFloor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/** The EMA decay at a step (1-based): min(emaDecay, (1 + step) / (10 + step)), the usual warm-up. */
export function emaDecayAt(emaDecay: number, step: number): number {
  return Math.min(emaDecay, (1 + step) / (10 + step));
}

/** One step's batch and loss, built by the kind. */
export interface StepLoss {
  /** The scalar loss of the batch (called inside the gradient tape). */
  loss: () => tf.Scalar;
  /** Frees the batch's tensors (called after the gradients). */
  dispose(): void;
}

/** One training step's report. */
export interface StepReport {
  step: number;
  /** The batch loss, in the kind's unit (nats per dimension for 2D points and MNIST pixels). */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  learningRate: number;
}

/** A named tensor list: the trainer's whole state (weights, their average, Adam's moments) for a checkpoint. */
export interface TrainerState {
  step: number;
  tensors: { name: string; tensor: tf.Tensor }[];
}

/** What a kind gives the trainer. */
export interface TrainerOptions<N extends TrainableNet> {
  /** The network to train (the trainer owns it from now on). */
  net: N;
  /** A second network of the same size, for the weight average. */
  twin: () => N;
  /** The batch and loss of a step (1-based); a kind may override {@link Trainer.stepLoss} instead. */
  stepLoss?: (net: N, step: number) => StepLoss;
  optimizer: OptimizerConfig;
  /** Watch the loss for divergence and keep a checkpoint every DIVERGENCE.checkpointEvery healthy steps. */
  watch?: { unit: string };
  /**
   * Update every parameter in one kernel (src/train/fusedAdamW.ts); default: where the backend has it (wasm, cpu, webgpu, webgl).
   * False composes TF.js ops, one parameter at a time (the reference form; the same numbers to float32 rounding).
   */
  fusedUpdate?: boolean;
}

interface Checkpoint {
  step: number;
  tensors: tf.Tensor[];
  watch: LossWatchState;
}

/** A trainer. It owns its networks and moments; call {@link dispose} when done. */
/**
 * How many groups the fused update takes the parameters in: each group's new state is made while its old state is
 * alive, so with 4 the update adds about a quarter of the state (weights, average, two moments) to the step's peak
 * memory instead of all of it, for 4 kernels instead of 1.
 */
const UPDATE_GROUPS = 4;

export class Trainer<N extends TrainableNet> {
  /** The network being trained. */
  readonly net: N;
  /** The weight average that sampling and evaluation use (the trained network itself when the average is off). */
  readonly ema: N;
  private m: tf.Variable[];
  private v: tf.Variable[];
  private completed = 0;
  private readonly lossWatch = new LossWatch();
  private checkpoint: Checkpoint | null = null;
  private disposed = false;
  /** The fused update's groups of parameter tensors (see updateGroups). */
  private groups: number[][] | null = null;

  /** @throws RangeError for a learning rate that is not positive or an EMA decay outside [0, 1). */
  constructor(private readonly options: TrainerOptions<N>) {
    const o = options.optimizer;
    if (!(o.learningRate > 0 && Number.isFinite(o.learningRate))) throw new RangeError(`learning rate must be positive, got ${o.learningRate}`);
    if (!(o.emaDecay >= 0 && o.emaDecay < 1)) throw new RangeError(`EMA decay must lie in [0, 1), got ${o.emaDecay}`);
    this.net = options.net;
    this.ema = o.emaDecay > 0 ? options.twin() : this.net;
    if (this.ema !== this.net) this.ema.variables.forEach((e, k) => e.assign(this.net.variables[k]!));
    // In tidy: the zeros the variables start from would otherwise stay counted after the trainer is disposed.
    this.m = this.net.variables.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
    this.v = this.net.variables.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
    if (options.watch) this.saveCheckpoint();
  }

  /** Number of completed (applied) steps. */
  get step(): number {
    return this.completed;
  }

  /**
   * Counts the steps from `step` on (a network that trained that many steps elsewhere); with a watch, its current
   * weights become the last good checkpoint.
   */
  continueFrom(step: number): void {
    this.completed = step;
    if (this.options.watch) this.saveCheckpoint();
  }

  /** The trained tensors, their average and the moments, in a fixed order (for checkpoints). */
  private allTensors(): tf.Variable[] {
    return [...this.net.variables, ...(this.ema === this.net ? [] : this.ema.variables), ...this.m, ...this.v];
  }

  private saveCheckpoint(): void {
    if (this.checkpoint) tf.dispose(this.checkpoint.tensors);
    this.checkpoint = { step: this.completed, tensors: this.allTensors().map((t) => tf.clone(t)), watch: this.lossWatch.save() };
  }

  /** Puts back the last good weights, average, moments and step count. @returns that step. */
  private restoreCheckpoint(): number {
    const c = this.checkpoint!;
    this.allTensors().forEach((t, k) => t.assign(c.tensors[k]!));
    this.completed = c.step;
    this.lossWatch.restore(c.watch);
    return c.step;
  }

  /**
   * Restores the last good checkpoint and raises the divergence (for a kind that sees it in its samples, e.g. nearly
   * all of them pinned at the clip of x_hat). @param value the offending value (NaN when none). @param why in words.
   * @throws DivergedError always (after restoring). @throws Error without a watch.
   */
  diverged(value: number, why: string): never {
    if (!this.checkpoint) throw new Error('this trainer keeps no checkpoint (it has no divergence watch)');
    const at = this.completed;
    const restored = this.restoreCheckpoint();
    throw new DivergedError(at, value, why, restored);
  }

  /**
   * The batch and loss of step `step` (1-based): the options' `stepLoss`, or a subclass's override.
   * @throws Error when neither gives one.
   */
  protected stepLoss(step: number): StepLoss {
    if (!this.options.stepLoss) throw new Error('this trainer has no loss: give stepLoss or override stepLoss()');
    return this.options.stepLoss(this.net, step);
  }

  /**
   * Runs one AdamW step on the kind's next batch. The loss and the global gradient norm come back in one read-back;
   * a non-finite step is not applied, so the weights, moments and average stay those of the last good step.
   * @returns the step's report. @throws NonFiniteLossError when the loss or a gradient is not finite (nothing
   *   changed). @throws DivergedError (with a watch) when the loss stayed far above its best: the last good
   *   checkpoint was restored.
   */
  async trainStep(): Promise<StepReport> {
    if (this.disposed) throw new Error('this trainer was disposed');
    const next = this.completed + 1;
    const o = this.options.optimizer;
    const batch = this.stepLoss(next);
    let value: tf.Scalar;
    let grads: tf.NamedTensorMap;
    try {
      ({ value, grads } = tf.variableGrads(batch.loss, this.net.variables));
    } finally {
      batch.dispose();
    }
    const gradList = this.net.variables.map((w) => grads[w.name]!);
    const fused = (this.options.fusedUpdate ?? true) && hasFusedUpdate();
    const check = tf.tidy(() => tf.stack([value, tf.sqrt(fused ? sumOfSquares(gradList) : tf.addN(gradList.map((g) => tf.sum(tf.square(g)))))]));
    const [loss, gradNorm] = await check.data();
    tf.dispose([check, value]);
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      tf.dispose(gradList);
      throw Number.isFinite(loss) ? new NonFiniteLossError(next, gradNorm!, 'gradient norm') : new NonFiniteLossError(next, loss!);
    }
    const lr = learningRateAt(o, next);
    const scale = o.clipNorm > 0 && gradNorm! > o.clipNorm ? o.clipNorm / gradNorm! : 1;
    const c1 = 1 - Math.pow(o.beta1Adam, next);
    const c2 = 1 - Math.pow(o.beta2Adam, next);
    const decay = emaDecayAt(o.emaDecay, next);
    if (fused) this.applyFused(gradList, { lr, beta1Adam: o.beta1Adam, beta2Adam: o.beta2Adam, c1, c2, epsilon: o.epsilon, weightDecay: o.weightDecay, gradScale: scale, emaDecay: decay });
    else this.applyComposed(gradList, lr, scale, c1, c2, decay);
    tf.dispose(gradList);
    this.completed = next;
    if (this.options.watch) this.watchLoss(loss!);
    return { step: next, loss: loss!, gradNorm: gradNorm!, learningRate: lr };
  }

  /** The update of every parameter in one kernel (src/train/fusedAdamW.ts); the old tensors are freed. */
  private applyFused(gradList: tf.Tensor[], attrs: Parameters<typeof adamWEmaStep>[5]): void {
    const averaged = this.ema !== this.net;
    const assign = (targets: tf.Variable[], values: tf.Tensor[]) => targets.forEach((t, k) => {
      t.assign(values[k]!);
      values[k]!.dispose();
    });
    // In a few groups of about a quarter of the parameters each: each group's new state replaces its old one before
    // the next group's is made, so the update adds a quarter of the state to the step's memory, not all of it.
    for (const group of this.updateGroups()) {
      const pick = <T>(list: T[]) => group.map((k) => list[k]!);
      const next = adamWEmaStep(pick(this.net.variables), pick(gradList), pick(this.m), pick(this.v), averaged ? pick(this.ema.variables) : null, attrs);
      assign(pick(this.net.variables), next.w);
      assign(pick(this.m), next.m);
      assign(pick(this.v), next.v);
      if (averaged) assign(pick(this.ema.variables), next.ema!);
    }
  }

  /**
   * The parameter tensors' indices in consecutive groups of about a {@link UPDATE_GROUPS}-th of the parameters each
   * (made once; at most UPDATE_GROUPS groups unless single tensors are larger than that).
   */
  private updateGroups(): number[][] {
    if (!this.groups) {
      const sizes = this.net.variables.map((w) => w.size);
      const limit = Math.ceil(sizes.reduce((a, b) => a + b, 0) / UPDATE_GROUPS);
      const groups: number[][] = [[]];
      let filled = 0;
      sizes.forEach((size, k) => {
        // A group at least half full is closed before it would overflow; a smaller one takes the next tensor anyway.
        if (filled >= limit / 2 && filled + size > limit) {
          groups.push([]);
          filled = 0;
        }
        groups[groups.length - 1]!.push(k);
        filled += size;
      });
      this.groups = groups;
    }
    return this.groups;
  }

  /**
   * The update composed of TF.js ops (with fusedUpdate false, or a backend without the fused kernels), one parameter at a time so that only one parameter's
   * intermediates are alive at once.
   */
  private applyComposed(gradList: tf.Tensor[], lr: number, scale: number, c1: number, c2: number, decay: number): void {
    const o = this.options.optimizer;
    this.net.variables.forEach((w, k) => tf.tidy(() => {
      const g = scale === 1 ? gradList[k]! : tf.mul(gradList[k]!, scale);
      const m = tf.add(tf.mul(this.m[k]!, o.beta1Adam), tf.mul(g, 1 - o.beta1Adam));
      const v = tf.add(tf.mul(this.v[k]!, o.beta2Adam), tf.mul(tf.square(g), 1 - o.beta2Adam));
      this.m[k]!.assign(m);
      this.v[k]!.assign(v);
      const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), o.epsilon));
      // AdamW: w <- w - lr (update + weightDecay w), as torch.optim.AdamW.
      const updated = o.weightDecay > 0 ? tf.sub(w, tf.mul(tf.add(update, tf.mul(w, o.weightDecay)), lr)) : tf.sub(w, tf.mul(update, lr));
      w.assign(updated);
      if (this.ema !== this.net) {
        const e = this.ema.variables[k]!;
        e.assign(tf.add(tf.mul(e, decay), tf.mul(updated, 1 - decay)));
      }
    }));
  }

  /** Feeds one step's loss to the divergence watch. @throws DivergedError (after restoring) when the run diverged. */
  private watchLoss(loss: number): void {
    const verdict = this.lossWatch.observe(loss);
    if (verdict.diverged) this.diverged(loss, divergenceWords(loss, verdict.best, this.options.watch!.unit));
    if (this.completed % DIVERGENCE.checkpointEvery === 0 && verdict.healthy) this.saveCheckpoint();
  }

  /** The whole state, for a checkpoint (the tensors are the live variables: encode them before training on). */
  state(): TrainerState {
    const named = (prefix: string, list: tf.Tensor[]) => list.map((tensor, k) => ({ name: `${prefix}/${this.net.names[k]}`, tensor }));
    return { step: this.completed, tensors: [...named('model', this.net.variables), ...named('ema', this.ema.variables), ...named('adam_m', this.m), ...named('adam_v', this.v)] };
  }

  /**
   * Restores a state saved by {@link state} (same network size). With `allowNew`, tensors the checkpoint lacks
   * (weights added to the network since, zero-initialised) keep their initial values and zero moments.
   * @throws Error naming a missing tensor (unless allowNew) or a shape mismatch; nothing is changed then.
   * @returns the names of the tensors that kept their initial values.
   */
  loadState(step: number, tensors: Record<string, tf.Tensor>, allowNew = false): string[] {
    const targets = this.state().tensors;
    const kept: string[] = [];
    for (const { name, tensor } of targets) {
      const source = tensors[name];
      if (!source && allowNew) {
        kept.push(name);
        continue;
      }
      if (!source) throw new Error(`checkpoint has no tensor ${name}`);
      if (source.shape.join(',') !== tensor.shape.join(',')) throw new Error(`checkpoint tensor ${name} has shape [${source.shape.join(', ')}], expected [${tensor.shape.join(', ')}]`);
    }
    for (const { name, tensor } of targets) if (tensors[name]) (tensor as tf.Variable).assign(tensors[name]!);
    this.completed = step;
    if (this.options.watch) this.saveCheckpoint();
    return kept;
  }

  /**
   * Copies the weights (and, when both keep one, the average) of another trainer of the same network size, e.g. the
   * one this trainer replaces after a change of learning rate. The moments start afresh.
   */
  copyWeightsFrom(other: Trainer<N>): void {
    this.net.variables.forEach((v, k) => v.assign(other.net.variables[k]!));
    const source = other.ema !== other.net ? other.ema : other.net;
    if (this.ema !== this.net) this.ema.variables.forEach((v, k) => v.assign(source.variables[k]!));
    this.continueFrom(other.step);
  }

  /** Frees the networks, the moments and the checkpoint. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.checkpoint) tf.dispose(this.checkpoint.tensors);
    this.checkpoint = null;
    tf.dispose([...this.m, ...this.v]);
    if (this.ema !== this.net) this.ema.dispose();
    this.net.dispose();
  }
}
