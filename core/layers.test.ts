// The layering, checked on every file: imports go downward only, so a rule lives in its own layer and a lower
// layer never reaches up to choose what a higher one decides (the SLO domain never picks an exit code).
//
//   bench/  scripts/           benchmarks (drive every layer); the test runners' tooling
//   e2e/                       Playwright specs (drive the CLI's report writers, the stack, the fixtures)
//   cli/                       commands, the verify pipeline and its reports, exit codes
//   report/                    the renderers: the SLO, load and diagnosis reports (text, Markdown, JUnit, JSON,
//                              HTML pages, chart SVG, Allure results); the domains below return data
//   load/  diagnose/  fixtures/  Artillery runs (slo/ for thresholds, stack/ for processes); a failed run's where
//                              and why (slo/'s report, Prometheus, PostgreSQL); Playwright's typed fixtures
//   slo/  stack/  pages/       the SLO domain; environment lifecycle; page objects (none imports another)
//   core/  reference-api/  deploy/  outcomes, durations; the system under test; its Kubernetes manifests' renderer
//                              and policy checks: all three import nothing of the project
//
// Every top-level folder that holds TypeScript has a rank (a new folder fails here until it is given one), and
// so has every folder inside slo/: spec -> model -> {evaluate, formats, rules, dashboard, alertmanager}; a cycle
// (spec and model importing each other) fails here.
//
// Test support (a folder `testing/`, a file `*test-support.ts` or `test-helper.ts`) is for tests only: no
// production file imports it (the Playwright suites and the benchmarks may, as tests do).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');

/** Rank of each top-level folder: a file may import its own folder and folders of lower rank (never one beside it). */
const RANK: Record<string, number> = {
  core: 0,
  'reference-api': 0,
  // deploy/k8s's renderer and policy checks read YAML only; rank 0 so a stack mode (stack/, rank 1) may render an
  // overlay with them. Its test reaches the CLI and the service's routes, as tests may.
  deploy: 0,
  stack: 1,
  slo: 1,
  pages: 1,
  load: 2,
  diagnose: 2,
  fixtures: 2,
  // The renderers, above every domain they render and below the CLI that decides where their text goes.
  report: 3,
  cli: 4,
  e2e: 5,
  bench: 6,
  scripts: 6,
};
/** Files at the root outside the ranking that a layer may use: verify's Playwright config extends the root one. */
const OUTSIDE_ALLOWED: Record<string, string[]> = { cli: ['playwright.config.ts'] };
/** Rank of each of slo/'s own folders, the same rule inside slo/. */
const SLO_RANK: Record<string, number> = {
  spec: 0,
  model: 1,
  evaluate: 2,
  formats: 2,
  rules: 2,
  dashboard: 2,
  alertmanager: 2,
  testing: 3,
};

/** Test support: helpers that start real services for tests, never for production code. */
const isTestSupport = (path: string) => /(^|\/)testing\/|(^|\/)([\w-]*-)?test-(support|helper)\.ts$/.test(path);

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Tests and the testing/ folders (slo/testing, load/testing) may reach anything: they drive the CLI and
    // start real services. Generated pages (dist) are not sources.
    if (['node_modules', 'testdata', 'testing', 'dist'].includes(entry.name) || entry.name.endsWith('.test.ts'))
      continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.ts$/.test(entry.name)) yield path;
  }
}

/** Relative import specifiers of a file: static imports and re-exports, dynamic import(), new URL(...). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^import\s+'(\.{1,2}\/[^']+)'/gm),
    ...text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g),
    ...text.matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g),
    ...text.matchAll(/\bnew URL\(\s*'(\.{1,2}\/[^']+\.ts)'/g),
  ];
  return specs.map((m) => m[1]!);
}

/** Every import edge of the checked folders, as repository-relative paths. */
function edges(): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (const top of Object.keys(RANK)) {
    for (const file of sourceFiles(join(ROOT, top))) {
      for (const spec of relativeImports(file)) {
        out.push({ from: relative(ROOT, file), to: relative(ROOT, resolve(dirname(file), spec)) });
      }
    }
  }
  return out;
}

const topOf = (path: string) => path.split('/')[0]!;

/** True when `dir` holds a TypeScript source (tests included) anywhere below it. */
function holdsTypeScript(dir: string): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    if (entry.isDirectory() ? holdsTypeScript(join(dir, entry.name)) : entry.name.endsWith('.ts')) return true;
  }
  return false;
}

test('every top-level folder with TypeScript in it, and every folder of slo/, has a rank', () => {
  // reports/ holds generated runs, not sources; dot-folders and node_modules are not the project's code, nor is
  // dist/, the built package (npm run build).
  const tops = readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !['node_modules', 'reports', 'dist'].includes(e.name))
    .filter((e) => holdsTypeScript(join(ROOT, e.name)))
    .map((e) => e.name);
  assert.deepEqual(
    tops.filter((name) => RANK[name] === undefined),
    [],
  );
  const sloFolders = readdirSync(join(ROOT, 'slo'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  assert.deepEqual(
    sloFolders.filter((name) => SLO_RANK[name] === undefined),
    [],
  );
});

test('every import goes to the same layer or a lower one (no file under slo/, load/, stack/ imports cli/)', () => {
  const wrong = edges().filter(({ from, to }) => {
    const source = topOf(from);
    const target = topOf(to);
    if (source === target) return false;
    const targetRank = RANK[target];
    if (targetRank === undefined) return !(OUTSIDE_ALLOWED[source] ?? []).includes(target);
    return targetRank >= RANK[source]!;
  });
  assert.deepEqual(
    wrong.map((e) => `${e.from} -> ${e.to}`),
    [],
  );
});

test('inside slo/, spec -> model -> {evaluate, formats, rules, dashboard, alertmanager}', () => {
  const wrong = edges().filter(({ from, to }) => {
    const [fromTop, fromSub] = from.split('/');
    const [toTop, toSub] = to.split('/');
    if (fromTop !== 'slo' || toTop !== 'slo' || fromSub === toSub) return false;
    const a = SLO_RANK[fromSub!];
    const b = SLO_RANK[toSub!];
    // Files directly in slo/ (index.ts, load.ts) assemble the folders; the folders never import them.
    if (a === undefined) return false;
    return b === undefined || b >= a;
  });
  assert.deepEqual(
    wrong.map((e) => `${e.from} -> ${e.to}`),
    [],
  );
});

test('no production file imports test support', () => {
  // The Playwright suites (e2e/) and the benchmarks (bench/) are not production code: bench/slo builds its
  // Prometheus data with slo/testing's generators, as the tests do.
  const production = (path: string) => !isTestSupport(path) && !['e2e', 'bench'].includes(topOf(path));
  const wrong = edges().filter(({ from, to }) => production(from) && isTestSupport(to));
  assert.deepEqual(
    wrong.map((e) => `${e.from} -> ${e.to}`),
    [],
  );
});

test('the check sees a wrong import when there is one', () => {
  // Guard against a check that cannot fail: the scanner must find this very file's own imports.
  const own = relativeImports(join(ROOT, 'cli', 'dispatch.ts'));
  assert.ok(
    own.some((spec) => spec.includes('core/outcome.ts')),
    `cli/dispatch.ts imports: ${own.join(', ')}`,
  );
  const cliEdges = edges().filter((e) => topOf(e.from) === 'cli' && topOf(e.to) === 'slo');
  assert.ok(cliEdges.length > 0, 'cli/ imports slo/: the scanner should see those edges');
});
