// The reference service with OpenTelemetry on, as the stacks run it: a real process (the SDK must start before
// the service's modules load, so it cannot be built in-process), a real PostgreSQL and the harness's OTLP
// receiver, every new trace sampled. What the diagnosis and a reader of the logs rely on:
// - one server span per request (no second one from an HTTP instrumentation), with its route, status and the
//   x-harness-origin header that names the journey or test that sent it;
// - an incoming W3C traceparent is honoured: the span continues the caller's trace, under the caller's span;
// - every log line of a request names its trace, the "incoming request" line included, whether or not the
//   caller sent a traceparent;
// - the handler runs in a `handler - ...` span under the server span (the diagnosis reads it);
// - at sampling ratio 0, a request that is not recorded makes no span at all, and its log lines still carry a
//   trace id (the caller's, or a new one) and a span id; a caller's sampled traceparent is still recorded.
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
/** The same service with no new trace sampled (OTEL_TRACES_SAMPLER_ARG=0). */
let unsampledApi: StartedLocalApi;
const UNSAMPLED_CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const SAMPLED_CALLER_TRACE = '5bf92f3577b34da6a3ce929d0e0e4737';

before(async () => {
  postgres = await new LocalPostgres().withDatabase('mystocks').start();
  receiver = await new LocalOtlpReceiver().start();
  api = await new LocalApi()
    .withDatabaseUrl(postgres.connectionUri)
    .withOtlpEndpoint(receiver.url)
    .withEnv({ OTEL_TRACES_SAMPLER_ARG: '1' })
    .start();
  unsampledApi = await new LocalApi()
    .withDatabaseUrl(postgres.connectionUri)
    .withOtlpEndpoint(receiver.url)
    .withEnv({ OTEL_TRACES_SAMPLER_ARG: '0' })
    .start();
  const get = async (requestId: string, headers: Record<string, string>, server = api) => {
    const response = await fetch(`${server.url}/api/market/overview`, {
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
  await get('ratio-0-no-traceparent', {}, unsampledApi);
  await get(
    'ratio-0-unsampled-caller',
    { traceparent: `00-${UNSAMPLED_CALLER_TRACE}-${CALLER_SPAN}-00` },
    unsampledApi,
  );
  await get('ratio-0-sampled-caller', { traceparent: `00-${SAMPLED_CALLER_TRACE}-${CALLER_SPAN}-01` }, unsampledApi);
});

after(async () => {
  await api?.stop();
  await unsampledApi?.stop();
  await receiver?.stop();
  await postgres?.stop();
});

/** Every span on file. */
function allSpans(): ReceivedSpan[] {
  return readFileSync(receiver.spansFile, 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}')) // a line being written is skipped
    .map((line) => JSON.parse(line) as ReceivedSpan);
}

/**
 * The server spans on file (OTLP kind 2 = SERVER), once there are `count` of them. Three requests are recorded:
 * both of the ratio-1 server and the sampled caller's of the ratio-0 one; the spans of all three are exported in
 * the same batches as the requests end, so once the third is on file, an unrecorded request's span would be too.
 */
async function serverSpans(count: number): Promise<ReceivedSpan[]> {
  return waitFor(
    async () => {
      const spans = allSpans().filter((span) => span.kind === 2);
      return spans.length >= count ? spans : undefined;
    },
    { what: `${count} server spans in the spans file`, timeoutMs: 30_000, intervalMs: 250 },
  );
}

/** The service's log lines (pino JSON) of one request id. */
function logLines(requestId: string, server = api): Record<string, unknown>[] {
  return readFileSync(server.process.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.request_id === requestId);
}

describe('the traced service', () => {
  test('makes one server span per request, continuing the caller trace and naming its origin', async () => {
    const spans = (await serverSpans(3)).filter((span) => span.traceId !== SAMPLED_CALLER_TRACE);
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
    const handler = allSpans().find((span) => span.traceId === CALLER_TRACE && span.name.startsWith('handler - '));
    assert.ok(handler, 'the handler has a span of its own');
    assert.equal(handler.parentSpanId, continued.spanId, 'under the server span');
    assert.equal(handler.attributes['http.route'], '/api/market/overview');
  });

  test('at ratio 0 records no span of an unsampled request, and still a caller sampled trace', async () => {
    const spans = await serverSpans(3);
    const sampled = spans.find((span) => span.traceId === SAMPLED_CALLER_TRACE);
    assert.ok(sampled, 'a sampled traceparent is recorded whatever the ratio');
    assert.equal(sampled.parentSpanId, CALLER_SPAN);
    // The two requests of the ratio-1 server, the sampled caller's, and nothing else: no root span of a
    // request that was decided unrecorded, and nothing in the unsampled caller's trace.
    const roots = allSpans().filter((span) => span.parentSpanId === undefined || span.parentSpanId === CALLER_SPAN);
    assert.deepEqual(
      roots.map((span) => `${span.kind} ${span.name}`),
      spans.map(() => '2 request'),
      'no span starts a trace but the three requests recorded',
    );
    assert.equal(allSpans().filter((span) => span.traceId === UNSAMPLED_CALLER_TRACE).length, 0);
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

  test('names a trace and a span on every log line of a request that is not recorded', async () => {
    const recorded = new Set(allSpans().map((span) => span.traceId));
    for (const requestId of ['ratio-0-no-traceparent', 'ratio-0-unsampled-caller']) {
      const lines = logLines(requestId, unsampledApi);
      const messages = lines.map((line) => line.msg);
      assert.ok(messages.includes('incoming request'), `${requestId}: ${JSON.stringify(messages)}`);
      assert.ok(messages.includes('request completed'), `${requestId}: ${JSON.stringify(messages)}`);
      const ids = new Set(lines.map((line) => `${line.trace_id} ${line.span_id}`));
      assert.equal(ids.size, 1, `${requestId}: one trace and span on every line, got ${[...ids].join(', ')}`);
      const [traceId, spanId] = [...ids][0]!.split(' ');
      assert.match(String(traceId), /^[0-9a-f]{32}$/);
      assert.match(String(spanId), /^[0-9a-f]{16}$/);
      assert.ok(!recorded.has(traceId!), `${requestId}: its trace has no span on file`);
      if (requestId === 'ratio-0-unsampled-caller') assert.equal(traceId, UNSAMPLED_CALLER_TRACE);
    }
  });
});
