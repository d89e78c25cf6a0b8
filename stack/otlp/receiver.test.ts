// The receiver's protobuf decoder against OpenTelemetry's own serializers: spans made by the SDK, encoded by
// @opentelemetry/otlp-transformer (the package the reference service's exporters encode with) once as protobuf
// and once as JSON, give the same spans file lines; and the values of each AnyValue kind come out as encoded.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { decodeOtlpProtobuf, flattenSpans } from './receiver.ts';

interface Serializer {
  serializeRequest(spans: ReadableSpan[]): Uint8Array | undefined;
}
// The transformer the service's exporter depends on (its own copy, as reference-api/src/telemetry/tracing.ts
// loads it); require() is untyped, so the two serializers are typed by what is used of them.
const transformer = createRequire(import.meta.resolve('@opentelemetry/exporter-trace-otlp-http'))(
  '@opentelemetry/otlp-transformer',
) as { ProtobufTraceSerializer: Serializer; JsonTraceSerializer: Serializer };

async function madeSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'svc', 'deployment.environment': 'ci', 'build.number': 7 }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('test');
  const parent = tracer.startSpan('request', { kind: SpanKind.SERVER });
  // Its parent given by context (no context manager is registered in a unit test).
  const child = tracer.startSpan(
    'cache quotes',
    {
      attributes: {
        'mystocks.cache.kind': 'quotes',
        'mystocks.fault.latency_ms': -400,
        ratio: 0.25,
        hit: true,
        'http.request.header.x-harness-origin': ['journey a', 'journey b'],
      },
    },
    trace.setSpan(ROOT_CONTEXT, parent),
  );
  child.end();
  parent.end();
  // The simple processor exports each span as it ends, asynchronously: flushed before the spans are read.
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

test('an OTLP/protobuf body gives the same spans as the same spans in OTLP/JSON', async () => {
  const spans = await madeSpans();
  assert.equal(spans.length, 2);
  const protobuf = transformer.ProtobufTraceSerializer.serializeRequest(spans);
  const json = transformer.JsonTraceSerializer.serializeRequest(spans);
  assert.ok(protobuf && json);
  const fromProtobuf = flattenSpans(decodeOtlpProtobuf(protobuf));
  assert.deepEqual(fromProtobuf, flattenSpans(JSON.parse(Buffer.from(json).toString('utf8'))));

  const [child, parent] = fromProtobuf;
  assert.equal(parent?.name, 'request');
  assert.equal(parent?.kind, 2, 'SERVER');
  assert.equal(parent?.parentSpanId, undefined);
  assert.equal(child?.parentSpanId, parent?.spanId);
  assert.equal(child?.traceId, spans[0]?.spanContext().traceId);
  assert.equal(child?.kind, 1, 'INTERNAL');
  assert.deepEqual(child?.attributes, {
    'mystocks.cache.kind': 'quotes',
    'mystocks.fault.latency_ms': -400,
    ratio: 0.25,
    hit: true,
    'http.request.header.x-harness-origin': 'journey a, journey b',
  });
  assert.equal(child?.service, 'svc');
  assert.equal(child?.resource?.['deployment.environment'], 'ci');
  assert.equal(child?.resource?.['build.number'], 7);
  // Nanosecond times to ms: the SDK's own start and duration of the span.
  const [seconds, nanos] = spans[0]!.startTime;
  assert.equal(child?.startMs, Number((BigInt(seconds) * 1_000_000_000n + BigInt(nanos)) / 1000n) / 1000);
});

test('a truncated or non-OTLP protobuf body is an error, not spans', async () => {
  const protobuf = transformer.ProtobufTraceSerializer.serializeRequest(await madeSpans())!;
  assert.throws(() => decodeOtlpProtobuf(protobuf.subarray(0, protobuf.length - 3)), /protobuf: truncated/);
  // 0x0b: field 1, wire type 3 (a group), which OTLP never uses.
  assert.throws(() => decodeOtlpProtobuf(Uint8Array.of(0x0b)), /wire type 3/);
});
