// `harness load merge DIR...` run in this process through the dispatcher (cli/dispatch.ts runHarness), on generator
// folders written as `harness load --generators 2 --generator-index I` leaves them (load/testing/generator-runs.ts:
// hand-made samples, periods and summary.json in place of Artillery's). The exit codes 0, 1 and 2, the files the
// merged run publishes (report/load/publish.ts), and the refusals. No Artillery runs: a real run of the pods is
// the stack tests' (untested here).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunSummary } from '../../load/report.ts';
import { requests, T0, TWO_GENERATORS, writeGeneratorFolder } from '../../load/testing/generator-runs.ts';
import { runHarness } from '../dispatch.ts';

// Generator 0 alone holds P95 <= 300 ms (100 ms), generator 1 alone breaks it (900 ms): load/testing/generator-runs.ts.
const [g0, g1] = TWO_GENERATORS;

describe('harness load merge', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'load-merge-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
  const p95Of = (summary: RunSummary) => summary.thresholds.find((t) => t.name === 'latency-p95')!.value;

  it('exit 0: generator 1 alone breaks P95 <= 300 ms, the pooled requests hold it (250 ms), as one run', async () => {
    // A pod's HARNESS_REPORTS_DIR (holding load/<run>/) and a run folder itself: both are accepted.
    writeGeneratorFolder(join(work, 'pass', 'generator-0', 'load', 'load-1'), g0);
    const g1Dir = writeGeneratorFolder(join(work, 'pass', 'generator-1', 'load', 'load-1'), g1);
    assert.equal(summaryOf(g1Dir).verdict, 'fail');
    const out = join(work, 'pass', 'merged');
    const ran = await runHarness(['load', 'merge', join(work, 'pass', 'generator-0'), g1Dir, '--out', out, '--json']);
    assert.equal(ran.exitCode, 0, ran.stderr);
    const summary = summaryOf(out);
    assert.equal(summary.verdict, 'pass');
    // Nearest rank over 50: the 48th of 38 x 100, 8 x 120, 200, 250, 900, 1000.
    assert.equal(p95Of(summary), 250);
    assert.equal(summary.requests, 50);
    assert.equal(summary.generators, 2);
    assert.equal(summary.startedAt, new Date(T0 + 10_000).toISOString());
    assert.equal(summary.endedAt, new Date(T0 + 45_000).toISOString());
    assert.equal(summary.warmup?.requests, 10);
    assert.deepEqual(
      summary.periods.map((p) => [p.requests, p.p95Ms]),
      [[52, 250]],
    );
    assert.match(summary.command, /^harness load merge .+ --out .+ --json$/);
    // A run folder like any other: the pooled samples (which `harness load compare` reads), the report, Allure.
    assert.equal(readFileSync(join(out, 'samples.jsonl'), 'utf8').trim().split('\n').length, 50);
    for (const file of ['summary.md', 'report.html', 'artillery.json', 'warmup-samples.jsonl']) {
      assert.ok(existsSync(join(out, file)), file);
    }
    assert.ok(readdirSync(join(out, 'allure-results')).some((f) => f.endsWith('-result.json')));
    const json = JSON.parse(ran.stdout) as { verdict: string; runId: string; summaryJsonPath: string };
    assert.deepEqual([json.verdict, json.runId, json.summaryJsonPath], ['pass', 'load-1', join(out, 'summary.json')]);
    assert.match(ran.stderr, /^load load-1: pass; summary /m);
  });

  it('exit 1: one 503 in 50 pooled requests is 2 % > 1 %; the default folder is reports/load/<run>-merged', async () => {
    const a = writeGeneratorFolder(join(work, 'fail', 'a'), {
      ...g0,
      samples: [...requests(T0 + 10_000, 39, 100), ...requests(T0 + 14_000, 1, 100, 503)],
    });
    const b = writeGeneratorFolder(join(work, 'fail', 'b'), { ...g1, samples: requests(T0 + 13_000, 10, 100) });
    const reports = join(work, 'fail', 'reports');
    const saved = process.env.HARNESS_REPORTS_DIR;
    process.env.HARNESS_REPORTS_DIR = reports;
    try {
      const ran = await runHarness(['load', 'merge', a, b]);
      assert.equal(ran.exitCode, 1, ran.stderr);
      const summary = summaryOf(join(reports, 'load', 'load-1-merged'));
      const errors = summary.thresholds.find((t) => t.name === 'error-rate')!;
      assert.deepEqual([errors.value, errors.ok, summary.verdict], [2, false, 'fail']);
      assert.match(ran.stderr, /^load load-1: FAIL \(error-rate\); summary /m);
      // The folder is the run's own: merging again into it is refused, and nothing in it is rewritten.
      const again = await runHarness(['load', 'merge', a, b]);
      assert.equal(again.exitCode, 2);
      assert.equal(
        again.stderr,
        `harness: ${join(reports, 'load', 'load-1-merged')} already holds files: give another --out (a run's folder is never rewritten)\n`,
      );
    } finally {
      if (saved === undefined) delete process.env.HARNESS_REPORTS_DIR;
      else process.env.HARNESS_REPORTS_DIR = saved;
    }
  });

  it('exit 2: two run ids, a folder without samples, a missing generator; nothing is written', async () => {
    const a = writeGeneratorFolder(join(work, 'refused', 'a'), g0);
    const b = writeGeneratorFolder(join(work, 'refused', 'b'), { ...g1, runId: 'load-2' });
    const out = join(work, 'refused', 'merged');
    const refused = async (args: string[], line: string) => {
      const ran = await runHarness(['load', 'merge', ...args, '--out', out]);
      assert.equal(ran.exitCode, 2, ran.stderr);
      assert.equal(ran.stderr, `harness: ${line}\n`);
      assert.equal(ran.stdout, '');
      assert.equal(existsSync(out), false);
    };
    await refused([a, b], `not one run's generators: ${b} has run id "load-2", ${a} has "load-1"`);
    rmSync(join(b, 'samples.jsonl'));
    // Smoke's 3 journeys/s over 2: generator 1 is given 1 a second, 10 s of warm-up and 60 s judged, 70 journeys.
    await refused(
      [a, b],
      `${join(b, 'samples.jsonl')}: no samples, yet generator 1 of 2 was scheduled 70 journeys (its share of the smoke profile, warm-up included): its Artillery sent no request, or its samples were lost`,
    );
    await refused([a], 'generator 1 of 2 is missing: the folders given are generators 0');
    await refused(
      [join(work, 'refused')],
      `${join(work, 'refused')}: holds 2 run folders (${a}, ${b}): name the one of this run`,
    );
    const usage = await runHarness(['load', 'merge']);
    assert.equal(usage.exitCode, 2);
    assert.equal(
      usage.stderr,
      'harness load merge: give the report folders of the generators of one run (harness load merge --help)\n',
    );
  });
});
