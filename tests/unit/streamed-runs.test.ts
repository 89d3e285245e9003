/**
 * The grey-scale MNIST and words sessions stream a run's frames as they are sampled (src/engine/frameStream.ts, the
 * sessions' `onFrames`): with the shipped models, the frames the page assembles from the chunks are the complete
 * run's frames value for value, frames not yet sent stay zero, and a streamed run returns exactly the payload of the
 * same run sampled without streaming (same seed), so the complete run replaces the streamed one without a jump.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyFrameChunk, type FrameChunk } from '../../src/engine/client';
import { folderLookup } from '../../scripts/lib/openings';
import { MnistGreySession } from '../../src/kinds/mnist-grey/session';
import { WordsSession } from '../../src/kinds/words/session';
import { useBackend } from '../backends';

const root = join(import.meta.dirname, '..', '..');

/** The shipped model `id` from models/<id>/ (scripts/lib/openings.ts folderLookup). */
const shippedFromDisk = (id: string) => folderLookup(id, join(root, 'models', id));

/** Applies the chunks to the first chunk's head, as the page does: the page's copy of the streamed run. */
function assemble<P extends object>(chunks: FrameChunk<P>[]): { page: P; sent: number } {
  const page = chunks[0]!.head!;
  chunks.forEach((c, k) => {
    expect(c.from).toBe(k === 0 ? 0 : chunks[k - 1]!.to);
    applyFrameChunk(page, c);
  });
  return { page, sent: chunks.at(-1)!.to };
}

beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await useBackend('cpu');
});

describe('streamed runs', () => {
  test('grey-scale MNIST: the streamed frames are the complete run\'s, and the run equals one sampled without streaming', async () => {
    const session = new MnistGreySession(() => 'wasm', '', shippedFromDisk('mnist-grey'));
    await session.loadModel();
    const options = { images: 2, steps: 6, seed: 11 };
    const chunks: FrameChunk<Awaited<ReturnType<MnistGreySession['sample']>>>[] = [];
    const streamed = await session.sample(options, undefined, undefined, (c) => void chunks.push(c));
    const plain = await session.sample(options);
    for (const key of ['mu', 'mean', 'samples', 'rho', 't', 'centres'] as const) expect(streamed[key], key).toEqual(plain[key]);

    const { page, sent } = assemble(chunks);
    // The first three frames go out one chunk each; frame n only comes with the complete run.
    expect(chunks.slice(0, 3).map((c) => c.to - c.from)).toEqual([1, 1, 1]);
    expect(sent).toBeGreaterThanOrEqual(3);
    expect(sent).toBeLessThanOrEqual(options.steps);
    const frame = options.images * 784;
    expect(page.mu.slice(0, sent * frame)).toEqual(plain.mu.slice(0, sent * frame));
    expect(page.mean.slice(0, sent * frame)).toEqual(plain.mean.slice(0, sent * frame));
    expect(page.rho.slice(0, sent)).toEqual(plain.rho.slice(0, sent));
    expect(page.t).toEqual(plain.t);
    // Frame 0 is the prior (mu = 0, rho = 1); frames not yet sent and the samples are zero, not another run's values.
    expect(page.mu.slice(0, frame).every((v) => v === 0)).toBe(true);
    expect(page.rho[0]).toBe(1);
    expect(page.mu.slice(sent * frame).every((v) => v === 0)).toBe(true);
    expect(page.samples.every((v) => v === 0)).toBe(true);
    // Not a trivial run: the last streamed frame's means have moved away from the prior.
    expect(page.mu.slice((sent - 1) * frame, sent * frame).some((v) => Math.abs(v) > 0.01)).toBe(true);
  }, 60_000);

  test('words: the streamed frames are the complete run\'s, and the run equals one sampled without streaming', async () => {
    const vocabulary = readFileSync(join(root, 'src', 'data', 'words', 'vocabulary.txt'));
    const session = new WordsSession(() => 'wasm', shippedFromDisk('words'), [], `data:text/plain;base64,${vocabulary.toString('base64')}`);
    await session.loadModel();
    const options = { words: 4, steps: 8, seed: 5 };
    const chunks: FrameChunk<Awaited<ReturnType<WordsSession['sample']>>>[] = [];
    const streamed = await session.sample(options, undefined, undefined, (c) => void chunks.push(c));
    const plain = await session.sample(options);
    for (const key of ['theta', 'output', 't', 'decoded', 'shares'] as const) expect(streamed[key], key).toEqual(plain[key]);

    const { page, sent } = assemble(chunks);
    expect(sent).toBeGreaterThanOrEqual(3);
    expect(sent).toBeLessThanOrEqual(options.steps);
    const frame = options.words * plain.length * plain.classes;
    expect(page.theta.slice(0, sent * frame)).toEqual(plain.theta.slice(0, sent * frame));
    expect(page.output.slice(0, sent * frame)).toEqual(plain.output.slice(0, sent * frame));
    // Frame 0 is the uniform prior 1/27; frames not yet sent are zero; nothing is decoded before the run ends.
    expect(page.theta.slice(0, frame).every((v) => Math.abs(v - 1 / 27) < 1e-6)).toBe(true);
    expect(page.theta.slice(sent * frame).every((v) => v === 0)).toBe(true);
    expect(page.decoded).toEqual([]);
    session.dispose();
  }, 60_000);
});
