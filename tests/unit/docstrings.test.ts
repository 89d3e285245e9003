/**
 * Every exported function and constant of src/bfn carries a JSDoc comment, and every exported function's comment
 * names its source (a SPEC section, the paper, or the official code) or defers to the module's header, which does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const dir = join(import.meta.dirname, '..', '..', 'src', 'bfn');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

describe('src/bfn docstrings', () => {
  test.each(files)('%s: every export has a docstring', (file) => {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    const header = lines.slice(0, 12).join('\n');
    expect(header, `${file} has a module header comment`).toMatch(/^\/\*\*/);
    const missing: string[] = [];
    lines.forEach((line, k) => {
      const m = /^export (?:async )?(?:function|const|interface|type) (\w+)/.exec(line);
      if (!m) return;
      // Walk back over overload signatures (no blank line, no closing brace) to the comment.
      let j = k - 1;
      while (j >= 0 && !/\*\/\s*$/.test(lines[j]!) && lines[j]!.trim() !== '' && !lines[j]!.startsWith('}')) j--;
      if (!/\*\/\s*$/.test(lines[j] ?? '')) missing.push(m[1]!);
    });
    expect(missing, `exports without a docstring in ${file}`).toEqual([]);
  });
});
