/**
 * Every exported function and constant of src/bfn carries a JSDoc comment, and every exported function's comment
 * names its source in the paper or the official code, or its module's header does (the function defers to it).
 * A source is a paper section (`paper §4`), an algorithm, proposition or equation (`Algorithm 3`, `eq. 72`), or an
 * official code symbol or file (`official \`BFN.sample\``, `` `bfnsolver_i.py` ``). A document outside the repository is not a source.
 * Two modules hold no BFN mathematics and say so in their headers: gaussian.ts (numerical helpers, each citing its
 * numerical reason) and noise.ts (plumbing for the random draws).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const dir = join(import.meta.dirname, '..', '..', 'src', 'bfn');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

/** What counts as naming a source: the paper's section / algorithm / proposition / equation, or the official code. */
const SOURCE = /paper §\d|paper'?s? (?:Algorithm|eq)|Algorithms? \d|Proposition \d|Table \d|\beqs?\. \d|official `[\w.]+|`\w+\.py`/;
/** Modules that are not the paper's mathematics, with the words their header must use to say so. */
const NOT_MATHEMATICS: Record<string, RegExp> = { 'gaussian.ts': /not the paper's[\s*]+mathematics/, 'noise.ts': /not the paper's[\s*]+mathematics/ };

interface Export {
  name: string;
  kind: string;
  doc: string | null;
}

/** The module header (first comment) and each export with its docstring (null when it has none). */
function readModule(text: string): { header: string; exports: Export[] } {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => /\*\/\s*$/.test(l));
  const header = lines[0]?.startsWith('/**') ? lines.slice(0, end + 1).join('\n') : '';
  const exports: Export[] = [];
  lines.forEach((line, k) => {
    const m = /^export (?:async )?(function|const|interface|type|class) (\w+)/.exec(line);
    if (!m) return;
    // Walk back over overload signatures (no blank line, no closing brace) to the comment.
    let j = k - 1;
    while (j >= 0 && !/\*\/\s*$/.test(lines[j]!) && lines[j]!.trim() !== '' && !lines[j]!.startsWith('}')) j--;
    if (!/\*\/\s*$/.test(lines[j] ?? '')) return exports.push({ name: m[2]!, kind: m[1]!, doc: null });
    let i = j;
    while (i > 0 && !lines[i]!.includes('/**')) i--;
    exports.push({ name: m[2]!, kind: m[1]!, doc: lines.slice(i, j + 1).join('\n') });
  });
  return { header, exports };
}

/** The exported functions whose docstring names no source while the header names none either. */
function unsourced(text: string): string[] {
  const { header, exports } = readModule(text);
  if (SOURCE.test(header)) return [];
  return exports.filter((e) => e.kind === 'function' && !(e.doc && SOURCE.test(e.doc))).map((e) => e.name);
}

describe('src/bfn docstrings', () => {
  test.each(files)('%s: every export has a docstring', (file) => {
    const { header, exports } = readModule(readFileSync(join(dir, file), 'utf8'));
    expect(header, `${file} has a module header comment`).toMatch(/^\/\*\*/);
    expect(exports.filter((e) => e.doc === null).map((e) => e.name), `exports without a docstring in ${file}`).toEqual([]);
  });

  test.each(files)('%s: every exported function names its source, or its module header does', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const exempt = NOT_MATHEMATICS[file];
    if (exempt) {
      expect(readModule(text).header, `${file} must say that it is not the paper's mathematics`).toMatch(exempt);
      return;
    }
    expect(unsourced(text), `functions of ${file} without a source, in a module whose header names none`).toEqual([]);
  });

  test('the check fails on a module that cites only SPEC, and passes once the header or the function cites the paper', () => {
    const spec = '/**\n * Things (SPEC §2).\n */\n\n/** A thing (SPEC §2). */\nexport function thing(): void {}\n';
    expect(unsourced(spec)).toEqual(['thing']);
    expect(unsourced(spec.replace('Things (SPEC §2)', 'Things (paper §4)'))).toEqual([]);
    expect(unsourced(spec.replace('A thing (SPEC §2)', 'A thing (official `CtsBayesianFlow.get_alpha`)'))).toEqual([]);
    expect(unsourced(spec.replace('A thing (SPEC §2)', 'A thing (paper eq. 72)'))).toEqual([]);
  });
});
