/**
 * The worker's K = 3 simplex session: heat maps of the Bayesian flow distribution p_F(theta | x; t) (exact, from
 * src/bfn/simplexFlow.ts, or binned from the core flow sampler discreteFlowSample), sample paths of the sender /
 * Bayesian update process with the true class (the core discreteSenderSample and discreteBayesianUpdate, paper §6),
 * and the shipped toy model's recorded sampling runs (the core sampler, src/bfn/sampler.ts). Runs inside the engine
 * worker only.
 */
import * as tf from '@tensorflow/tfjs-core';
import { discreteAlphaI, discreteBayesianUpdate, discreteFlowSample, discretePrior, discreteSenderSample, sample, seededNoise } from '../../bfn';
import { binSimplexPoints, simplexFlowBeta, simplexFlowHeatmap, simplexGrid, type SimplexGrid } from '../../bfn/simplexFlow';
import { buffersOf, ModelStore, Tickets, type SessionWiring, type ShippedLookup } from '../../engine/session';
import type { ModelFileKind } from '../../train/modelFile';
import { SIMPLEX_LIMITS } from '../../settings/settingsSimplex';
import { SIMPLEX_FILES, type SimplexCard, type SimplexNetworkJson, type SimplexSpec } from './files';
import type { SimplexNet } from './net';
import { SIMPLEX_D } from '../../data/simplexToy';
import {
  type FlowPathsOptions, type SimplexLoadOptions, type FlowPathsPayload, type HeatmapOptions, type HeatmapPayload, type SimplexApi, type SimplexModelInfo,
  type SimplexSampleOptions, type SimplexSamplePayload,
} from './api';

function checkInt(name: string, value: number, lo: number, hi: number): void {
  if (!(Number.isInteger(value) && value >= lo && value <= hi)) throw new RangeError(`${name} must be a whole number in ${lo}..${hi}, got ${value}`);
}

function checkFlow(x: number, beta1: number): void {
  checkInt('the class x', x, 0, 2);
  if (!(beta1 > 0 && beta1 <= 100)) throw new RangeError(`beta1 must lie in (0, 100], got ${beta1}`);
}

/** Wall time between the sampler's pauses for the worker's other messages (a cancel), in ms. */
const YIELD_MS = 20;

/** The simplex part of the engine worker. */
export class SimplexSession {
  private readonly models: ModelStore<SimplexNet, SimplexNetworkJson, SimplexSpec, SimplexCard>;
  private grids = new Map<number, SimplexGrid>();
  private readonly sampling = new Tickets();

  /** @param backendName the active backend's name. @param shipped the build's shipped models. @param known every kind's files. */
  constructor(private readonly backendName: () => string, shipped?: ShippedLookup, known: readonly ModelFileKind[] = []) {
    this.models = new ModelStore(SIMPLEX_FILES, shipped, known);
  }

  private grid(G: number): SimplexGrid {
    let g = this.grids.get(G);
    if (!g) this.grids.set(G, (g = simplexGrid(G)));
    return g;
  }

  /** The heat map of p_F(theta | x; t) on a G-grid, exact or from `samples` draws of the core flow sampler. @throws RangeError for bad options. */
  async heatmap(options: HeatmapOptions): Promise<HeatmapPayload> {
    const { x, beta1, t, G, method, samples, seed } = options;
    checkFlow(x, beta1);
    checkInt('the grid size G', G, 1, SIMPLEX_LIMITS.grid);
    if (!(t >= 0 && t <= 1)) throw new RangeError(`t must lie in [0, 1], got ${t}`);
    const started = performance.now();
    const grid = this.grid(G);
    const beta = simplexFlowBeta(t, beta1);
    let heat;
    if (method === 'exact') {
      heat = simplexFlowHeatmap(x, beta, grid);
    } else {
      checkInt('samples', samples, 1, SIMPLEX_LIMITS.heatmapSamples);
      const theta = tf.tidy(() => discreteFlowSample(tf.fill([samples], x, 'int32'), tf.fill([samples], t), 3, beta1, seededNoise(seed)));
      const values = await theta.data();
      theta.dispose();
      heat = binSimplexPoints(values, grid);
    }
    return { options, beta, masses: heat.masses, moments: heat.moments, elapsedMs: performance.now() - started, backend: this.backendName() };
  }

  /**
   * `paths` runs of the sender / Bayesian update process from the prior with the true class x: y_i ~ p_S(. | x; alpha_i),
   * theta_i = h(theta_{i-1}, y_i) (paper §6, eq. 171; Algorithm 9 with x in place of the network's sample).
   * @throws RangeError for bad options.
   */
  async flowPaths(options: FlowPathsOptions): Promise<FlowPathsPayload> {
    const { x, beta1, n, paths, seed } = options;
    checkFlow(x, beta1);
    checkInt('n', n, 1, SIMPLEX_LIMITS.steps);
    checkInt('paths', paths, 1, SIMPLEX_LIMITS.paths);
    const noise = seededNoise(seed);
    const frame = paths * 3;
    const out = new Float32Array((n + 1) * frame);
    const k = tf.fill([paths], x, 'int32');
    let theta = discretePrior([paths], 3);
    try {
      out.set(await theta.data(), 0);
      for (let i = 1; i <= n; i++) {
        const y = discreteSenderSample(k, discreteAlphaI(i, n, beta1), 3, noise);
        const next = discreteBayesianUpdate(theta, y);
        y.dispose();
        theta.dispose();
        theta = next;
        out.set(await theta.data(), i * frame);
      }
    } finally {
      theta.dispose();
      k.dispose();
    }
    return { options, theta: out };
  }

  /** Loads the shipped model or a user's files. @throws Error when missing, ModelFileError for bad files. */
  async loadModel(options: SimplexLoadOptions): Promise<SimplexModelInfo> {
    const m = options.slot === 'shipped' ? await this.models.loadShipped(options.id) : this.models.loadFile(options.modelJson, options.weights, options.card);
    return { beta1: m.spec.beta1, parameters: m.net.parameterCount, card: m.card };
  }

  /**
   * Samples the loaded model (the file's when one is loaded, else the shipped one) with the core sampler, recording theta
   * at every step. @throws Error without a model; RangeError for bad options; SampleCancelled when cancelled.
   */
  async sample(options: SimplexSampleOptions, ticket = this.sampling.take()): Promise<SimplexSamplePayload> {
    this.sampling.throwIfCancelled(ticket);
    const { samples, steps: n, seed } = options;
    checkInt('samples', samples, 1, SIMPLEX_LIMITS.samples);
    checkInt('n', n, 1, SIMPLEX_LIMITS.steps);
    checkInt('samples x (n + 1)', samples * (n + 1), 1, SIMPLEX_LIMITS.sampleFrames);
    const m = this.models.get('file') ?? this.models.get('shipped');
    if (!m) throw new Error('no simplex model is loaded yet');
    const started = performance.now();
    const result = await sample(m.spec, m.net.net, [samples, SIMPLEX_D], {
      n, noise: seededNoise(seed), record: true,
      // Let the worker answer other messages (a cancel) now and then: a pause every step would cost ~4 ms each.
      onStep: this.sampling.sampleSteps(ticket, undefined, YIELD_MS),
    });
    const tr = result.trajectory!;
    const frame = samples * SIMPLEX_D * 3;
    const theta = new Float32Array((n + 1) * frame);
    tr.steps.forEach((s, k) => theta.set(s.theta.theta!, k * frame));
    theta.set(tr.final.theta.theta!, n * frame);
    return { options, theta, samples: result.samples, beta1: m.spec.beta1, elapsedMs: performance.now() - started, backend: this.backendName() };
  }

  /** The session's worker API: each call queued after the earlier ones, typed arrays transferred; a sampling run takes its ticket on arrival, and the cancel is not queued. */
  api(wiring: SessionWiring): SimplexApi {
    const { afterInit, transfer } = wiring;
    return {
      heatmap: (options) => afterInit(async () => {
        const p = await this.heatmap(options);
        return transfer(p, buffersOf(p.masses, p.moments));
      }),
      flowPaths: (options) => afterInit(async () => {
        const p = await this.flowPaths(options);
        return transfer(p, buffersOf(p.theta));
      }),
      loadModel: (options) => afterInit(() => this.loadModel(options)),
      sample: (options) => {
        const ticket = this.sampling.take();
        return afterInit(async () => {
          const p = await this.sample(options, ticket);
          return transfer(p, buffersOf(p.theta, p.samples));
        });
      },
      cancelSample: async () => this.sampling.cancel(),
    };
  }

  /** Frees the loaded models. */
  dispose(): void {
    this.models.dispose();
  }
}
