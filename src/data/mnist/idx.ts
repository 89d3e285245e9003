/**
 * The IDX file format of the original MNIST files (LeCun et al., http://yann.lecun.com/exdb/mnist/): a big-endian
 * header (two zero bytes, a type code, the number of dimensions, then one uint32 per dimension) followed by the data.
 * MNIST uses type 0x08 (unsigned byte): images are [N, 28, 28], labels [N]. Pure functions, no I/O.
 */

/** A parsed IDX file: its dimensions and its unsigned-byte data (row-major, a view into the input buffer). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** A file that is not an unsigned-byte IDX file, or is truncated; the message says what is wrong. */
export class IdxError extends Error {
  override name = 'IdxError';
}

/** The two-byte gzip magic number: callers decompress such files before parsing. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses an unsigned-byte IDX file.
 * @param bytes the whole file (not gzip-compressed). @param name the file's name, used in error messages.
 * @param expectDims when given, the dimensions after the first (e.g. [28, 28] for images, [] for labels).
 * @returns dims [N, ...] and data of N * prod(rest) bytes.
 * @throws IdxError when the file is gzip-compressed, shorter than its header, has a bad magic number or a type
 *   other than unsigned byte, has dimensions other than expected, or holds fewer or more bytes than its header says.
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX file', expectDims?: number[]): IdxArray {
  if (isGzip(bytes)) throw new IdxError(`${name} is gzip-compressed: decompress it first`);
  if (bytes.length < 4) throw new IdxError(`${name} is ${bytes.length} bytes long, too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new IdxError(`${name} is not an IDX file: it does not start with two zero bytes`);
  if (bytes[2] !== 0x08) throw new IdxError(`${name} has IDX type 0x${bytes[2]!.toString(16).padStart(2, '0')}, expected 0x08 (unsigned byte)`);
  const rank = bytes[3]!;
  if (rank < 1) throw new IdxError(`${name} declares ${rank} dimensions`);
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new IdxError(`${name} is truncated inside its header (${bytes.length} of ${headerLength} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, k) => view.getUint32(4 + 4 * k, false));
  if (expectDims && (dims.length !== expectDims.length + 1 || expectDims.some((d, k) => dims[k + 1] !== d))) {
    throw new IdxError(`${name} has dimensions [${dims.join(', ')}], expected [N${expectDims.map((d) => `, ${d}`).join('')}]`);
  }
  const size = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - headerLength;
  if (have < size) throw new IdxError(`${name} is truncated: its header promises ${size} bytes of data but only ${have} follow`);
  if (have > size) throw new IdxError(`${name} has ${have - size} bytes after the ${size} its header declares`);
  return { dims, data: bytes.subarray(headerLength, headerLength + size) };
}

/** Builds an unsigned-byte IDX file from dims and data (for tests and for writing subsets). @throws IdxError on a size mismatch. */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new IdxError(`dims [${dims.join(', ')}] need ${size} bytes, got ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + size);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
