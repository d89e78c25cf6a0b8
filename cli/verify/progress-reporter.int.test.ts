// The E2E progress reporter under a real Playwright run: a suite with a passing, a failing, a flaky and a skipped
// test (testdata/progress-suite) must come out of the progress file as exactly those counts, with the failed
// test's title, and the heartbeat must say tests done, failed, flaky and an ETA.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { E2eProgress } from './e2e.ts';
import { type ProgressEvent, readFinalCounts } from './progress-reporter.ts';

const CONFIG = join(import.meta.dirname, 'testdata', 'progress-suite', 'playwright.config.ts');

test('a real Playwright run reports passed, failed, flaky and skipped tests as data', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'progress-reporter-'));
  try {
    const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
    const code = await new Promise<number | null>((resolve) => {
      const child = execFile(process.execPath, [cli, 'test', '--config', CONFIG], {
        env: { ...process.env, PROGRESS_TEST_DIR: dir, FORCE_COLOR: '0' },
        timeout: 300_000,
      });
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    assert.equal(code, 1, 'Playwright exits 1 for the failed test');
    const file = join(dir, 'progress.jsonl');
    assert.deepEqual(readFinalCounts(file), { tests: 4, passed: 1, failed: 1, flaky: 1, skipped: 1 });

    const progress = new E2eProgress();
    const said: string[] = [];
    for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
      const text = progress.apply(JSON.parse(line) as ProgressEvent);
      if (text) said.push(text);
    }
    assert.deepEqual(progress.failed, ['outcomes.spec.ts › fails']);
    assert.ok(said.includes('FAILED outcomes.spec.ts › fails'), said.join('\n'));
    assert.ok(
      said.some((line) => line.startsWith('FLAKY outcomes.spec.ts › is flaky')),
      said.join('\n'),
    );
    assert.ok(
      said.some((line) => line.startsWith('retrying outcomes.spec.ts › fails')),
      said.join('\n'),
    );
    assert.match(progress.status(Date.now()), /^4\/4 tests done, 1 failed, 1 flaky, about 0 s left$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the ETA is the pace so far times the tests left, and there is none before a test has ended', () => {
  const progress = new E2eProgress();
  assert.equal(progress.status(0), 'Playwright is starting');
  progress.apply({ event: 'begin', total: 10, at: 1_000 });
  assert.equal(progress.etaSeconds(5_000), undefined);
  const done = (title: string): ProgressEvent => ({
    event: 'test',
    title,
    status: 'passed',
    outcome: 'expected',
    retry: 0,
    final: true,
    durationMs: 1,
    at: 0,
  });
  progress.apply(done('a'));
  progress.apply(done('b'));
  // 2 tests in 8 s -> 4 s a test; 8 tests left -> 32 s.
  assert.equal(progress.etaSeconds(9_000), 32);
  assert.equal(progress.status(9_000), '2/10 tests done, about 32 s left');
});
