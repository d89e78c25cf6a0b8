// Issue #15 point 7: a run id from the command line is one safe path segment. `--run-id ../../x` or `a/b` is a
// usage error (exit 2) before anything is written or sent: the test gives a real target that counts requests
// and a fresh working directory, and checks both stay untouched. Which ids are safe: core/run-id.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runLoad } from './load-run.ts';

const HARNESS = fileURLToPath(new URL('./harness.ts', import.meta.url));

test('harness load --run-id with a separator or .. is exit 2 and writes nothing', async () => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests += 1;
    res.end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const target = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const cwd = mkdtempSync(join(tmpdir(), 'harness-run-id-test-'));
  const escapee = join(cwd, 'escaped');
  try {
    for (const id of ['../../escaped', 'a/b', '..', `..${'/'}..${'/'}${escapee}`]) {
      const env = { ...process.env, HARNESS_REPORTS_DIR: join(cwd, 'nested', 'reports') };
      // spawnSync blocks this process, so the counting server cannot answer: a request would hang the child until
      // its own deadline and show up as a wrong exit code, never as a pass.
      const result = spawnSync(
        process.execPath,
        [HARNESS, 'load', '--profile', 'smoke', '--target', target, '--warmup', '0', '--run-id', id],
        { cwd, env, encoding: 'utf8', timeout: 60_000 },
      );
      assert.equal(result.status, 2, `--run-id ${id}: exit ${result.status}\n${result.stderr}`);
      assert.match(result.stderr, /not a safe run id/);
    }
    assert.deepEqual(readdirSync(cwd), [], 'nothing was written in the working directory');
    assert.equal(existsSync(escapee), false);
    // The library checks too (harness verify and scripts call it directly), before its folder is made.
    await assert.rejects(
      runLoad({ profile: 'smoke', target, runId: 'a/b', reportDir: join(cwd, 'reports'), warmupSeconds: 0 }),
      /not a safe run id/,
    );
    assert.deepEqual(readdirSync(cwd), []);
    assert.equal(requests, 0, 'no request reached the target');
  } finally {
    server.close();
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('a run id whose folder already holds a run is exit 2, and the finished run is left as it was', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'harness-run-id-reuse-test-'));
  try {
    const finished = join(cwd, 'reports', 'load', 'nightly-1');
    mkdirSync(finished, { recursive: true });
    writeFileSync(join(finished, 'summary.json'), '{"runId":"nightly-1"}\n');
    // Port 9 answers nothing: the refusal comes before the target is asked anything.
    const result = spawnSync(
      process.execPath,
      [HARNESS, 'load', '--profile', 'smoke', '--target', 'http://127.0.0.1:9', '--run-id', 'nightly-1'],
      { cwd, env: { ...process.env, HARNESS_REPORTS_DIR: join(cwd, 'reports') }, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /nightly-1 already holds a run: choose another --run-id/);
    assert.deepEqual(readdirSync(finished), ['summary.json']);
    assert.equal(readFileSync(join(finished, 'summary.json'), 'utf8'), '{"runId":"nightly-1"}\n');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
