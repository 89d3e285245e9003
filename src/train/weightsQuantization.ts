/**
 * Quantized weights in the TensorFlow.js weights format: a manifest entry keeps `dtype: 'float32'` and adds
 * `quantization: {dtype: 'float16'}` (IEEE 754 half precision, 2 bytes a value) or the affine
 * `quantization: {dtype: 'uint8' | 'uint16', scale, min}` (1 or 2 bytes a value q, read back as q * scale + min), which
 * `tf.io.decodeWeights` of TF.js 4.22 decodes (`decodeWeight` in tfjs-core's io_utils). TF.js ships no
 * encoder for them in JavaScript (`tf.io.encodeWeights` writes float32 only; its quantizer is the Python converter's
 * `quantize_weights` in `tfjs-converter/python/tensorflowjs/quantization.py`), so the encoder is here: the affine
 * range follows that function (per tensor, the minimum and maximum nudged so that 0 is a code when it lies in the
 * range), and half precision rounds to nearest even with @petamoriken/float16.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Float16Array } from '@petamoriken/float16';
import type { NamedTensor } from '../nets/trainable';

/** How weights.bin stores a tensor's values: float32 as TF.js writes them, or one of TF.js's quantizations. */
export type WeightsDtype = 'float32' | 'float16' | 'uint8' | 'uint16';

/** Every {@link WeightsDtype}, for option parsing. */
export const WEIGHTS_DTYPES: readonly WeightsDtype[] = ['float32', 'float16', 'uint8', 'uint16'];

/** Reads a storage dtype from a command line. @throws TypeError naming the choices for any other text. */
export function parseWeightsDtype(text: string): WeightsDtype {
  if (!(WEIGHTS_DTYPES as readonly string[]).includes(text)) throw new TypeError(`--weights must be one of ${WEIGHTS_DTYPES.join(', ')}, got '${text}'`);
  return text as WeightsDtype;
}

/** Bytes a value takes in weights.bin for each storage dtype. */
export const BYTES_PER_VALUE: Record<WeightsDtype, number> = { float32: 4, float16: 2, uint8: 1, uint16: 2 };

/** A manifest entry's quantization (tf.io.WeightsManifestEntry['quantization']) as this module writes it. */
export type WeightsQuantization = { dtype: 'float16' } | { dtype: 'uint8' | 'uint16'; scale: number; min: number };

/** The storage dtype of a manifest entry: its quantization's, or float32 without one. */
export const storageDtype = (entry: { quantization?: { dtype: WeightsDtype } }): WeightsDtype => entry.quantization?.dtype ?? 'float32';

/**
 * Affine quantization of one tensor's values to `bits`-bit codes, as TF.js's converter does it (`quantize_weights`
 * and `_get_affine_quantization_range` in tfjs-converter/python/tensorflowjs/quantization.py): scale = (max - min) /
 * (2^bits - 1); when min <= 0 <= max the minimum is nudged to -round(-min / scale) * scale so that 0 decodes
 * exactly; each value is clipped to the nudged range and rounded to the nearest code. A tensor of one value gets
 * scale 1 and all codes 0.
 * @param values the tensor's values (any shape, flattened), finite.
 * @returns codes (Uint8Array for 8 bits, Uint16Array for 16) with `scale` and `min` such that code * scale + min is
 *   within scale / 2 of each value (up to float32 rounding of the decoded value).
 * @throws RangeError when a value is not finite.
 */
export function affineQuantize(values: Float32Array, bits: 8 | 16): { codes: Uint8Array | Uint16Array; scale: number; min: number } {
  const codes = bits === 8 ? new Uint8Array(values.length) : new Uint16Array(values.length);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`cannot quantize a non-finite value (${v})`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (values.length === 0 || lo === hi) return { codes, scale: 1, min: values.length ? lo : 0 };
  const top = 2 ** bits - 1;
  const scale = (hi - lo) / top;
  const min = lo <= 0 && hi >= 0 ? -Math.round(-lo / scale) * scale : lo;
  const max = min + top * scale;
  for (let k = 0; k < values.length; k++) codes[k] = Math.round((Math.min(max, Math.max(min, values[k]!)) - min) / scale);
  return { codes, scale, min };
}

/**
 * IEEE 754 half-precision bits of float32 values, rounded to nearest even (what `tf.io.decodeWeights` reads for
 * `quantization: {dtype: 'float16'}`). @param values float32 values. @returns their float16 bit patterns.
 * @throws RangeError when a value is not finite or is too large for float16 (|v| >= 65520 rounds to infinity).
 */
export function float16Bits(values: Float32Array): Uint16Array {
  const half = new Float16Array(values);
  const bits = new Uint16Array(half.buffer);
  const bad = bits.findIndex((h) => (h & 0x7c00) === 0x7c00);
  if (bad >= 0) throw new RangeError(`cannot store ${values[bad]} as float16 (its largest finite value is 65504)`);
  return bits;
}

/**
 * Encodes named float32 tensors into one weights buffer and its manifest entries, like `tf.io.encodeWeights`, stored
 * as `dtype`. @param tensors the tensors (float32, any shapes), in file order. @param dtype the storage:
 * 'float32' is `tf.io.encodeWeights` itself; 'float16' halves the bytes; 'uint8' / 'uint16' are per-tensor affine codes.
 * @returns the bytes and one manifest entry per tensor (name, shape, dtype 'float32', and the quantization).
 * @throws RangeError for a non-finite value, or one too large for float16.
 */
export async function encodeWeightsAs(tensors: readonly NamedTensor[], dtype: WeightsDtype): Promise<{ data: ArrayBuffer; specs: { name: string; shape: number[]; dtype: 'float32'; quantization?: WeightsQuantization }[] }> {
  if (dtype === 'float32') {
    const { data, specs } = await tf.io.encodeWeights([...tensors]);
    return { data, specs: specs.map(({ name, shape }) => ({ name, shape, dtype: 'float32' as const })) };
  }
  const parts: Uint8Array[] = [];
  const specs = tensors.map(({ name, tensor }) => {
    const values = tensor.dataSync() as Float32Array;
    if (dtype === 'float16') {
      const bits = float16Bits(values);
      parts.push(new Uint8Array(bits.buffer));
      return { name, shape: tensor.shape, dtype: 'float32' as const, quantization: { dtype } };
    }
    const { codes, scale, min } = affineQuantize(values, dtype === 'uint8' ? 8 : 16);
    parts.push(new Uint8Array(codes.buffer));
    return { name, shape: tensor.shape, dtype: 'float32' as const, quantization: { dtype, scale, min } };
  });
  const data = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.length;
  }
  return { data: data.buffer, specs };
}

/**
 * The first value of a weights buffer that is not a finite number, or null: float32 values are read as they are,
 * float16 values whose exponent bits are all ones are infinities or NaN, and affine codes decode to finite values
 * whenever scale and min are finite (the manifest schema's job).
 * @param entries the manifest entries in file order (shape, and quantization when quantized). @param weights the bytes.
 * @returns the value's index among all values of the file, the value and its tensor's name.
 */
export function firstNonFinite(entries: readonly { name: string; shape: readonly number[]; quantization?: { dtype: WeightsDtype } }[], weights: ArrayBuffer): { at: number; value: number; name: string } | null {
  let byte = 0;
  let index = 0;
  for (const entry of entries) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    const dtype = storageDtype(entry);
    const end = byte + size * BYTES_PER_VALUE[dtype];
    if (dtype === 'float32') {
      const values = new Float32Array(weights.slice(byte, end));
      const k = values.findIndex((v) => !Number.isFinite(v));
      if (k >= 0) return { at: index + k, value: values[k]!, name: entry.name };
    } else if (dtype === 'float16') {
      const bits = new Uint16Array(weights.slice(byte, end));
      const k = bits.findIndex((h) => (h & 0x7c00) === 0x7c00);
      if (k >= 0) return { at: index + k, value: bits[k]! & 0x3ff ? NaN : bits[k]! & 0x8000 ? -Infinity : Infinity, name: entry.name };
    }
    byte = end;
    index += size;
  }
  return null;
}

/**
 * The largest |decoded - original| over all values of a weights buffer against the tensors it was encoded from.
 * @param tensors the original float32 tensors, by name. @param data the encoded bytes. @param specs their manifest
 * entries. @returns the error in the weights' own units (0 for float32). @throws Error when a name is missing.
 */
export function maxAbsError(tensors: readonly NamedTensor[], data: ArrayBuffer, specs: tf.io.WeightsManifestEntry[]): number {
  const decoded = tf.io.decodeWeights(data, specs);
  try {
    let worst = 0;
    for (const { name, tensor } of tensors) {
      const got = decoded[name];
      if (!got) throw new Error(`the encoded weights have no tensor named ${name}`);
      const a = tensor.dataSync();
      const b = got.dataSync();
      for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k]! - b[k]!));
    }
    return worst;
  } finally {
    tf.dispose(Object.values(decoded));
  }
}
