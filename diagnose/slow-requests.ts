// The slowest requests of a failed latency SLO's window, and where their time went. Prometheus keeps, per
// latency bucket, the trace id of a recent request in it (an exemplar; the reference service attaches them,
// Prometheus runs with --enable-feature=exemplar-storage). The slowest exemplars of the window name the traces;
// the run's spans file (the harness's OTLP receiver, stack/otlp/receiver.ts) gives each trace's spans: the
// injected fault, hooks, handler, cache (L1/L2), Redis calls and every SQL statement, with their durations.
import { readFile } from 'node:fs/promises';
import { parseDuration } from '../core/duration.ts';
import { bucketsOf, SERVICE_METRICS } from '../core/service-metrics.ts';
import type { SloReport } from '../slo/evaluate/evaluate.ts';
import type { PrometheusClient } from '../slo/evaluate/prometheus.ts';
import type { ReceivedSpan } from '../stack/otlp/receiver.ts';
import { focusOf } from './breakdown.ts';

/** Requests shown per failed latency SLO. */
export const SLOW_REQUESTS = 5;
/** Spans shown per request (the largest are kept when a request has more). */
const SPANS_PER_REQUEST = 25;

/** What a span stands for in the breakdown. */
export type SpanKind = 'fault' | 'hook' | 'handler' | 'cache' | 'l2' | 'sql' | 'pool' | 'other';

/** One span inside a slow request. */
export interface RequestSpan {
  name: string;
  kind: SpanKind;
  /** Depth below the request's server span (1 = its direct child). */
  depth: number;
  /** Start, ms after the request's start. */
  offsetMs: number;
  durationMs: number;
  /** The SQL text (shortened), the Redis command, or the cache levels' answers. */
  detail?: string;
}

/** One slow request of the window. */
export interface SlowRequest {
  traceId: string;
  endpoint: string;
  method: string;
  statusCode: string;
  /** Its duration as the latency histogram recorded it. */
  seconds: number;
  /** When it finished (the exemplar's time), ISO 8601. */
  time: string;
  /** The journey or test that sent it (the x-harness-origin header), when it said. */
  origin?: string;
  /** Where its time went, in start order; empty when its spans were not received. */
  spans: RequestSpan[];
  /** Why `spans` is empty. */
  problem?: string;
}

/** The slow-request section of a diagnosis. */
export interface SlowRequestSection {
  status: 'ok' | 'skipped' | 'error';
  /** The failed latency SLO the requests were picked for. */
  slo?: string;
  window?: string;
  /** Why skipped or error. */
  reason?: string;
  requests: SlowRequest[];
}

/** Reads the spans file, keeping the spans of the given traces only (the file holds the whole run). */
async function spansOf(file: string, traceIds: Set<string>): Promise<Map<string, ReceivedSpan[]>> {
  const byTrace = new Map<string, ReceivedSpan[]>();
  const text = await readFile(file, 'utf8');
  for (const line of text.split('\n')) {
    // Cheap test first: most lines belong to other traces.
    if (line === '' || !traceIds.has(line.slice(12, 44))) continue;
    const span = JSON.parse(line) as ReceivedSpan;
    if (!traceIds.has(span.traceId)) continue;
    byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  }
  return byTrace;
}

function kindOf(span: ReceivedSpan): SpanKind {
  const system = String(span.attributes['db.system.name'] ?? span.attributes['db.system'] ?? '');
  if (span.name.startsWith('fault.')) return 'fault';
  if (span.name.startsWith('handler')) return 'handler';
  if (span.name.startsWith('cache ')) return 'cache';
  if (span.name.startsWith('pg-pool')) return 'pool';
  if (system === 'postgresql' || span.name.startsWith('pg.')) return 'sql';
  if (system === 'redis') return 'l2';
  if (/^(onRequest|preParsing|preValidation|preHandler|preSerialization|onSend|onResponse)\b/.test(span.name)) {
    return 'hook';
  }
  return 'other';
}

function detailOf(span: ReceivedSpan, kind: SpanKind): string | undefined {
  const a = span.attributes;
  if (kind === 'sql') {
    const text = String(a['db.query.text'] ?? a['db.statement'] ?? '').replace(/\s+/g, ' ');
    return text === '' ? undefined : text.length > 160 ? `${text.slice(0, 157)}...` : text;
  }
  if (kind === 'l2') return String(a['db.query.text'] ?? a['db.statement'] ?? span.name);
  if (kind === 'cache') {
    const levels = [
      a['mystocks.cache.l1'] && `L1 ${a['mystocks.cache.l1']}`,
      a['mystocks.cache.l2'] && `L2 ${a['mystocks.cache.l2']}`,
    ].filter(Boolean);
    return levels.length === 0 ? undefined : levels.join(', ');
  }
  if (kind === 'fault' && a['mystocks.fault.latency_ms'] !== undefined)
    return `injected ${a['mystocks.fault.latency_ms']} ms`;
  return undefined;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The request's own spans: the server span of `endpoint` whose duration is closest to the recorded one (a
 * trace of a load journey holds several requests), then everything below it, in start order. The reference
 * service's server span is @fastify/otel's `request`; a service that also runs the HTTP instrumentation has its
 * server span above an internal `request` span, which only repeats it: that one is left out, its children kept
 * one level up.
 */
export function requestSpans(spans: ReceivedSpan[], endpoint: string, seconds: number): RequestSpan[] | undefined {
  const servers = spans.filter(
    (s) =>
      s.kind === 2 && (s.attributes['http.route'] === endpoint || String(s.attributes['url.path'] ?? '') === endpoint),
  );
  const candidates = servers.length > 0 ? servers : spans.filter((s) => s.kind === 2);
  if (candidates.length === 0) return undefined;
  const root = candidates.reduce((best, s) =>
    Math.abs(s.durationMs - seconds * 1000) < Math.abs(best.durationMs - seconds * 1000) ? s : best,
  );
  const children = new Map<string, ReceivedSpan[]>();
  for (const s of spans) {
    if (s.parentSpanId === undefined) continue;
    children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
  }
  const out: RequestSpan[] = [];
  const walk = (parent: ReceivedSpan, depth: number) => {
    for (const child of (children.get(parent.spanId) ?? []).sort((a, b) => a.startMs - b.startMs)) {
      if (child.name === 'request') {
        walk(child, depth);
        continue;
      }
      const kind = kindOf(child);
      const detail = detailOf(child, kind);
      out.push({
        name: child.name,
        kind,
        depth,
        offsetMs: round(child.startMs - root.startMs),
        durationMs: round(child.durationMs),
        ...(detail === undefined ? {} : { detail }),
      });
      walk(child, depth + 1);
    }
  };
  walk(root, 1);
  if (out.length <= SPANS_PER_REQUEST) return out;
  const kept = new Set([...out].sort((a, b) => b.durationMs - a.durationMs).slice(0, SPANS_PER_REQUEST));
  return out.filter((span) => kept.has(span));
}

/** The section for a report: the slowest requests of its first failed latency SLO. Never throws. */
export async function readSlowRequests(
  client: PrometheusClient,
  report: SloReport,
  spansFile: string | undefined,
  limit = SLOW_REQUESTS,
): Promise<SlowRequestSection> {
  const slo = report.slos.find((s) => s.status === 'fail' && focusOf(s)?.focus === 'latency');
  if (slo === undefined) return { status: 'skipped', reason: 'no latency SLO failed', requests: [] };
  const windowMs = parseDuration(slo.window);
  if (windowMs === undefined) {
    return { status: 'error', slo: slo.name, reason: `window ${slo.window} is not a duration`, requests: [] };
  }
  const end = new Date(report.time).getTime() / 1000;
  const selector = focusOf(slo)!.spec.selector;
  const answer = await client.exemplars(
    `${bucketsOf(SERVICE_METRICS.httpDuration)}${selector === '' ? '' : `{${selector}}`}`,
    end - windowMs / 1000,
    end,
  );
  const base = { slo: slo.name, window: slo.window };
  if (answer.kind === 'error') return { ...base, status: 'error', reason: answer.message, requests: [] };
  // One row per trace, at its slowest recorded request; the slowest first.
  const byTrace = new Map<string, (typeof answer.exemplars)[number]>();
  for (const e of answer.exemplars) {
    const traceId = e.labels.trace_id;
    if (traceId === undefined) continue;
    const seen = byTrace.get(traceId);
    if (seen === undefined || e.value > seen.value) byTrace.set(traceId, e);
  }
  const slowest = [...byTrace.values()].sort((a, b) => b.value - a.value).slice(0, limit);
  if (slowest.length === 0) {
    return {
      ...base,
      status: 'skipped',
      reason:
        'Prometheus holds no exemplars for the window (the service records them only for sampled traces; ' +
        'Prometheus needs --enable-feature=exemplar-storage)',
      requests: [],
    };
  }
  let spans = new Map<string, ReceivedSpan[]>();
  let spansProblem: string | undefined;
  if (spansFile === undefined) {
    spansProblem = 'spans not received by the harness (external mode: look the trace id up in your tracing backend)';
  } else {
    try {
      spans = await spansOf(spansFile, new Set(slowest.map((e) => e.labels.trace_id!)));
    } catch (error) {
      spansProblem = `spans file unreadable: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const requests = slowest.map((e): SlowRequest => {
    const endpoint = e.seriesLabels.endpoint ?? '';
    const traceSpans = spans.get(e.labels.trace_id!) ?? [];
    const own = traceSpans.length === 0 ? undefined : requestSpans(traceSpans, endpoint, e.value);
    const server = traceSpans.find((s) => s.kind === 2 && s.attributes['http.request.header.x-harness-origin']);
    const origin = server?.attributes['http.request.header.x-harness-origin'];
    return {
      traceId: e.labels.trace_id!,
      endpoint,
      method: e.seriesLabels.method ?? '',
      statusCode: e.seriesLabels.status_code ?? '',
      seconds: e.value,
      time: new Date(e.timestamp * 1000).toISOString(),
      ...(origin === undefined ? {} : { origin: String(origin) }),
      spans: own ?? [],
      ...(own === undefined ? { problem: spansProblem ?? 'no spans of this trace were received' } : {}),
    };
  });
  return { ...base, status: 'ok', requests };
}
