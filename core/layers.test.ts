// The layering, checked on every file: imports go downward only, so a rule lives in its own layer and a lower
// layer never reaches up to choose what a higher one decides (the SLO domain never picks an exit code).
//
//   cli/                 commands, the verify pipeline, reports, exit codes
//   load/                Artillery runs (uses slo/ for thresholds, stack/ for processes)
//   diagnose/            a failed run's where and why (reads slo/'s report, asks Prometheus and PostgreSQL)
//   slo/  stack/         the SLO domain; environment lifecycle (neither imports the other)
//   core/                outcomes, durations: imports nothing of the project
//
// Inside slo/ the folders form a chain too: spec -> model -> evaluate -> report, with rules beside report;
// a cycle (spec and model importing each other) fails here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');

/** Rank of each checked top-level folder: a file may import its own folder and folders of lower rank. */
const RANK: Record<string, number> = { core: 0, stack: 1, slo: 1, load: 2, diagnose: 2, cli: 3 };
/** Folders outside the ranking that a layer may use: the system under test (its entry, its seed data), the page
 * objects, the root Playwright config. */
const OUTSIDE_ALLOWED: Record<string, string[]> = {
  core: [],
  stack: ['reference-api'],
  slo: [],
  load: ['reference-api', 'pages'],
  diagnose: [],
  cli: ['reference-api', 'pages', 'fixtures', 'e2e', 'playwright.config.ts'],
};
/** slo/'s own folders, lowest first; a folder may import only folders before it (and itself). */
const SLO_ORDER = ['spec', 'model', 'evaluate', 'report', 'rules', 'testing'];

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Tests and test support (slo/testing) may reach anything: they drive the CLI and start real services.
    if (['node_modules', 'testdata', 'testing'].includes(entry.name) || entry.name.endsWith('.test.ts')) continue;
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

test('every import goes to the same layer or a lower one (no file under slo/, load/, stack/ imports cli/)', () => {
  const wrong = edges().filter(({ from, to }) => {
    const source = topOf(from);
    const target = topOf(to);
    if (source === target) return false;
    const targetRank = RANK[target];
    if (targetRank === undefined) return !OUTSIDE_ALLOWED[source]!.includes(target);
    return targetRank >= RANK[source]!;
  });
  assert.deepEqual(
    wrong.map((e) => `${e.from} -> ${e.to}`),
    [],
  );
});

test('inside slo/, spec -> model -> evaluate -> report: no folder imports a later one', () => {
  const wrong = edges().filter(({ from, to }) => {
    const [fromTop, fromSub] = from.split('/');
    const [toTop, toSub] = to.split('/');
    if (fromTop !== 'slo' || toTop !== 'slo' || fromSub === toSub) return false;
    const a = SLO_ORDER.indexOf(fromSub!);
    const b = SLO_ORDER.indexOf(toSub!);
    // Files directly in slo/ (index.ts, load.ts) assemble the folders; the folders never import them.
    if (a < 0) return false;
    return b < 0 || b > a;
  });
  assert.deepEqual(
    wrong.map((e) => `${e.from} -> ${e.to}`),
    [],
  );
});

test('the check sees a wrong import when there is one', () => {
  // Guard against a check that cannot fail: the scanner must find this very file's own imports.
  const own = relativeImports(join(ROOT, 'cli', 'harness.ts'));
  assert.ok(
    own.some((spec) => spec.includes('core/outcome.ts')),
    `cli/harness.ts imports: ${own.join(', ')}`,
  );
  const cliEdges = edges().filter((e) => topOf(e.from) === 'cli' && topOf(e.to) === 'slo');
  assert.ok(cliEdges.length > 0, 'cli/ imports slo/: the scanner should see those edges');
});
