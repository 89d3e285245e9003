/**
 * What every kind's worker session shares, written once: the loaded models (the shipped one, fetched from the build
 * by the worker, and a user's file), the trainer with its step loop and wall time, cancellation tickets, and the
 * export of a model as files. A kind's session (the 2D playground's, the MNIST view's) adds its sampling and its
 * measurements. Worker-side only (it imports TensorFlow.js).
 */
import type { BfnSpec } from '../bfn';
import { fetchBytes } from '../data/mnist/fetch';
import type { TrainableNet } from '../nets/trainable';
import { encodeModelFile, manifestBytes, readModelFiles, weightsManifestSchema, type CardBase, type ShippedModelFiles, type ModelFileKind, type ModelJson, type NetworkJson } from '../train/modelFile';
import { runTrainingSteps } from '../train/stepLoop';
import type { StepReport } from '../train/trainer';
import { MNIST_SAMPLE_CANCELLED, type ProgressCallback, type TrainStepsResult } from './protocol';

/**
 * What the worker gives each kind's session to expose its API: `afterInit` runs a job after every earlier job, once
 * the backend is ready (TF.js keeps global state: one job at a time); `transfer` marks typed arrays of a result to be
 * moved, not copied, to the page (comlink's transfer).
 */
export interface SessionWiring {
  afterInit<T>(job: () => T | Promise<T>): Promise<T>;
  transfer<T>(value: T, buffers: ArrayBuffer[]): T;
}

/** The buffers of typed arrays, for {@link SessionWiring.transfer}. */
export const buffersOf = (...arrays: ArrayBufferView[]): ArrayBuffer[] => arrays.map((a) => a.buffer as ArrayBuffer);

/** A model read from files: its spec, its network (owned by the store) and its card (null when none came). */
export interface LoadedModel<N extends TrainableNet, S extends BfnSpec, C> {
  spec: S;
  net: N;
  card: C | null;
}

/** Where a loaded model sits: the build's shipped model of the current data set, or a file the user opened. */
export type ModelSlot = 'shipped' | 'file';

/** Bytes of weights.bin that model.json describes (float32 values), or 0 when it cannot tell (for progress). */
function weightBytes(modelJson: unknown): number {
  const manifest = weightsManifestSchema.safeParse((modelJson as { weightsManifest?: unknown } | null)?.weightsManifest);
  return manifest.success ? manifestBytes(manifest.data[0]!.weights) : 0;
}

/** Finds the build's shipped model files by id (src/train/shippedModels.ts shippedModelFiles in the worker). */
export type ShippedLookup = (id: string) => ShippedModelFiles | null;

/** What the worker gives each kind's session when it makes it (src/kinds/registry.ts). */
export interface SessionEnv {
  /** The active backend's name. */
  backend: () => string;
  /** Where the build's shipped models are. */
  shipped: ShippedLookup;
  /** Where the build serves its data files (the page's base URL). */
  baseUrl: string;
  /** Every kind of model's file declaration. */
  known: readonly ModelFileKind[];
}

/** The loaded models of one kind: a shipped slot and a file slot. A slot changes only when its new model is valid. */
export class ModelStore<N extends TrainableNet, J extends NetworkJson, S extends BfnSpec, C extends CardBase> {
  private slots: Record<ModelSlot, (LoadedModel<N, S, C> & { id: string | null }) | null> = { shipped: null, file: null };

  /**
   * @param shipped where the build's shipped models are (none: a store for files only). @param known every kind of
   * model the app has (src/kinds/registry.ts), so that a file of another kind is named as such.
   */
  constructor(readonly kind: ModelFileKind<N, J, S, C>, private readonly shipped: ShippedLookup = () => null, private readonly known: readonly ModelFileKind[] = []) {}

  /** Whether the build ships a model `id`. */
  hasShipped(id: string): boolean {
    return this.shipped(id) !== null;
  }

  /** The model in a slot, or null. */
  get(slot: ModelSlot): LoadedModel<N, S, C> | null {
    return this.slots[slot];
  }

  private put(slot: ModelSlot, model: LoadedModel<N, S, C>, id: string | null): LoadedModel<N, S, C> {
    const old = this.slots[slot];
    if (old && old.net !== model.net) old.net.dispose();
    this.slots[slot] = { ...model, id };
    return model;
  }

  /**
   * Loads the build's shipped model `id` (models/<id>/) into the shipped slot: model.json and card.json come with the
   * build, weights.bin is downloaded here with progress. A second call for the same id returns the loaded model.
   * @throws Error when the build has no model `id` or the download fails; ModelFileError for bad files.
   */
  async loadShipped(id: string, onProgress?: (loaded: number, total: number) => void): Promise<LoadedModel<N, S, C>> {
    const current = this.slots.shipped;
    if (current && current.id === id) return current;
    const files = this.shipped(id);
    if (!files) throw new Error(`this build has no shipped model '${id}' (models/${id}/)`);
    const bytes = await fetchBytes(files.weightsUrl, onProgress, weightBytes(files.modelJson));
    return this.put('shipped', this.read(files.modelJson, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, files.card), id);
  }

  /** Drops the shipped model (a data set without one). */
  clearShipped(): void {
    this.slots.shipped?.net.dispose();
    this.slots.shipped = null;
  }

  /**
   * Validates a user's files and loads them into the file slot.
   * @throws ModelFileError for bad files (the slot keeps its model).
   */
  loadFile(modelJson: unknown, weights: ArrayBuffer, card: unknown): LoadedModel<N, S, C> {
    return this.put('file', this.read(modelJson, weights, card), null);
  }

  /** Validates model files and builds the network (src/train/modelFile.ts). @throws ModelFileError. */
  read(modelJson: unknown, weights: ArrayBuffer, card: unknown): LoadedModel<N, S, C> {
    const { spec, net, card: parsed } = readModelFiles(this.kind, modelJson, weights, card, this.known);
    return { spec, net, card: parsed };
  }

  /** A model as files. @returns model.json's object and weights.bin. @throws ModelFileError for a spec the kind refuses. */
  encode(spec: BfnSpec, net: N): Promise<{ modelJson: ModelJson<J, S>; weights: ArrayBuffer }> {
    return encodeModelFile(this.kind, spec, net);
  }

  /** Frees every loaded model. */
  dispose(): void {
    this.slots.shipped?.net.dispose();
    this.slots.file?.net.dispose();
    this.slots = { shipped: null, file: null };
  }
}

/**
 * The error a cancelled sampling run rejects with, in every kind's session: not a failure. Its name is
 * {@link MNIST_SAMPLE_CANCELLED}, which the client's isSampleCancelled recognises.
 */
export class SampleCancelled extends Error {
  constructor() {
    super('sampling was cancelled');
    this.name = MNIST_SAMPLE_CANCELLED;
  }
}

/** Cancellation tickets: a run takes a ticket on arrival; {@link cancel} cancels every ticket handed out before it. */
export class Tickets {
  private next = 0;
  private cancelledBelow = 0;

  /** A ticket for a run requested now. */
  take(): number {
    return this.next++;
  }

  /** Cancels every run whose ticket was handed out before this call (running or waiting). */
  cancel(): void {
    this.cancelledBelow = this.next;
  }

  /** Whether the run of `ticket` was cancelled. */
  cancelled(ticket: number): boolean {
    return ticket < this.cancelledBelow;
  }

  /** @throws SampleCancelled when the run of `ticket` was cancelled. */
  throwIfCancelled(ticket: number): void {
    if (this.cancelled(ticket)) throw new SampleCancelled();
  }

  /**
   * The sampler's `onStep` for the run of `ticket`: reports progress, lets the worker answer other messages (a cancel)
   * by pausing at most every `yieldEveryMs` milliseconds (0: every step), and rejects with SampleCancelled once the run
   * is cancelled.
   */
  sampleSteps(ticket: number, onProgress?: ProgressCallback, yieldEveryMs = 0): (i: number, n: number) => Promise<void> {
    let paused = performance.now();
    return async (i, n) => {
      this.throwIfCancelled(ticket);
      onProgress?.(i, n);
      if (yieldEveryMs > 0 && performance.now() - paused < yieldEveryMs) return;
      await new Promise((r) => setTimeout(r, 0));
      paused = performance.now();
      this.throwIfCancelled(ticket);
    };
  }
}

/** The maximum number of steps one trainSteps call may run. */
export const MAX_STEPS_PER_CALL = 10_000;

/** What {@link TrainingRun} needs of a trainer (src/train/trainer.ts Trainer, of any kind). */
interface SteppingTrainer {
  readonly step: number;
  trainStep(): Promise<StepReport>;
  dispose(): void;
}

/** The in-page trainer of a session with its wall time. */
export class TrainingRun<T extends SteppingTrainer> {
  private current: T | null = null;
  private wallMs = 0;

  /** The trainer, or null before one was made. */
  get trainer(): T | null {
    return this.current;
  }

  /** Seconds spent training so far. */
  get wallSeconds(): number {
    return this.wallMs / 1000;
  }

  /**
   * Replaces the trainer (the old one is disposed unless it is `next` itself). @param wallSeconds the time the new
   * trainer's network already trained (0 for a fresh one; kept when `keepTime`).
   */
  replace(next: T | null, options: { wallSeconds?: number; keepTime?: boolean } = {}): void {
    if (this.current && this.current !== next) this.current.dispose();
    this.current = next;
    if (!options.keepTime) this.wallMs = (options.wallSeconds ?? 0) * 1000;
  }

  /**
   * Runs steps until `maxSteps` are done or `budgetMs` has passed, or training halts by itself (a non-finite step, a
   * divergence: reported in `halt`). @param scale the factor from the trainer's loss to the unit reported (e.g. 784 for
   * nats per image). @throws Error without a trainer; RangeError for a bad step count.
   */
  async steps(maxSteps: number, budgetMs: number, scale = 1): Promise<TrainStepsResult> {
    const trainer = this.current;
    if (!trainer) throw new Error('there is no trainer: make one first');
    if (!Number.isInteger(maxSteps) || maxSteps < 1 || maxSteps > MAX_STEPS_PER_CALL) throw new RangeError(`maxSteps must be an integer in 1..${MAX_STEPS_PER_CALL}, got ${maxSteps}`);
    const { losses, halt, elapsedMs, stepsPerSecond } = await runTrainingSteps(async () => (await trainer.trainStep()).loss * scale, maxSteps, budgetMs);
    this.wallMs += elapsedMs;
    return { losses, step: trainer.step, stepsPerSecond, halt, wallSeconds: this.wallSeconds };
  }

  /** Frees the trainer. */
  dispose(): void {
    this.replace(null);
  }
}
