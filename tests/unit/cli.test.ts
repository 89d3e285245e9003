/**
 * `npm run sample` and `npm run data` (scripts/lib/exportCsv.ts), run through the functions the scripts call: the
 * CSV files they write (header, row count, values in range, the dataset's own points, same seed gives the same
 * file, another seed another; `--sampler` picks a BFN-Solver), and the one-line messages and exit code 2 of bad command
 * lines (an unknown sampler included), which write nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { sampleDataset } from '../../src/data/toy2d';
import { pointsToCsv, runDataCli, runSampleCli, USAGE_EXIT_CODE, type CliLog } from '../../scripts/lib/exportCsv';

const dir = mkdtempSync(join(tmpdir(), 'bfn-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MODEL = join(import.meta.dirname, '..', '..', 'models', 'two-moons');

/** A log that keeps the lines. */
function capture(): CliLog & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (line) => outLines.push(line), err: (line) => errLines.push(line) };
}

/** Reads a written CSV: the header and the [x, y] rows, every cell parsed as a number. */
function readCsv(path: string): { header: string; rows: number[][]; text: string } {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n'), 'the file ends with a line end').toBe(true);
  const [header, ...lines] = text.slice(0, -1).split('\n');
  return { header: header!, rows: lines.map((l) => l.split(',').map(Number)), text };
}

function expectPoints(rows: number[][], n: number, bound: number): void {
  expect(rows).toHaveLength(n);
  for (const row of rows) {
    expect(row).toHaveLength(2);
    for (const v of row) {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    }
  }
}

describe('npm run data', () => {
  test('writes N points of the dataset, header x,y, in [-0.9, 0.9]; the same seed gives the same file', async () => {
    const a = join(dir, 'spirals-a.csv');
    const log = capture();
    expect(await runDataCli(['spirals', '--points', '300', '--seed', '4', '--out', a], log)).toBe(0);
    expect(log.outLines).toEqual([`wrote 300 points of spirals (seed 4) to ${a}`]);
    const { header, rows, text } = readCsv(a);
    expect(header).toBe('x,y');
    expectPoints(rows, 300, 0.9 + 1e-6);
    // The rows are the dataset's own points (read back to float32 exactly).
    const expected = sampleDataset('spirals', 300, 4);
    expect(Float32Array.from(rows.flat())).toEqual(expected);
    expect(text).toBe(pointsToCsv(expected));

    const b = join(dir, 'spirals-b.csv');
    expect(await runDataCli(['spirals', '--points', '300', '--seed', '4', '--out', b], capture())).toBe(0);
    expect(readFileSync(b, 'utf8')).toBe(text);
    const c = join(dir, 'spirals-c.csv');
    expect(await runDataCli(['spirals', '--points', '300', '--seed', '5', '--out', c], capture())).toBe(0);
    expect(readFileSync(c, 'utf8')).not.toBe(text);
  });
});

describe('npm run sample', () => {
  test('writes N samples of a 2D model in [-1, 1]; the same seed gives the same file, another seed another', async () => {
    const a = join(dir, 'moons-a.csv');
    const log = capture();
    expect(await runSampleCli([MODEL, '--points', '400', '--steps', '20', '--seed', '3', '--out', a], log)).toBe(0);
    expect(log.outLines).toEqual([`wrote 400 samples of ${MODEL} (original sampler, n = 20 steps, seed 3) to ${a}`]);
    const { header, rows, text } = readCsv(a);
    expect(header).toBe('x,y');
    expectPoints(rows, 400, 1);
    // Two moons: spread over both coordinates, not one repeated point.
    const spread = (k: number) => Math.max(...rows.map((r) => r[k]!)) - Math.min(...rows.map((r) => r[k]!));
    expect(spread(0)).toBeGreaterThan(1);
    expect(spread(1)).toBeGreaterThan(0.5);

    const b = join(dir, 'moons-b.csv');
    expect(await runSampleCli([MODEL, '--points', '400', '--steps', '20', '--seed', '3', '--out', b], capture())).toBe(0);
    expect(readFileSync(b, 'utf8')).toBe(text);
    const c = join(dir, 'moons-c.csv');
    expect(await runSampleCli([MODEL, '--points', '400', '--steps', '20', '--seed', '4', '--out', c], capture())).toBe(0);
    expect(readFileSync(c, 'utf8')).not.toBe(text);
  });

  test('the defaults are 1000 points, 100 steps and the original sampler', async () => {
    const a = join(dir, 'moons-default.csv');
    const log = capture();
    expect(await runSampleCli([MODEL, '--out', a], log)).toBe(0);
    expect(log.outLines).toEqual([`wrote 1000 samples of ${MODEL} (original sampler, n = 100 steps, seed 1) to ${a}`]);
    expectPoints(readCsv(a).rows, 1000, 1);
    const b = join(dir, 'moons-default-original.csv');
    expect(await runSampleCli([MODEL, '--sampler', 'original', '--out', b], capture())).toBe(0);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
  });

  test('--sampler: a BFN-Solver writes its own samples; the same seed gives the same file', async () => {
    const a = join(dir, 'moons-ode2.csv');
    const log = capture();
    expect(await runSampleCli([MODEL, '--sampler', 'ode_bfnsolver2_multi_step', '--points', '400', '--steps', '10', '--seed', '3', '--out', a], log)).toBe(0);
    expect(log.outLines).toEqual([`wrote 400 samples of ${MODEL} (ode_bfnsolver2_multi_step sampler, n = 10 steps, seed 3) to ${a}`]);
    const { rows, text } = readCsv(a);
    expectPoints(rows, 400, 1);
    const b = join(dir, 'moons-ode2-b.csv');
    expect(await runSampleCli([MODEL, '--sampler', 'ode_bfnsolver2_multi_step', '--points', '400', '--steps', '10', '--seed', '3', '--out', b], capture())).toBe(0);
    expect(readFileSync(b, 'utf8')).toBe(text);
    const c = join(dir, 'moons-original-10.csv');
    expect(await runSampleCli([MODEL, '--points', '400', '--steps', '10', '--seed', '3', '--out', c], capture())).toBe(0);
    expect(readFileSync(c, 'utf8')).not.toBe(text);
  });
});

describe('bad command lines: one line, exit code 2, no file', () => {
  const out = () => join(dir, 'never.csv');
  const cases: [string, (log: CliLog) => Promise<number>, RegExp][] = [];
  const add = (name: string, run: (log: CliLog) => Promise<number>, message: RegExp) => cases.push([name, run, message]);
  add('unknown dataset, listing the known ones', (log) => runDataCli(['moons', '--out', out()], log), /^npm run data: unknown dataset 'moons'; known: two-moons, eight-gaussians, checkerboard, swiss-roll, spirals, circles, pinwheel, heart \(--help for usage\)$/);
  add('missing dataset', (log) => runDataCli(['--out', out()], log), /^npm run data: missing dataset \(one of two-moons, .*heart\)/);
  add('missing model folder', (log) => runSampleCli([join(dir, 'no-such-model'), '--out', out()], log), /^npm run sample: model folder '.*no-such-model' does not exist/);
  add('a folder that is not a model', (log) => runSampleCli([dir, '--out', out()], log), /^npm run sample: model folder '.*' has no model\.json/);
  add('--out naming a file of the model folder itself', (log) => {
    const own = join(dir, 'own-model');
    mkdirSync(own, { recursive: true });
    for (const f of ['model.json', 'weights.bin']) writeFileSync(join(own, f), 'x');
    return runSampleCli([own, '--out', join(own, '.', 'weights.bin')], log);
  }, /^npm run sample: --out .*weights\.bin is a file of the model folder itself; write the samples somewhere else/);
  add('an MNIST model is not a 2D model', (log) => runSampleCli([join(MODEL, '..', 'mnist-binary'), '--out', out()], log), /^npm run sample: .*model\.json: This is a binarized-MNIST model; the 2D playground needs a 2D-points model/);
  add('non-integer N', (log) => runSampleCli([MODEL, '--points', '1.5', '--out', out()], log), /^npm run sample: --points must be an integer from 1 to 1,000,000, got '1\.5'/);
  add('N not a number', (log) => runDataCli(['heart', '--points', 'many', '--out', out()], log), /^npm run data: --points must be an integer from 1 to 1,000,000, got 'many'/);
  add('zero N', (log) => runDataCli(['heart', '--points', '0', '--out', out()], log), /^npm run data: --points must be an integer from 1 to 1,000,000, got '0'/);
  add('negative n', (log) => runSampleCli([MODEL, '--steps', '-3', '--out', out()], log), /^npm run sample: --steps must be an integer from 1 to 10,000, got '-3'/);
  add('zero n', (log) => runSampleCli([MODEL, '--steps', '0', '--out', out()], log), /^npm run sample: --steps must be an integer from 1 to 10,000, got '0'/);
  add('missing --out', (log) => runSampleCli([MODEL, '--points', '10'], log), /^npm run sample: missing --out FILE\.csv/);
  add('--out without a value', (log) => runDataCli(['heart', '--out'], log), /^npm run data: Option '--out <value>' argument missing/);
  add('unknown sampler, listing the known ones', (log) => runSampleCli([MODEL, '--sampler', 'nope', '--out', out()], log), /^npm run sample: unknown sampler 'nope'; known: original, ode_bfnsolver1, ode_bfnsolver2_multi_step, sde_bfnsolver1, sde_bfnsolver2_multi_step \(--help for usage\)$/);
  add('--sampler without a value', (log) => runSampleCli([MODEL, '--out', out(), '--sampler'], log), /^npm run sample: Option '--sampler <value>' argument missing/);
  add('unknown option', (log) => runDataCli(['heart', '--steps', '5', '--out', out()], log), /^npm run data: unknown option '--steps'/);
  add('unwritable path: no such folder', (log) => runDataCli(['heart', '--out', join(dir, 'no', 'such', 'folder.csv')], log), /^npm run data: cannot write '.*folder\.csv': its folder does not exist/);
  add('unwritable path: a folder', (log) => runSampleCli([MODEL, '--points', '5', '--steps', '2', '--out', dir], log), /^npm run sample: cannot write '.*': it is a folder/);

  test.each(cases)('%s', async (_name, run, message) => {
    const log = capture();
    expect(await run(log)).toBe(USAGE_EXIT_CODE);
    expect(log.outLines).toEqual([]);
    expect(log.errLines).toHaveLength(1);
    expect(log.errLines[0]).toMatch(message);
    expect(log.errLines[0]).not.toMatch(/\n|\s+at /);
    expect(existsSync(out())).toBe(false);
  });

  test('--help prints the usage and exits 0', async () => {
    const log = capture();
    expect(await runDataCli(['--help'], log)).toBe(0);
    expect(log.outLines).toEqual(['usage: npm run data -- <dataset> --out FILE.csv [--points N (1000)] [--seed S (1)]']);
    const sample = capture();
    expect(await runSampleCli(['-h'], sample)).toBe(0);
    expect(sample.outLines).toEqual(['usage: npm run sample -- models/<id> --out FILE.csv [--points N (1000)] [--steps n (100)] [--seed S (1)] [--sampler original|ode_bfnsolver1|ode_bfnsolver2_multi_step|sde_bfnsolver1|sde_bfnsolver2_multi_step (original)]']);
  });
});
