// OpenTelemetry for the reference service, started by server.ts BEFORE the app's modules load: the pg and
// ioredis instrumentations patch those modules as they are imported, so they must be hooked first
// (ESM imports go through import-in-the-middle's loader hook, registered here for the hooked modules only,
// so the service's own .ts files are never rewritten).
//
// Environment (the OpenTelemetry SDK's standard names):
//   OTEL_SDK_DISABLED=true             no tracing at all (spans, trace ids in logs and exemplars are off)
//   OTEL_EXPORTER_OTLP_ENDPOINT        OTLP/HTTP base URL; spans go to <it>/v1/traces as JSON. Unset: spans
//                                      are made (log lines and exemplars carry their ids) but not exported.
//   OTEL_TRACES_SAMPLER_ARG            ratio of new traces kept (default DEFAULT_SAMPLING_RATIO). A request
//                                      with an incoming `traceparent` follows its caller's sampled flag.
//   OTEL_SERVICE_NAME                  default `mystocks-api`.
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';

/**
 * Share of new traces (requests without a sampled traceparent) that are recorded: 1 %. The harness's own load and
 * E2E traffic sends a sampled traceparent, so all of it is recorded whatever this says; the ratio is for outside
 * traffic. A request that is not recorded gets no span at all (decideRequestTrace, plugins/app/tracing.ts).
 * bench/api/tracing.ts on a quiet machine, the cached overview (the cheapest real route, ~120-160 µs of CPU):
 * +1 to +14 % CPU per request at 1 % over three runs, +47 to +70 % with every request recorded
 * (docs/performance.md, "Tracing overhead").
 */
export const DEFAULT_SAMPLING_RATIO = 0.01;

/** /metrics scrapes and health probes are not what a trace explains; traced, they would only fill the spans file. */
const UNTRACED_PATH = /^\/(metrics|healthz|readyz)(\?|$)/;

/** Request header the harness's load and E2E traffic set to their journey or test; kept on the server span. */
export const ORIGIN_HEADER = 'x-harness-origin';

/** Reads OTEL_TRACES_SAMPLER_ARG as a ratio in [0, 1]; anything else is a start-up error, not a silent default. */
export function samplingRatioFrom(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_SAMPLING_RATIO;
  const ratio = Number(value);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  }
  return ratio;
}

/** Flushes and stops the tracer provider (a no-op when tracing is off). */
export let shutdownTracing: () => Promise<void> = async () => {};

/** Starts tracing unless OTEL_SDK_DISABLED=true. Must run before pg, ioredis, fastify and http are imported. */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false;
  const ratio = samplingRatioFrom(env.OTEL_TRACES_SAMPLER_ARG);
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  // Imported only now: the instrumentations' constructors send the loader hook the modules to wrap.
  const [{ registerInstrumentations }, { PgInstrumentation }, { IORedisInstrumentation }] = await Promise.all([
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const { FastifyOtelInstrumentation } = await import('@fastify/otel');
  const [{ context, propagation, trace }, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }] =
    await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/core'),
    ]);
  const { TracerProvider, BatchSpanProcessor, ParentBasedSampler, AlwaysOnSampler, RandomIdGenerator } = await import(
    '@opentelemetry/sdk-trace'
  );
  const { setRequestSampling, takeUntraced } = await import('../plugins/app/tracing.ts');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');

  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'mystocks-api' }),
    // The ratio is applied as each request arrives (decideRequestTrace, plugins/app/tracing.ts), before any
    // span exists: a request that is not to be recorded gets no span at all. So every span that does start is
    // one to keep: a request's span (a caller's sampled traceparent, or a new trace picked at `ratio`) and its
    // children. Parent-based still, so a child follows its parent.
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: exporting
      ? [
          new BatchSpanProcessor({
            exporter: new OTLPTraceExporter({ timeoutMillis: 5_000 }),
            scheduledDelayMillis: 1_000,
          }),
        ]
      : [],
  });
  const ids = new RandomIdGenerator();
  setRequestSampling({ ratio, newTraceId: () => ids.generateTraceId(), newSpanId: () => ids.generateSpanId() });
  // What NodeTracerProvider.register() did before SDK 3: context follows async calls, W3C traceparent in and out.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      // The request's server span (it honours an incoming traceparent) and a span around the route handler.
      // No HTTP instrumentation beneath it: @opentelemetry/instrumentation-http made a second server span for
      // every request, sampled or not, with its attributes computed before the sampler ran, and no span
      // around each lifecycle hook (the service's metrics, faults, auth, cookie and header hooks). Those costs
      // were most of what tracing added to a cached request (bench/api/tracing.ts; docs/performance.md,
      // "Tracing overhead"), and the diagnosis reads neither: it reads the fault, handler, cache and SQL spans.
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        // A function, not a glob string: @fastify/otel compiles a string with minimatch again on every request
        // (a few percent of the service's CPU in a profile of GET /healthz). Besides the untraced paths, it
        // skips the request just decided not to be recorded (takeUntraced), so that request gets no span.
        ignorePaths: (route) => UNTRACED_PATH.test(route.url ?? '') || takeUntraced(route),
        // The harness's load and E2E requests name their journey or test in this header (load/, e2e/), so a
        // slow request in the report can be traced back to what sent it. The attribute is the one the
        // semantic conventions give a captured request header (a list of its values).
        requestHook: (span, request) => {
          const origin = request.headers[ORIGIN_HEADER];
          if (origin !== undefined) span.setAttribute(`http.request.header.${ORIGIN_HEADER}`, [origin].flat());
        },
        instrumentHooks: false,
        // The handler's span is the service's own (traceHandler in app.ts): @fastify/otel would ask ignorePaths
        // again as the handler runs, when the decision above is gone.
        instrumentHandler: false,
      }),
    ],
  });
  await waitForAllMessagesAcknowledged();
  shutdownTracing = async () => {
    await provider.shutdown().catch(() => {});
  };
  return true;
}
