import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';
import type { StackInfo } from './types.ts';
import { waitFor } from './wait.ts';

const HARNESS = fileURLToPath(new URL('../cli/harness.ts', import.meta.url));

/** Runs `harness ...` as a child process in a temp working directory; resolves with its exit code and output. */
function harness(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'harness-external-test-'));
  return new Promise((resolve) => {
    execFile(process.execPath, [HARNESS, ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

test('harness up --stack external exits 2 naming an unreachable Prometheus', async () => {
  // A stand-in API that answers /healthz, so the only fault is Prometheus.
  const api = createServer((_request, response) => response.writeHead(200).end('{"status":"ok"}'));
  api.listen(0, '127.0.0.1');
  await once(api, 'listening');
  try {
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const prometheusUrl = `http://127.0.0.1:${await freePort()}`;
    const { code, stderr } = await harness(['up', '--stack', 'external'], {
      ...process.env,
      API_URL: apiUrl,
      PROMETHEUS_URL: prometheusUrl,
    });
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      new RegExp(`prometheus at ${prometheusUrl} is unreachable \\(${prometheusUrl}/-/ready: ECONNREFUSED\\)`),
    );
  } finally {
    api.close();
  }
});

test('harness up --stack external without any URL exits 2 saying what to set', async () => {
  const env = { ...process.env };
  for (const name of ['API_URL', 'BASE_URL', 'PROMETHEUS_URL']) delete env[name];
  const { code, stderr } = await harness(['up', '--stack', 'external'], env);
  assert.equal(code, 2);
  assert.match(stderr, /external stack: set API_URL or BASE_URL/);
});

test('harness up --stack external stays up until harness down, and starts nothing', async () => {
  // One stand-in answers for both the API (/healthz) and Prometheus (/-/ready).
  const server = createServer((_request, response) => response.writeHead(200).end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const cwd = mkdtempSync(join(tmpdir(), 'harness-external-test-'));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const up = spawn(process.execPath, [HARNESS, 'up', '--stack', 'external'], {
    cwd,
    env: { ...process.env, BASE_URL: url, PROMETHEUS_URL: url },
    stdio: 'ignore',
  });
  const exited = once(up, 'exit');
  try {
    const stackFile = join(cwd, 'reports', 'stack.json');
    await waitFor(async () => (existsSync(stackFile) || up.exitCode !== null ? true : undefined), {
      what: 'reports/stack.json',
      timeoutMs: 60_000,
    });
    const info = JSON.parse(readFileSync(stackFile, 'utf8')) as StackInfo;
    assert.equal(info.mode, 'external');
    assert.equal(info.apiUrl, url);
    assert.equal(info.prometheusUrl, url);
    assert.equal(up.exitCode, null, 'harness up did not stay up');
    const down = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(process.execPath, [HARNESS, 'down'], { cwd, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, out: stdout + stderr }),
      );
    });
    assert.equal(down.code, 0, down.out);
    assert.match(down.out, new RegExp(`stack ${info.runId} stopped`));
    assert.deepEqual(await exited, [0, null]);
    assert.equal(existsSync(stackFile), false);
  } finally {
    if (up.exitCode === null) up.kill('SIGKILL');
    server.close();
    rmSync(cwd, { recursive: true, force: true });
  }
});
