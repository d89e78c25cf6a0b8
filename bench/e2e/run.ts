// Bench: the E2E suite's wall time against (a) the sum of its tests' own durations and (b) a one-test baseline
// run, both from the same invocation, so a change to the suite shows its effect as ratios rather than seconds
// that move with the machine's load (docs/performance.md, "E2E suite").
//
// Each run is `playwright test` with the JSON reporter added (PLAYWRIGHT_JSON_OUTPUT_NAME), against one local
// stack that this bench starts once and passes as BASE_URL, so neither run pays for a stack start:
// - wall: spawn of the full run to its exit (workers, the setup project's login, every test);
// - test time: the sum of every test result's own `duration` in the JSON report (retries included);
// - baseline: the same command limited to one short test (--grep), one worker: the fixed cost of a run
//   (Playwright's start, config load, browser launch, login) that no test-level change can remove.
// Ratios printed:
//   wall / (test time / workers)  how far the run is from perfectly packed workers (1.0 is ideal);
//   wall / baseline               the suite in units of "an empty run";
//   (wall - baseline) / tests     seconds per test beyond the fixed cost.
//
//   node bench/e2e/run.ts [--workers 2] [--grep 'asks for both fields'] [--project chromium] [spec...]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPagesIfStale } from '../../e2e/global-setup.ts';
import { startStack } from '../../stack/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    workers: { type: 'string', default: '2' },
    // A test with one page load and no API truth: the smallest real test of the suite.
    grep: { type: 'string', default: 'asks for both fields before sending anything' },
    project: { type: 'string', multiple: true },
  },
});

interface JsonReport {
  stats: { duration: number; expected: number; unexpected: number; flaky: number; skipped: number };
  suites: JsonSuite[];
}
interface JsonSuite {
  suites?: JsonSuite[];
  specs: { title: string; tests: { projectName: string; results: { duration: number; status: string }[] }[] }[];
}

/** Every test result's own duration, across nested suites. */
function resultDurations(suites: JsonSuite[]): { project: string; title: string; ms: number }[] {
  return suites.flatMap((suite) => [
    ...suite.specs.flatMap((spec) =>
      spec.tests.flatMap((t) => t.results.map((r) => ({ project: t.projectName, title: spec.title, ms: r.duration }))),
    ),
    ...resultDurations(suite.suites ?? []),
  ]);
}

interface Run {
  wallMs: number;
  exitCode: number | null;
  report: JsonReport;
}

/** One `playwright test` run with the JSON reporter; bounded to 15 minutes. */
async function playwright(args: string[], baseUrl: string): Promise<Run> {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-e2e-')), 'report.json');
  const started = performance.now();
  const child = spawn('npx', ['playwright', 'test', '--reporter=dot,json', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, BASE_URL: baseUrl, PLAYWRIGHT_JSON_OUTPUT_NAME: out, FORCE_COLOR: '0' },
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), 15 * 60_000);
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  clearTimeout(timer);
  const wallMs = performance.now() - started;
  return { wallMs, exitCode, report: JSON.parse(readFileSync(out, 'utf8')) as JsonReport };
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
buildPagesIfStale(log);
await using stack = await startStack('local', { withPrometheus: false, log });
const baseUrl = stack.info.apiUrl;
const workers = Number(values.workers);
// `--project=NAME`, one token: Playwright's `--project <names...>` would take the spec files after it as project names.
const projects = (values.project ?? []).map((name) => `--project=${name}`);

log(`full run: ${positionals.join(' ') || 'every spec'}, ${workers} workers`);
const full = await playwright([`--workers=${workers}`, ...projects, ...positionals], baseUrl);
log(`baseline run: --grep "${values.grep}", 1 worker`);
const baseline = await playwright(['--workers=1', '--project=chromium', '--grep', String(values.grep)], baseUrl);

const results = resultDurations(full.report.suites);
const testMs = results.reduce((sum, r) => sum + r.ms, 0);
const tests = results.filter((r) => r.project !== 'setup').length;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const { stats } = full.report;

console.log(`E2E suite: ${positionals.join(' ') || 'every spec'}, ${workers} workers`);
console.log(
  `full run: exit ${full.exitCode}; ${stats.expected} passed, ${stats.unexpected} failed, ${stats.flaky} flaky, ${stats.skipped} skipped`,
);
console.log(`wall time of the run:                 ${s(full.wallMs)}`);
console.log(`sum of the tests' own durations:      ${s(testMs)} (${results.length} results, setup included)`);
console.log(`one-test baseline run (wall):         ${s(baseline.wallMs)} (exit ${baseline.exitCode})`);
console.log(`packing ratio wall / (tests/workers): ${(full.wallMs / (testMs / workers)).toFixed(2)}x`);
console.log(`suite ratio wall / baseline:          ${(full.wallMs / baseline.wallMs).toFixed(2)}x`);
console.log(`per test beyond the baseline:         ${s((full.wallMs - baseline.wallMs) / tests)}`);
console.log('slowest tests:');
for (const r of results.sort((a, b) => b.ms - a.ms).slice(0, 8)) {
  console.log(`  ${s(r.ms).padStart(7)}  [${r.project}] ${r.title}`);
}
