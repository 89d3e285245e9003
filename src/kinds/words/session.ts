/**
 * The worker's words session: the shipped model, the word lists (the compact vocabulary file of the build, fetched on
 * first use and split as src/data/words/words.ts splitWords does for training) and the recorded sampler behind the
 * Words view, on the shared session pieces of src/engine/session.ts. Runs inside the engine worker only.
 */
import { sample, seededNoise } from '../../bfn';
import { fetchBytes } from '../../data/mnist/fetch';
import { decodeWords, DEFAULT_WORD_SPLIT, splitWords, wordShares, WORD_CLASSES } from '../../data/words/words';
import type { WordsNet } from '../../nets/wordsNet';
import type { ModelFileKind } from '../../train/modelFile';
import { buffersOf, ModelStore, Tickets, type SessionWiring, type ShippedLookup } from '../../engine/session';
import { FrameStream } from '../../engine/frameStream';
import { SHIPPED_WORDS_ID, WORDS_SAMPLE_LIMITS, type FramesCallback, type ProgressCallback, type WordsApi, type WordsDataInfo, type WordsModelInfo, type WordsSampleOptions, type WordsTrajectoryPayload } from '../../engine/protocol';
import { WORDS_FILES, type WordsCard, type WordsNetworkJson, type WordsSpec } from './files';

/** The shares of a streamed run's head: nothing is decoded before the run ends (its payload then has the real shares). */
const NO_SHARES = { samples: 0, wellFormed: 0, real: NaN, realSE: NaN, novel: NaN, novelSE: NaN, heldOut: NaN, heldOutSE: NaN, distinct: NaN } as const;

interface WordLists {
  vocabulary: Set<string>;
  train: Set<string>;
  info: WordsDataInfo;
}

/** The words half of the engine worker. */
export class WordsSession {
  private readonly models: ModelStore<WordsNet, WordsNetworkJson, WordsSpec, WordsCard>;
  private readonly sampling = new Tickets();
  private lists: Promise<WordLists> | null = null;

  /**
   * @param backendName the active backend's name. @param shipped where the build's shipped models are. @param known
   * every kind's file declaration (src/kinds/registry.ts), to name a file of another kind. @param listUrl where the
   * vocabulary is (default: the build's copy, whose URL is imported only when needed, so that Node tools can make
   * this session without Vite).
   */
  constructor(private readonly backendName: () => string, shipped?: ShippedLookup, known: readonly ModelFileKind[] = [], private readonly listUrl?: string) {
    this.models = new ModelStore(WORDS_FILES, shipped, known);
  }

  /** Loads the shipped model. @throws Error when the build has none or the download fails; ModelFileError for bad files. */
  async loadModel(onProgress?: (loaded: number, total: number) => void): Promise<WordsModelInfo> {
    const m = await this.models.loadShipped(SHIPPED_WORDS_ID, onProgress);
    return { beta1: m.spec.beta1, length: m.net.config.length, parameters: m.net.parameterCount, card: m.card };
  }

  /** Downloads the vocabulary once and splits it. @throws Error for a failed download (a later call retries). */
  loadWords(): Promise<WordLists> {
    if (!this.lists) {
      this.lists = (async () => {
        const url = this.listUrl ?? (await import('../../data/words/vocabulary.txt?url')).default;
        const text = new TextDecoder().decode(await fetchBytes(url));
        const vocabulary = text.split('\n').filter((w) => w.length > 0);
        const { train, heldOut } = splitWords(vocabulary, DEFAULT_WORD_SPLIT.heldOut, DEFAULT_WORD_SPLIT.seed);
        return { vocabulary: new Set(vocabulary), train: new Set(train), info: { vocabulary: vocabulary.length, train: train.length, heldOut: heldOut.length } };
      })();
      this.lists.catch(() => { this.lists = null; });
    }
    return this.lists;
  }

  /**
   * Samples words with a recorded trajectory (paper Algorithm 9, src/bfn/sampler.ts) and measures them against the
   * word lists. @param onFrames when given, frames 0..n-1 (theta, output) also go to the page as they are sampled
   * (FrameStream); frame n and the decoded words come with the returned payload. @throws RangeError for sizes outside
   * {@link WORDS_SAMPLE_LIMITS}; Error before the model is loaded; SampleCancelled when cancelled.
   */
  async sample(options: WordsSampleOptions, onProgress?: ProgressCallback, ticket = this.sampling.take(), onFrames?: FramesCallback<WordsTrajectoryPayload>): Promise<WordsTrajectoryPayload> {
    this.sampling.throwIfCancelled(ticket);
    const { words, steps: n, seed } = options;
    if (!Number.isInteger(words) || words < 1 || words > WORDS_SAMPLE_LIMITS.words) throw new RangeError(`words must be an integer in 1..${WORDS_SAMPLE_LIMITS.words}, got ${words}`);
    if (!Number.isInteger(n) || n < 1 || n > WORDS_SAMPLE_LIMITS.steps) throw new RangeError(`n must be an integer in 1..${WORDS_SAMPLE_LIMITS.steps}, got ${n}`);
    if (words * (n + 1) > WORDS_SAMPLE_LIMITS.wordFrames) throw new RangeError(`words x (n + 1) must be at most ${WORDS_SAMPLE_LIMITS.wordFrames} (the trajectory is kept in memory); got ${words * (n + 1)}`);
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    const m = this.models.get('shipped');
    if (!m) throw new Error('the shipped words model is not loaded yet');
    // The word lists are needed only to mark the samples: they download while the run is sampled.
    const pendingLists = this.loadWords();
    const started = performance.now();
    const L = m.net.config.length;
    const K = WORD_CLASSES;
    const frame = words * L * K;
    const t = Float64Array.from({ length: n + 1 }, (_, k) => k / n);
    // Step i's record is frame i - 1, as laid out below.
    const stream = onFrames
      ? new FrameStream<WordsTrajectoryPayload>(onFrames, {
        n, words, length: L, classes: K, seed, beta1: m.spec.beta1, t, theta: new Float32Array((n + 1) * frame), output: new Float32Array((n + 1) * frame),
        decoded: [], shares: NO_SHARES, backend: this.backendName(), elapsedMs: NaN,
      }, ['theta', 'output'])
      : null;
    const steps = this.sampling.sampleSteps(ticket, onProgress);
    const result = await sample(m.spec, m.net.net, [words, L], {
      n, noise: seededNoise(seed), record: true,
      onStep: (i, total, step) => {
        if (stream && step) stream.push(i - 1, { theta: step.theta.theta!, output: step.output.probs! });
        return steps(i, total);
      },
    });
    const lists = await pendingLists;
    const trajectory = result.trajectory!;
    const theta = new Float32Array((n + 1) * frame);
    const output = new Float32Array((n + 1) * frame);
    trajectory.steps.forEach((s, k) => {
      theta.set(s.theta.theta!, k * frame);
      output.set(s.output.probs!, k * frame);
    });
    theta.set(trajectory.final.theta.theta!, n * frame);
    output.set(trajectory.final.output.probs!, n * frame);
    const decoded = decodeWords(result.samples, L).map(({ raw, word }) => ({
      raw, word, mark: word === null ? 'malformed' as const : lists.train.has(word) ? 'train' as const : lists.vocabulary.has(word) ? 'heldOut' as const : 'new' as const,
    }));
    return {
      n, words, length: L, classes: K, seed, beta1: m.spec.beta1, t,
      theta, output, decoded, shares: wordShares(decoded, lists.vocabulary, lists.train), backend: this.backendName(), elapsedMs: performance.now() - started,
    };
  }

  /**
   * The session's worker API ({@link WordsApi}): each call queued after the earlier ones (`wiring.afterInit`), its typed
   * arrays transferred; a sampling run takes its ticket on arrival, and the cancel is not queued.
   */
  api(wiring: SessionWiring): WordsApi {
    const { afterInit, transfer } = wiring;
    return {
      loadModel: (onProgress) => afterInit(() => this.loadModel(onProgress)),
      loadWords: async () => (await this.loadWords()).info,
      sample: (options, onProgress, onFrames) => {
        const ticket = this.sampling.take();
        return afterInit(async () => {
          const p = await this.sample(options, onProgress, ticket, onFrames);
          return transfer(p, buffersOf(p.t, p.theta, p.output));
        });
      },
      cancelSample: async () => this.sampling.cancel(),
    };
  }

  /** Frees the model. */
  dispose(): void {
    this.models.dispose();
  }
}
