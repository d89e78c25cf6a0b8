// Long functions: every function of the harness itself longer than LIMIT lines, longest first, and a count.
// Issue #28 set the goal of at most four (now none); docs/conventions.md states the rule.
//
// What counts as a function: function declarations, methods, constructors, get/set accessors, arrow functions and
// function expressions. Each is measured on its own, from the line of its first token (after any leading comment
// or JSDoc) to the line of its last, both included: a function nested in another is listed by itself and is also
// part of its parent's length (nothing is subtracted). The limit is inclusive: a function of exactly LIMIT lines
// passes, LIMIT + 1 is listed.
//
// What counts as the harness: the `.ts` files under FOLDERS, less the tests and what only tests use: `*.test.ts`
// of every tier, Playwright's `*.spec.ts`, test support (`testing/` folders, `*test-support.ts`,
// `test-helper.ts`, docs/conventions.md) and `testdata/`. The reference service (reference-api/), bench/ and
// scripts/ are not the harness and are not read.
//
// The TypeScript 7 compiler parses in its own process (`typescript/unstable/sync` starts the bundled tsgo binary);
// the files are handed to it from memory, so it reads nothing else and resolves no import.
//
// Usage: node scripts/long-functions.ts [--limit N]      Exit: 0 always (a report, not a gate).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Node, SourceFile } from 'typescript/unstable/ast';
import { SyntaxKind } from 'typescript/unstable/ast';
import { API } from 'typescript/unstable/sync';

export const LIMIT = 80;
export const FOLDERS = [
  'cli',
  'core',
  'slo',
  'load',
  'stack',
  'diagnose',
  'report',
  'pages',
  'fixtures',
  'e2e',
] as const;

const REPO = resolve(import.meta.dirname, '..');

/** One function over the limit: where it starts (1-based line), what to call it, and how many lines it spans. */
export interface LongFunction {
  file: string;
  line: number;
  name: string;
  lines: number;
}

const FUNCTION_KINDS = new Set<SyntaxKind>([
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
  SyntaxKind.ArrowFunction,
  SyntaxKind.FunctionExpression,
]);

/** True for a file of the harness itself, by the rule in the header: not a test, test support or test data. */
export function isHarnessFile(path: string): boolean {
  const parts = path.split('/');
  const base = parts.at(-1) ?? '';
  if (!base.endsWith('.ts') || base.endsWith('.d.ts')) return false;
  if (/\.(test|spec)\.ts$/.test(base) || base.endsWith('test-support.ts') || base === 'test-helper.ts') return false;
  return !parts.some((part) => part === 'testing' || part === 'testdata' || part.startsWith('.'));
}

/** The harness's files under `root`, as paths relative to it, sorted. */
export function harnessFiles(root: string, folders: readonly string[] = FOLDERS): string[] {
  const files: string[] = [];
  for (const folder of folders) {
    for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = relative(root, join(entry.parentPath, entry.name));
      if (!path.split('/').includes('node_modules') && isHarnessFile(path)) files.push(path);
    }
  }
  return files.sort();
}

/** The text of a name-like node (identifier, string or number literal); a computed name is shown as written. */
function nameText(node: Node | undefined, file: SourceFile): string | undefined {
  if (node === undefined) return undefined;
  const text = (node as { text?: unknown }).text;
  return typeof text === 'string' ? text : file.text.slice(node.getStart(file), node.end);
}

/** A readable name: the declared one, else what the function is assigned to, else the call it is passed to. */
function functionName(node: Node, file: SourceFile): string {
  const own = nameText((node as { name?: Node }).name, file);
  const parent = node.parent;
  const owner =
    parent.kind === SyntaxKind.ClassDeclaration || parent.kind === SyntaxKind.ClassExpression
      ? nameText((parent as { name?: Node }).name, file)
      : undefined;
  if (node.kind === SyntaxKind.Constructor) return `${owner ?? '<class>'}.constructor`;
  if (own !== undefined) return owner === undefined ? own : `${owner}.${own}`;
  if (
    parent.kind === SyntaxKind.VariableDeclaration ||
    parent.kind === SyntaxKind.PropertyAssignment ||
    parent.kind === SyntaxKind.PropertyDeclaration
  ) {
    return nameText((parent as { name?: Node }).name, file) ?? '<anonymous>';
  }
  if (parent.kind === SyntaxKind.CallExpression || parent.kind === SyntaxKind.NewExpression) {
    const callee = (parent as { expression?: Node }).expression;
    return `${callee === undefined ? '<call>' : file.text.slice(callee.getStart(file), callee.end)}(…) callback`;
  }
  return '<anonymous>';
}

/** Every function in `file` longer than `limit` lines, nested ones included, in source order. */
export function longFunctionsIn(file: SourceFile, path: string, limit: number = LIMIT): LongFunction[] {
  const found: LongFunction[] = [];
  const visit = (node: Node): void => {
    if (FUNCTION_KINDS.has(node.kind)) {
      // getStart skips leading trivia (comments, JSDoc); `end` is just after the last token. Lines are 0-based.
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.end).line;
      const lines = last - first + 1;
      if (lines > limit) found.push({ file: path, line: first + 1, name: functionName(node, file), lines });
    }
    node.forEachChild(visit);
  };
  file.forEachChild(visit);
  return found;
}

/**
 * Parses `sources` (path relative to the folder they claim to be in -> text) with the compiler and returns every
 * function over `limit`, longest first (then by file and line, so the order is stable).
 */
export function longFunctions(sources: ReadonlyMap<string, string>, limit: number = LIMIT): LongFunction[] {
  // A made-up folder: every file the compiler asks for is answered from memory, and nothing else exists, so it
  // neither reads the checkout nor loads lib or @types files (noLib, types: []) that only type checking needs.
  const root = '/long-functions';
  const config = `${root}/tsconfig.json`;
  const texts = new Map<string, string>([...sources].map(([path, text]) => [`${root}/${path}`, text]));
  texts.set(
    config,
    JSON.stringify({ compilerOptions: { noLib: true, noResolve: true, types: [] }, files: [...sources.keys()] }),
  );
  const directories = (dir: string): string[] =>
    [...texts.keys()].filter((path) => path.startsWith(`${dir}/`)).map((path) => path.slice(dir.length + 1));
  const api = new API({
    cwd: root,
    fs: {
      readFile: (name) => texts.get(name) ?? null,
      fileExists: (name) => texts.has(name),
      directoryExists: (name) => name === root || directories(name).length > 0,
      getAccessibleEntries: (name) => {
        const below = directories(name);
        return {
          files: below.filter((rest) => !rest.includes('/')),
          directories: [...new Set(below.filter((rest) => rest.includes('/')).map((rest) => rest.split('/')[0] ?? ''))],
        };
      },
      realpath: (name) => name,
    },
  });
  try {
    const snapshot = api.updateSnapshot({ openProjects: [config] });
    const project = snapshot.getProject(config);
    if (project === undefined) throw new Error(`the compiler did not open ${config}`);
    const found: LongFunction[] = [];
    for (const path of sources.keys()) {
      const file = project.program.getSourceFile(`${root}/${path}`);
      if (file === undefined) throw new Error(`the compiler did not parse ${path}`);
      found.push(...longFunctionsIn(file, path, limit));
    }
    return found.sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
  } finally {
    api.close();
  }
}

/** The report: one `file:line name lines` row a function, then the total. */
export function formatReport(found: readonly LongFunction[], limit: number, files: number): string {
  const rows = found.map((f) => `${f.file}:${f.line} ${f.name} ${f.lines}`);
  return [...rows, `${found.length} functions longer than ${limit} lines in ${files} files (tests excluded)`].join(
    '\n',
  );
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { limit: { type: 'string', default: String(LIMIT) } } });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`--limit must be a whole number above 0, not ${values.limit}`);
  const files = harnessFiles(REPO);
  const sources = new Map(files.map((path) => [path, readFileSync(join(REPO, path), 'utf8')]));
  console.log(formatReport(longFunctions(sources, limit), limit, files.length));
}
