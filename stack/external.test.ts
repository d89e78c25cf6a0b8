import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';

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
