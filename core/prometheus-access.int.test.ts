// The answer cap of every request to Prometheus (docs/security.md, "Prometheus answers of any size"), over real HTTP
// from a plain listener: a declared Content-Length above the cap is refused unread, a stream is cut as it passes it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { fetchPrometheus, readBody } from './prometheus-access.ts';

test('readBody: a declared Content-Length above the cap is refused unread; a stream is cut as it passes the cap', async () => {
  // Three answers of 3000 bytes: with a Content-Length, streamed in 1000-byte chunks, and 1000 bytes exactly.
  const server = createServer((request, response) => {
    if (request.url === '/declared') {
      response.writeHead(200, { 'Content-Length': 3000 }).end('a'.repeat(3000));
      return;
    }
    if (request.url === '/exact') {
      response.writeHead(200).end('é'.repeat(500)); // 1000 bytes of UTF-8, 500 characters
      return;
    }
    response.writeHead(200);
    for (let i = 0; i < 3; i++) response.write('b'.repeat(1000));
    response.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const read = async (path: string) => readBody(await fetchPrometheus(`${base}${path}`, {}, undefined), 1000);
    assert.deepEqual(await read('/declared'), { tooLarge: { limitBytes: 1000, declaredBytes: 3000 } });
    assert.deepEqual(await read('/streamed'), { tooLarge: { limitBytes: 1000 } });
    assert.deepEqual(await read('/exact'), { text: 'é'.repeat(500) });
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
