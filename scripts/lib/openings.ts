/**
 * Records the openings of the shipped models (src/engine/opening.ts): for the 2D data sets, binarized and grey-scale
 * MNIST and words, the first frames of the run each view starts with at its default settings, sampled in Node by the
 * views' own worker sessions (src/kinds/<kind>/session.ts) from models/<id>/, and taken from the frames they stream
 * (what the page holds while a run is sampled). Used by `npm run record` (scripts/record-openings.ts) and by the
 * test that re-records them and compares.
 */
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOpening, type Framing } from '../../src/engine/opening';
import type { SessionWiring, ShippedLookup } from '../../src/engine/session';
import {
  SHIPPED_GREY_ID, SHIPPED_MNIST_ID, SHIPPED_WORDS_ID, type FrameChunk, type GreySampleOptions, type MnistSampleOptions, type SampleOptions2D, type WordsSampleOptions,
} from '../../src/engine/protocol';
import { MnistGreySession } from '../../src/kinds/mnist-grey/session';
import { WordsSession } from '../../src/kinds/words/session';
import { SETTINGS_MNIST_GREY } from '../../src/settings/settingsMnistGrey';
import { SETTINGS_WORDS } from '../../src/kinds/words/view/wordsSettings';
import { MODEL_FILE_KINDS } from '../../src/kinds/registry';
import { Playground2D } from '../../src/kinds/points2d/session';
import { MnistSession } from '../../src/kinds/mnist-binary/session';
import { DATASETS_2D } from '../../src/data/toy2d';
import { SETTINGS_2D } from '../../src/settings/settings2d';
import { SETTINGS_MNIST } from '../../src/settings/settingsMnist';
import type { SamplerId } from '../../src/bfn';

/** Frames recorded: about the first second of playback at speed 1 (a run plays in 5 s). */
export const OPENING_FRAMES = { points2d: 21, 'mnist-binary': 6, 'mnist-grey': 21, words: 21 } as const;

/** One opening to record: the kind, the model's id and folder, and the options of the run. */
export interface OpeningJob {
  kind: keyof typeof OPENING_FRAMES;
  id: string;
  dir: string;
  options: SampleOptions2D | MnistSampleOptions | GreySampleOptions | WordsSampleOptions;
}

/** The openings of the shipped models under `modelsDir`: every 2D data set with a model folder, and MNIST. */
export function openingJobs(modelsDir = 'models'): OpeningJob[] {
  const jobs: OpeningJob[] = [];
  const points: SampleOptions2D = {
    source: 'shipped', sampler: SETTINGS_2D.sampler.default as SamplerId, points: SETTINGS_2D.samples.default, steps: SETTINGS_2D.steps.default, seed: SETTINGS_2D.sampleSeed.default,
  };
  for (const d of DATASETS_2D) {
    const dir = join(modelsDir, d.id);
    if (existsSync(join(dir, 'weights.bin'))) jobs.push({ kind: 'points2d', id: d.id, dir, options: points });
  }
  const mnist: MnistSampleOptions = {
    source: 'shipped', sampler: SETTINGS_MNIST.sampler.default as SamplerId, images: SETTINGS_MNIST.images.default, steps: SETTINGS_MNIST.steps.default, seed: SETTINGS_MNIST.seed.default,
  };
  jobs.push({ kind: 'mnist-binary', id: SHIPPED_MNIST_ID, dir: join(modelsDir, SHIPPED_MNIST_ID), options: mnist });
  const grey: GreySampleOptions = { images: SETTINGS_MNIST_GREY.images.default, steps: SETTINGS_MNIST_GREY.steps.default, seed: SETTINGS_MNIST_GREY.seed.default };
  jobs.push({ kind: 'mnist-grey', id: SHIPPED_GREY_ID, dir: join(modelsDir, SHIPPED_GREY_ID), options: grey });
  const words: WordsSampleOptions = { words: SETTINGS_WORDS.words.default, steps: SETTINGS_WORDS.steps.default, seed: SETTINGS_WORDS.seed.default };
  jobs.push({ kind: 'words', id: SHIPPED_WORDS_ID, dir: join(modelsDir, SHIPPED_WORDS_ID), options: words });
  return jobs;
}

/** A lookup of one model folder as a session's shipped model `id`, its weights as a data: URL (which Node's fetch reads). */
export function folderLookup(id: string, dir: string): ShippedLookup {
  const files = {
    id,
    modelJson: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as unknown,
    card: existsSync(join(dir, 'card.json')) ? (JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as unknown) : null,
    weightsUrl: `data:application/octet-stream;base64,${readFileSync(join(dir, 'weights.bin')).toString('base64')}`,
  };
  return (asked) => (asked === id ? files : null);
}

/** The first 16 hex digits of SHA-256 over a model folder's model.json then weights.bin (OpeningHeader.modelHash). */
export function modelHash(dir: string): string {
  return createHash('sha256').update(readFileSync(join(dir, 'model.json'))).update(readFileSync(join(dir, 'weights.bin'))).digest('hex').slice(0, 16);
}

const WIRING: SessionWiring = { afterInit: (job) => Promise.resolve().then(job), transfer: (value) => value };

/**
 * The payload a view holds of a streamed run: the stream's head (the run's plain fields as they are while it is
 * sampled: no samples, no timing, no decoded words) with the complete run's arrays (which frames of a stream reach
 * the page before the run ends depends on timing; the complete arrays do not). @returns null when the run sent no
 * frames.
 */
function streamedPayload<P extends object>(): { onFrames: (chunk: FrameChunk<P>) => void; payload: (complete: P) => P | null } {
  let head: P | null = null;
  return {
    onFrames: (chunk) => {
      head ??= chunk.head ?? null;
    },
    payload: (complete) => {
      if (!head) return null;
      const arrays = Object.entries(complete).filter(([, v]) => ArrayBuffer.isView(v));
      return { ...head, ...Object.fromEntries(arrays) } as P;
    },
  };
}

/**
 * Samples `job`'s run on the active TF.js backend, as the view receives it (its streamed frames), and encodes its
 * opening. @returns the bytes of models/<id>/opening.bin. @throws Error when the model folder cannot be loaded or
 * the session sent no frames.
 */
export async function recordOpening(job: OpeningJob, backend: () => string): Promise<Uint8Array> {
  const lookup = folderLookup(job.id, job.dir);
  /** Samples with the session's `sample` (streaming), and encodes the opening of what the page would hold. */
  const record = async <P extends { n: number }>(sample: (onFrames: (chunk: FrameChunk<P>) => void) => Promise<P>, framed: Record<string, Framing>) => {
    const stream = streamedPayload<P>();
    const p = stream.payload(await sample(stream.onFrames));
    if (!p) throw new Error(`the ${job.kind} session sent no frames for ${job.id}`);
    return encodeOpening(job.kind, job.id, modelHash(job.dir), { ...job.options }, p, framed, p.n, OPENING_FRAMES[job.kind]);
  };
  if (job.kind === 'points2d') {
    const api = new Playground2D(backend, lookup, MODEL_FILE_KINDS).api(WIRING);
    await api.loadModel({ slot: 'shipped', id: job.id });
    return record((onFrames) => api.sample(job.options as SampleOptions2D, undefined, onFrames), { mu: 'frames', xHat: 'frames', y: 'updates', samples: 'final' });
  }
  if (job.kind === 'mnist-binary') {
    const api = new MnistSession(backend, '/', lookup, MODEL_FILE_KINDS).api(WIRING);
    await api.loadModel({ slot: 'shipped', id: job.id });
    return record((onFrames) => api.sample(job.options as MnistSampleOptions, undefined, onFrames), { theta: 'frames', output: 'frames', samples: 'final' });
  }
  if (job.kind === 'mnist-grey') {
    const api = new MnistGreySession(backend, '/', lookup, MODEL_FILE_KINDS).api(WIRING);
    await api.loadModel();
    return record((onFrames) => api.sample(job.options as GreySampleOptions, undefined, onFrames), { mu: 'frames', mean: 'frames', samples: 'final' });
  }
  const vocabulary = `data:text/plain;base64,${readFileSync('src/data/words/vocabulary.txt').toString('base64')}`;
  const api = new WordsSession(backend, lookup, MODEL_FILE_KINDS, vocabulary).api(WIRING);
  await api.loadModel();
  return record((onFrames) => api.sample(job.options as WordsSampleOptions, undefined, onFrames), { theta: 'frames', output: 'frames' });
}
