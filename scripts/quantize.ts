/**
 * `npm run quantize -- models/<id> --dtype float16|uint8|uint16|float32`: re-encodes a model folder's weights.bin in
 * the TensorFlow.js weights format with that storage (src/train/weightsQuantization.ts: float16, or per-tensor affine
 * uint8 / uint16 codes that `tf.io.decodeWeights` reads back), rewrites model.json's manifest, and records in
 * card.json how the weights are stored (`weights`: dtype, bytes, the largest error against the weights it read,
 * command). When the weights change, the card's evaluation no longer describes them and is dropped: run
 * `npm run eval -- models/<id>` on the new files. Only float32 weights are re-encoded to another storage (a second
 * rounding would compound the first); re-encoding to the same storage rewrites the same bytes.
 * Exits 2 with a one-line message on a bad command line or a folder that does not read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { describeWeights, encodeModelFile, ModelFileError, weightsDtypeOf, weightsManifestSchema } from '../src/train/modelFile';
import { WEIGHTS_DTYPES, type WeightsDtype } from '../src/train/weightsQuantization';
import { MODEL_FILE_KINDS, readModel } from '../src/kinds/modelFiles';
import { checkModelFolder, readFolderJson } from './lib/modelFolder';

const USAGE = `usage: npm run quantize -- models/<id> --dtype ${WEIGHTS_DTYPES.join('|')}`;

/**
 * Re-encodes one model folder. @param dir the folder. @param dtype the new storage. @param command the command line, for the card.
 * @returns the old and new sizes in bytes, the largest weight error and whether the evaluation was dropped.
 * @throws ModelFileError for a folder that does not read, a card schema without a `weights` field, or a quantized
 *   source re-encoded to another storage.
 */
export async function quantizeFolder(dir: string, dtype: WeightsDtype, command: string): Promise<{ before: number; after: number; maxAbsError: number; droppedEvaluation: boolean }> {
  checkModelFolder(dir);
  const raw = readFolderJson(dir, 'model.json') as { network?: { type?: unknown } };
  const rawCard = readFolderJson(dir, 'card.json') as Record<string, unknown>;
  const kind = MODEL_FILE_KINDS.find((k) => k.networkType === raw.network?.type);
  if (!kind) throw new ModelFileError(`${join(dir, 'model.json')}: no kind of model has network type ${JSON.stringify(raw.network?.type)}`);
  const manifest = weightsManifestSchema.safeParse((raw as { weightsManifest?: unknown }).weightsManifest);
  const from = manifest.success ? weightsDtypeOf(manifest.data[0]!.weights) : 'float32';
  if (from !== 'float32' && from !== dtype) throw new ModelFileError(`${dir}: weights.bin is already ${from}; re-encode the float32 weights instead (a second rounding would add to the first)`);
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const old = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const { spec, net } = readModel(kind, raw, old, rawCard);
  try {
    const { modelJson, weights } = await encodeModelFile(kind, spec, net, dtype);
    const same = Buffer.from(weights).equals(bytes);
    const card: Record<string, unknown> = { ...rawCard, weights: describeWeights(net, modelJson, weights, command) };
    if (!same) delete card.evaluation;
    // The kind's card schema must keep the note (zod drops fields a schema does not name).
    const parsed = kind.card.schema.parse(card) as { weights?: unknown };
    if (!parsed.weights) throw new ModelFileError(`${dir}: the card of ${kind.what} has no 'weights' field to record the storage in`);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson, null, 1));
    writeFileSync(join(dir, 'weights.bin'), Buffer.from(weights));
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card, null, 1));
    return { before: bytes.byteLength, after: weights.byteLength, maxAbsError: (card.weights as { maxAbsError: number }).maxAbsError, droppedEvaluation: !same && 'evaluation' in rawCard };
  } finally {
    net.dispose();
  }
}

/**
 * The folder and storage type of a command line. @throws TypeError with the usage line and what is wrong: an unknown
 * option (node:util's own message suggests a '--' that does not apply here), not exactly one folder, or a bad --dtype.
 */
function parseCommand(args: string[]): { dir: string; dtype: WeightsDtype } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { dtype: { type: 'string' } }, allowPositionals: true });
  } catch (err) {
    throw new TypeError(`npm run quantize: ${(err as Error).message.split('.')[0]}\n${USAGE}`, { cause: err });
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new TypeError(`npm run quantize: give exactly one model folder, got ${positionals.length}\n${USAGE}`);
  const dtype = values.dtype as WeightsDtype;
  if (!WEIGHTS_DTYPES.includes(dtype)) throw new TypeError(`npm run quantize: --dtype must be one of ${WEIGHTS_DTYPES.join(', ')}, got '${values.dtype ?? ''}'\n${USAGE}`);
  return { dir: positionals[0]!, dtype };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  try {
    if (args.includes('--help') || args.includes('-h')) {
      console.log(USAGE);
      process.exit(0);
    }
    const { dir, dtype } = parseCommand(args);
    await tf.setBackend('cpu');
    const r = await quantizeFolder(dir, dtype, `npm run quantize -- ${args.join(' ')}`);
    console.log(`${dir}: weights.bin ${(r.before / 1e6).toFixed(2)} MB -> ${(r.after / 1e6).toFixed(2)} MB (${dtype}); largest weight error ${r.maxAbsError.toExponential(2)}`);
    if (r.droppedEvaluation) console.log(`the card's evaluation described the old weights and was dropped: run npm run eval -- ${dir}`);
  } catch (err) {
    if (!(err instanceof ModelFileError || err instanceof TypeError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
