// Mutation probes: a few deliberate bugs, each one put into a fresh clone of the checkout's HEAD, and the cheapest
// test tier that should catch it run on that clone. A probe is caught when some test fails with the bug that
// passes without it (a clone of HEAD without any bug is run as the baseline, and its own failures are not counted).
// The unit tier runs first; a probe it misses runs only the integration files named for it. No probe runs the
// stack tier or the Playwright suites: docs/conventions.md ("Mutation probes") names the stack or E2E test that
// would catch a probe that the cheaper tiers miss.
//
// The checkout itself is never changed: each clone is `git clone` of HEAD into a temp folder, with a link to the
// checkout's node_modules, removed at the end. Uncommitted changes are not probed.
//
// Usage: node scripts/mutation-probes.ts [probe name ...]     (all probes when none is named)
// Exit: 0 every probe caught; 1 a probe not caught; 2 a mutation that did not apply, or a tier that could not run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');

/** One deliberate bug: an exact text in one file, replaced; `integration` are the files to run if unit misses it. */
interface Probe {
  name: string;
  file: string;
  from: string;
  to: string;
  integration: string[];
}

export const PROBES: Probe[] = [
  {
    // The first page alert's long window, 1 h -> 2 h: still a recorded window, so the rules stay valid PromQL and
    // only the alert's meaning (and its factor, 14.4 -> 7.2) changes.
    name: 'burn-rate window',
    file: 'slo/model/alerts.ts',
    from: "{ severity: 'page', budgetShare: 0.02, long: '1h', short: '5m' }",
    to: "{ severity: 'page', budgetShare: 0.02, long: '2h', short: '5m' }",
    integration: ['slo/rules/rules.int.test.ts'],
  },
  {
    // The Chinese convention's MACD bar is 2 x (DIF - DEA); Western charts draw 1 x.
    name: 'MACD histogram factor',
    file: 'reference-api/src/domain/indicators.ts',
    from: 'const histogram = dif.map((d, i) => 2 * (d - dea[i]!));',
    to: 'const histogram = dif.map((d, i) => 1 * (d - dea[i]!));',
    integration: ['reference-api/src/app.int.test.ts'],
  },
  {
    // The quotes export (CSV, XLSX, PDF) loses its last row; the JSON quotes keep it.
    name: 'quotes export last row',
    file: 'reference-api/src/routes/export/index.ts',
    from: 'columns: columns(QUOTE_COLUMNS), rows };',
    to: 'columns: columns(QUOTE_COLUMNS), rows: rows.slice(0, -1) };',
    integration: ['reference-api/src/app.int.test.ts'],
  },
];

/** A failure of the probe run itself (not a probe's result): exit 2. */
class ProbeError extends Error {}

/** A clone of HEAD in a new temp folder, with the checkout's node_modules linked in. */
function cloneHead(label: string): { repo: string; scratch: string; remove(): void } {
  const scratch = mkdtempSync(join(tmpdir(), `mutation-probe-${label.replaceAll(/\W+/g, '-')}-`));
  const repo = join(scratch, 'repo');
  const cloned = spawnSync('git', ['clone', '-q', REPO, repo], { encoding: 'utf8' });
  if (cloned.status !== 0) throw new ProbeError(`git clone ${REPO} failed: ${cloned.stderr}`);
  symlinkSync(join(REPO, 'node_modules'), join(repo, 'node_modules'));
  return { repo, scratch, remove: () => rmSync(scratch, { recursive: true, force: true }) };
}

/** Puts the probe's bug in: its `from` text must occur exactly once, else the probe is stale and says so. */
function applyMutation(repo: string, probe: Probe): void {
  const path = join(repo, probe.file);
  const text = readFileSync(path, 'utf8');
  const count = text.split(probe.from).length - 1;
  if (count !== 1) {
    throw new ProbeError(
      `probe "${probe.name}": expected the text to change exactly once in ${probe.file}, found it ${count} times:\n  ${probe.from}`,
    );
  }
  writeFileSync(
    path,
    text.replace(probe.from, () => probe.to),
  );
  const diff = spawnSync('git', ['-C', repo, 'diff', '-U0', '--no-color'], { encoding: 'utf8' }).stdout;
  console.log(diff.trimEnd().replaceAll(/^/gm, '    '));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (text: string) =>
  text.replaceAll(/&(#\d+|\w+);/g, (whole, name: string) =>
    name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (ENTITIES[name] ?? whole),
  );

/** The failed tests of a node:test JUnit file, as `file: suite > test` (file relative to the clone). */
function failedTests(junitXml: string, repo: string): string[] {
  const failed: string[] = [];
  for (const [tag] of junitXml.matchAll(/<testcase\b[^>]*>/g)) {
    if (!/\sfailure="/.test(tag)) continue;
    const attr = (name: string) => unescapeXml(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? '');
    const suite = attr('classname');
    // node:test names a top-level test's class "test"; a test inside describe() has the suite's name.
    const test = suite && suite !== 'test' ? `${suite} > ${attr('name')}` : attr('name');
    failed.push(`${relative(repo, attr('file'))}: ${test}`);
  }
  return [...new Set(failed)].sort();
}

/** What one run of tests on a clone gave: the failed tests, and the log of the run. */
interface TierRun {
  failed: string[];
  log: string;
}

/** Runs the unit tier, or the named integration files, on a clone; the spec output goes to a log file. */
function runTests(clone: { repo: string; scratch: string }, what: 'unit' | string[]): TierRun {
  const junit = join(clone.scratch, 'junit.xml');
  const log = join(clone.scratch, 'tests.log');
  const reporters = [
    '--test-reporter-destination=stdout',
    '--test-reporter=junit',
    `--test-reporter-destination=${junit}`,
  ];
  // The unit tier as npm runs it (scripts/test-tier.sh: its files, one process, the unit guard); integration
  // files as their tier runs them (two at a time).
  const [command, args] =
    what === 'unit'
      ? ['bash', ['scripts/test-tier.sh', 'unit', ...reporters]]
      : [process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...reporters, ...what]];
  const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', ARTILLERY_DISABLE_TELEMETRY: 'true' };
  const run = spawnSync(command, args as string[], { cwd: clone.repo, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  writeFileSync(log, `${run.stdout}${run.stderr}`);
  let xml = '';
  try {
    xml = readFileSync(junit, 'utf8');
  } catch {
    // No JUnit file: the run did not get to its tests; said below.
  }
  const failed = failedTests(xml, clone.repo);
  if (run.status !== 0 && failed.length === 0) {
    throw new ProbeError(
      `${what === 'unit' ? 'the unit tier' : what.join(' ')} failed without a failed test: see ${log}`,
    );
  }
  return { failed, log };
}

/** Tests failing on HEAD without any bug, per set of tests run (computed once, on first need). */
const baselines = new Map<string, string[]>();
function baseline(what: 'unit' | string[]): string[] {
  const key = what === 'unit' ? 'unit' : what.join(' ');
  let failed = baselines.get(key);
  if (failed === undefined) {
    const clone = cloneHead('baseline');
    try {
      console.log(`baseline (HEAD, no mutation): ${key}`);
      failed = runTests(clone, what).failed;
      if (failed.length > 0) console.log(`  failing without any mutation, not counted: ${failed.join('; ')}`);
    } finally {
      clone.remove();
    }
    baselines.set(key, failed);
  }
  return failed;
}

/** The tests that fail with the probe's bug and pass without it, running the cheapest tier first. */
function runProbe(probe: Probe): { caughtBy: string[]; tier: string } {
  const clone = cloneHead(probe.name);
  try {
    console.log(`probe "${probe.name}": ${probe.file}`);
    applyMutation(clone.repo, probe);
    const tiers: ['unit' | string[], string][] = [['unit', 'unit tier']];
    if (probe.integration.length > 0) tiers.push([probe.integration, `integration: ${probe.integration.join(' ')}`]);
    for (const [what, tier] of tiers) {
      const before = new Set(baseline(what));
      const caughtBy = runTests(clone, what).failed.filter((name) => !before.has(name));
      if (caughtBy.length > 0) return { caughtBy, tier };
      console.log(`  not caught by the ${tier}`);
    }
    return { caughtBy: [], tier: '' };
  } finally {
    clone.remove();
  }
}

function main(names: string[]): number {
  const unknown = names.filter((name) => !PROBES.some((p) => p.name === name));
  if (unknown.length > 0) {
    console.error(`unknown probe ${unknown.join(', ')}; the probes: ${PROBES.map((p) => `"${p.name}"`).join(', ')}`);
    return 2;
  }
  const chosen = names.length > 0 ? PROBES.filter((p) => names.includes(p.name)) : PROBES;
  const results: string[] = [];
  let missed = 0;
  for (const probe of chosen) {
    const { caughtBy, tier } = runProbe(probe);
    if (caughtBy.length === 0) missed++;
    const line =
      caughtBy.length === 0
        ? `${probe.name}: NOT caught (unit tier${probe.integration.length > 0 ? `, ${probe.integration.join(' ')}` : ''})`
        : `${probe.name}: caught by ${caughtBy.length} test${caughtBy.length === 1 ? '' : 's'} (${tier}):\n${caughtBy.map((t) => `    ${t}`).join('\n')}`;
    console.log(`  ${line.split('\n')[0]}`);
    results.push(line);
  }
  console.log(`\n${results.join('\n')}`);
  return missed > 0 ? 1 : 0;
}

if (import.meta.main) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    console.error(`mutation-probes: ${error.message}`);
    process.exitCode = 2;
  }
}
