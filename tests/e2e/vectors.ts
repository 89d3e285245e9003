/** Reads the reference vector files in Node for the browser conformance run ($BFN_VECTORS_DIR or tests/vectors). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface VectorFileJson {
  name: string;
  json: unknown;
}

export const VECTORS_DIR = resolve(process.env.BFN_VECTORS_DIR || 'tests/vectors');

/** Every *.json file of {@link VECTORS_DIR}, parsed, sorted by name. Throws when there is none. */
export function readVectorFiles(dir: string = VECTORS_DIR): VectorFileJson[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`vector directory not found: ${dir}`);
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (names.length === 0) throw new Error(`no *.json vector files in ${dir}`);
  return names.map((name) => {
    const text = readFileSync(join(dir, name), 'utf8');
    try {
      return { name, json: JSON.parse(text) as unknown };
    } catch (err) {
      throw new Error(`${join(dir, name)} is not valid JSON: ${(err as Error).message}`);
    }
  });
}
