/**
 * The frame stream (src/engine/frameStream.ts FrameStream, src/engine/client.ts applyFrameChunk) hands the page exactly
 * the frames the sampler recorded, the first frames at once and later ones in chunks.
 */
import { describe, expect, test, vi } from 'vitest';
import { FrameStream } from '../../src/engine/frameStream';
import { applyFrameChunk, type FrameChunk } from '../../src/engine/client';

describe('FrameStream and applyFrameChunk', () => {
  test('the frames assembled from the chunks equal the recorded frames, the head comes first, no frame twice', () => {
    const frames = 12;
    const size = 6;
    const recorded = { mu: Float32Array.from({ length: frames * size }, (_, k) => Math.sin(k) * 0.9), t: Float64Array.from({ length: frames }, (_, k) => k / (frames - 1)) };
    const head = { n: frames - 1, mu: new Float32Array(frames * size), t: new Float64Array(frames) };
    const chunks: FrameChunk<typeof head>[] = [];
    const stream = new FrameStream<typeof head>((c) => void chunks.push(c), head, ['mu', 't']);
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    for (let f = 0; f < frames; f++) {
      now += 15; // 15 ms per step: after the first frames, chunks of several frames
      stream.push(f, { mu: recorded.mu.subarray(f * size, (f + 1) * size), t: [recorded.t[f]!] });
    }
    expect(chunks[0]!.head).toBe(head);
    expect(chunks.slice(1).every((c) => c.head === undefined)).toBe(true);
    // Consecutive, non-overlapping; the first frames one chunk each, later ones grouped.
    chunks.forEach((c, k) => expect(c.from).toBe(k === 0 ? 0 : chunks[k - 1]!.to));
    expect(chunks.slice(0, 3).map((c) => c.to - c.from)).toEqual([1, 1, 1]);
    expect(Math.max(...chunks.map((c) => c.to - c.from))).toBeGreaterThan(1);
    const page = { n: frames - 1, mu: new Float32Array(frames * size), t: new Float64Array(frames) };
    for (const c of chunks) applyFrameChunk(page, c);
    const sent = chunks.at(-1)!.to;
    expect(Array.from(page.mu.subarray(0, sent * size))).toEqual(Array.from(recorded.mu.subarray(0, sent * size)));
    expect(Array.from(page.t.subarray(0, sent))).toEqual(Array.from(recorded.t.subarray(0, sent)));
    expect(page.t).toBeInstanceOf(Float64Array);
  });
});
