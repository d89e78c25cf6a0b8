// OpenTelemetry for the reference service, started by server.ts BEFORE the app's modules load: the pg and
// ioredis instrumentations patch those modules as they are imported, so they must be hooked first
// (ESM imports go through import-in-the-middle's loader hook, registered here for the hooked modules only,
// so the service's own .ts files are never rewritten).
//
// Environment (the OpenTelemetry SDK's standard names, with their specified meaning; docs/api.md):
//   OTEL_SDK_DISABLED=true             no tracing at all (spans, trace ids in logs and exemplars are off)
//   OTEL_EXPORTER_OTLP_ENDPOINT        OTLP/HTTP base URL; spans go to <it>/v1/traces (or
//   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT the full URL). Unset: spans are made (log lines and exemplars carry their
//                                      ids) but not exported.
//   OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL  http/protobuf (the specification's default) or http/json.
//   OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG  the specification's samplers (samplerFrom). Neither set: the
//                                      service's own default, parentbased_traceidratio at DEFAULT_SAMPLING_RATIO.
//   OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES  the resource, over the service's own (resourceOf).
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import type { SpanContext } from '@opentelemetry/api';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { ConfigError } from '../config.ts';

/**
 * Share of new traces (requests without a caller's traceparent) that are recorded when neither
 * OTEL_TRACES_SAMPLER nor OTEL_TRACES_SAMPLER_ARG is set: 1 %. The harness's own load and E2E traffic sends a
 * sampled traceparent, so all of it is recorded whatever this says; the ratio is for outside traffic. A request
 * that is not recorded gets no span at all (decideRequestTrace, plugins/app/tracing.ts).
 * bench/api/tracing.ts on a quiet machine, the cached overview (the cheapest real route, ~120-160 µs of CPU):
 * +1 to +14 % CPU per request at 1 % over three runs, +47 to +70 % with every request recorded
 * (docs/performance.md, "Tracing overhead").
 */
export const DEFAULT_SAMPLING_RATIO = 0.01;

/** The service's name when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES names it. */
export const SERVICE_NAME = 'mystocks-api';

/** The samplers of the specification's OTEL_TRACES_SAMPLER that the service offers (the SDK's own classes). */
export const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

/** The sampler the environment asks for: its name, and its ratio for the two traceidratio samplers. */
export interface SamplerChoice {
  name: SamplerName;
  /** Share of traces kept, for traceidratio and parentbased_traceidratio only. */
  ratio?: number;
}

/**
 * OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG, as the specification gives them: the sampler by name, and
 * the argument a ratio in [0, 1] read only by the traceidratio samplers, 1.0 when unset. One departure: with
 * OTEL_TRACES_SAMPLER unset the service's default is parentbased_traceidratio (the specification's is
 * parentbased_always_on), at OTEL_TRACES_SAMPLER_ARG if set, else DEFAULT_SAMPLING_RATIO: a deployment that
 * says nothing records 1 % of new traces, not all of them, and one that sets only the argument (as this
 * service's configuration always did) keeps its meaning. An unknown sampler (jaeger_remote, xray, a typo) or a
 * bad ratio is a start-up error (ConfigError: exit 2, as any invalid configuration), not a warning and a silent
 * default.
 */
export function samplerFrom(env: NodeJS.ProcessEnv): SamplerChoice {
  const named = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  const arg = env.OTEL_TRACES_SAMPLER_ARG;
  if (named === undefined || named === '') {
    return { name: 'parentbased_traceidratio', ratio: ratioFrom(arg, DEFAULT_SAMPLING_RATIO) };
  }
  if (!(SAMPLERS as readonly string[]).includes(named)) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}; got ${JSON.stringify(named)}`);
  }
  const name = named as SamplerName;
  return name.endsWith('traceidratio') ? { name, ratio: ratioFrom(arg, 1) } : { name };
}

/** OTEL_TRACES_SAMPLER_ARG as a ratio in [0, 1], `fallback` when unset; anything else is a start-up error. */
function ratioFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const ratio = Number(value);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  }
  return ratio;
}

/** The OTLP/HTTP encodings the service can export in. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/**
 * OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf (the specification's
 * default). grpc is refused at start: no gRPC exporter of this SDK's version is installed.
 */
export function otlpProtocolFrom(env: NodeJS.ProcessEnv): OtlpProtocol {
  const [name, value] = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
    ? ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL]
    : ['OTEL_EXPORTER_OTLP_PROTOCOL', env.OTEL_EXPORTER_OTLP_PROTOCOL ?? ''];
  const protocol = value.trim().toLowerCase();
  if (protocol === '') return 'http/protobuf';
  if (protocol === 'http/protobuf' || protocol === 'http/json') return protocol;
  throw new ConfigError(`${name} must be http/protobuf or http/json, got ${JSON.stringify(value)}`);
}

/**
 * The service's own resource attributes: its name and its version (the `version` of the nearest package.json
 * above this file: the service's own, reference-api/package.json).
 */
export function serviceAttributes(): Record<string, string> {
  let dir = new URL('./', import.meta.url);
  for (;;) {
    const file = new URL('package.json', dir);
    try {
      const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
      return { 'service.name': SERVICE_NAME, ...(typeof version === 'string' ? { 'service.version': version } : {}) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const parent = new URL('../', dir);
    if (parent.href === dir.href) return { 'service.name': SERVICE_NAME };
    dir = parent;
  }
}

/** /metrics scrapes and health probes are not what a trace explains; traced, they would only fill the spans file. */
const UNTRACED_PATH = /^\/(metrics|healthz|readyz)(\?|$)/;

/** Request header the harness's load and E2E traffic set to their journey or test; kept on the server span. */
export const ORIGIN_HEADER = 'x-harness-origin';

/** Flushes and stops the tracer provider (a no-op when tracing is off). */
export let shutdownTracing: () => Promise<void> = async () => {};

/**
 * Starts tracing unless OTEL_SDK_DISABLED=true. Must run before pg, ioredis, fastify and http are imported.
 * The environment is read from `env`, except OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES and the exporter's
 * own settings (endpoint, headers, timeout), which the SDK reads from process.env itself.
 */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false;
  // Settings first, so a bad value fails the start before any hook is registered.
  const sampling = samplerFrom(env);
  const protocol = otlpProtocolFrom(env);
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  // Imported only now: the instrumentations' constructors send the loader hook the modules to wrap.
  const [{ registerInstrumentations }, { PgInstrumentation }, { IORedisInstrumentation }] = await Promise.all([
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const { FastifyOtelInstrumentation } = await import('@fastify/otel');
  const [
    { context, propagation, trace, ROOT_CONTEXT, SpanKind },
    { AsyncLocalStorageContextManager },
    { W3CTraceContextPropagator },
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
  ]);
  const sdk = await import('@opentelemetry/sdk-trace');
  const { TracerProvider, BatchSpanProcessor, ParentBasedSampler, AlwaysOnSampler, RandomIdGenerator } = sdk;
  const { setRequestSampling, takeUntraced } = await import('../plugins/app/tracing.ts');
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = await import(
    '@opentelemetry/resources'
  );

  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const exporter = exporting ? await otlpExporter(protocol) : undefined;
  // The specified sampler, the SDK's own class: decideRequestTrace asks it once per request, before any span.
  const sampler = samplerOf(sampling, sdk);
  const provider = new TracerProvider({
    // The SDK's default resource (telemetry.sdk.*), then the service's own (name, version), then the
    // environment's (OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME over it): each later one wins a key, as the
    // specification merges a user's resource over the SDK's and the environment's over both.
    resource: defaultResource()
      .merge(resourceFromAttributes(serviceAttributes()))
      .merge(detectResources({ detectors: [envDetector] })),
    // The sampler runs as each request arrives (decideRequestTrace, plugins/app/tracing.ts), before any span
    // exists: a request that is not to be recorded gets no span at all. So every span that does start is one to
    // keep: a request's span (whatever its caller's flag said: the decision is taken) and its children, which
    // follow their local parent.
    sampler: new ParentBasedSampler({
      root: new AlwaysOnSampler(),
      remoteParentSampled: new AlwaysOnSampler(),
      remoteParentNotSampled: new AlwaysOnSampler(),
    }),
    spanProcessors: exporter === undefined ? [] : [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1_000 })],
  });
  const ids = new RandomIdGenerator();
  setRequestSampling({
    // What the SDK would decide for the request's server span. A new trace is decided on the id its log lines
    // will carry if it is not recorded; a recorded one gets a fresh id from the SDK, so a traceidratio
    // decision is not tied to the id exported (the share kept is the ratio all the same).
    shouldRecord: (parent: SpanContext | undefined, traceId: string) =>
      sampler.shouldSample(
        parent === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, parent),
        traceId,
        'request',
        SpanKind.SERVER,
        {},
        [],
      ).decision === sdk.SamplingDecision.RECORD_AND_SAMPLED,
    newTraceId: () => ids.generateTraceId(),
    newSpanId: () => ids.generateSpanId(),
  });
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

/** The SDK sampler a choice names (`sdk`: @opentelemetry/sdk-trace, imported by startTracing). */
function samplerOf(
  choice: SamplerChoice,
  sdk: typeof import('@opentelemetry/sdk-trace'),
): import('@opentelemetry/sdk-trace').Sampler {
  const root = choice.name.endsWith('always_on')
    ? new sdk.AlwaysOnSampler()
    : choice.name.endsWith('always_off')
      ? new sdk.AlwaysOffSampler()
      : new sdk.TraceIdRatioBasedSampler(choice.ratio ?? 1);
  // parentbased_*: a caller's sampled flag decides (the SDK's defaults for a remote parent: sampled -> on,
  // not sampled -> off); the named sampler decides a new trace.
  return choice.name.startsWith('parentbased_') ? new sdk.ParentBasedSampler({ root }) : root;
}

/** What startTracing needs of an OTLP exporter (the SDK's SpanExporter). */
type SpanExporter = import('@opentelemetry/sdk-trace').SpanExporter;

/**
 * The OTLP/HTTP span exporter for `protocol`, with a 5 s deadline per export. JSON is the installed
 * @opentelemetry/exporter-trace-otlp-http. Protobuf is what @opentelemetry/exporter-trace-otlp-proto is, which
 * the service does not depend on: the same OTLP/HTTP transport with the protobuf serializer instead of the JSON
 * one. Both parts are dependencies of the JSON exporter itself, so they are loaded from its folder (the very
 * versions it was built with, wherever npm placed them). Depending on exporter-trace-otlp-proto at the JSON
 * exporter's version would replace this function's second half with one import.
 */
async function otlpExporter(protocol: OtlpProtocol): Promise<SpanExporter> {
  if (protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter({ timeoutMillis: 5_000 });
  }
  const fromExporter = createRequire(import.meta.resolve('@opentelemetry/exporter-trace-otlp-http'));
  // require() is untyped (any): the three modules are typed here by what is used of them.
  const base = fromExporter('@opentelemetry/otlp-exporter-base') as {
    OTLPExporterBase: new (delegate: unknown) => SpanExporter;
  };
  const http = fromExporter('@opentelemetry/otlp-exporter-base/node-http') as {
    convertLegacyHttpOptions(config: object, signal: string, path: string, headers: Record<string, string>): unknown;
    createOtlpHttpExportDelegate(options: unknown, serializer: unknown, component: string, helper: unknown): unknown;
  };
  const transformer = fromExporter('@opentelemetry/otlp-transformer') as {
    ProtobufTraceSerializer: unknown;
    TraceExporterMetricsHelper: unknown;
  };
  // As exporter-trace-otlp-proto builds it: endpoint, headers and compression from the environment, /v1/traces.
  const options = http.convertLegacyHttpOptions({ timeoutMillis: 5_000 }, 'TRACES', 'v1/traces', {
    'Content-Type': 'application/x-protobuf',
  });
  return new base.OTLPExporterBase(
    http.createOtlpHttpExportDelegate(
      options,
      transformer.ProtobufTraceSerializer,
      'otlp_http_span_exporter',
      transformer.TraceExporterMetricsHelper,
    ),
  );
}
