// Issue #28 as the user met it: `harness slo rules --job NAME` in a child process. The seed file with its
// matchers written job=~"mystocks-api" gave rules that still read mystocks-api, exit 0, without a word; now
// every line that names a job names the override. A negative job matcher is a warning on stderr, and a query
// that does not parse is exit 2 with the SLO, the field and the line. The same cases are checked in-process
// in promql-forms.test.ts; this file proves the command wires the warnings and the error through.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { quantileSloConfig } from '../testing/configs.ts';

const HARNESS = new URL('../../cli/harness.ts', import.meta.url).pathname;
const SEED_PATH = new URL('../slo-config.yaml', import.meta.url).pathname;
const cwd = mkdtempSync(join(tmpdir(), 'harness-job-cli-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

/** `harness slo rules --slo-config FILE --job team-api` on `text` written to FILE in the test's folder. */
function rules(file: string, text: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  writeFileSync(join(cwd, file), text);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [HARNESS, 'slo', 'rules', '--slo-config', file, '--job', 'team-api'],
      { cwd, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('harness slo rules --job', () => {
  it('moves the seed written with job=~"mystocks-api": every line that names a job names team-api', async () => {
    const seed = readFileSync(SEED_PATH, 'utf8').replaceAll('job="mystocks-api"', 'job=~"mystocks-api"');
    const { code, stdout, stderr } = await rules('seed-regex.yaml', seed);
    assert.equal(code, 0, stderr);
    // Nothing about the job, and nothing else: the shipped file warns of nothing (its cache-hit-rate page
    // alert, which could never fire, is switched off).
    assert.equal(stderr, '');
    const jobLines = stdout.split('\n').filter((line) => line.includes('job'));
    assert.ok(jobLines.length > 0);
    for (const line of jobLines) {
      assert.ok(line.includes('job="team-api"'), line);
      assert.ok(!line.includes('mystocks-api'), line);
    }
  });

  it('warns on stderr about a negative job matcher it leaves as written', async () => {
    const { code, stdout, stderr } = await rules(
      'negative.yaml',
      quantileSloConfig('histogram_quantile(0.95, sum by (le) (rate(x_bucket{job!="batch"}[{{window}}])))'),
    );
    assert.equal(code, 0, stderr);
    assert.ok(stdout.includes('job!="batch"'));
    assert.equal(
      stderr,
      'warning: slo "p95": sli.threshold.query: job!="batch" is left as written: --job team-api sets job= and job=~ matchers only, and this one still reads every job it does not exclude (negative.yaml:4)\n',
    );
  });

  it('exits 2 naming the SLO, the field and the line when a query does not parse', async () => {
    const { code, stdout, stderr } = await rules(
      'broken.yaml',
      quantileSloConfig('histogram_quantile(0.95, sum by (le) (rate(x_bucket{job="a"}[{{window}}])) ))'),
    );
    assert.equal(code, 2);
    assert.equal(stdout, '');
    // "histogram_quantile(0.95, " 25 + "sum by (le) (" 13 + "rate(" 5 + "x_bucket{job=\"a\"}[" 18 characters, the
    // template 10 as written, "]))" 3, " )" 2 (histogram_quantile's own): the stray ")" is character 77. The
    // loader already warns that the quantile's events cannot be counted; --job then refuses the query.
    assert.equal(
      stderr,
      'warning: slo "p95": sli.threshold.query: does not parse as PromQL: unexpected ")" at character 77, so the events of its quantile cannot be counted (broken.yaml:8:16)\n' +
        'harness: --job team-api: cannot point a query that does not parse at the job:\n' +
        '  slo "p95": sli.threshold.query: does not parse as PromQL: unexpected ")" at character 77 (broken.yaml:4)\n',
    );
  });
});
