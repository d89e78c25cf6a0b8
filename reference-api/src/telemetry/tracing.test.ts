// The reference service with OpenTelemetry on, as the stacks run it: a real process (the SDK must start before
// the service's modules load, so it cannot be built in-process), a real PostgreSQL and the harness's OTLP
// receiver, every new trace sampled. What the diagnosis and a reader of the logs rely on:
// - one server span per request (no second one from an HTTP instrumentation), with its route, status and the
//   x-harness-origin header that names the journey or test that sent it;
// - an incoming W3C traceparent is honoured: the span continues the caller's trace, under the caller's span;
// - every log line of a request names its trace, the "incoming request" line included, whether or not the
//   caller sent a traceparent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { LocalApi, type StartedLocalApi } from '../../../stack/local/api.ts';
import { LocalOtlpReceiver, type StartedLocalOtlpReceiver } from '../../../stack/local/otlp-receiver.ts';
import { LocalPostgres, type StartedLocalPostgres } from '../../../stack/local/postgres.ts';
import type { ReceivedSpan } from '../../../stack/otlp/receiver.ts';
import { waitFor } from '../../../stack/wait.ts';

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

let postgres: StartedLocalPostgres;
let receiver: StartedLocalOtlpReceiver;
let api: StartedLocalApi;

before(async () => {
  postgres = await new LocalPostgres().withDatabase('mystocks').start();
  receiver = await new LocalOtlpReceiver().start();
  api = await new LocalApi()
    .withDatabaseUrl(postgres.connectionUri)
    .withOtlpEndpoint(receiver.url)
    .withEnv({ OTEL_TRACES_SAMPLER_ARG: '1' })
    .start();
  const get = async (requestId: string, headers: Record<string, string>) => {
    const response = await fetch(`${api.url}/api/market/overview`, {
      headers: { 'x-request-id': requestId, ...headers },
      signal: AbortSignal.timeout(30_000),
    });
    await response.arrayBuffer();
    assert.equal(response.status, 200);
  };
  await get('no-traceparent', {});
  await get('with-traceparent', {
    traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
    'x-harness-origin': 'test tracing: overview',
  });
});

after(async () => {
  await api?.stop();
  await receiver?.stop();
  await postgres?.stop();
});

/** The server spans on file (OTLP kind 2 = SERVER), once there are `count` of them. */
async function serverSpans(count: number): Promise<ReceivedSpan[]> {
  return waitFor(
    async () => {
      const spans = readFileSync(receiver.spansFile, 'utf8')
        .split('\n')
        .filter((line) => line.endsWith('}')) // a line being written is skipped
        .map((line) => JSON.parse(line) as ReceivedSpan)
        .filter((span) => span.kind === 2);
      return spans.length >= count ? spans : undefined;
    },
    { what: `${count} server spans in the spans file`, timeoutMs: 30_000, intervalMs: 250 },
  );
}

/** The service's log lines (pino JSON) of one request id. */
function logLines(requestId: string): Record<string, unknown>[] {
  return readFileSync(api.process.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.request_id === requestId);
}

describe('the traced service', () => {
  test('makes one server span per request, continuing the caller trace and naming its origin', async () => {
    const spans = await serverSpans(2);
    assert.equal(spans.length, 2, 'one server span per request');
    const continued = spans.find((span) => span.traceId === CALLER_TRACE);
    assert.ok(continued, 'the span of the request with a traceparent is in the caller trace');
    assert.equal(continued.parentSpanId, CALLER_SPAN);
    assert.equal(continued.attributes['http.route'], '/api/market/overview');
    assert.equal(continued.attributes['http.response.status_code'], 200);
    // A captured header is a list of values; the receiver keeps it joined, as HTTP joins a repeated header.
    assert.equal(continued.attributes['http.request.header.x-harness-origin'], 'test tracing: overview');
    const fresh = spans.find((span) => span.traceId !== CALLER_TRACE);
    assert.equal(fresh?.parentSpanId, undefined, 'a request without traceparent starts a trace');
    assert.equal(fresh?.attributes['http.request.header.x-harness-origin'], undefined);
  });

  test('names the trace on every log line of a request, with or without a traceparent', async () => {
    for (const requestId of ['no-traceparent', 'with-traceparent']) {
      const lines = logLines(requestId);
      const messages = lines.map((line) => line.msg);
      assert.ok(messages.includes('incoming request'), `${requestId}: ${JSON.stringify(messages)}`);
      assert.ok(messages.includes('request completed'), `${requestId}: ${JSON.stringify(messages)}`);
      assert.equal(messages.filter((m) => m === 'incoming request').length, 1, 'written once');
      const traceIds = new Set(lines.map((line) => line.trace_id));
      assert.equal(traceIds.size, 1, `${requestId}: one trace on every line, got ${[...traceIds].join(', ')}`);
      const [traceId] = traceIds;
      assert.match(String(traceId), /^[0-9a-f]{32}$/);
      if (requestId === 'with-traceparent') assert.equal(traceId, CALLER_TRACE);
    }
  });
});
