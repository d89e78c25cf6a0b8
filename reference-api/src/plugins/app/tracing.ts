// The service's side of tracing (the SDK itself is started by telemetry/tracing.ts before anything loads):
// trace ids for log lines and exemplars, and spans of the service's own making. Every function here works
// whether or not the SDK runs: without it the OpenTelemetry API hands out no active span and these do nothing.
import { context, propagation, type Span, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('mystocks-api');

/**
 * pino `mixin`: the active span's trace_id and span_id on every log line written while a request is handled
 * (the span current at the log call, so a line from inside a query names that query's span).
 */
export function traceLogFields(): Record<string, string> {
  const spanContext = trace.getSpanContext(context.active());
  if (spanContext === undefined || !trace.isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * True when the SDK runs (telemetry/tracing.ts installed the W3C propagator; without the SDK the API's no-op
 * propagator carries no fields): then a request's log lines name its trace through traceLogFields.
 */
export function tracingRunning(): boolean {
  return propagation.fields().length > 0;
}

/** The active trace's id if it is sampled (its spans are exported), for a histogram exemplar; else undefined. */
export function sampledTraceId(): string | undefined {
  const spanContext = trace.getSpanContext(context.active());
  if (spanContext === undefined || !trace.isSpanContextValid(spanContext)) return undefined;
  // Bit 0 of the W3C trace flags is `sampled`; an unsampled trace's id would point at nothing.
  return (spanContext.traceFlags & 1) === 1 ? spanContext.traceId : undefined;
}

/** Sets an attribute on the active span (nothing without one). */
export function annotateSpan(key: string, value: string | number): void {
  trace.getActiveSpan()?.setAttribute(key, value);
}

/**
 * Runs `work` inside a child span of the active one; the span records a thrown error and always ends. Under a
 * span that is not recorded (an unsampled request, or no SDK) it just runs `work`: the child would be dropped
 * with its parent, and starting it and switching context for it is a cost every unsampled request would pay.
 */
export async function inSpan<T>(
  name: string,
  attributes: Record<string, string | number>,
  work: () => Promise<T>,
): Promise<T> {
  if (trace.getActiveSpan()?.isRecording() !== true) return work();
  return tracer.startActiveSpan(name, { attributes }, async (span: Span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
