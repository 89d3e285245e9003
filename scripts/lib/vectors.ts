/**
 * Loads the reference vector files for the conformance suites: tests/vectors, or $BFN_VECTORS_DIR (the core
 * vectors), and tests/solver-vectors, or $BFN_SOLVER_VECTORS_DIR (the BFN-Solver vectors).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { VectorFile } from '../../src/conformance/checks';

/** The directory the suites read: $BFN_VECTORS_DIR when set, else the copy committed in tests/vectors. */
export const VECTORS_DIR = resolve(process.env.BFN_VECTORS_DIR || join(import.meta.dirname, '..', '..', 'tests', 'vectors'));

/** The BFN-Solver vector directory: $BFN_SOLVER_VECTORS_DIR when set, else the copy committed in tests/solver-vectors. */
export const SOLVER_VECTORS_DIR = resolve(process.env.BFN_SOLVER_VECTORS_DIR || join(import.meta.dirname, '..', '..', 'tests', 'solver-vectors'));

/**
 * Reads every *.json file of {@link VECTORS_DIR}, sorted by name.
 * @throws Error when the directory is missing, holds no JSON file, or a file is not valid JSON.
 */
export function loadVectorFiles(dir: string = VECTORS_DIR): VectorFile[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`vector directory not found: ${dir}`);
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (names.length === 0) throw new Error(`no *.json vector files in ${dir}`);
  return names.map((name) => {
    const text = readFileSync(join(dir, name), 'utf8');
    try {
      return { name, json: JSON.parse(text) as unknown };
    } catch (err) {
      throw new Error(`${join(dir, name)} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  });
}
