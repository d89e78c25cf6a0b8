// Each of the three packages (docs/architecture.md, "The package") declares what its own code imports, in the
// right section, and nothing it does not use:
// - the harness (the root): every package that a file of the built harness imports at run time is one of its
//   `dependencies`. The built harness is what tsconfig.build.json compiles and every file those import in turn
//   (the few files of reference-api/src that the harness imports come with it, so their imports count here too);
// - the service (reference-api/): every package its sources import at run time is one of its `dependencies`;
// - the pages (reference-api/web/): every package they import is one of their (development) dependencies;
// - a test, a script or a benchmark may import anything that some package of the repository declares.
// A type-only import needs no package at run time, so it may be declared in either section.
//
// Imports are read with es-module-lexer, which knows TypeScript's type-only imports (`import type`); an
// `import { type A } from 'x'` is not type-only: Node's type stripping leaves `import {} from 'x'`, which loads x.
import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, matchesGlob, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { init, parse } from 'es-module-lexer';

await init;

const ROOT = join(import.meta.dirname, '..');
/** Folders that hold no source of the repository's own: installed, built, generated or run output. */
const NOT_SOURCES = new Set(['node_modules', 'dist', 'reports', 'test-results', 'playwright-report', 'blob-report']);
/** Every TypeScript and ES module file of the repository (hidden folders, such as .git and .harness, left out). */
const SOURCES = globSync(['**/*.ts', '**/*.mjs'], {
  cwd: ROOT,
  withFileTypes: true,
  exclude: (entry) => NOT_SOURCES.has(entry.name) || entry.name.startsWith('.'),
})
  // A folder may end in .ts too: the visual baselines' folders are named after their spec.
  .filter((entry) => entry.isFile())
  .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
  .sort();

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const manifest = (path: string): Manifest => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Manifest;
const harness = manifest('package.json');
const service = manifest('reference-api/package.json');
const web = manifest('reference-api/web/package.json');
const names = (m: Manifest, section: 'dependencies' | 'devDependencies') => new Set(Object.keys(m[section] ?? {}));

/**
 * Packages declared for what no import shows, each with its reason. A package in a section that nothing imports
 * and that is not here fails the last test: drop it, or say here why it stays.
 */
const USED_WITHOUT_IMPORT: Record<string, string> = {
  allure: 'the Allure 3 CLI, run as a program to generate the single-file report (report/verify/allure.ts)',
  'allure-playwright': "Playwright's Allure reporter, named as a string in the Playwright configs",
  '@lezer/lr': "a peer dependency of @prometheus-io/lezer-promql, the PromQL parser's runtime",
  '@lezer/highlight': "a peer dependency of @prometheus-io/lezer-promql's language definition",
  '@biomejs/biome': 'the linter and formatter, run as a program (npm run lint)',
};

/**
 * Packages whose types a file imports without declaring them, each with its reason: at run time the file resolves
 * the package from another package's folder, so a copy of its own could differ from the one that runs.
 */
const TYPES_OF_ANOTHER_PACKAGES_DEPENDENCY: Record<string, string> = {
  '@oclif/core': "Artillery's own dependency, which load/artillery-run.ts resolves from Artillery's package",
};

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`), or undefined for a relative or built-in one. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  if (builtinModules.includes(name)) return undefined;
  return name;
}

interface FileImports {
  /** Relative imports that load a module at run time, as repository paths. */
  local: string[];
  /** Packages loaded at run time. */
  runtime: string[];
  /** Packages named by type-only imports and exports. */
  typeOnly: string[];
}

const cache = new Map<string, FileImports>();
function importsOf(file: string): FileImports {
  const known = cache.get(file);
  if (known) return known;
  const found: FileImports = { local: [], runtime: [], typeOnly: [] };
  const [imports] = parse(readFileSync(join(ROOT, file), 'utf8'), file);
  for (const entry of imports) {
    const specifier = entry.specifier;
    if (!specifier) continue; // a dynamic import of a computed name
    // `typeof import('x')` in a type position is lexed as a dynamic import, flagged probably type-only.
    const typeOnly = entry.type === 'dynamic' ? entry.probablyTypeOnly : entry.typeOnly;
    if (specifier.startsWith('.')) {
      if (!typeOnly) found.local.push(normalize(join(dirname(file), specifier)));
      continue;
    }
    const name = packageOf(specifier);
    if (name) (typeOnly ? found.typeOnly : found.runtime).push(name);
  }
  cache.set(file, found);
  return found;
}

const isTest = (file: string) =>
  /\.test\.ts$|(^|\/)testing\/|(^|\/)testdata\/|test-support\.ts$|test-helper\.ts$/.test(file);

/** The files tsconfig.build.json compiles, and every file they import at run time, transitively. */
function builtHarnessFiles(): string[] {
  // tsconfig files are JSON with comments; this one's comments are whole lines.
  const text = readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const config = JSON.parse(text) as { include: string[]; exclude: string[] };
  // A pattern names a file, or a folder and everything under it, as tsconfig's do.
  const matches = (file: string, patterns: string[]) =>
    patterns.some((pattern) => matchesGlob(file, pattern) || matchesGlob(file, `${pattern}/**`));
  const seeds = SOURCES.filter(
    (file) => file.endsWith('.ts') && matches(file, config.include) && !matches(file, config.exclude),
  );
  const reached = new Set(seeds);
  const pending = [...seeds];
  while (pending.length > 0) {
    for (const next of importsOf(pending.pop()!).local) {
      if (!reached.has(next) && SOURCES.includes(next)) {
        reached.add(next);
        pending.push(next);
      }
    }
  }
  return [...reached].sort();
}

const harnessFiles = builtHarnessFiles();
const serviceFiles = SOURCES.filter((f) => f.startsWith('reference-api/src/') && !isTest(f));
const webFiles = SOURCES.filter((f) => f.startsWith('reference-api/web/'));

/** `package <- file` for every run-time import in `files` of a package outside `declared`. */
function undeclared(files: string[], declared: Set<string>): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .runtime.filter((name) => !declared.has(name) && name !== harness.name)
      .map((name) => `${name} <- ${file}`),
  );
}

test('the built harness is found: its entry modules and the service files it imports', () => {
  for (const file of ['cli/dispatch.ts', 'slo/index.ts', 'load/processor.ts', 'reference-api/src/domain/seed-data.ts'])
    assert.ok(harnessFiles.includes(file), `${file} is not in the built harness`);
  assert.ok(!harnessFiles.some(isTest), 'a test file is in the built harness');
});

test("every package the built harness imports at run time is one of the harness's dependencies", () => {
  assert.deepEqual(undeclared(harnessFiles, names(harness, 'dependencies')), []);
});

test("every package the service imports at run time is one of the service's dependencies", () => {
  assert.deepEqual(undeclared(serviceFiles, names(service, 'dependencies')), []);
});

test("every package the pages import is one of the pages' packages", () => {
  assert.deepEqual(undeclared(webFiles, names(web, 'devDependencies')), []);
});

test('every package a test, script or benchmark imports is declared by some package of the repository', () => {
  const all = new Set(
    [harness, service, web].flatMap((m) => [...names(m, 'dependencies'), ...names(m, 'devDependencies')]),
  );
  const rest = SOURCES.filter((f) => !harnessFiles.includes(f) && !serviceFiles.includes(f) && !webFiles.includes(f));
  assert.deepEqual(undeclared(rest, all), []);
  const typeOnly = SOURCES.flatMap((file) =>
    importsOf(file)
      .typeOnly.filter(
        (name) => !all.has(name) && name !== harness.name && !(name in TYPES_OF_ANOTHER_PACKAGES_DEPENDENCY),
      )
      .map((name) => `${name} <- ${file} (type only)`),
  );
  assert.deepEqual(typeOnly, []);
});

test('nothing is declared that nothing uses, and the run-time sections hold no package only tests import', () => {
  const importedBy = (files: string[]) =>
    new Set(files.flatMap((file) => [...importsOf(file).runtime, ...importsOf(file).typeOnly]));
  const harnessUses = importedBy(harnessFiles);
  const anyUse = importedBy(SOURCES);
  const unused = (declared: Set<string>, uses: Set<string>, where: string) =>
    [...declared]
      .filter((name) => !uses.has(name) && !name.startsWith('@types/') && !(name in USED_WITHOUT_IMPORT))
      .map((name) => `${name} (${where})`);
  assert.deepEqual(
    [
      ...unused(
        names(harness, 'dependencies'),
        harnessUses,
        "harness's dependencies, not imported by the built harness",
      ),
      ...unused(names(harness, 'devDependencies'), anyUse, "harness's devDependencies"),
      ...unused(names(service, 'dependencies'), importedBy(serviceFiles), "service's dependencies"),
      ...unused(names(web, 'devDependencies'), importedBy(webFiles), "pages' devDependencies"),
    ],
    [],
  );
});

test('every package said to be used without an import is declared, and no import shows it used after all', () => {
  const declared = new Set(
    [harness, service, web].flatMap((m) => [...names(m, 'dependencies'), ...names(m, 'devDependencies')]),
  );
  const imported = new Set(SOURCES.flatMap((file) => [...importsOf(file).runtime, ...importsOf(file).typeOnly]));
  assert.deepEqual(
    Object.keys(USED_WITHOUT_IMPORT).filter((name) => !declared.has(name) || imported.has(name)),
    [],
  );
});

test('the import reader tells a type-only import from one that loads the package', () => {
  const [imports] = parse(
    "import type { A } from 'a';\nimport { type B } from 'b';\nexport type { C } from 'c';\nconst d = await import('d');\n" +
      "const e = (await import(name)) as typeof import('e');\n",
  );
  assert.deepEqual(
    imports.map((entry) => [
      entry.specifier ?? null,
      entry.type === 'dynamic' ? entry.probablyTypeOnly : entry.typeOnly,
    ]),
    [
      ['a', true],
      ['b', false],
      ['c', true],
      ['d', false],
      [null, false],
      ['e', true],
    ],
  );
});
