/**
 * The worker's grey-scale MNIST session: the shipped discretized-data model (Graves et al. 2023, §5), the recorded
 * BFN sampler (Algorithm 6; official `BFN.sample`) behind the view, each pixel's K-bin output probabilities over the
 * last run, and the quantised test digits shown beside the samples. Built on the shared session pieces of
 * src/engine/session.ts (model store, tickets). Runs inside the engine worker only.
 */
import { binCentres, sample, seededNoise } from '../../bfn';
import { fetchMnist } from '../../data/mnist/fetch';
import { quantizeGreyBatch } from '../../data/mnist/grey';
import { MNIST_PIXELS, type MnistImages } from '../../data/mnist/mnist';
import type { MnistNet } from '../../nets/mnistNet';
import type { ModelFileKind } from '../../train/modelFile';
import { buffersOf, ModelStore, Tickets, type SessionWiring, type ShippedLookup } from '../../engine/session';
import { FrameStream } from '../../engine/frameStream';
import { MNIST_GREY_FILES, type GreyCard, type GreyNetworkJson, type GreySpec } from './files';
import {
  GREY_SAMPLE_LIMITS, SHIPPED_GREY_ID, type GreyModelInfo, type GreyPixelProbs, type GreySampleOptions, type GreyTrajectoryPayload,
  type FramesCallback, type MnistGreyApi, type ProgressCallback,
} from '../../engine/protocol';

/** The last run's bin probabilities, frame by frame ([images, 784, K] each), for the pixel bars. */
interface LastRun {
  images: number;
  K: number;
  frames: Float32Array[];
}

/** The grey-scale MNIST part of the engine worker. */
export class MnistGreySession {
  private readonly models: ModelStore<MnistNet, GreyNetworkJson, GreySpec, GreyCard>;
  private readonly sampling = new Tickets();
  private last: LastRun | null = null;
  private test: Promise<MnistImages> | null = null;

  /**
   * @param backendName the active backend's name. @param baseUrl where the MNIST files are served. @param shipped where
   * the build's shipped models are. @param known every kind's file declaration, to name a file of another kind.
   */
  constructor(private readonly backendName: () => string, private readonly baseUrl: string, shipped?: ShippedLookup, known: readonly ModelFileKind[] = []) {
    this.models = new ModelStore(MNIST_GREY_FILES, shipped, known);
  }

  /** Loads the shipped model. @throws Error when the build has none or the download fails; ModelFileError for bad files. */
  async loadModel(onProgress?: (loaded: number, total: number) => void): Promise<GreyModelInfo> {
    const m = await this.models.loadShipped(SHIPPED_GREY_ID, onProgress);
    return { K: m.spec.K, sigma1: m.spec.sigma1, parameters: m.net.parameterCount, card: m.card };
  }

  private model() {
    const m = this.models.get('shipped');
    if (!m) throw new Error('the shipped grey-scale MNIST model is not loaded yet');
    return m;
  }

  /**
   * Samples with a recorded trajectory (the original BFN sampler). @param ticket from the API (a new one when omitted).
   * @param onFrames when given, frames 0..n-1 (mu, mean, rho) also go to the page as they are sampled (FrameStream);
   * frame n and the samples come with the returned payload. @throws RangeError for sizes outside
   * {@link GREY_SAMPLE_LIMITS}; SampleCancelled when cancelled.
   */
  async sample(options: GreySampleOptions, onProgress?: ProgressCallback, ticket = this.sampling.take(), onFrames?: FramesCallback<GreyTrajectoryPayload>): Promise<GreyTrajectoryPayload> {
    this.sampling.throwIfCancelled(ticket);
    const { images, steps: n, seed } = options;
    if (!Number.isInteger(images) || images < 1 || images > GREY_SAMPLE_LIMITS.images) throw new RangeError(`images must be an integer in 1..${GREY_SAMPLE_LIMITS.images}, got ${images}`);
    if (!Number.isInteger(n) || n < 1 || n > GREY_SAMPLE_LIMITS.steps) throw new RangeError(`n must be an integer in 1..${GREY_SAMPLE_LIMITS.steps}, got ${n}`);
    if (images * (n + 1) > GREY_SAMPLE_LIMITS.imageFrames) throw new RangeError(`images x (n + 1) must be at most ${GREY_SAMPLE_LIMITS.imageFrames} (every frame is kept for the pixel bars); got ${images * (n + 1)}`);
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    const m = this.model();
    const { K, sigma1 } = m.spec;
    const started = performance.now();
    const frame = images * MNIST_PIXELS;
    const centres = Float32Array.from(binCentres(K));
    const t = Float64Array.from({ length: n + 1 }, (_, k) => k / n);
    // Step i's record is frame i - 1, as laid out below.
    const stream = onFrames
      ? new FrameStream<GreyTrajectoryPayload>(onFrames, {
        n, images, seed, K, sigma1, centres, t, rho: new Float64Array(n + 1), mu: new Float32Array((n + 1) * frame), mean: new Float32Array((n + 1) * frame),
        samples: new Float32Array(frame), backend: this.backendName(), elapsedMs: NaN,
      }, ['mu', 'mean', 'rho'])
      : null;
    const steps = this.sampling.sampleSteps(ticket, onProgress);
    const result = await sample(m.spec, m.net.net, [images, MNIST_PIXELS], {
      n, noise: seededNoise(seed), record: true,
      onStep: (i, total, step) => {
        if (stream && step) stream.push(i - 1, { mu: step.theta.mu!, mean: step.output.mean!, rho: [step.rho ?? NaN] });
        return steps(i, total);
      },
    });
    const trajectory = result.trajectory!;
    const mu = new Float32Array((n + 1) * frame);
    const mean = new Float32Array((n + 1) * frame);
    const states = [...trajectory.steps, trajectory.final];
    const frames = states.map((s) => s.output.probs!);
    states.forEach((s, k) => {
      mu.set(s.theta.mu!, k * frame);
      // The output distribution's mean sum_k p_O(k) k_c (paper §5), as the sampler recorded it.
      mean.set(s.output.mean!, k * frame);
    });
    this.last = { images, K, frames };
    return {
      n, images, seed, K, sigma1, centres, t,
      rho: Float64Array.from(states, (s) => s.rho ?? NaN),
      mu, mean, samples: result.samples, backend: this.backendName(), elapsedMs: performance.now() - started,
    };
  }

  /** One pixel's bin probabilities over the last run. @throws Error before any run; RangeError for a pixel outside it. */
  pixelProbs(image: number, pixel: number): GreyPixelProbs {
    const last = this.last;
    if (!last) throw new Error('nothing has been sampled yet');
    if (!Number.isInteger(image) || image < 0 || image >= last.images) throw new RangeError(`image must be an integer in 0..${last.images - 1}, got ${image}`);
    if (!Number.isInteger(pixel) || pixel < 0 || pixel >= MNIST_PIXELS) throw new RangeError(`pixel must be an integer in 0..${MNIST_PIXELS - 1}, got ${pixel}`);
    const { K, frames } = last;
    const probs = new Float32Array(frames.length * K);
    const at = (image * MNIST_PIXELS + pixel) * K;
    frames.forEach((f, k) => probs.set(f.subarray(at, at + K), k * K));
    return { image, pixel, K, probs };
  }

  /** The first `count` test images quantised to the shipped model's K. @throws RangeError for a bad count; Error for a failed download. */
  async testDigits(count: number): Promise<Float32Array> {
    if (!Number.isInteger(count) || count < 1 || count > GREY_SAMPLE_LIMITS.images) throw new RangeError(`count must be an integer in 1..${GREY_SAMPLE_LIMITS.images}, got ${count}`);
    const K = this.model().spec.K;
    if (!this.test) {
      this.test = fetchMnist('test', this.baseUrl).then((r) => r.images);
      this.test.catch(() => (this.test = null));
    }
    const images = await this.test;
    return quantizeGreyBatch(images, Array.from({ length: count }, (_, k) => k), K);
  }

  /** The session's worker API: each call queued after the earlier ones, its typed arrays transferred. */
  api(wiring: SessionWiring): MnistGreyApi {
    const { afterInit, transfer } = wiring;
    return {
      loadModel: (onProgress) => afterInit(() => this.loadModel(onProgress)),
      sample: (options, onProgress, onFrames) => {
        const ticket = this.sampling.take();
        return afterInit(async () => {
          const p = await this.sample(options, onProgress, ticket, onFrames);
          return transfer(p, buffersOf(p.centres, p.t, p.rho, p.mu, p.mean, p.samples));
        });
      },
      cancelSample: async () => this.sampling.cancel(),
      pixelProbs: (image, pixel) => afterInit(() => {
        const r = this.pixelProbs(image, pixel);
        return transfer(r, buffersOf(r.probs));
      }),
      testDigits: (count) => afterInit(async () => {
        const d = await this.testDigits(count);
        return transfer(d, buffersOf(d));
      }),
    };
  }
}
