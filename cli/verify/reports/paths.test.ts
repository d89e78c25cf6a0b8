// Old verify runs are pruned, and only those: a run still going on (no verify.json yet) and other commands'
// folders stay, whatever their age; the newest finished runs are kept. Each verify run's Allure history is the
// file of its profile and scope, and the project's allurerc.mjs reads the default one without appending. A path
// through a link of reports/ is refused (stack/run-pointer.ts). The whole story, with real Allure and Playwright
// runs, is cli/finished-runs.int.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { latestLinkOn, linkLatest, refuseLatestLink } from '../../../stack/run-pointer.ts';
import {
  DEFAULT_HISTORY_SCOPE,
  historyFile,
  historyScopeOf,
  KEEP_RUNS,
  keepRunsFrom,
  pruneRuns,
  reportPaths,
} from './paths.ts';

/** A run folder; finished ones get a verify.json dated `minutesAgo` back. */
function makeRun(dir: string, name: string, minutesAgo?: number): void {
  const run = join(dir, 'runs', name);
  mkdirSync(join(run, 'allure-report'), { recursive: true });
  writeFileSync(join(run, 'allure-report', 'index.html'), '<html></html>');
  if (minutesAgo === undefined) return;
  writeFileSync(join(run, 'verify.json'), '{}');
  const time = new Date(Date.now() - minutesAgo * 60_000);
  utimesSync(join(run, 'verify.json'), time, time);
}

describe('pruneRuns', () => {
  test('keeps the newest finished verify runs, and every unfinished run and other folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-prune-'));
    makeRun(dir, 'verify-oldest', 50);
    makeRun(dir, 'verify-old', 40);
    makeRun(dir, 'verify-middle', 30);
    makeRun(dir, 'verify-newer', 20);
    makeRun(dir, 'verify-newest', 10);
    makeRun(dir, 'verify-going-on'); // started long ago, no verify.json yet
    makeRun(dir, 'e2e-abc'); // `harness e2e`'s folder
    makeRun(dir, 'up-def');
    const removed = pruneRuns(dir, 2);
    assert.deepEqual(
      removed.map((path) => path.split('/').at(-1)),
      ['verify-middle', 'verify-old', 'verify-oldest'],
    );
    assert.deepEqual(readdirSync(join(dir, 'runs')).sort(), [
      'e2e-abc',
      'up-def',
      'verify-going-on',
      'verify-newer',
      'verify-newest',
    ]);
  });

  test('0 keeps every run, and a reports folder without runs is fine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-prune-'));
    assert.deepEqual(pruneRuns(dir, 2), []);
    makeRun(dir, 'verify-a', 5);
    makeRun(dir, 'verify-b', 4);
    assert.deepEqual(pruneRuns(dir, 0), []);
    assert.equal(readdirSync(join(dir, 'runs')).length, 2);
  });

  test('HARNESS_KEEP_RUNS is a whole number; anything else names the variable', () => {
    assert.equal(keepRunsFrom(undefined), KEEP_RUNS);
    assert.equal(keepRunsFrom(''), KEEP_RUNS);
    assert.equal(keepRunsFrom('0'), 0);
    assert.equal(keepRunsFrom('5'), 5);
    for (const bad of ['-1', '2.5', 'all', '1e400']) {
      assert.throws(() => keepRunsFrom(bad), /HARNESS_KEEP_RUNS must be a whole number .*got "/, bad);
    }
  });
});

describe('the Allure history of a verify run', () => {
  const file = (settings: Parameters<typeof historyScopeOf>[0]) =>
    historyFile('/r', historyScopeOf(settings)).slice('/r/history/'.length);
  const none = new Set<string>();

  test('is one file per profile and the stages asked for, faults apart', () => {
    assert.equal(file({ profile: 'smoke', skip: none, faults: [] }), 'smoke-e2e+load+slo.jsonl');
    assert.equal(file({ profile: 'smoke', skip: new Set(['e2e']), faults: [] }), 'smoke-load+slo.jsonl');
    assert.equal(file({ profile: 'average', skip: new Set(['e2e']), faults: [] }), 'average-load+slo.jsonl');
    assert.equal(
      file({ profile: 'smoke', skip: none, baselinePath: 'b/slo.json', faults: [] }),
      'smoke-e2e+load+compare+slo.jsonl',
    );
    // compare needs this run's load: with --skip load it does not run, whatever --baseline says.
    assert.equal(
      file({ profile: 'smoke', skip: new Set(['load']), baselinePath: 'b/slo.json', faults: [] }),
      'smoke-e2e+slo.jsonl',
    );
    assert.equal(
      file({ profile: 'smoke', skip: new Set(['e2e']), faults: [{ route: '*', latencyMs: 400 }] }),
      'smoke-load+slo+faults.jsonl',
    );
    assert.equal(file({ profile: 'smoke', skip: new Set(['e2e', 'load', 'slo']), faults: [] }), 'smoke-none.jsonl');
  });

  test('a verify run with no flags has the default scope, and a profile never leaves the folder', () => {
    assert.equal(reportPaths('/r', 'verify-1').history, '/r/history/smoke-e2e+load+slo.jsonl');
    assert.throws(
      () => historyFile('/r', { ...DEFAULT_HISTORY_SCOPE, profile: '../x' }),
      /profile: '..\/x' is not a safe/,
    );
  });

  test("the project's allurerc.mjs reads the default history, never appends, and writes no report into a link", async () => {
    const { default: config } = (await import(new URL('../../../allurerc.mjs', import.meta.url).href)) as {
      default: { historyPath: string; appendHistory: boolean; output: string };
    };
    assert.equal(config.historyPath, historyFile('reports', DEFAULT_HISTORY_SCOPE));
    assert.equal(config.appendHistory, false);
    assert.match(config.output, /^reports\/runs\/allure-[\w-]+\/allure-report$/);
  });
});

describe('links of reports/', () => {
  test('a path through one is found and refused; other links and plain folders are not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-links-'));
    mkdirSync(join(dir, 'runs', 'verify-a', 'allure-results'), { recursive: true });
    linkLatest(join(dir, 'allure-results'), join(dir, 'runs', 'verify-a', 'allure-results'));
    assert.equal(latestLinkOn(join(dir, 'allure-results', 'x-result.json')), join(dir, 'allure-results'));
    assert.throws(
      () => refuseLatestLink(join(dir, 'allure-results', 'sub'), '--allure-dir'),
      /--allure-dir: .* leads through .*allure-results, a link to the latest run's own folder \(runs\/verify-a\/allure-results\)/,
    );
    // A link of the user's own (not into runs/) is theirs to write through.
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'mine'));
    assert.equal(latestLinkOn(join(dir, 'mine', 'file')), undefined);
    assert.equal(
      refuseLatestLink(join(dir, 'runs', 'verify-a', 'allure-results'), '--allure-dir'),
      join(dir, 'runs', 'verify-a', 'allure-results'),
    );
  });
});
