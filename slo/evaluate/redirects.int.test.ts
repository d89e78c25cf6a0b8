// A Prometheus URL that answers with a redirect (docs/security.md, "Redirects are not followed"): the harness
// sends nothing to where it points, since a followed redirect carries the tenant header and the credentials to
// another origin (and a 302 turns the query's POST into a GET without its form). Two plain HTTP listeners
// stand in: a real Prometheus never redirects its query API, a proxy or a load balancer in front of it may.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PrometheusClient } from './prometheus.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
/** The CLI's reports folder is this test's own: the checkout's reports/stack.json is another run's, never read here. */
const cliReports = mkdtempSync(join(tmpdir(), 'slo-redirect-cli-reports-'));
after(() => rmSync(cliReports, { recursive: true, force: true }));

/** A listener that records every request it gets and answers 200 (what a redirect would have reached). */
interface Listener {
  url: string;
  received: { method: string; url: string; headers: IncomingHttpHeaders }[];
  /** The status the next requests get, and where they are sent (a Location), for the redirecting one. */
  answer: { status: number; location?: string };
  server: Server;
}

async function listen(): Promise<Listener> {
  const listener: Listener = {
    url: '',
    received: [],
    answer: { status: 200 },
    server: createServer((request, response) => {
      listener.received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
      request.resume();
      const { status, location } = listener.answer;
      response.writeHead(status, {
        'Content-Type': 'application/json',
        ...(location === undefined ? {} : { Location: location }),
      });
      response.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: [1, '1'] }] },
        }),
      );
    }),
  };
  await new Promise<void>((resolve) => listener.server.listen(0, '127.0.0.1', resolve));
  listener.url = `http://127.0.0.1:${(listener.server.address() as AddressInfo).port}`;
  return listener;
}

let redirecting: Listener;
let elsewhere: Listener;

before(async () => {
  [redirecting, elsewhere] = await Promise.all([listen(), listen()]);
});

after(async () => {
  for (const listener of [redirecting, elsewhere]) {
    listener.server.closeAllConnections();
    await new Promise<void>((resolve) => listener.server.close(() => resolve()));
  }
});

const access = { headers: { 'X-Scope-OrgID': 'tenant-a' }, bearerToken: 'token-must-stay-home' };

describe('a redirect from Prometheus', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`HTTP ${status} to another port: nothing is sent there, and the answer names where it pointed`, async () => {
      redirecting.answer = { status, location: `${elsewhere.url}/api/v1/query?sig=signed-secret` };
      elsewhere.received.length = 0;
      redirecting.received.length = 0;
      const client = new PrometheusClient({ url: redirecting.url, access, retries: 2, retryDelayMs: 1 });
      const [instant, range, yaml] = await Promise.all([
        client.query('up', 1),
        client.queryRange('up', 1, 61, 15),
        client.configYaml(),
      ]);
      assert.deepEqual(elsewhere.received, [], 'a request reached the redirect target');
      const expected = `Prometheus at ${redirecting.url} answered HTTP ${status} redirecting to ${elsewhere.url}/api/v1/query?sig=[redacted]; the harness follows no redirect (it would carry the tenant header and credentials to another origin): give the URL Prometheus answers at with --prometheus or PROMETHEUS_URL`;
      assert.deepEqual(instant, { kind: 'error', message: expected });
      assert.deepEqual(range, { kind: 'error', message: expected });
      assert.equal(yaml, undefined);
      // None retried (retries: 2 would make up to 7 requests): the three questions, asked at once, each reached
      // the redirecting listener at most once.
      assert.ok(redirecting.received.length <= 3, `${redirecting.received.length} requests`);
    });
  }

  it('a relative Location is named as the absolute URL it would have reached', async () => {
    redirecting.answer = { status: 307, location: '/login' };
    const client = new PrometheusClient({ url: redirecting.url, retries: 0 });
    const outcome = await client.query('up', 1);
    assert.equal(outcome.kind, 'error');
    assert.match((outcome as { message: string }).message, new RegExp(`redirecting to ${redirecting.url}/login;`));
  });

  it('harness slo check: exit 2 naming the redirect, nothing sent to the other port', async () => {
    redirecting.answer = { status: 308, location: `${elsewhere.url}/` };
    elsewhere.received.length = 0;
    const work = mkdtempSync(join(tmpdir(), 'slo-redirect-'));
    try {
      const config = join(work, 'slo.yaml');
      writeFileSync(
        config,
        'version: 1\nservice: redirect\nslos:\n  - name: availability\n    window: 1h\n    objective: 99\n    sli:\n      ratio:\n        bad: sum(increase(errors_total[{{window}}]))\n        total: sum(increase(requests_total[{{window}}]))\n',
      );
      const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(
          process.execPath,
          [
            join(repoRoot, 'cli', 'harness.ts'),
            'slo',
            'check',
            '--config',
            config,
            '--prometheus',
            redirecting.url,
            '--prometheus-header',
            'X-Scope-OrgID: tenant-a',
            '--retries',
            '0',
          ],
          { cwd: repoRoot, timeout: 60_000, env: { ...process.env, HARNESS_REPORTS_DIR: cliReports } },
          (error, out) => resolve({ code: error ? Number(error.code ?? 99) : 0, stdout: out }),
        );
      });
      assert.equal(code, 2, stdout);
      assert.match(
        stdout,
        new RegExp(`answered HTTP 308 redirecting to ${elsewhere.url}/; the harness follows no redirect`),
      );
      assert.deepEqual(elsewhere.received, []);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
