// `harness verify` against the real local stack (PostgreSQL, Redis, Prometheus, Pushgateway, the reference API),
// Playwright and Artillery: the gate is shown to pass a healthy service and to fail an unhealthy one, naming the
// SLO that broke, and to say "inconclusive" when it cannot judge. Loads are short (20-25 s of arrivals, the smoke
// profile's rates); the fault cases skip E2E. Nothing here asserts on timing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestResult } from 'allure-js-commons';
import { SAMPLES_FILE } from '../load/samples.ts';
import type { SaturationReadout } from '../load/saturation.ts';
import { makeRun, writeRunFolder } from '../load/testing/fake-runs.ts';
import { API_ENTRY } from '../stack/local/api.ts';
import { freePort } from '../stack/ports.ts';
import type { Stack } from '../stack/types.ts';
import { type VerifyOptions, type VerifyResult, verify } from './verify/verify.ts';

process.env.HARNESS_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'harness-verify-test-state-'));
const skip = existsSync(API_ENTRY) ? false : `the reference API (${API_ENTRY}) is not there yet`;
const verbose = process.env.VERIFY_TEST_VERBOSE ? (line: string) => console.error(line) : undefined;
const REPO_DIR = join(import.meta.dirname, '..');

/** A verify run on the local stack into a reports folder of its own, quiet unless VERIFY_TEST_VERBOSE is set. */
async function verifyLocal(name: string, options: VerifyOptions): Promise<{ result: VerifyResult; lines: string[] }> {
  const lines: string[] = [];
  const result = await verify({
    stack: 'local',
    reportsDir: mkdtempSync(join(tmpdir(), `harness-verify-${name}-`)),
    durationSeconds: 20,
    log: (line) => {
      lines.push(line);
      verbose?.(line);
    },
    ...options,
  });
  return { result, lines };
}

function allureResults(dir: string): TestResult[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('-result.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as TestResult);
}

const suiteOf = (result: TestResult) => result.labels.find((label) => label.name === 'suite')?.value;

/** Every SLO's verdict and figure, for assertion messages. */
function sloFigures(result: VerifyResult): string {
  return (result.slo?.slos ?? []).map((s) => `${s.name}=${s.status} (${s.sli})`).join(', ');
}

/**
 * A baseline folder as a passing run leaves it (slo.json, load/samples.jsonl, load/summary.json), from recorded
 * samples: a much slower, lighter service than the healthy stack (median 1.5 s, P99 about 3.8 s, 10 requests/s over
 * 2 minutes, no errors), so a healthy run is never worse than it, whatever this shared machine's noise (on a
 * saturated machine a healthy run's P99 was 1 s, against which a 400 ms-median baseline could not tell). Its requests carry a
 * route of their own: a recorded baseline cannot know this run's per-route rates, and a route's rate below the
 * baseline's would rightly count as a throughput regression; so only all requests together are compared here
 * (per-route judgement is shown by cli/verify/baseline-load.test.ts). The SLO report has no SLOs, so the SLO half
 * of --baseline (maxRegressionPct) changes nothing in this run.
 */
function recordedBaseline(): string {
  const dir = mkdtempSync(join(tmpdir(), 'harness-verify-baseline-'));
  const slo = { status: 'pass', time: '2026-11-30T07:00:00.000Z', window: '2m', service: 'mystocks-api', slos: [] };
  mkdirSync(join(dir, 'load'));
  writeFileSync(join(dir, 'slo.json'), JSON.stringify(slo));
  const run = makeRun('recorded-baseline', {
    seconds: 120,
    rate: 10,
    endpoints: { '/api/recorded-baseline-route': 1500 },
    seed: 18,
  });
  writeRunFolder(join(dir, 'load'), run);
  return join(dir, 'slo.json');
}

describe('harness verify on the local stack', { skip }, () => {
  test('a healthy service passes (exit 0) with E2E, load and SLO results in one report', async () => {
    // The smoke profile's own minute: a 99.9 % SLO needs 1000 requests to be judged (docs/slo.md#minimum-evidence).
    // --baseline: the load is compared with a recorded baseline it is no worse than (the compare stage passes).
    const { result, lines } = await verifyLocal('healthy', {
      e2eArgs: ['e2e/market.spec.ts'],
      durationSeconds: 60,
      baselinePath: recordedBaseline(),
    });
    assert.equal(result.verdict, 'pass', `stages: ${JSON.stringify(result.stages)}; SLOs: ${sloFigures(result)}`);
    assert.deepEqual(
      result.stages.map((s) => [s.stage, s.result]),
      [
        ['stack', 'pass'],
        ['e2e', 'pass'],
        ['load', 'pass'],
        ['compare', 'pass'],
        ['settle', 'pass'],
        ['slo', 'pass'],
        ['report', 'pass'],
        ['down', 'pass'],
      ],
    );
    // The load against the baseline: compare.json and .txt in the run's folder, one Allure test, a summary
    // section, verify.json, and this passing run's own samples kept as the next baseline.
    const comparison = JSON.parse(readFileSync(result.paths.compareJson, 'utf8'));
    assert.equal(comparison.verdict, 'no-significant-difference', readFileSync(result.paths.compareTxt, 'utf8'));
    assert.equal(comparison.runA.runId, 'recorded-baseline');
    assert.equal(comparison.runB.runId, result.load?.runId);
    assert.ok(comparison.runB.samples >= 1000, `${comparison.runB.samples} samples of this run`);
    assert.ok(
      lines.some((line) => /^\[compare \d+s\] \| verdict: no significant difference$/.test(line)),
      'the table in the log',
    );
    // JUnit carries the comparison as a suite of its own, beside the E2E, load and SLO suites.
    assert.match(
      readFileSync(result.paths.junit, 'utf8'),
      /<testsuite name="load comparison" tests="\d+" failures="0"/,
    );
    // The load's "What saturated" read the API's own figures from the stack's Prometheus (CPU, event-loop lag).
    const { saturation } = JSON.parse(readFileSync(result.load!.summaryJsonPath, 'utf8')) as {
      saturation?: SaturationReadout;
    };
    assert.ok(saturation, 'a saturation read-out');
    assert.ok(!saturation.gaps.some((gap) => /no Prometheus/.test(gap)), saturation.gaps.join('; '));
    assert.ok(
      saturation.periods.some((p) => p.apiCpu !== null && p.eventLoopLagP99Ms !== null),
      JSON.stringify(saturation.periods[0]),
    );
    // ... and PostgreSQL's own CPU from /proc: the local stack's postmaster and its backends (sessions and
    // registrations reach the database on every journey, so some period shows it working).
    assert.ok(
      saturation.periods.some((p) => p.postgresHottest !== null && (p.postgresCpu ?? 0) > 0),
      JSON.stringify(saturation.periods.map((p) => [p.postgresHottest, p.postgresCpu])),
    );
    assert.equal(result.sloWindow?.source, 'load');
    assert.deepEqual(result.sloWindow?.start, result.load?.startedAt);
    assert.equal(result.slo?.time, result.load?.endedAt.toISOString());

    // One Allure results folder holding all three stages, load and SLOs with figures and evidence.
    const results = allureResults(result.paths.allureResults);
    const e2e = results.filter((r) => r.labels.some((l) => l.name === 'framework' && l.value === 'playwright'));
    // The load thresholds' tests; the comparison with the baseline has its own (suite load, sub-suite compare).
    const load = results.filter((r) => suiteOf(r) === 'load' && !r.fullName?.startsWith('load.compare.'));
    const slos = results.filter((r) => suiteOf(r) === 'SLO');
    assert.ok(e2e.length > 0, 'E2E results from allure-playwright');
    assert.deepEqual(load.map((r) => r.name).sort(), [
      'load smoke: availability',
      'load smoke: checks',
      'load smoke: error-rate',
      'load smoke: latency-p95',
    ]);
    assert.equal(slos.length, 6);
    const compared = results.find((r) => r.name === 'load compare: (all endpoints)');
    assert.equal(compared?.status, 'passed', compared?.statusDetails?.message);
    for (const r of [...load, ...slos]) {
      assert.equal(r.status, 'passed', `${r.name}: ${r.statusDetails?.message}`);
      assert.ok(r.parameters.length > 0 && r.attachments.length > 0, `${r.name} has figures and attachments`);
      for (const attachment of r.attachments) {
        assert.ok(existsSync(join(result.paths.allureResults, attachment.source)), `${attachment.source} exists`);
      }
    }
    // The HTML report, its history, JUnit of the three, the Markdown summary and the next baseline.
    assert.ok(existsSync(result.paths.allureIndex));
    assert.ok(readFileSync(result.paths.history, 'utf8').trim().length > 0, 'the run is in the history');
    const junit = readFileSync(result.paths.junit, 'utf8');
    assert.match(junit, /<testsuite name="market\.spec\.ts"/);
    assert.match(junit, /<testsuite name="load thresholds" tests="4" failures="0"/);
    assert.match(junit, /<testsuite name="slo check" tests="6" failures="0" errors="0"/);
    const summary = readFileSync(result.paths.summary, 'utf8');
    assert.match(summary, /harness verify: ✅ PASS \(exit 0\)/);
    assert.match(summary, /\| load \| pass \|/);
    // For humans: the verdict sentence first, then what was tested; the error-rate SLO as an error share.
    assert.equal(
      summary.split('\n')[0],
      '**PASS: 6 SLOs met, 4 load thresholds held, E2E passed, no load regression against the baseline.**',
    );
    assert.match(summary, /### Load against the baseline\n\n✅ no significant difference: this run \(\d+ requests/);
    assert.match(summary, /^- stack: local$/m);
    assert.match(summary, new RegExp(`^- target: ${result.context!.targets!.api}$`, 'm'));
    assert.match(summary, /^- load profile: smoke \(1 m of arrivals\)$/m);
    assert.match(summary, /^- judged window: \S+ \.\. \S+ \((\d+ m )?\d+ s, the load window\)$/m);
    assert.match(summary, /^- commit: [0-9a-f]{12,40}$/m);
    assert.match(summary, /\| ✅ pass \| `error-rate` \| [\d.]+ % \| <= 0\.1 % \|/);
    assert.match(summary, /load report \(charts\): `[^`]*report\.html`/);
    const json = JSON.parse(readFileSync(result.paths.json, 'utf8'));
    assert.equal(json.tested.stackMode, 'local');
    assert.equal(json.tested.profileSeconds, 60);
    assert.equal(json.tested.window.start, result.load!.startedAt.toISOString());
    assert.equal(
      json.verdictSentence,
      'PASS: 6 SLOs met, 4 load thresholds held, E2E passed, no load regression against the baseline.',
    );
    assert.equal(json.loadComparison.verdict, 'pass');
    assert.equal(json.loadComparison.baselineRun, 'recorded-baseline');
    // The load report page: verify's verdict, the load charts, one chart per SLO, cache and DB, one SLI trend
    // per SLO; each SLO's Allure test carries its chart.
    const page = readFileSync(result.load!.htmlPath, 'utf8');
    assert.match(page, /data-verdict="pass">PASS: 6 SLOs met/);
    const charts = [...page.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(charts, [
      'load-window',
      'journeys',
      ...result.slo!.slos.map((x) => `slo-${x.name}`),
      'cache-by-level',
      'db-p95',
      ...result.slo!.slos.map((x) => `trend-${x.name}`),
    ]);
    assert.doesNotMatch(page, /no curve/);
    for (const r of slos) {
      const chart = r.attachments.find((a) => a.name === 'chart: SLI over the window');
      assert.equal(chart?.type, 'image/svg+xml', `${r.name} has its chart`);
    }
    assert.equal(JSON.parse(readFileSync(result.paths.baseline, 'utf8')).status, 'pass');
    assert.equal(
      readFileSync(join(result.paths.baselineLoad, SAMPLES_FILE), 'utf8'),
      readFileSync(join(result.paths.dir, 'load', result.load!.runId, SAMPLES_FILE), 'utf8'),
    );
    // Progress: every line names its stage and its elapsed seconds.
    assert.ok(lines.length > 10);
    for (const line of lines) assert.match(line, /^\[(stack|e2e|load|compare|settle|slo|report|down) \d+s\] /);
  });

  test('400 ms added on the quotes route fails the gate (exit 1), naming latency-p95', async () => {
    const { result } = await verifyLocal('latency', {
      skip: ['e2e'],
      // With the default warm-up, as users run it: the warm-up is the run's first phase and costs no second
      // Artillery start; the fault still fails the judged window after it.
      faults: [{ route: '/api/market/quotes', latencyMs: 400 }],
    });
    assert.equal(result.verdict, 'fail', `SLOs: ${sloFigures(result)}`);
    assert.ok(result.breachedSlos.includes('latency-p95'), `breached: ${result.breachedSlos.join(', ')}`);
    assert.ok(!result.breachedSlos.includes('availability'));
    const summary = readFileSync(result.paths.summary, 'utf8');
    assert.match(summary, /❌ FAIL \(exit 1\)/);
    assert.match(summary, /breached: [^|]*latency-p95/);
    // The main reason in the SLO's unit, with the endpoint the diagnosis found driving it, first on the page.
    assert.match(
      summary.split('\n')[0]!,
      /^\*\*FAIL: latency-p95 \d+(\.\d+)? ms > 300 ms, (.* )?driven by GET \/api\/market\/quotes, \d+ % of the requests over 300 ms/,
    );
    const junit = readFileSync(result.paths.junit, 'utf8');
    assert.match(junit, /<testcase classname="slo\.mystocks-api" name="latency-p95" time="0">\n\s*<failure/);
  });

  // 5 % errors: the load's error-rate threshold fails on real traffic (load/load.stack.test.ts), the error-rate and
  // availability SLOs fail on Prometheus data (slo/evaluate/evaluate.int.test.ts) and their page alert fires
  // (slo/live-stack.stack.test.ts); the verify pipeline's failing path is the 400 ms run above. A verify run of
  // its own proved nothing more, for 45 s.

  test('Redis stopped during the load fails cache-hit-rate (exit 1) while availability holds', async () => {
    let stoppedAt: Date | undefined;
    const { result } = await verifyLocal('redis', {
      skip: ['e2e'],
      // Long enough that availability and error-rate have their 1000 events (minEvents of a 99.9 % SLO): with
      // 25 s they were rightly inconclusive, and "availability holds" could not be shown.
      durationSeconds: 60,
      onLoadStarted: async (stack: Stack) => {
        // A few seconds into the traffic: wait until the API has answered load requests, then 3 s more. That is
        // inside the 10 s warm-up phase: the warm-up filled the caches, and still does not hide the fault.
        await waitForTraffic(stack.info.metricsUrl ?? assert.fail('the local stack has a metrics URL'));
        await sleep(3_000);
        assert.ok(stack.controls, 'the local stack can stop Redis');
        await stack.controls.stopRedis();
        stoppedAt = new Date();
      },
    });
    assert.ok(stoppedAt && result.load && stoppedAt < result.load.endedAt, 'Redis stopped while the load ran');
    const status = (name: string) => result.slo?.slos.find((s) => s.name === name)?.status;
    assert.equal(result.verdict, 'fail', `SLOs: ${sloFigures(result)}`);
    assert.deepEqual(result.breachedSlos, ['cache-hit-rate'], `SLOs: ${sloFigures(result)}`);
    assert.equal(status('availability'), 'pass');
    assert.equal(status('error-rate'), 'pass');
  });
});

describe('harness verify, the command', () => {
  test('external mode with an unreachable Prometheus is inconclusive (exit 2), naming it', async () => {
    // The "deployment": something that answers /healthz; Prometheus: a port nobody listens on.
    const server = createServer((_request, response) => response.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const prometheusUrl = `http://127.0.0.1:${await freePort()}`;
    try {
      const run = await harness(['verify', '--stack', 'external'], { API_URL: apiUrl, PROMETHEUS_URL: prometheusUrl });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`prometheus.*${prometheusUrl.replace(/\./g, '\\.')}`, 'i'));
      assert.match(run.stdout, /stack\s+INCONCLUSIVE/);
      assert.match(run.stdout, /harness verify: INCONCLUSIVE \(exit 2\)/);
    } finally {
      server.close();
    }
  });

  test('with load and E2E both skipped there is no SLO window: inconclusive (exit 2), saying so', async () => {
    // An external "deployment" and "Prometheus" that answer every probe: the stack is up, nothing makes traffic.
    const server = createServer((_request, response) => response.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const run = await harness(['verify', '--stack', 'external', '--skip', 'e2e,load', '--no-report'], {
        API_URL: url,
        PROMETHEUS_URL: url,
      });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stdout, /stack\s+pass/);
      assert.match(run.stdout, /slo\s+INCONCLUSIVE/);
      assert.match(run.stderr, /no SLO window: neither load nor E2E ran/);
      const summary = readFileSync(join(run.reportsDir, 'summary.md'), 'utf8');
      assert.match(summary, /INCONCLUSIVE \(exit 2\)[\s\S]*No SLO window/);
      const junit = readFileSync(join(run.reportsDir, 'junit.xml'), 'utf8');
      assert.match(junit, /<testcase classname="verify" name="slo"[^>]*>\n\s*<error/);
    } finally {
      server.close();
    }
  });

  test('an unknown stage in --skip is a usage error (exit 2) before anything starts', async () => {
    const run = await harness(['verify', '--skip', 'e2e,lint'], {});
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--skip: 'lint' is not a stage; use e2e, load, slo/);
  });
});

/** Waits until the API has counted some requests beyond its own start-up probes (the load has begun). */
async function waitForTraffic(metricsUrl: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const text = await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })
      .then((r) => r.text())
      .catch(() => '');
    let requests = 0;
    for (const match of text.matchAll(/^http_requests_total\{[^}]*endpoint="\/api\/market[^"]*"[^}]*\} (\d+)/gm)) {
      requests += Number(match[1]);
    }
    if (requests >= 20) return;
    await sleep(500);
  }
  throw new Error('the load never reached the API');
}

/** Runs `node cli/harness.ts ...` with a reports folder of its own. */
async function harness(args: string[], env: Record<string, string>) {
  const reportsDir = mkdtempSync(join(tmpdir(), 'harness-verify-cli-'));
  const child = spawn(process.execPath, [join(REPO_DIR, 'cli', 'harness.ts'), ...args], {
    cwd: REPO_DIR,
    env: {
      ...process.env,
      HARNESS_REPORTS_DIR: reportsDir,
      HARNESS_STACK: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr, reportsDir };
}
