import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getContainerRuntimeClient } from 'testcontainers';
import { type Lock, productionClosure } from '../../scripts/workspace-lock.ts';
import { WHOLE_STACK_SERVICES } from '../local/test-support.ts';
import type { ReceivedSpan } from '../otlp/receiver.ts';
import { API_JOB } from '../prometheus-config.ts';
import type { Stack } from '../types.ts';
import { waitFor } from '../wait.ts';
import { findContainerEngine, useContainerEngine } from './engine.ts';
import { startContainerStack } from './stack.ts';
import { listRunResources, spansDirPrefix } from './stale.ts';

// These tests run the real containers: with no engine answering they are skipped (with the reason), not passed.
// On a machine without a registry, scripts/build-offline-images.sh must have run first (it writes .harness/images.env).
const engine = await findContainerEngine();
const skip = engine ? false : 'no container engine answers (DOCKER_HOST, Docker or Podman socket)';
if (engine) await useContainerEngine();

/** Run by `node -e` in the API container: the path of every package under /app/node_modules, nested ones too. */
const LIST_PACKAGES = `
const { existsSync, readdirSync } = require('node:fs');
const found = [];
const visit = (dir) => {
  if (!existsSync(dir + '/package.json')) return;
  found.push(dir.slice('/app/'.length));
  walk(dir + '/node_modules');
};
const walk = (dir) => {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) for (const inner of readdirSync(dir + '/' + name)) visit(dir + '/' + name + '/' + inner);
    else visit(dir + '/' + name);
  }
};
walk('/app/node_modules');
console.log(JSON.stringify(found));
`;

const CHILD = new URL('./testdata/start-stack-child.ts', import.meta.url);

/** Runs an instant PromQL query and returns its vector. */
async function query(
  prometheusUrl: string,
  promql: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const url = `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  assert.equal(body.status, 'success', `query ${promql} failed`);
  return body.data.result;
}

/** Resolves with the first value of `promql`, once Prometheus has one matching `accept`. */
function eventually(prometheusUrl: string, promql: string, accept: (value: number) => boolean): Promise<number> {
  return waitFor(
    async () => {
      const [sample] = await query(prometheusUrl, promql);
      const value = sample ? Number(sample.value[1]) : undefined;
      return value !== undefined && accept(value) ? value : undefined;
    },
    { what: `Prometheus to answer ${promql}`, timeoutMs: 60_000, intervalMs: 500 },
  );
}

/** The spans of one trace in the spans file; a line still being appended (no closing brace yet) is skipped. */
function spansOfTrace(spansFile: string, traceId: string): ReceivedSpan[] {
  return readFileSync(spansFile, 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as ReceivedSpan)
    .filter((span) => span.traceId === traceId);
}

/** Starts the child, returns it and a promise of the first stdout line matching `pattern`. */
function startChild(runId: string) {
  const child = spawn(process.execPath, [CHILD.pathname, runId], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, output: () => output };
}

describe('containers stack', { skip, timeout: 600_000 }, () => {
  test('comes up with a ready API that Prometheus scrapes, takes pushed metrics, receives its spans, and leaves nothing behind', async () => {
    const stack = await startContainerStack({});
    const { runId } = stack.info;
    const spansFile = stack.info.spansFile ?? assert.fail('no spansFile: the OTLP receiver did not start');
    try {
      assert.equal(stack.info.mode, 'containers');
      assert.deepEqual(stack.info.services.map((s) => s.name).sort(), WHOLE_STACK_SERVICES);
      // A local engine's container is a process of this machine: the postgres service names its postmaster,
      // whose CPU the load read-out samples from /proc.
      const postgresPid = stack.info.services.find((s) => s.name === 'postgres')?.pid ?? assert.fail('no postgres pid');
      assert.match(readFileSync(`/proc/${postgresPid}/cmdline`, 'utf8').split('\0')[0] ?? '', /postgres$/);
      const otlpUrl = stack.info.otlpUrl ?? assert.fail('no otlpUrl');
      const receiverReady = await fetch(`${otlpUrl}/ready`, { signal: AbortSignal.timeout(5_000) });
      assert.equal(receiverReady.status, 200, 'the receiver answers on its host-mapped port');
      const ready = await fetch(`${stack.info.apiUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
      assert.equal(ready.status, 200);
      // Some traffic, so the API's request counter has series to scrape.
      const quotes = await fetch(`${stack.info.apiUrl}/api/market/quotes`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(quotes.status, 200);

      const prometheusUrl = stack.info.prometheusUrl ?? assert.fail('no prometheusUrl');
      assert.equal(await eventually(prometheusUrl, `up{job="${API_JOB}"}`, (v) => v === 1), 1);
      const scraped = await eventually(prometheusUrl, `sum(http_requests_total{job="${API_JOB}"})`, (v) => v > 0);
      assert.ok(scraped > 0);

      const pushgatewayUrl = stack.info.pushgatewayUrl ?? assert.fail('no pushgatewayUrl');
      const pushed = await fetch(`${pushgatewayUrl}/metrics/job/harness_selftest`, {
        method: 'PUT',
        body: '# TYPE mystocks_harness_selftest_value gauge\nmystocks_harness_selftest_value 42\n',
        signal: AbortSignal.timeout(5_000),
      });
      assert.ok(pushed.ok, `push answered ${pushed.status}`);
      assert.equal(
        await eventually(prometheusUrl, 'mystocks_harness_selftest_value{job="harness_selftest"}', (v) => v === 42),
        42,
      );

      // A sampled W3C traceparent: the API exports the request's spans to the receiver container (alias `otlp`),
      // which appends them to the bind-mounted file the harness reads here on the host.
      const traceId = randomBytes(16).toString('hex');
      const callerSpanId = randomBytes(8).toString('hex');
      const traced = await fetch(`${stack.info.apiUrl}/api/market/overview`, {
        headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
        signal: AbortSignal.timeout(10_000),
      });
      assert.equal(traced.status, 200);
      // The service exports in batches (about 1 s); its server span (OTLP kind 2) ends last.
      const serverSpan = await waitFor(async () => spansOfTrace(spansFile, traceId).find((span) => span.kind === 2), {
        what: `the server span of trace ${traceId} in ${spansFile}`,
        timeoutMs: 30_000,
        intervalMs: 250,
      });
      assert.equal(serverSpan.parentSpanId, callerSpanId, "the server span continues the caller's trace");
      assert.equal(serverSpan.service, 'mystocks-api');

      assert.ok(
        (await listRunResources(runId)).containers.includes(`mystocks-${runId}-otlp`),
        'the receiver container carries the run label',
      );
    } finally {
      await stack.stop();
    }
    assert.deepEqual(await listRunResources(runId), { containers: [], networks: [] });
    assert.equal(existsSync(dirname(spansFile)), false, `the spans directory ${dirname(spansFile)} is removed`);
  });

  // One stack, no Prometheus, for the two tests that are not about starting one.
  describe('without Prometheus', () => {
    let stack: Stack;
    before(async () => {
      stack = await startContainerStack({ withPrometheus: false });
    });
    after(async () => {
      await stack?.stop();
    });

    test('keeps the API answering while Redis is stopped, and uses Redis again once it is back', async () => {
      const controls = stack.controls ?? assert.fail('no controls');
      const readyz = async () => {
        const response = await fetch(`${stack.info.apiUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
        return { status: response.status, body: (await response.json()) as { checks: { cache: string } } };
      };
      await controls.stopRedis();
      const quotes = await fetch(`${stack.info.apiUrl}/api/market/quotes`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(quotes.status, 200);
      await waitFor(async () => ((await readyz()).body.checks.cache === 'degraded' ? true : undefined), {
        what: 'readyz to report the cache degraded',
        timeoutMs: 30_000,
        intervalMs: 300,
      });
      await controls.startRedis();
      await waitFor(async () => ((await readyz()).body.checks.cache === 'ok' ? true : undefined), {
        what: 'readyz to report the cache ok again',
        timeoutMs: 60_000,
        intervalMs: 300,
      });
    });

    test("the API image holds exactly the service's production packages: none of the harness's, none for development", async () => {
      const client = await getContainerRuntimeClient();
      const api = client.container.getById(`mystocks-${stack.info.runId}-api`);
      // Every package folder in the image's node_modules, nested ones included, as the lock file names them.
      const listed = await client.container.exec(api, ['node', '-e', LIST_PACKAGES]);
      assert.equal(listed.exitCode, 0, listed.output);
      const inImage = (JSON.parse(listed.stdout) as string[]).sort();
      // The Dockerfile installs the service workspace's production closure, cut from the repository's lock by
      // scripts/workspace-lock.ts; computed here the same way, so the image must hold exactly those packages. A
      // harness package the service also needs (yaml, through one of its own) belongs in the image.
      const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as Lock;
      const production = productionClosure(lock, 'reference-api');
      const harnessOnly = [
        'artillery',
        '@playwright/test',
        'testcontainers',
        'echarts',
        'esbuild',
        'allure',
        'undici',
        'vite',
      ];
      assert.deepEqual(
        harnessOnly.filter((name) => inImage.includes(`node_modules/${name}`)),
        [],
        'harness packages in the image',
      );
      assert.deepEqual(inImage, production);
    });
  });

  for (const moment of ['while its containers start', 'once it is up'] as const) {
    test(`removes every container, network and the spans directory of a run interrupted by SIGINT ${moment}`, async () => {
      const runId = `sigint-${randomBytes(4).toString('hex')}`;
      const { child, exited, output } = startChild(runId);
      try {
        if (moment === 'once it is up') {
          await waitFor(async () => (output().includes('UP http') ? true : undefined), {
            what: 'the child to report its stack up',
            timeoutMs: 300_000,
            intervalMs: 200,
          });
        } else {
          // Interrupt as soon as the first container of the run exists, i.e. in the middle of starting.
          await waitFor(async () => ((await listRunResources(runId)).containers.length > 0 ? true : undefined), {
            what: 'the first container of the run to exist',
            timeoutMs: 120_000,
            intervalMs: 50,
          });
          assert.ok(!output().includes('UP http'), 'the stack was already up; the test interrupted too late');
        }
        child.kill('SIGINT');
        const [code] = await exited;
        assert.equal(code, 130, `child exit code; its output:\n${output()}`);
      } finally {
        // A test that failed before its SIGINT (say, a start that outlasted the wait) still lets the child tear its
        // containers down, as a user's Ctrl-C would; SIGKILL only if that hangs, which would leave them up.
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGINT');
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 120_000).unref())]);
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }
      }
      assert.deepEqual(await listRunResources(runId), { containers: [], networks: [] }, output());
      // The receiver's host directory too (created before the first container, so it exists at either moment).
      const spansDirs = readdirSync(tmpdir()).filter((name) => name.startsWith(spansDirPrefix(runId)));
      assert.deepEqual(spansDirs, [], output());
    });
  }
});
