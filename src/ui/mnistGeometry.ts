/**
 * MNIST image geometry and small array helpers shared by the MNIST views (binarized and grey-scale): the image side,
 * frame-major trajectory offsets, the grid layout of tiles, means over typed arrays, and whole-number parsing of fields.
 */

/** Side of an MNIST image in pixels. */
export const SIDE = 28;
/** Pixels per image. */
export const PIXELS = SIDE * SIDE;

/** A plain decimal whole number (digits only, surrounding spaces allowed), else NaN: "0x10", "1e2" and "" are rejected. */
export function parseDecimal(text: string | null): number {
  return text !== null && /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
}

/** Mean of `count` values of `values` from `offset` (NaN when there are none). */
export function meanOf(values: ArrayLike<number>, offset = 0, count = values.length - offset): number {
  if (count <= 0) return NaN;
  let sum = 0;
  for (let k = offset; k < offset + count; k++) sum += values[k]!;
  return sum / count;
}

/** Columns and rows of the square-ish grid that lays out `images` tiles. */
export function gridShape(images: number): { cols: number; rows: number } {
  const cols = Math.max(1, Math.ceil(Math.sqrt(images)));
  return { cols, rows: Math.max(1, Math.ceil(images / cols)) };
}

/** Offset of frame `frame`, image `image`, pixel `pixel` in a frame-major [frame][image][pixel] array. */
export function frameOffset(images: number, frame: number, image = 0, pixel = 0): number {
  return (frame * images + image) * PIXELS + pixel;
}

/** A pixel of one image of a run. */
export interface PixelRef {
  image: number;
  pixel: number;
}
