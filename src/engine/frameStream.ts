/**
 * Sends a recorded trajectory's frames to the page while the rest of the run is still being sampled, so that a view
 * can start its animation after the first steps instead of after the whole run (protocol.ts FrameChunk). Worker-side.
 */
import type { FrameChunk, FramesCallback } from './protocol';

/** Frames sent one chunk each at the start of a run, so that playback can begin at once. */
const EAGER_FRAMES = 3;
/** After those, frames are gathered and sent at most this often (ms): a message per frame would only slow sampling. */
const CHUNK_MS = 40;

type FrameArray = Float32Array | Float64Array;

/**
 * Gathers frames (`push`) and sends them in chunks to `onFrames`. @param head the payload with every frame-major
 * array at its full size (zeros), sent with the first chunk. @param names the arrays that the frames fill.
 */
export class FrameStream<P extends object> {
  private pending: { frame: number; values: Partial<Record<keyof P, ArrayLike<number>>> }[] = [];
  private lastSent = -Infinity;
  private sentHead = false;
  private sentFrames = 0;

  constructor(private readonly onFrames: FramesCallback<P>, private readonly head: P, private readonly names: readonly (keyof P)[]) {}

  /**
   * Adds frame `frame` (consecutive from 0): for each name, its values (frame size of that array). Sends the
   * gathered frames when the first few are in or {@link CHUNK_MS} have passed since the last chunk.
   */
  push(frame: number, values: Partial<Record<keyof P, ArrayLike<number>>>): void {
    this.pending.push({ frame, values });
    const now = performance.now();
    if (this.sentFrames + this.pending.length <= EAGER_FRAMES || now - this.lastSent >= CHUNK_MS) this.flush(now);
  }

  private flush(now: number): void {
    if (!this.pending.length) return;
    const from = this.pending[0]!.frame;
    const to = this.pending[this.pending.length - 1]!.frame + 1;
    const values: Partial<Record<keyof P, FrameArray>> = {};
    for (const name of this.names) {
      const full = this.head[name] as unknown as FrameArray;
      const parts = this.pending.map((p) => p.values[name]).filter((v): v is ArrayLike<number> => v !== undefined);
      if (!parts.length) continue;
      const size = parts[0]!.length;
      const out = new (full.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(size * parts.length);
      parts.forEach((part, k) => out.set(part, k * size));
      values[name] = out;
    }
    const chunk: FrameChunk<P> = { from, to, values, ...(this.sentHead ? {} : { head: this.head }) };
    this.sentHead = true;
    this.sentFrames += this.pending.length;
    this.pending = [];
    this.lastSent = now;
    // Fire and forget: waiting for the page at each chunk would only slow sampling down.
    Promise.resolve(this.onFrames(chunk)).catch(() => undefined);
  }
}
