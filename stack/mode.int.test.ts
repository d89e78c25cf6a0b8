// How `auto` chooses the stack mode: containers when a Docker-API socket answers its ping (a look-alike on a unix
// socket here: what is asked is only `GET /_ping`), local when none answers, naming what it tried.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveStackMode } from './mode.ts';

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
