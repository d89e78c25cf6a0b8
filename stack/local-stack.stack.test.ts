import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { connectExternalStack } from './external.ts';
import { API_ENTRY } from './local/api.ts';
import { startLocalStack } from './local/stack.ts';
import { groupRunning, stillRunning, WHOLE_STACK_SERVICES, waitForSamples } from './local/test-support.ts';
import type { RecordedProcess, RunStateRecord } from './state.ts';
import type { StackInfo } from './types.ts';
import { waitFor } from './wait.ts';

// Run state of these tests goes to a temp directory, not the developer's .harness/.
process.env.HARNESS_STATE_DIR = mkdtempSync(join(tmpdir(), 'harness-stack-test-state-'));
const skip = existsSync(API_ENTRY) ? false : `the reference API (${API_ENTRY}) is not there yet`;

function readState(runId: string): RunStateRecord | undefined {
  const file = join(process.env.HARNESS_STATE_DIR ?? '', 'runs', `${runId}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunStateRecord) : undefined;
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: await response.json() };
}

/** The checks both a local stack and an external view of it must pass. */
async function checkStack(info: StackInfo): Promise<void> {
  const ready = await getJson(`${info.apiUrl}/readyz`);
  assert.equal(ready.status, 200);
  assert.equal((ready.body as { status: string }).status, 'ready');
  assert.ok(info.prometheusUrl, 'no Prometheus URL');
  await waitForSamples(info.prometheusUrl, 'up{job="mystocks-api"}', (s) => s.value[1] === '1');
  await fetch(`${info.apiUrl}/api/market/overview`, { signal: AbortSignal.timeout(30_000) }).then((r) =>
    r.body?.cancel(),
  );
  await waitForSamples(info.prometheusUrl, 'http_requests_total{job="mystocks-api"}');
  // Prometheus scrapes the metrics listener; the app port has no /metrics (docs/security.md, L2).
  const onAppPort = await fetch(`${info.apiUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  await onAppPort.body?.cancel();
  assert.equal(onAppPort.status, 404);
  assert.ok(info.pushgatewayUrl, 'no Pushgateway URL');
  const value = String(Math.floor(Math.random() * 1000));
  const pushed = await fetch(`${info.pushgatewayUrl}/metrics/job/harness_stack_test`, {
    method: 'PUT',
    body: `harness_stack_test_value ${value}\n`,
    signal: AbortSignal.timeout(5_000),
  });
  assert.equal(pushed.status, 200);
  await waitForSamples(
    info.prometheusUrl,
    'harness_stack_test_value{job="harness_stack_test"}',
    (s) => s.value[1] === value,
  );
}

function assertAllGone(processes: RecordedProcess[], dirs: string[]): void {
  for (const p of processes) {
    assert.equal(stillRunning(p), false, `${p.name} (pid ${p.pid}) still runs`);
    assert.equal(groupRunning(p.pid), false, `process group of ${p.name} (${p.pid}) still has members`);
  }
  for (const dir of dirs) assert.equal(existsSync(dir), false, `${dir} was not removed`);
}

test('a local stack serves the API, Prometheus scrapes it and the Pushgateway, and stop leaves nothing', {
  skip,
}, async (t) => {
  const lines: string[] = [];
  const stack = await startLocalStack({
    log: (line) => lines.push(line),
    faultsAdminToken: randomBytes(24).toString('hex'),
  });
  const state = readState(stack.info.runId);
  assert.ok(state, 'no run state file while the stack is up');
  try {
    assert.deepEqual(
      stack.info.services.map((s) => s.name),
      ['postgres', 'redis', 'pushgateway', 'otlp', 'api', 'prometheus'],
    );
    // Each service names its process, which the load read-out samples (PostgreSQL's CPU) from /proc.
    assert.deepEqual(
      stack.info.services.map((s) => [s.name, s.pid]).sort(),
      state.processes.map((p) => [p.name, p.pid]).sort(),
    );
    assert.deepEqual(state.processes.map((p) => p.name).sort(), WHOLE_STACK_SERVICES);

    await t.test('the API is ready and Prometheus has its metrics and pushed ones', () => checkStack(stack.info));

    await t.test(
      'with Redis stopped the API stays ready on PostgreSQL, and uses Redis again once it is back',
      async () => {
        assert.ok(stack.controls);
        await stack.controls.stopRedis();
        const cache = async () => (await getJson(`${stack.info.apiUrl}/readyz`)).body as { checks: { cache: string } };
        await waitFor(async () => ((await cache()).checks.cache === 'degraded' ? true : undefined), {
          what: 'the API to report its cache degraded',
          timeoutMs: 60_000,
          intervalMs: 250,
        });
        const quotes = await fetch(`${stack.info.apiUrl}/api/market/quotes`, { signal: AbortSignal.timeout(30_000) });
        assert.equal(quotes.status, 200);
        await quotes.body?.cancel();
        await stack.controls.startRedis();
        await waitFor(async () => ((await cache()).checks.cache === 'ok' ? true : undefined), {
          what: 'the API to report its cache ok again',
          timeoutMs: 90_000,
          intervalMs: 250,
        });
      },
    );

    await t.test('external mode on the same URLs passes the same checks and starts nothing', async () => {
      const external = await connectExternalStack(
        {},
        {
          BASE_URL: `${stack.info.apiUrl}/`,
          PROMETHEUS_URL: stack.info.prometheusUrl,
          PUSHGATEWAY_URL: stack.info.pushgatewayUrl,
        },
      );
      assert.equal(external.info.mode, 'external');
      assert.equal(external.info.apiUrl, stack.info.apiUrl);
      await checkStack(external.info);
      await external.stop();
      assert.equal((await getJson(`${stack.info.apiUrl}/readyz`)).status, 200, 'external stop touched the stack');
    });
  } finally {
    await stack.stop();
  }
  const final = state.processes.concat(readState(stack.info.runId)?.processes ?? []);
  assertAllGone(final, state.workDirs);
  assert.equal(readState(stack.info.runId), undefined, 'the run state file is still there');
});

test('a failed API start stops everything else and the error shows the API log', { skip }, async () => {
  const runId = `failed${process.pid}`;
  const seen = new Map<number, RecordedProcess>();
  const dirs = new Set<string>();
  const log = () => {
    for (const p of readState(runId)?.processes ?? []) seen.set(p.pid, p);
    for (const d of readState(runId)?.workDirs ?? []) dirs.add(d);
  };
  await assert.rejects(
    startLocalStack({ runId, log, apiEnv: { MYSTOCKS_FAULTS: '[{"route": ' } }),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /^local stack: api failed to start: api exited during start-up \(code 2/);
      assert.match(error.message, /MYSTOCKS_FAULTS is not valid JSON/);
      return true;
    },
  );
  assert.ok(seen.size >= 3, `expected postgres, redis and pushgateway to have started, saw ${seen.size}`);
  assertAllGone([...seen.values()], [...dirs]);
  assert.equal(readState(runId), undefined);
  assert.ok([...dirs].every((d) => dirname(d) === tmpdir()));
});
