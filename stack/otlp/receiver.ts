// The harness's own OTLP/HTTP trace receiver. No OpenTelemetry Collector exists on the machines this runs on,
// so the stack starts this instead: it accepts `POST /v1/traces` in OTLP/JSON (what the reference service's
// exporter sends) and appends every span, flattened, as one JSON line to a file the diagnosis reads later.
// OTLP/protobuf is refused with 415 and a message saying to use http/json, never silently dropped.
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
    const service = attributesOf(resourceSpans.resource?.attributes)['service.name'];
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
          attributes: attributesOf(span.attributes),
        });
      }
    }
  }
  return out;
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
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      request.resume();
      answer(415, { error: 'OTLP/JSON only: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json' });
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
        spans = flattenSpans(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces);
      } catch (error) {
        return answer(400, { error: `not OTLP/JSON: ${error instanceof Error ? error.message : String(error)}` });
      }
      if (spans.length > 0) appendFileSync(file, spans.map((span) => `${JSON.stringify(span)}\n`).join(''));
      answer(200, {});
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
