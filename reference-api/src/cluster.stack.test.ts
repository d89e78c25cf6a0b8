// The reference API as two worker processes (MYSTOCKS_API_WORKERS=2) on the real local stack: both workers
// serve, and /metrics (answered by whichever worker gets the scrape) is the aggregate of both: request counters
// summed exactly, process metrics kept per worker under a `worker` label.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Stack, startStack } from '../../stack/index.ts';

process.env.HARNESS_STATE_DIR = mkdtempSync(join(tmpdir(), 'harness-cluster-test-state-'));
const ADMIN_TOKEN = 'cluster-test-admin-token-0123456789';

/** Statuses of `n` requests, each on a new connection, so the primary hands them to the workers in turn. */
async function statuses(url: string, n: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) {
    const response = await fetch(url, { headers: { connection: 'close' }, signal: AbortSignal.timeout(15_000) });
    seen.push(response.status);
    await response.body?.cancel();
  }
  return seen;
}

function sum(text: string, name: string, filter: (labels: string) => boolean): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^(\w+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (match && match[1] === name && filter(match[2] ?? '')) total += Number(match[3]);
  }
  return total;
}

describe('the API as two workers', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack('local', {
      withPrometheus: false,
      faultsAdminToken: ADMIN_TOKEN,
      apiEnv: { MYSTOCKS_API_WORKERS: '2' },
    });
  });
  after(async () => {
    await stack?.stop();
  });

  test('both workers serve and /metrics adds up their requests', async () => {
    // /readyz answers once the first worker listens; /metrics answers once all do (bounded: 12 tries).
    const scrape = async (): Promise<string> => {
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`${stack.info.metricsUrl}/metrics`, { signal: AbortSignal.timeout(15_000) });
        if (response.status === 200) return response.text();
        await response.body?.cancel();
        if (attempt >= 12) throw new Error(`/metrics answered ${response.status} ${attempt} times`);
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      }
    };
    const endpoint = (labels: string) => labels.includes('endpoint="/api/market/sectors"');
    const before = sum(await scrape(), 'http_requests_total', endpoint);
    // New connections each time (no keep-alive), so the primary hands them to the workers in turn.
    assert.deepEqual(await statuses(`${stack.info.apiUrl}/api/market/sectors`, 20), Array(20).fill(200));
    const text = await scrape();
    assert.equal(sum(text, 'http_requests_total', endpoint) - before, 20);
    const workers = new Set([...text.matchAll(/process_cpu_seconds_total\{[^}]*worker="(\d+)"/g)].map((m) => m[1]));
    assert.deepEqual([...workers].sort(), ['1', '2']);
  });

  test('a fault set through one worker reaches every worker before the PUT is answered', async () => {
    const put = async (faults: object[]) => {
      const response = await fetch(`${stack.info.apiUrl}/admin/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}`, connection: 'close' },
        body: JSON.stringify(faults),
        signal: AbortSignal.timeout(15_000),
      });
      assert.equal(response.status, 200, await response.text());
    };
    const url = `${stack.info.apiUrl}/api/market/sectors`;
    // Every request fails by the fault, whichever worker takes it (known to one worker only, half would pass).
    await put([{ route: '/api/market/sectors', errorRate: 1 }]);
    assert.deepEqual(await statuses(url, 20), Array(20).fill(503));
    await put([]);
    assert.deepEqual(await statuses(url, 20), Array(20).fill(200));
  });
});
