/**
 * Every comment in src/, scripts/ and tests/ can be followed by a reader of this repository alone: it cites the paper
 * (Graves et al. 2023, arXiv:2308.07037) or the official code (github.com/nnaisense/bayesian-flow-networks) for the
 * mathematics, never a document that is not in the repository (the project's private maths spec, its design and
 * platform notes, or an issue tracker number), and every repository path it names exists. Comments are read with the
 * TypeScript scanner (the comment ranges before each token), so strings, template literals and regular expressions
 * that merely contain such words are not comments.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCANNED = ['src', 'scripts', 'tests'];

/** Every file under a directory (repository-relative, '/'-separated), without node_modules and dot folders. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

const REPO_FILES = ['src', 'scripts', 'tests', 'models', 'public', 'bench', 'docs'].filter((d) => existsSync(join(ROOT, d))).flatMap(walk);
const SOURCES = REPO_FILES.filter((f) => SCANNED.some((d) => f.startsWith(`${d}/`)) && /\.tsx?$/.test(f));

interface Comment {
  line: number;
  text: string;
}

/** The comments of a TypeScript / TSX source, each with its 1-based first line. */
function commentsOf(text: string, fileName: string): Comment[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const seen = new Map<number, Comment>();
  const add = (pos: number, trailing = false) => {
    for (const r of (trailing ? ts.getTrailingCommentRanges(text, pos) : ts.getLeadingCommentRanges(text, pos)) ?? []) {
      if (seen.has(r.pos)) continue;
      seen.set(r.pos, { line: source.getLineAndCharacterOfPosition(r.pos).line + 1, text: text.slice(r.pos, r.end) });
    }
  };
  const visit = (node: ts.Node) => {
    // JSX text is not trivia: a '//' inside it is text, not a comment.
    if (node.kind === ts.SyntaxKind.JsxText) return;
    add(node.pos);
    add(node.end, true);
    const children = node.getChildren(source);
    if (children.length === 0) return;
    children.forEach(visit);
  };
  visit(source);
  add(source.endOfFileToken.pos);
  return [...seen.values()].sort((a, b) => a.line - b.line);
}

/** Citations of documents that are not in the repository. */
const OUTSIDE: { what: string; re: RegExp }[] = [
  { what: 'cites the maths spec (not in the repository; cite the paper or the official code)', re: /\bSPEC\b/ },
  { what: 'cites DESIGN.md (not in the repository)', re: /\bDESIGN\.md\b/i },
  { what: 'cites PLATFORM.md (not in the repository; keep the measured fact and number)', re: /\bPLATFORM\.md\b/i },
  { what: 'cites an issue number (say what the thing is)', re: /\bissues?\s+#?\d+/i },
  { what: 'cites the issue tracker (say what the thing is)', re: /\bissue(?:'s\b| items?\b|:)/i },
];

/** Path-like words: rooted at a repository folder, relative ('./', '../'), or a .ts/.tsx file name with a folder. */
const ROOTED = /(?<![\w./@:-])((?:src|scripts|tests|models|public|bench|docs)\/[\w@.*/-]*[\w*])/g;
const RELATIVE = /(?<![\w./@:-])(\.\.?\/[\w@.*/-]*\.tsx?)\b/g;
const WITH_DIR = /(?<![\w./@:-])((?:[\w@-][\w@.-]*\/)+[\w.-]+\.tsx?)\b/g;

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(?:/|$)`);
const existsInRepo = (path: string) =>
  path.includes('*') ? REPO_FILES.some((f) => glob(path).test(f)) : existsSync(join(ROOT, path));

/** The repository paths a comment names that do not exist (resolved from the repository root or the file). */
function missingPaths(comment: string, file: string): string[] {
  const missing: string[] = [];
  for (const m of comment.matchAll(ROOTED)) if (!existsInRepo(m[1]!)) missing.push(m[1]!);
  for (const m of comment.matchAll(RELATIVE)) {
    const path = relative(ROOT, resolve(ROOT, dirname(file), m[1]!)).split(sep).join('/');
    if (!existsInRepo(path)) missing.push(m[1]!);
  }
  for (const m of comment.matchAll(WITH_DIR)) {
    const path = m[1]!;
    if (/^(?:src|scripts|tests|models|public|bench|docs)\//.test(path)) continue; // checked above
    if (path.startsWith('node_modules/') ? existsSync(join(ROOT, path)) : REPO_FILES.some((f) => f === path || f.endsWith(`/${path}`))) continue;
    missing.push(path);
  }
  return missing;
}

/** 'file:line: what' for every comment of a source that fails a rule. */
function problemsOf(text: string, file: string): string[] {
  const problems: string[] = [];
  for (const c of commentsOf(text, file)) {
    for (const { what, re } of OUTSIDE) {
      for (const m of c.text.matchAll(new RegExp(re.source, `${re.flags}g`))) {
        problems.push(`${file}:${c.line + c.text.slice(0, m.index).split('\n').length - 1}: ${what}: "${m[0]}"`);
      }
    }
    for (const path of missingPaths(c.text, file)) {
      const at = c.line + c.text.slice(0, c.text.indexOf(path)).split('\n').length - 1;
      problems.push(`${file}:${at}: names ${path}, which the repository lacks`);
    }
  }
  return problems;
}

describe('comments a reader of the repository can follow', () => {
  test('the scan sees the sources', () => {
    expect(SOURCES.length).toBeGreaterThan(100);
    expect(SOURCES).toContain('tests/unit/comments.test.ts');
  });

  test('no comment cites a document outside the repository or names a path the repository lacks', () => {
    const problems = SOURCES.flatMap((f) => problemsOf(readFileSync(join(ROOT, f), 'utf8'), f));
    expect(problems).toEqual([]);
  });

  test('the rules catch each kind of problem, only in comments, and accept the fixed forms', () => {
    const file = 'src/data/mnist/fetch.ts';
    const cases: [string, number][] = [
      ['// As scripts/lib/vite-mnist.ts serves it.\n', 1],
      ['/** Gamma (SPEC §2). */\n', 1],
      ['/*\n * Design:\n * see DESIGN.md and PLATFORM.md\n */\n', 2],
      ['/** Gamma (SPEC §2) and beta (SPEC §4). */\n', 2],
      ['// Item 5 (issue 10).\n', 1],
      ["// As the issue's target says (issue item 5; issue: a bug).\n", 3],
      ['// A known issue with the wasm backend.\n', 0],
      ['/** See lib/nothing-here.tsx, ./nowhere.ts and models/*.nothing. */\n', 3],
      ['const a = 1; // trailing, src/bfn/gone.ts\n', 1],
      ['<div>{/* issue 4 */}</div>;\n', 1],
    ];
    for (const [text, n] of cases) expect(problemsOf(text, file.replace(/\.ts$/, text.includes('<div>') ? '.tsx' : '.ts')), text).toHaveLength(n);
    expect(problemsOf('// As src/data/mnist/fetch.ts and ./mnist.ts and data/mnist/fetch.ts do.\n', file)).toEqual([]);
    expect(problemsOf('// Gamma (paper §4, eq. 80; official `CtsBayesianFlow.forward`).\n', file)).toEqual([]);
    expect(problemsOf("const s = 'SPEC §2, issue 4, src/gone.ts'; const r = /DESIGN.md/;\n", file)).toEqual([]);
    expect(problemsOf('// Shipped models: models/*/card.json.\n', file)).toEqual([]);
    const lines = problemsOf('const a = 1;\n\n/**\n * ok\n * issue 3\n */\n', file);
    expect(lines).toEqual([`${file}:5: cites an issue number (say what the thing is): "issue 3"`]);
  });
});
