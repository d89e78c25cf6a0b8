import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HarnessError } from '../core/outcome.ts';
import { containersModuleExists, loadContainersModule } from './index.ts';
import { parseStackMode, resolveStackMode } from './mode.ts';

/** A Docker-API look-alike on a unix socket that answers `GET /_ping` with 200 OK. */
async function fakeEngine(): Promise<{ socket: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'harness-mode-test-'));
  const socket = join(dir, 'engine.sock');
  const server = createServer((request, response) => {
    response.writeHead(request.url === '/_ping' ? 200 : 404).end('OK');
  });
  server.listen(socket);
  await once(server, 'listening');
  return {
    socket,
    async [Symbol.asyncDispose]() {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('an explicit mode wins and says where it came from', async () => {
  assert.deepEqual(await resolveStackMode('local', {}), { mode: 'local', reason: 'local: asked for by --stack' });
  assert.deepEqual(await resolveStackMode(undefined, { HARNESS_STACK: 'external' }), {
    mode: 'external',
    reason: 'external: asked for by HARNESS_STACK',
  });
});

test('an unknown mode is a usage error with exit code 2', () => {
  assert.throws(
    () => parseStackMode('kubernetes'),
    (error: unknown) =>
      error instanceof HarnessError &&
      error.verdict === 'inconclusive' &&
      error.message === "unknown stack mode 'kubernetes': use one of auto, containers, local, external",
  );
});

test('auto picks containers when an engine answers the ping on DOCKER_HOST, and says so', async () => {
  await using engine = await fakeEngine();
  const resolved = await resolveStackMode('auto', { DOCKER_HOST: `unix://${engine.socket}` }, []);
  assert.equal(resolved.mode, 'containers');
  assert.equal(resolved.reason, `containers: DOCKER_HOST=unix://${engine.socket} answers at unix://${engine.socket}`);
  assert.equal(resolved.dockerHost, `unix://${engine.socket}`);
});

test('auto finds a Podman socket without DOCKER_HOST', async () => {
  await using engine = await fakeEngine();
  const resolved = await resolveStackMode('auto', {}, [[engine.socket, 'Podman']]);
  assert.equal(resolved.mode, 'containers');
  assert.equal(resolved.reason, `containers: Podman answers at unix://${engine.socket}`);
});

test('auto falls back to local when nothing answers, naming what it tried', async () => {
  const dead = join(tmpdir(), `harness-no-such-engine-${process.pid}.sock`);
  const resolved = await resolveStackMode(undefined, { DOCKER_HOST: `unix://${dead}` }, []);
  assert.equal(resolved.mode, 'local');
  assert.match(resolved.reason, /^local: no container engine answers \(unix:\/\/.*no-such-engine.*: ENOENT\)$/);
  const none = await resolveStackMode(undefined, {}, []);
  assert.equal(none.reason, 'local: no container engine answers (DOCKER_HOST unset, no Docker or Podman socket found)');
});

test('containers mode without its module is a clear inconclusive error', {
  skip: containersModuleExists(),
}, async () => {
  await assert.rejects(loadContainersModule(), (error: unknown) => {
    assert.ok(error instanceof HarnessError);
    assert.equal(error.verdict, 'inconclusive');
    assert.match(error.message, /containers mode is not available: stack\/containers\/stack.ts is missing/);
    return true;
  });
});
