// Issue #26: a finished run is never written again. A finished verify run folder is made with verify's own report
// writers (Allure results of a fixed SLO report, JUnit, slo.json, verify.json, the Allure report appended to its
// profile and scope's history, then the links in reports/); then everything a user does by hand afterwards runs
// for real in child processes: `harness load compare` on two small samples.jsonl folders, `harness report` (the
// latest, a run by id, the verify run itself), and `npx playwright test` with the project's own config and output
// paths (cli/testdata/hand-playwright: one browserless test). The verify folder must come out byte for byte as it
// was (every path and sha256), the history unchanged, and each hand run's files in a new folder of its own that
// the links in reports/ now point at. No services are needed; Allure and Playwright run one at a time.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sampleRun } from '../e2e/run-reports.ts';
import { makeRun, writeRunFolder } from '../load/testing/fake-runs.ts';
import { generateAllureReport, publishSloAllure } from '../report/verify/allure.ts';
import { verifyJson } from '../report/verify/json.ts';
import { renderCombinedJunit } from '../report/verify/junit.ts';
import type { ReportPaths } from '../report/verify/model.ts';
import { historyScopeOf, prepareRunDir, publishRun, reportPaths, writeSloJson } from './verify/reports/paths.ts';

const REPO = join(import.meta.dirname, '..');
const HARNESS = join(import.meta.dirname, 'harness.ts');
const HAND_CONFIG = join(import.meta.dirname, 'testdata', 'hand-playwright', 'playwright.config.ts');

const work = mkdtempSync(join(tmpdir(), 'harness-finished-runs-'));
const reports = join(work, 'reports');
after(() => rmSync(work, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A child process with this test's reports folder, and none of the variables that would choose another. */
function run(command: string, args: string[]): Promise<Ran> {
  const env: NodeJS.ProcessEnv = { ...process.env, HARNESS_REPORTS_DIR: reports, FORCE_COLOR: '0' };
  // CI would add Playwright's blob reporter (into the config's folder); the others would name a run's folder.
  for (const name of ['CI', 'HARNESS_E2E_DIR', 'HARNESS_E2E_HAND_RUN_DIR', 'BASE_URL', 'API_URL']) delete env[name];
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO, env, timeout: 300_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** Every entry under `dir` (files by sha256, links by target, folders by name), sorted: the folder's fingerprint. */
function fingerprint(dir: string, prefix = ''): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const rel = `${prefix}${name}`;
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) lines.push(`${rel} -> ${readlinkSync(path)}`);
    else if (stat.isDirectory()) lines.push(`${rel}/`, ...fingerprint(path, `${rel}/`));
    else lines.push(`${rel} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
  }
  return lines;
}

/** Folders in reports/runs/ whose name starts with `prefix`. */
const runsOf = (prefix: string) => readdirSync(join(reports, 'runs')).filter((name) => name.startsWith(prefix));
/** Where a link in reports/ points, as its folder in runs/ and the name in it. */
const linkOf = (name: string) => readlinkSync(join(reports, name));

let verifyRun: ReportPaths;
let verifyBefore: string[];
let historyBefore: string[];

before(async () => {
  // A finished `harness verify --skip e2e` run (profile smoke, stages load+slo), written by verify's own writers.
  const scope = historyScopeOf({ profile: 'smoke', skip: new Set(['e2e']), faults: [] });
  verifyRun = reportPaths(reports, 'verify-finished', scope);
  await prepareRunDir(verifyRun);
  const { slo } = sampleRun();
  await writeSloJson(slo, verifyRun);
  await publishSloAllure(slo, undefined, verifyRun);
  await writeFile(verifyRun.junit, await renderCombinedJunit({ slo, problems: [] }));
  await generateAllureReport({ paths: verifyRun, log: () => {}, appendHistory: true });
  await writeFile(
    verifyRun.json,
    `${JSON.stringify(
      verifyJson({
        verdict: 'fail',
        stages: [],
        breachedSlos: [],
        inconclusiveSlos: [],
        breachedThresholds: [],
        paths: verifyRun,
        wallMs: 0,
        toolMs: { e2e: 0, load: 0, slo: 0 },
      }),
      null,
      2,
    )}\n`,
  );
  publishRun(verifyRun);
  verifyBefore = fingerprint(verifyRun.runDir);
  historyBefore = fingerprint(join(reports, 'history'));
});

describe('a finished verify run', () => {
  test("the verify-made report appended one line to its profile and scope's history, and no other", () => {
    assert.equal(verifyRun.history, join(reports, 'history', 'smoke-load+slo.jsonl'));
    assert.deepEqual(readdirSync(join(reports, 'history')), ['smoke-load+slo.jsonl']);
    const lines = readFileSync(verifyRun.history, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 1);
    assert.ok(existsSync(verifyRun.allureIndex), 'the verify run has its report');
    assert.equal(linkOf('allure-results'), 'runs/verify-finished/allure-results');
  });

  test('harness load compare writes a folder of its own and points reports/compare and allure-results at it', async () => {
    const a = writeRunFolder(
      join(work, 'load-a'),
      makeRun('a', { seconds: 20, rate: 2, endpoints: { '/x': 10 }, seed: 1 }),
    );
    const b = writeRunFolder(
      join(work, 'load-b'),
      makeRun('b', { seconds: 20, rate: 2, endpoints: { '/x': 10 }, seed: 2 }),
    );
    const ran = await run(process.execPath, [HARNESS, 'load', 'compare', a.dir, b.dir]);
    assert.ok(ran.code !== null && ran.code <= 2, ran.stderr);
    const [compare, ...more] = runsOf('compare-');
    assert.ok(compare && more.length === 0, `one compare run: ${runsOf('compare-')}`);
    const compareJson = join(reports, 'runs', compare, 'compare', 'compare.json');
    // The comparison names the harness that made it (package.json's version).
    assert.match(
      (JSON.parse(readFileSync(compareJson, 'utf8')) as { harnessVersion: string }).harnessVersion,
      /^\d+\./,
    );
    assert.ok(readdirSync(join(reports, 'runs', compare, 'allure-results')).some((f) => f.endsWith('-result.json')));
    assert.equal(linkOf('compare'), `runs/${compare}/compare`);
    assert.equal(linkOf('allure-results'), `runs/${compare}/allure-results`);
  });

  test('harness load compare and harness slo check refuse a folder named through a link of reports/', async () => {
    const a = join(work, 'load-a');
    const links = join(reports, 'allure-results');
    const compare = await run(process.execPath, [HARNESS, 'load', 'compare', a, a, '--allure-dir', links]);
    assert.equal(compare.code, 2);
    assert.match(
      compare.stderr,
      /--allure-dir: .*allure-results is a link to the latest run's own folder \(runs\/compare-/,
    );
    const out = await run(process.execPath, [HARNESS, 'load', 'compare', a, a, '--out', join(reports, 'compare', 'x')]);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--out: .*compare\/x leads through .*compare, a link to the latest run's own folder/);
    // Refused before any query: no Prometheus answers at this address.
    const slo = await run(process.execPath, [
      HARNESS,
      'slo',
      'check',
      '--prometheus',
      'http://127.0.0.1:9',
      '--allure-dir',
      links,
    ]);
    assert.equal(slo.code, 2);
    assert.match(slo.stderr, /--allure-dir: .*allure-results is a link to the latest run's own folder/);
  });

  test("harness report builds the latest results' report in that run's own folder and links reports/allure-report", async () => {
    const [compare] = runsOf('compare-');
    const ran = await run(process.execPath, [HARNESS, 'report']);
    assert.equal(ran.code, 0, ran.stderr);
    const index = join(reports, 'runs', compare!, 'allure-report', 'awesome', 'index.html');
    assert.ok(existsSync(index), ran.stdout);
    assert.match(ran.stdout, /Allure report: .*awesome\/index\.html/);
    assert.equal(linkOf('allure-report'), `runs/${compare}/allure-report`);
    assert.match(ran.stderr, /history from .*smoke-e2e\+load\+slo\.jsonl|history none yet/);
  });

  test('a hand run of Playwright writes reports/runs/e2e-<id>/, runner and worker alike, then the links', async () => {
    const ran = await run(process.execPath, [
      join(REPO, 'node_modules', '@playwright', 'test', 'cli.js'),
      'test',
      '-c',
      HAND_CONFIG,
    ]);
    assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
    const [e2e, ...more] = runsOf('e2e-');
    assert.ok(e2e && more.length === 0, `one Playwright run: ${runsOf('e2e-')}`);
    const dir = join(reports, 'runs', e2e);
    assert.match(
      readFileSync(join(dir, 'e2e-junit.xml'), 'utf8'),
      /tests="1" failures="0"[\s\S]*<testcase name="a hand run writes its own folder"/,
    );
    assert.ok(existsSync(join(dir, 'playwright-report', 'index.html')));
    assert.ok(readdirSync(join(dir, 'allure-results')).some((f) => f.endsWith('-result.json')));
    // Written by the worker, which evaluated the config on its own: the same folder as the runner's.
    const worker = readdirSync(join(dir, 'test-results')).map((d) => join(dir, 'test-results', d, 'worker.txt'));
    assert.ok(
      worker.some((file) => existsSync(file)),
      'the worker wrote into the same run folder',
    );
    for (const name of ['allure-results', 'e2e-junit.xml', 'playwright-report']) {
      assert.equal(linkOf(name), `runs/${e2e}/${name}`, name);
    }
  });

  test("harness report by run id uses that run's folder; on a run with a report, a new folder", async () => {
    const [e2e] = runsOf('e2e-');
    const byId = await run(process.execPath, [HARNESS, 'report', e2e!]);
    assert.equal(byId.code, 0, byId.stderr);
    assert.ok(existsSync(join(reports, 'runs', e2e!, 'allure-report', 'awesome', 'index.html')));

    const again = await run(process.execPath, [HARNESS, 'report', 'verify-finished']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /has its report already; this one goes to a new run folder/);
    const [report, ...more] = runsOf('report-');
    assert.ok(report && more.length === 0, `one report run: ${runsOf('report-')}`);
    assert.ok(existsSync(join(reports, 'runs', report, 'allure-report', 'awesome', 'index.html')));
    assert.equal(linkOf('allure-report'), `runs/${report}/allure-report`);
    // The verify run's report reads the verify run's own history (verify.json names it).
    assert.match(again.stderr, /history from .*smoke-load\+slo\.jsonl \(read, not appended\)/);
  });

  test('afterwards the verify folder is byte for byte as it was, and the history too', () => {
    assert.deepEqual(fingerprint(verifyRun.runDir), verifyBefore);
    assert.deepEqual(fingerprint(join(reports, 'history')), historyBefore);
  });
});

describe('harness report as a command', () => {
  test('answers --help with 0, a usage error and a run that is not there with 2, and is completed', async () => {
    const help = await run(process.execPath, [HARNESS, 'report', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: harness report \[RUN\] \[--history FILE\]/);
    const two = await run(process.execPath, [HARNESS, 'report', 'a', 'b']);
    assert.equal(two.code, 2);
    assert.equal(two.stderr, 'harness report: give at most one run (harness report --help)\n');
    const missing = await run(process.execPath, [HARNESS, 'report', 'verify-nothing']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /RUN: 'verify-nothing' is neither a run in .*runs nor a folder/);
    const bash = await run(process.execPath, [HARNESS, 'completion', 'bash']);
    assert.match(bash.stdout, /'report'\) COMPREPLY=\(\$\(compgen -W '--history --help'/);
  });
});
