// Slow requests picked by exemplars, against a real local stack (PostgreSQL, Redis, the reference service with
// OpenTelemetry on, the harness's OTLP receiver, Prometheus with exemplar storage) under the 400 ms quotes
// latency fault: the report's slowest requests are quotes requests, and each one's breakdown shows the injected
// delay as its own span, beside the hooks, the cache and the statements.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { renderDiagnosisMarkdown } from '../report/diagnose/render.ts';
import { evaluateSlos } from '../slo/evaluate/evaluate.ts';
import { loadSloConfig } from '../slo/load.ts';
import { startLocalStack } from '../stack/local/stack.ts';
import { waitForSamples } from '../stack/local/test-support.ts';
import type { Stack } from '../stack/types.ts';
import { waitFor } from '../stack/wait.ts';
import { diagnoseReport } from './diagnose.ts';

let stack: Stack;
const QUOTES_REQUESTS = 20;
const sentTraces = new Map<string, string>();

/** A request with a sampled W3C traceparent and the origin header the harness's own traffic sets. */
async function tracedGet(path: string, origin: string): Promise<void> {
  const traceId = randomBytes(16).toString('hex');
  sentTraces.set(traceId, path);
  const response = await fetch(`${stack.info.apiUrl}${path}`, {
    headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, 'x-harness-origin': origin },
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  assert.equal(response.status, 200, path);
}

before(async () => {
  stack = await startLocalStack({ faults: [{ route: '/api/market/quotes', latencyMs: 400 }] });
  // Quotes (slow by the fault) and overview (fast), interleaved, a bounded number of each. The SLO needs 20
  // events (minEvents), counted by increase(), which cannot count a series' requests made before its first
  // scrape: 12 of each once read 19.12 events and made the verdict inconclusive, so 20 of each leave a margin.
  for (let i = 0; i < QUOTES_REQUESTS; i++) {
    await tracedGet('/api/market/quotes?codes=600519', 'test slow-requests: quotes');
    await tracedGet('/api/market/overview', 'test slow-requests: overview');
  }
  // Prometheus has scraped the last requests when it counts every quotes request.
  await waitForSamples(
    stack.info.prometheusUrl!,
    'sum(http_requests_total{endpoint="/api/market/quotes"})',
    (sample) => Number(sample.value[1]) >= QUOTES_REQUESTS,
  );
});

after(async () => {
  await stack?.stop();
});

describe('the slowest requests of a failed latency SLO', () => {
  it('are quotes requests whose breakdown shows the injected delay as its own span', async () => {
    const { model } = await loadSloConfig(new URL('../slo/slo-config.yaml', import.meta.url).pathname);
    const report = await evaluateSlos(model, { prometheusUrl: stack.info.prometheusUrl!, window: '5m' });
    // Half the requests take 400 ms and more: P95 is above the 300 ms bound.
    const latency = report.slos.find((slo) => slo.name === 'latency-p95');
    assert.equal(latency?.status, 'fail', latency?.reason);
    // The service exports spans in batches (1 s), each span when it ends, so a trace's first spans can be on
    // file a batch before its server span (which ends last and carries the origin header): wait until every
    // quotes trace has its server span (OTLP kind 2) on file.
    const quotesTraces = [...sentTraces].filter(([, path]) => path.startsWith('/api/market/quotes')).map(([id]) => id);
    await waitFor(
      async () => {
        const served = new Set(
          readFileSync(stack.info.spansFile!, 'utf8')
            .split('\n')
            .filter((line) => line.includes('"kind":2') && line.endsWith('}')) // a line being written is skipped
            .map((line) => (JSON.parse(line) as { traceId: string }).traceId),
        );
        return quotesTraces.every((traceId) => served.has(traceId)) || undefined;
      },
      { what: 'the quotes server spans in the spans file', timeoutMs: 30_000, intervalMs: 250 },
    );

    const diagnosis = await diagnoseReport(report, { spansFile: stack.info.spansFile! });
    const section = diagnosis.slowRequests!;
    assert.equal(section.status, 'ok', section.reason);
    assert.equal(section.slo, 'latency-p95');
    assert.ok(section.requests.length > 0);
    for (const request of section.requests) {
      assert.equal(request.endpoint, '/api/market/quotes');
      // The exemplar's trace is one this test sent, for a quotes request, and says who sent it.
      assert.equal(sentTraces.get(request.traceId)?.startsWith('/api/market/quotes'), true);
      assert.equal(request.origin, 'test slow-requests: quotes');
      assert.ok(request.seconds >= 0.4, `${request.seconds} s includes the 400 ms fault`);
      const fault = request.spans.filter((span) => span.kind === 'fault');
      assert.equal(fault.length, 1, JSON.stringify(request.spans));
      assert.equal(fault[0]!.name, 'fault.latency');
      assert.equal(fault[0]!.detail, 'injected 400 ms');
      // The span lasts the injected delay: libuv's timers run on a loop clock cached to the millisecond, so
      // one can fire up to 1 ms before the span's own clock says 400 ms passed (seen: 399.7 ms).
      assert.ok(fault[0]!.durationMs >= 399, `fault span ${fault[0]!.durationMs} ms`);
      // The handler ran, with the quotes cache lookup beneath it.
      assert.ok(request.spans.some((span) => span.kind === 'handler'));
      // The handler's cache lookup says what L1 answered; on an L1 miss, L2 (Redis) was asked too.
      const cache = request.spans.find((span) => span.kind === 'cache' && span.name === 'cache quotes');
      assert.match(cache?.detail ?? '', /^L1 (hit|miss(, L2 (hit|miss))?)$/, JSON.stringify(request.spans));
      if (cache!.detail!.startsWith('L1 miss')) assert.ok(request.spans.some((span) => span.kind === 'l2'));
    }
    const markdown = renderDiagnosisMarkdown(diagnosis);
    assert.match(markdown, /#### Slowest requests of latency-p95/);
    assert.match(markdown, /fault\.latency \[fault\] \d+(\.\d)? ms at \+[\d.]+ ms - injected 400 ms/);
  });
});
