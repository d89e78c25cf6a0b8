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
//   trace id (the caller's, or a new one) and a span id; a caller's sampled traceparent is still recorded;
// - the standard variables keep their specified meaning: OTEL_TRACES_SAMPLER=always_on records a request whose
//   caller said "not sampled", always_off records nothing, not even a caller's sampled trace;
//   OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME reach the exported resource beside the SDK's and the
//   service's own attributes; OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf exports protobuf (the receiver takes it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { LocalApi, type StartedLocalApi } from '../../../stack/local/api.ts';
import { LocalOtlpReceiver, type StartedLocalOtlpReceiver } from '../../../stack/local/otlp-receiver.ts';
import { LocalPostgres, type StartedLocalPostgres } from '../../../stack/local/postgres.ts';
import type { ReceivedSpan } from '../../../stack/otlp/receiver.ts';
import { waitFor } from '../../../stack/wait.ts';
import { serviceAttributes } from './tracing.ts';

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

let postgres: StartedLocalPostgres;
let receiver: StartedLocalOtlpReceiver;
let api: StartedLocalApi;
/** The same service with no new trace sampled (OTEL_TRACES_SAMPLER_ARG=0). */
let unsampledApi: StartedLocalApi;
const UNSAMPLED_CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const SAMPLED_CALLER_TRACE = '5bf92f3577b34da6a3ce929d0e0e4737';
/** A caller that says "not sampled", sent to the always_on service. */
const ALWAYS_ON_CALLER_TRACE = '6bf92f3577b34da6a3ce929d0e0e4738';
/** A caller that says "sampled", sent to the always_off service. */
const ALWAYS_OFF_CALLER_TRACE = '7bf92f3577b34da6a3ce929d0e0e4739';
/** The content types the receiver was sent, seen by a recording proxy in front of it. */
const contentTypes = new Set<string>();

before(async () => {
  postgres = await new LocalPostgres({ database: 'mystocks' }).start();
  receiver = await new LocalOtlpReceiver().start();
  // The always_on service exports through this proxy, which notes each export's content type: the receiver
  // keeps spans, not how they came. (A proxy, not a fake: the real receiver answers every export.)
  const proxy = createServer(async (request, response) => {
    contentTypes.add(String(request.headers['content-type']));
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = await fetch(`${receiver.url}${request.url}`, {
      method: request.method ?? 'POST',
      headers: { 'content-type': String(request.headers['content-type']) },
      body: Buffer.concat(chunks),
    });
    const body = Buffer.from(await answer.arrayBuffer());
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? '' }).end(body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyClose = () => new Promise<void>((resolve) => proxy.close(() => resolve()));
  api = await new LocalApi({
    databaseUrl: postgres.connectionUri,
    otlpEndpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    env: {
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=ci,service.namespace=mystocks',
    },
  }).start();
  // Only the argument, as deployments set it: the service's default sampler (parent-based) at ratio 0; JSON.
  unsampledApi = await new LocalApi({
    databaseUrl: postgres.connectionUri,
    otlpEndpoint: receiver.url,
    env: { OTEL_TRACES_SAMPLER_ARG: '0', OTEL_SERVICE_NAME: 'mystocks-api-ratio-0' },
  }).start();
  const offApi = await new LocalApi({
    databaseUrl: postgres.connectionUri,
    otlpEndpoint: receiver.url,
    env: { OTEL_TRACES_SAMPLER: 'always_off', OTEL_SERVICE_NAME: 'mystocks-api-off' },
  }).start();
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
  await get('always-on-unsampled-caller', { traceparent: `00-${ALWAYS_ON_CALLER_TRACE}-${CALLER_SPAN}-00` });
  await get('always-off-sampled-caller', { traceparent: `00-${ALWAYS_OFF_CALLER_TRACE}-${CALLER_SPAN}-01` }, offApi);
  // Stopped now: its tracer provider is shut down on the way out, which exports whatever it holds, so a span it
  // made would be on file once stop() returns.
  await offApi.stop();
});

let proxyClose: () => Promise<void> = async () => {};

after(async () => {
  await proxyClose();
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
 * The server spans on file (OTLP kind 2 = SERVER), once there are `count` of them. Four requests are recorded:
 * the three of the always_on server and the sampled caller's of the ratio-0 one; their spans are exported in the
 * same batches as the requests end, so once the fourth is on file, an unrecorded request's span would be too
 * (and the always_off server was stopped, so flushed, before any test ran).
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
    const spans = (await serverSpans(4)).filter(
      (span) => span.traceId !== SAMPLED_CALLER_TRACE && span.traceId !== ALWAYS_ON_CALLER_TRACE,
    );
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
    // The service's own attributes are namespaced (diagnose/slow-requests.ts reads them by these names).
    const cache = allSpans().find((span) => span.traceId === CALLER_TRACE && span.name.startsWith('cache '));
    assert.ok(cache, 'the cache lookup has a span');
    assert.equal(cache.attributes['mystocks.cache.kind'], cache.name.slice('cache '.length));
    assert.match(String(cache.attributes['mystocks.cache.l1']), /^(hit|miss)$/);
    assert.equal(cache.attributes['cache.kind'], undefined);
  });

  test('at ratio 0 records no span of an unsampled request, and still a caller sampled trace', async () => {
    const spans = await serverSpans(4);
    const sampled = spans.find((span) => span.traceId === SAMPLED_CALLER_TRACE);
    assert.ok(sampled, 'a sampled traceparent is recorded whatever the ratio');
    assert.equal(sampled.parentSpanId, CALLER_SPAN);
    // The three requests of the always_on server, the sampled caller's, and nothing else: no root span of a
    // request that was decided unrecorded, and nothing in the unsampled caller's trace.
    const roots = allSpans().filter((span) => span.parentSpanId === undefined || span.parentSpanId === CALLER_SPAN);
    assert.deepEqual(
      roots.map((span) => `${span.kind} ${span.name}`),
      spans.map(() => '2 request'),
      'no span starts a trace but the four requests recorded',
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

describe('the standard OTEL_* variables', () => {
  test('OTEL_TRACES_SAMPLER=always_on records a request whose caller did not sample it', async () => {
    const span = (await serverSpans(4)).find((s) => s.traceId === ALWAYS_ON_CALLER_TRACE);
    assert.ok(span, 'recorded: always_on is not parent-based');
    assert.equal(span.parentSpanId, CALLER_SPAN, "in the caller's trace, under the caller's span");
  });

  test('OTEL_TRACES_SAMPLER=always_off records nothing, not even a caller sampled trace', async () => {
    await serverSpans(4);
    assert.deepEqual(
      allSpans().filter((span) => span.traceId === ALWAYS_OFF_CALLER_TRACE || span.service === 'mystocks-api-off'),
      [],
    );
  });

  test("the resource is the SDK's, the service's own and the environment's, the environment's last", async () => {
    const spans = await serverSpans(4);
    const traced = spans.find((span) => span.traceId === CALLER_TRACE);
    const { 'service.version': version } = serviceAttributes();
    assert.match(String(version), /^\d+\.\d+\.\d+/);
    const resource = traced?.resource ?? {};
    assert.deepEqual(Object.fromEntries(Object.entries(resource).filter(([key]) => key !== 'telemetry.sdk.version')), {
      'service.name': 'mystocks-api',
      'service.version': version,
      'service.namespace': 'mystocks',
      'deployment.environment': 'ci',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.name': 'opentelemetry',
    });
    // OTEL_SERVICE_NAME over the service's own name; no attribute of another service's environment.
    const renamed = spans.find((span) => span.traceId === SAMPLED_CALLER_TRACE);
    assert.equal(renamed?.service, 'mystocks-api-ratio-0');
    assert.equal(renamed?.resource?.['deployment.environment'], undefined);
  });

  test('OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf exports protobuf, and the receiver keeps it', async () => {
    await serverSpans(4);
    // Everything the always_on service exported went through the proxy as protobuf, and its spans are on file
    // (the tests above read them); the ratio-0 service's span came as JSON (the stack's setting).
    assert.deepEqual([...contentTypes], ['application/x-protobuf']);
  });
});
