/**
 * The command-line exports `npm run sample` (samples of a 2D model) and `npm run data` (points of a built-in 2D
 * dataset) as importable functions: argument parsing (node:util parseArgs), the points themselves, and the CSV file.
 * scripts/sample.ts and scripts/data.ts only call {@link runSampleCli} / {@link runDataCli} and exit with their
 * code; tests/unit/cli.test.ts calls everything here directly.
 *
 * The CSV: a header line `x,y`, then one point per line, each coordinate the float32 value written with 9
 * significant digits (enough to read back the same float32), "\n" line ends, nothing after the last line end.
 * Samples come from the same code as `npm run eval` (src/kinds/points2d/evaluate.ts): scripts/lib/modelFolder.ts
 * loadModelFolder() (decodePointsModel() of model.json + weights.bin), then src/train/samplers.ts sampleWith() with the
 * chosen sampler (the original BFN sampler by default, or a BFN-Solver) and seededNoise(seed), on the wasm backend.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { seededNoise, type SamplerId } from '../../src/bfn';
import { DATASETS_2D, sampleDataset } from '../../src/data/toy2d';
import { ModelFileError } from '../../src/train/modelFile';
import { sampleWith, samplerIds } from '../../src/train/samplers';
import { checkModelFolder, loadModelFolder } from './modelFolder';

/** A bad command line: the CLIs print its one-line message and exit with {@link USAGE_EXIT_CODE}. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The exit code of a bad command line. */
export const USAGE_EXIT_CODE = 2;

/** Largest --points and --steps accepted (the points are held in memory; n steps cost n + 1 network calls each). */
export const EXPORT_LIMITS = { points: 1_000_000, steps: 10_000 } as const;

/** The usage lines of the two commands (defaults in parentheses). */
export const USAGE = {
  sample: `usage: npm run sample -- models/<id> --out FILE.csv [--points N (1000)] [--steps n (100)] [--seed S (1)] [--sampler ${samplerIds('continuous').join('|')} (original)]`,
  data: 'usage: npm run data -- <dataset> --out FILE.csv [--points N (1000)] [--seed S (1)]',
} as const;

const DATASET_IDS = DATASETS_2D.map((d) => d.id);
/** The samplers `npm run sample` offers: those of continuous data (src/bfn/solvers.ts SAMPLER_CHOICES). */
const SAMPLE_SAMPLER_IDS = samplerIds('continuous');

/** What `npm run sample` was asked for. */
export interface SampleArgs {
  /** The model folder (model.json + weights.bin), as given. */
  modelDir: string;
  /** N, samples to write. */
  points: number;
  /** n, sampling steps (network calls: n + 1 for the original sampler, n for a BFN-Solver). */
  steps: number;
  seed: number;
  /** The sampler: 'original' (the default) or a BFN-Solver id. */
  sampler: SamplerId;
  /** The CSV file to write. */
  out: string;
}

/** What `npm run data` was asked for. */
export interface DataArgs {
  /** A built-in dataset id (src/data/toy2d DATASETS_2D). */
  dataset: string;
  points: number;
  seed: number;
  out: string;
}

/**
 * Reads an integer option. @param flag the option's name, for the message. @param text its value as given (undefined
 * when absent). @param fallback the value when absent. @param min, max the accepted range.
 * @throws UsageError when the value is not an integer in [min, max].
 */
function integerOption(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be an integer from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got '${text}'`);
  }
  return value;
}

/**
 * node:util parseArgs with one positional argument and the given string options, its errors turned into one-line
 * UsageErrors. A negative number after an option (`--points -3`) is taken as that option's value, so that the range
 * check can name it (parseArgs alone calls it ambiguous). @returns null when --help or -h was given.
 */
function parseCommon(argv: string[], what: string, names: readonly string[]): { positional: string; values: Record<string, string | undefined> } | null {
  const joined: string[] = [];
  for (const a of argv) {
    const option = joined.at(-1);
    if (option?.startsWith('--') && names.includes(option.slice(2)) && /^-\d/.test(a)) joined[joined.length - 1] = `${option}=${a}`;
    else joined.push(a);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    const options = Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
    parsed = parseArgs({ args: joined, allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    throw new UsageError(unknown ? `unknown option '${unknown[1]}'` : message.split('\n')[0]!);
  }
  const { positionals, values } = parsed;
  if (values.help) return null;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? `missing ${what}` : `expected one ${what}, got ${positionals.length}: ${positionals.join(' ')}`);
  return { positional: positionals[0]!, values: values as Record<string, string | undefined> };
}

/** --out: present and not empty. @throws UsageError otherwise. */
function outOption(values: Record<string, string | undefined>): string {
  const out = values.out;
  if (out === undefined || out.trim() === '') throw new UsageError('missing --out FILE.csv');
  return out;
}

/** Runs `read`, turning a ModelFileError (a missing or bad model folder) into a UsageError with its message. */
function asUsageError<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ModelFileError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * --sampler: absent means 'original'; otherwise one of the continuous-data sampler ids.
 * @throws UsageError `unknown sampler '<id>'; known: original, ode_bfnsolver1, ...` otherwise.
 */
function samplerOption(text: string | undefined): SamplerId {
  if (text === undefined) return 'original';
  if (!(SAMPLE_SAMPLER_IDS as string[]).includes(text)) throw new UsageError(`unknown sampler '${text}'; known: ${SAMPLE_SAMPLER_IDS.join(', ')}`);
  return text as SamplerId;
}

/**
 * Parses `npm run sample`'s arguments: one model folder, --out (required), --points N (default 1000), --steps n
 * (default 100), --seed S (default 1), --sampler ID (default original). Checks the folder holds model.json and
 * weights.bin.
 * @returns null for --help. @throws UsageError with a one-line message for anything wrong (an unknown sampler
 *   lists the known ids).
 */
export function parseSampleArgs(argv: string[]): SampleArgs | null {
  const parsed = parseCommon(argv, 'model folder (models/<id>)', ['points', 'steps', 'seed', 'sampler', 'out']);
  if (!parsed) return null;
  const { positional: modelDir, values } = parsed;
  const out = outOption(values);
  const points = integerOption('points', values.points, 1000, 1, EXPORT_LIMITS.points);
  const steps = integerOption('steps', values.steps, 100, 1, EXPORT_LIMITS.steps);
  const seed = integerOption('seed', values.seed, 1, 0, 2 ** 31 - 1);
  const sampler = samplerOption(values.sampler);
  asUsageError(() => checkModelFolder(modelDir, ['model.json', 'weights.bin']));
  // Never write the samples over the model they come from.
  if (['model.json', 'weights.bin', 'card.json'].some((f) => resolve(modelDir, f) === resolve(out))) {
    throw new UsageError(`--out ${out} is a file of the model folder itself; write the samples somewhere else`);
  }
  return { modelDir, points, steps, seed, sampler, out };
}

/**
 * Parses `npm run data`'s arguments: one dataset id, --out (required), --points N (default 1000), --seed S
 * (default 1). @returns null for --help. @throws UsageError with a one-line message (a missing or unknown dataset
 * lists the known ones).
 */
export function parseDataArgs(argv: string[]): DataArgs | null {
  const parsed = parseCommon(argv, `dataset (one of ${DATASET_IDS.join(', ')})`, ['points', 'seed', 'out']);
  if (!parsed) return null;
  const { positional: dataset, values } = parsed;
  if (!DATASET_IDS.includes(dataset)) throw new UsageError(`unknown dataset '${dataset}'; known: ${DATASET_IDS.join(', ')}`);
  const out = outOption(values);
  const points = integerOption('points', values.points, 1000, 1, EXPORT_LIMITS.points);
  const seed = integerOption('seed', values.seed, 1, 0, 2 ** 31 - 1);
  return { dataset, points, seed, out };
}

/**
 * Samples a 2D model folder: loadModelFolder() (decodePointsModel() of model.json + weights.bin, as `npm run eval`), then
 * sampleWith() with `sampler`, n steps and seededNoise(seed), on the active backend.
 * @param sampler 'original' (Graves et al. 2023, Algorithm 3; the default) or a BFN-Solver (Xue et al. 2024,
 *   Table 1; src/bfn/solversContinuous.ts).
 * @returns Float32Array [points, 2] row-major, values in [-1, 1] (the original sampler's output-distribution mode, or
 *   a solver's clipped last data prediction).
 * @throws UsageError when the folder is not a 2D BFN Playground model (ModelFileError's message, or a model of
 *   another data kind or size); RangeError (from sampleWith) for an unknown sampler.
 */
export async function sampleModelFolder(modelDir: string, points: number, steps: number, seed: number, sampler: SamplerId = 'original'): Promise<Float32Array> {
  const { spec, mlp } = asUsageError(() => loadModelFolder(modelDir));
  try {
    const { samples } = await sampleWith(sampler, spec, mlp.net, [points, 2], { n: steps, noise: seededNoise(seed) });
    return samples;
  } finally {
    mlp.dispose();
  }
}

/**
 * The CSV text of 2D points: header `x,y`, then one `x,y` line per point (9 significant digits, "\n" after each).
 * @param points [N, 2] row-major. @throws RangeError for an odd length.
 */
export function pointsToCsv(points: Float32Array): string {
  if (points.length % 2 !== 0) throw new RangeError(`pointsToCsv: ${points.length} values are not [N, 2]`);
  const format = (v: number) => String(Number(v.toPrecision(9)));
  const lines = ['x,y'];
  for (let k = 0; k < points.length; k += 2) lines.push(`${format(points[k]!)},${format(points[k + 1]!)}`);
  return `${lines.join('\n')}\n`;
}

/** Writes the CSV. @throws UsageError naming the path and the reason when it cannot be written. */
export function writeCsvFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(err));
    throw new UsageError(`cannot write '${path}': ${reason}`);
  }
}

/** Where a command's lines go: console.log / console.error, or a test's capture. */
export interface CliLog {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Runs a command body: its line (or the usage, for --help, when it returns null) goes to `log.out` with exit code 0;
 * a UsageError is one line on `log.err`, `<command>: <message> (--help for usage)`, with {@link USAGE_EXIT_CODE}; any
 * other error propagates.
 */
async function runCli(command: string, usage: string, body: () => Promise<string | null>, log: CliLog): Promise<number> {
  try {
    log.out((await body()) ?? usage);
    return 0;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    log.err(`npm run ${command}: ${err.message} (--help for usage)`);
    return USAGE_EXIT_CODE;
  }
}

const consoleLog: CliLog = { out: (line) => console.log(line), err: (line) => console.error(line) };

/**
 * `npm run sample -- models/<id> --points N --steps n --seed S --sampler ID --out FILE.csv`: writes N samples of the
 * 2D model (on the wasm backend) and prints one line saying what it wrote (the usage for --help). @returns the exit
 * code: 0, or 2 for a bad command line, an unknown sampler included (printed as one line). @throws Error for anything else (e.g. the wasm backend did not start).
 */
export function runSampleCli(argv: string[], log = consoleLog): Promise<number> {
  return runCli('sample', USAGE.sample, async () => {
    const args = parseSampleArgs(argv);
    if (!args) return null;
    if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
    const points = await sampleModelFolder(args.modelDir, args.points, args.steps, args.seed, args.sampler);
    writeCsvFile(args.out, pointsToCsv(points));
    return `wrote ${args.points} samples of ${args.modelDir} (${args.sampler} sampler, n = ${args.steps} steps, seed ${args.seed}) to ${args.out}`;
  }, log);
}

/**
 * `npm run data -- <dataset> --points N --seed S --out FILE.csv`: writes N points of a built-in dataset
 * (sampleDataset(), scaled into [-0.9, 0.9]^2 as the playground trains on). @returns the exit code: 0, or 2 for a
 * bad command line (printed as one line).
 */
export function runDataCli(argv: string[], log = consoleLog): Promise<number> {
  return runCli('data', USAGE.data, async () => {
    const args = parseDataArgs(argv);
    if (!args) return null;
    writeCsvFile(args.out, pointsToCsv(sampleDataset(args.dataset, args.points, args.seed)));
    return `wrote ${args.points} points of ${args.dataset} (seed ${args.seed}) to ${args.out}`;
  }, log);
}
