/**
 * A recorded opening: the first frames of a sampling run of a shipped model at the view's default settings, stored in
 * a small binary file beside the model (models/<id>/opening.bin, written by `npm run record`), so that a view can
 * start animating that run before the engine worker has started; the live run of the same model, settings and seed
 * then takes over frame by frame (same draws, so the same trajectory up to the storage rounding below).
 *
 * File layout (little-endian): the bytes "BFNO", a uint32 header length, the header as UTF-8 JSON ({@link
 * OpeningHeader}), padding to a multiple of 8, then each typed array of the run's payload in header order. A
 * frame-major array (one frame per step: an image or a point cloud) keeps only its first frames, each frame stored as
 * uint8 over that frame's own range [min, max] (a float32 pair per frame), so at most (max - min) / 510 from the
 * recorded value: below a screen pixel in every view. Every other array (t, the schedules) is stored whole, as is.
 * Pure: no DOM, no worker, no tensors.
 */

/** What the header records about one typed array of the payload. */
interface ArrayEntry {
  /** Its path in the payload: ['mu'], or ['schedule', 't'] for a nested one. */
  path: string[];
  type: 'Float32Array' | 'Float64Array';
  /** Its full length in the run (the frames not recorded are zeros). */
  length: number;
  /**
   * For a frame-major array: one frame per state ('frames', n + 1) or per Bayesian update ('updates', n, the first
   * belonging to frame 1) or the end of the run ('final': not recorded), the values per frame, and how many leading
   * values are stored (whole frames).
   */
  per?: Framing;
  frameSize?: number;
  stored?: number;
}

/** The file's header. */
export interface OpeningHeader {
  /** The kind of model (src/kinds/registry.ts) and the shipped model's id. */
  kind: string;
  id: string;
  /** What the recording was made from: the first 16 hex digits of SHA-256 over model.json then weights.bin. */
  modelHash: string;
  /** The sampling options of the run (the view's defaults), as the kind's `sample` takes them. */
  options: Record<string, unknown>;
  /** Frames 0..frames-1 of the frame-major arrays hold recorded values. */
  frames: number;
  /** The payload's fields that are not typed arrays, as JSON (nested objects keep their typed arrays' places empty). */
  plain: Record<string, unknown>;
  arrays: ArrayEntry[];
}

/** A decoded opening: its header and the run's payload with frames 0..frames-1 filled. */
export interface Opening<P> {
  header: OpeningHeader;
  payload: P;
}

const MAGIC = 'BFNO';

/** Thrown for bytes that are not an opening file this code can read. */
export class OpeningError extends Error {
  override name = 'OpeningError';
}

type Floats = Float32Array | Float64Array;

/** How a frame-major array is laid out over the run (see {@link ArrayEntry.per}). */
export type Framing = 'frames' | 'updates' | 'final';

function isFloats(v: unknown): v is Floats {
  return v instanceof Float32Array || v instanceof Float64Array;
}

/** Every typed array of `value` with its path, and a copy of `value` without them (in nested objects too). */
function split(value: Record<string, unknown>, path: string[] = []): { plain: Record<string, unknown>; arrays: { path: string[]; array: Floats }[] } {
  const plain: Record<string, unknown> = {};
  const arrays: { path: string[]; array: Floats }[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (isFloats(v)) arrays.push({ path: [...path, key], array: v });
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const inner = split(v as Record<string, unknown>, [...path, key]);
      plain[key] = inner.plain;
      arrays.push(...inner.arrays);
    } else plain[key] = v;
  }
  return { plain, arrays };
}

/**
 * Encodes the first `frames` frames of a run's payload, made by model `id` (of `kind`, files hashed as `modelHash`)
 * with sampling `options`.
 * @param payload the complete run (a kind's trajectory payload: typed arrays and plain fields, nested objects allowed).
 * @param framed the frame-major arrays and how many frames each has: 'frames' (n + 1: one per state), 'updates'
 *   (n: one per Bayesian update, the first belonging to frame 1) or 'final' (values of the run's end, such as the
 *   samples: not recorded).
 * @param n the run's steps. @throws RangeError when a framed array's length is not a whole number of frames.
 */
export function encodeOpening(
  kind: string, id: string, modelHash: string, options: Record<string, unknown>, payload: object, framed: Record<string, Framing>, n: number, frames: number,
): Uint8Array {
  const { plain, arrays } = split(payload as Record<string, unknown>);
  const entries: ArrayEntry[] = [];
  const bodies: Uint8Array[] = [];
  for (const { path, array } of arrays) {
    const entry: ArrayEntry = { path, type: array instanceof Float64Array ? 'Float64Array' : 'Float32Array', length: array.length };
    const per = path.length === 1 ? framed[path[0]!] : undefined;
    if (per) {
      const count = per === 'frames' ? n + 1 : per === 'updates' ? n : 1;
      if (array.length % count !== 0) throw new RangeError(`${path.join('.')}: ${array.length} values are not ${count} frames`);
      const frameSize = array.length / count;
      const keep = per === 'final' ? 0 : Math.max(0, Math.min(count, per === 'frames' ? frames : frames - 1));
      entry.per = per;
      entry.frameSize = frameSize;
      entry.stored = keep * frameSize;
      const ranges = new Float32Array(2 * keep);
      const bytes = new Uint8Array(keep * frameSize);
      for (let f = 0; f < keep; f++) {
        const frame = array.subarray(f * frameSize, (f + 1) * frameSize);
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of frame) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        ranges[2 * f] = lo;
        ranges[2 * f + 1] = hi;
        const scale = hi > lo ? 255 / (hi - lo) : 0;
        for (let i = 0; i < frameSize; i++) bytes[f * frameSize + i] = Math.round((frame[i]! - lo) * scale);
      }
      bodies.push(new Uint8Array(ranges.buffer), bytes);
    } else {
      bodies.push(new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength)));
    }
    entries.push(entry);
  }
  const header: OpeningHeader = { kind, id, modelHash, options, frames, plain, arrays: entries };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = align8(8 + json.length);
  // Each body starts at a multiple of 8 so that float64 arrays can be viewed in place.
  let size = start;
  for (const b of bodies) size = align8(size + b.length);
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, 8);
  let at = start;
  for (const b of bodies) {
    out.set(b, at);
    at = align8(at + b.length);
  }
  return out;
}

function align8(x: number): number {
  return Math.ceil(x / 8) * 8;
}

/**
 * Decodes an opening file into its header and the run's payload (frame-major arrays at full length, frames at and
 * after `header.frames` zero). @throws OpeningError for bytes that are not an opening file or are cut short.
 */
export function decodeOpening<P>(bytes: Uint8Array): Opening<P> {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw new OpeningError('not a recorded opening (no BFNO mark)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(4, true);
  if (8 + length > bytes.length) throw new OpeningError('the opening file is cut short (header)');
  let header: OpeningHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as OpeningHeader;
  } catch (err) {
    throw new OpeningError(`the opening's header is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const payload = structuredClone(header.plain) as Record<string, unknown>;
  let at = align8(8 + length);
  const take = (count: number) => {
    if (at + count > bytes.length) throw new OpeningError('the opening file is cut short (arrays)');
    const part = bytes.slice(at, at + count);
    at = align8(at + count);
    return part;
  };
  for (const entry of header.arrays) {
    const Type = entry.type === 'Float64Array' ? Float64Array : Float32Array;
    let array: Floats;
    if (entry.frameSize !== undefined && entry.stored !== undefined) {
      const keep = entry.stored / entry.frameSize;
      const ranges = new Float32Array(take(8 * keep).buffer);
      const q = take(entry.stored);
      array = new Type(entry.length);
      for (let f = 0; f < keep; f++) {
        const lo = ranges[2 * f]!;
        const step = (ranges[2 * f + 1]! - lo) / 255;
        for (let i = 0; i < entry.frameSize; i++) array[f * entry.frameSize + i] = lo + q[f * entry.frameSize + i]! * step;
      }
    } else {
      array = new Type(take(entry.length * Type.BYTES_PER_ELEMENT).buffer);
    }
    let target = payload;
    for (const key of entry.path.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[entry.path[entry.path.length - 1]!] = array;
  }
  return { header, payload: payload as P };
}

/**
 * Whether a run asked for with `options` of model `id` is the recorded one: the same id and the same value for every
 * option the recording names (extra options the view passes are not compared).
 */
export function isOpeningOf(header: OpeningHeader, id: string, options: object): boolean {
  const asked = options as Record<string, unknown>;
  return header.id === id && Object.entries(header.options).every(([k, v]) => asked[k] === v);
}

/**
 * Copies an opening's recorded frames into a live run's payload of the same settings (the page's half of the
 * hand-over): `target`'s frame-major arrays get the recorded frames that the live run has not sent yet, and its other
 * top-level arrays (the per-frame t, rho, alpha of the schedule, which the stream also sends frame by frame, and
 * constants such as bin centres) the recorded run's values, which depend on the settings only.
 * @param opening the opening the live run continues, or null for a run that continues none (nothing is copied).
 * @param liveFrames frames 0..liveFrames-1 of `target` already hold live values (they are kept).
 * @returns how many leading frames of `target` now hold values: the live ones, or the recorded ones if more.
 */
export function fillFromOpening(target: object, opening: Opening<unknown> | null, liveFrames: number): number {
  if (!opening) return liveFrames;
  for (const entry of opening.header.arrays) {
    if (entry.path.length !== 1 || entry.per === 'final') continue;
    const name = entry.path[0]!;
    const to = (target as Record<string, unknown>)[name];
    const from = (opening.payload as Record<string, unknown>)[name];
    if (!isFloats(to) || !isFloats(from) || to.length !== from.length) continue;
    if (entry.frameSize === undefined || entry.stored === undefined) {
      to.set(from);
      continue;
    }
    // An 'updates' array starts at frame 1: its live values reach frame liveFrames - 1.
    const liveValues = Math.max(0, (entry.per === 'updates' ? liveFrames - 1 : liveFrames) * entry.frameSize);
    if (liveValues < entry.stored) to.set(from.subarray(liveValues, entry.stored), liveValues);
  }
  return Math.max(liveFrames, opening.header.frames);
}
