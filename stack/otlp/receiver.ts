// The harness's own OTLP/HTTP trace receiver. No OpenTelemetry Collector exists on the machines this runs on,
// so the stack starts this instead: it accepts `POST /v1/traces` in both OTLP/HTTP encodings, protobuf
// (`application/x-protobuf`, the SDKs' default) and JSON (`application/json`), and appends every span,
// flattened, as one JSON line to a file the diagnosis reads later. Any other content type is refused with 415.
// The protobuf decoder is this file's own (decodeOtlpProtobuf): the script imports only node: modules, because
// the containers stack copies this one file into a bare Node container.
//
// Run as a process: `node stack/otlp/receiver.ts <port> <spans.jsonl> [host]` (the local stack does, on 127.0.0.1;
// the containers stack runs it in a Node container on 0.0.0.0, so the API container reaches it by alias).
import { appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';

/** This script's path: the local stack runs it as a process, the containers stack copies it into a Node container. */
export const RECEIVER_SCRIPT = import.meta.filename;

/** One received span, as the spans file keeps it (times in ms since the epoch). */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind number (1 internal, 2 server, 3 client). */
  kind: number;
  startMs: number;
  durationMs: number;
  service?: string;
  /** The resource's attributes (service.name, service.version, OTEL_RESOURCE_ATTRIBUTES, telemetry.sdk.*). */
  resource?: Record<string, string | number | boolean>;
  attributes: Record<string, string | number | boolean>;
}

/** OTLP/JSON AnyValue -> a plain value (arrays and maps become their JSON text). */
function plainValue(value: Record<string, unknown> | undefined): string | number | boolean {
  if (value === undefined) return '';
  if ('stringValue' in value) return String(value.stringValue);
  if ('boolValue' in value) return Boolean(value.boolValue);
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  // A captured HTTP header is a list of strings: kept as its values joined by ", " (as HTTP joins them).
  const list = (value.arrayValue as { values?: Record<string, unknown>[] } | undefined)?.values;
  if (list !== undefined) return list.map((item) => String(plainValue(item))).join(', ');
  return JSON.stringify(value);
}

interface OtlpKeyValue {
  key: string;
  value?: Record<string, unknown>;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: OtlpKeyValue[];
}
interface OtlpTraces {
  resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, string | number | boolean> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, plainValue(kv.value)]));
}

/**
 * OTLP/JSON ids are hex strings (the spec's JSON mapping); nanosecond times may be strings or numbers. Times
 * are kept in ms: BigInt first, since a nanosecond epoch does not fit a double exactly.
 */
export function flattenSpans(body: OtlpTraces): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const resourceSpans of body.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    const service = resource['service.name'];
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        const start = BigInt(span.startTimeUnixNano);
        const end = BigInt(span.endTimeUnixNano);
        out.push({
          traceId: span.traceId,
          spanId: span.spanId,
          ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
          name: span.name,
          kind: span.kind ?? 0,
          startMs: Number(start / 1000n) / 1000,
          durationMs: Number((end - start) / 1000n) / 1000,
          ...(service === undefined ? {} : { service: String(service) }),
          resource,
          attributes: attributesOf(span.attributes),
        });
      }
    }
  }
  return out;
}

/**
 * An OTLP/protobuf ExportTraceServiceRequest, decoded into the OTLP/JSON shape flattenSpans reads (ids as hex,
 * times as decimal strings, AnyValue as its JSON object), so both encodings share one path. Only the fields the
 * spans file keeps are read; every other field is skipped by its wire type, as protobuf's rules for unknown
 * fields say. Field numbers from opentelemetry-proto (collector/trace/v1, trace/v1, resource/v1, common/v1):
 *   ExportTraceServiceRequest 1 resource_spans; ResourceSpans 1 resource, 2 scope_spans; Resource 1 attributes;
 *   ScopeSpans 2 spans; Span 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 7 start_time_unix_nano
 *   (fixed64), 8 end_time_unix_nano (fixed64), 9 attributes; KeyValue 1 key, 2 value; AnyValue 1 string,
 *   2 bool, 3 int (int64 varint), 4 double, 5 array (ArrayValue 1 values), 6 kvlist (KeyValueList 1 values),
 *   7 bytes. A malformed body throws (the receiver answers 400).
 */
export function decodeOtlpProtobuf(body: Uint8Array): OtlpTraces {
  return {
    resourceSpans: fieldsOf(body)
      .filter((f) => f.number === 1)
      .map((f) => {
        const resourceSpans = fieldsOf(bytesOf(f));
        const resource = resourceSpans.find((r) => r.number === 1);
        return {
          ...(resource === undefined
            ? {}
            : { resource: { attributes: repeated(bytesOf(resource), 1).map(keyValueOf) } }),
          scopeSpans: repeated(bytesOf(f), 2).map((scope) => ({ spans: repeated(scope, 2).map(spanOf) })),
        };
      }),
  };
}

/** One field of a protobuf message: its number, and its value (a varint or fixed as bigint, or its bytes). */
interface WireField {
  number: number;
  value: bigint | Uint8Array;
}

/** A message's fields in order. Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
function fieldsOf(message: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  let at = 0;
  const varint = (): bigint => {
    // 7 bits a byte, least significant group first; the high bit says another byte follows (at most 10).
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (at >= message.length) throw new Error('protobuf: truncated varint');
      const byte = message[at++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error('protobuf: varint longer than 10 bytes');
  };
  const need = (bytes: number) => {
    if (at + bytes > message.length) throw new Error('protobuf: truncated field');
  };
  while (at < message.length) {
    const key = varint();
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (wireType === 0) fields.push({ number, value: varint() });
    else if (wireType === 1) {
      need(8);
      fields.push({ number, value: view.getBigUint64(at, true) });
      at += 8;
    } else if (wireType === 2) {
      const length = Number(varint());
      need(length);
      fields.push({ number, value: message.subarray(at, at + length) });
      at += length;
    } else if (wireType === 5) {
      need(4);
      fields.push({ number, value: BigInt(view.getUint32(at, true)) });
      at += 4;
    } else throw new Error(`protobuf: wire type ${wireType} (field ${number}) is not used by OTLP`);
  }
  return fields;
}

function bytesOf(field: WireField): Uint8Array {
  if (typeof field.value === 'bigint') throw new Error(`protobuf: field ${field.number} is not length-delimited`);
  return field.value;
}

function numberOf(field: WireField): bigint {
  if (typeof field.value !== 'bigint') throw new Error(`protobuf: field ${field.number} is not a number`);
  return field.value;
}

/** The embedded messages (or strings, or bytes) of repeated field `number`. */
function repeated(message: Uint8Array, number: number): Uint8Array[] {
  return fieldsOf(message)
    .filter((f) => f.number === number)
    .map(bytesOf);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function spanOf(message: Uint8Array): OtlpSpan {
  const span: OtlpSpan = { traceId: '', spanId: '', name: '', startTimeUnixNano: '0', endTimeUnixNano: '0' };
  const attributes: OtlpKeyValue[] = [];
  for (const f of fieldsOf(message)) {
    if (f.number === 1) span.traceId = Buffer.from(bytesOf(f)).toString('hex');
    else if (f.number === 2) span.spanId = Buffer.from(bytesOf(f)).toString('hex');
    else if (f.number === 4 && bytesOf(f).length > 0) span.parentSpanId = Buffer.from(bytesOf(f)).toString('hex');
    else if (f.number === 5) span.name = utf8.decode(bytesOf(f));
    else if (f.number === 6) span.kind = Number(numberOf(f));
    else if (f.number === 7) span.startTimeUnixNano = String(numberOf(f));
    else if (f.number === 8) span.endTimeUnixNano = String(numberOf(f));
    else if (f.number === 9) attributes.push(keyValueOf(bytesOf(f)));
  }
  return attributes.length === 0 ? span : { ...span, attributes };
}

function keyValueOf(message: Uint8Array): OtlpKeyValue {
  const keyValue: OtlpKeyValue = { key: '' };
  for (const f of fieldsOf(message)) {
    if (f.number === 1) keyValue.key = utf8.decode(bytesOf(f));
    else if (f.number === 2) keyValue.value = anyValueOf(bytesOf(f));
  }
  return keyValue;
}

/** AnyValue in the OTLP/JSON mapping's shape (int64 as a decimal string, bytes as base64). */
function anyValueOf(message: Uint8Array): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  // A oneof: the last field seen wins, as protobuf decoding of a oneof does.
  for (const f of fieldsOf(message)) {
    if (f.number === 1) value = { stringValue: utf8.decode(bytesOf(f)) };
    else if (f.number === 2) value = { boolValue: numberOf(f) !== 0n };
    else if (f.number === 3) value = { intValue: String(BigInt.asIntN(64, numberOf(f))) };
    else if (f.number === 4) {
      const bits = new DataView(new ArrayBuffer(8));
      bits.setBigUint64(0, numberOf(f), true);
      value = { doubleValue: bits.getFloat64(0, true) };
    } else if (f.number === 5) value = { arrayValue: { values: repeated(bytesOf(f), 1).map(anyValueOf) } };
    else if (f.number === 6) value = { kvlistValue: { values: repeated(bytesOf(f), 1).map(keyValueOf) } };
    else if (f.number === 7) value = { bytesValue: Buffer.from(bytesOf(f)).toString('base64') };
  }
  return value;
}

/** Bodies above this are refused (413): a batch of the reference service is a few hundred KB at most. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Starts the receiver on `host`:`port` (0: any free port); spans are appended to `file`. Loopback by default;
 * 0.0.0.0 only inside a container, where the published port is bound to loopback on the host.
 */
export function startOtlpReceiver(port: number, file: string, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((request, response) => {
    const answer = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method === 'GET' && request.url === '/ready') {
      answer(200, { ready: true });
      return;
    }
    if (request.method !== 'POST' || request.url?.split('?')[0] !== '/v1/traces') {
      request.resume();
      answer(404, { error: 'only POST /v1/traces is served' });
      return;
    }
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const protobuf = contentType === 'application/x-protobuf';
    if (!protobuf && contentType !== 'application/json') {
      request.resume();
      answer(415, { error: 'OTLP/HTTP takes application/x-protobuf or application/json' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return answer(413, { error: `body above ${MAX_BODY_BYTES} bytes` });
      let spans: ReceivedSpan[];
      try {
        const bytes = Buffer.concat(chunks);
        spans = flattenSpans(protobuf ? decodeOtlpProtobuf(bytes) : (JSON.parse(bytes.toString('utf8')) as OtlpTraces));
      } catch (error) {
        const what = protobuf ? 'OTLP/protobuf' : 'OTLP/JSON';
        return answer(400, { error: `not ${what}: ${error instanceof Error ? error.message : String(error)}` });
      }
      if (spans.length > 0) appendFileSync(file, spans.map((span) => `${JSON.stringify(span)}\n`).join(''));
      // Success in the request's encoding (OTLP/HTTP): an empty ExportTraceServiceResponse is no bytes in
      // protobuf, `{}` in JSON. Errors stay JSON: only a person reads them.
      if (protobuf) response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      else answer(200, {});
    });
  });
  // A stalled exporter must not hold a socket forever.
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (import.meta.main) {
  const [portText, file, host = '127.0.0.1'] = process.argv.slice(2);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || file === undefined) {
    process.stderr.write('usage: node stack/otlp/receiver.ts <port> <spans.jsonl> [host]\n');
    process.exit(2);
  }
  const server = await startOtlpReceiver(port, file, host);
  process.stdout.write(`otlp receiver on http://${host}:${port}, spans to ${file}\n`);
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
