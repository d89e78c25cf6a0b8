// The service's side of tracing (the SDK itself is started by telemetry/tracing.ts before anything loads):
// trace ids for log lines and exemplars, and spans of the service's own making. Every function here works
// whether or not the SDK runs: without it the OpenTelemetry API hands out no active span and these do nothing.
import type { IncomingMessage } from 'node:http';
import { context, type Span, type SpanContext, SpanStatusCode, trace } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';

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
 * How the service decides which requests are traced, set by telemetry/tracing.ts when the SDK starts; undefined
 * without the SDK.
 */
export interface RequestSampling {
  /**
   * Whether the request's trace is recorded: the configured sampler's decision (telemetry/tracing.ts) for a
   * server span under `parent` (the caller's, from its traceparent) in trace `traceId`.
   */
  shouldRecord(parent: SpanContext | undefined, traceId: string): boolean;
  /** Ids for the log lines of a request that is not traced (the SDK's own generator). */
  newTraceId(): string;
  newSpanId(): string;
}

let sampling: RequestSampling | undefined;

export function setRequestSampling(value: RequestSampling | undefined): void {
  sampling = value;
}

/** The trace ids a request's log lines carry when no span of the request names them. */
export interface LogTraceIds {
  trace_id: string;
  span_id?: string;
}

/**
 * The request decided, a moment ago, not to be traced. Fastify makes a request's child logger (where the
 * decision is taken, decideRequestTrace) and then runs its onRequest hooks, @fastify/otel's first, in the same
 * synchronous call (routeHandler in fastify/lib/route.js); @fastify/otel asks its ignorePaths function, which
 * sees only the URL and method, whether to start the request's span. This carries the answer across, and is
 * taken once (takeUntraced). Anything that breaks that order fails towards tracing, never towards losing a
 * sampled trace: a URL and method that do not match the pending decision are traced.
 */
let pendingUntraced: { url: string | undefined; method: string | undefined } | undefined;

/**
 * Decides, as a request arrives, whether its trace is recorded, by the configured sampler (OTEL_TRACES_SAMPLER;
 * by default parent-based: a caller's traceparent decides by its sampled flag, a new trace by the ratio).
 * A request that is not recorded gets no span at all. Starting one that is never recorded (a non-recording
 * span, made current for the whole request, and its handler span) was most of what tracing still cost each
 * request at 1 % sampling (bench/api/tracing.ts; docs/performance.md, "Tracing overhead"). Its log lines are
 * named instead by the ids returned here: the caller's trace id when it sent one, else a new one, and a span id
 * of its own.
 *
 * Without the SDK, only a caller's trace id is returned (nothing is traced, and no id is made up).
 */
export function decideRequestTrace(raw: IncomingMessage): LogTraceIds | undefined {
  const parent = traceparentOf(raw.headers.traceparent);
  if (sampling === undefined) return parent === undefined ? undefined : { trace_id: parent.traceId };
  pendingUntraced = undefined;
  const traceId = parent?.traceId ?? sampling.newTraceId();
  if (sampling.shouldRecord(parent, traceId)) return undefined;
  pendingUntraced = { url: raw.url, method: raw.method };
  return { trace_id: traceId, span_id: sampling.newSpanId() };
}

/** For @fastify/otel's ignorePaths: true once, for the request decideRequestTrace just decided not to trace. */
export function takeUntraced(route: { url?: string; method?: string | string[] }): boolean {
  const pending = pendingUntraced;
  if (pending === undefined || pending.url !== route.url || pending.method !== route.method) return false;
  pendingUntraced = undefined;
  return true;
}

/**
 * A W3C traceparent as OpenTelemetry's own propagator reads it (the same parser, the same validity rule): the
 * caller's span context, remote; undefined when absent or malformed (then a new trace starts).
 */
function traceparentOf(header: unknown): SpanContext | undefined {
  if (typeof header !== 'string') return undefined;
  const parent = parseTraceParent(header);
  return parent === null || !trace.isSpanContextValid(parent) ? undefined : { ...parent, isRemote: true };
}

/**
 * Wraps a route handler in a `handler - NAME` span, as @fastify/otel's handler span did, under the request's
 * span when it is recorded; otherwise the handler runs as it is. The service makes this span itself because
 * @fastify/otel's asks ignorePaths again when the handler runs, long after the pending decision is gone, and
 * would start an unsampled request's handler span as a new root trace.
 */
export function traceHandler<Args extends unknown[], Result>(
  name: string,
  attributes: Record<string, string>,
  handler: (this: unknown, ...args: Args) => Result,
): (this: unknown, ...args: Args) => Result {
  return function tracedHandler(this: unknown, ...args: Args): Result {
    if (trace.getActiveSpan()?.isRecording() !== true) return handler.apply(this, args);
    return tracer.startActiveSpan(name, { attributes }, (span: Span) => {
      const failed = (error: unknown) => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        span.end();
      };
      try {
        const result = handler.apply(this, args);
        if (result instanceof Promise) {
          // Same promise shape back to Fastify: an async handler's value or error is passed on unchanged.
          return result.then(
            (value: unknown) => {
              span.end();
              return value;
            },
            (error: unknown) => {
              failed(error);
              throw error;
            },
          ) as Result;
        }
        span.end();
        return result;
      } catch (error) {
        failed(error);
        throw error;
      }
    });
  };
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
