// buildApp(config): the whole reference service as a Fastify instance, ready for `inject` (tests) or
// `listen` (server.ts). Order matters: metrics hooks first (so everything after is measured), then faults,
// security headers, cookies and rate limit, then the routes of each area.

import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
  LogController,
  type preHandlerAsyncHookHandler,
  type RouteOptions,
} from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import type { AppConfig } from './config.ts';
import { prepareDatabase } from './db/seed.ts';
import { errorBody, registerErrorHandlers } from './errors.ts';
import { registerAuth, Sessions } from './plugins/app/auth.ts';
import { Cache } from './plugins/app/cache.ts';
import { Faults, registerFaults } from './plugins/app/faults.ts';
import { buildMetricsServer, createMetrics, type Metrics, registerMetrics } from './plugins/app/metrics.ts';
import { PasswordHashGate } from './plugins/app/passwords.ts';
import { decideRequestTrace, traceHandler, traceLogFields } from './plugins/app/tracing.ts';
import { Db } from './plugins/external/db.ts';
import { createRedis } from './plugins/external/redis.ts';
import authRoutes from './routes/auth/index.ts';
import chartRoutes from './routes/charts/index.ts';
import exportRoutes from './routes/export/index.ts';
import fundFlowRoutes from './routes/fund-flow/index.ts';
import marketRoutes from './routes/market/index.ts';
import opsRoutes from './routes/ops/index.ts';
import pageRoutes from './routes/pages/index.ts';
import riskRoutes from './routes/risk/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    db: Db;
    cache: Cache;
    metrics: Metrics;
    /**
     * The metrics listener (GET /metrics, nothing else): a Fastify instance of its own, which server.ts listens on
     * MYSTOCKS_METRICS_HOST:MYSTOCKS_METRICS_PORT and tests inject into. Closed with the app.
     */
    metricsServer: FastifyInstance;
    faults: Faults;
    sessions: Sessions;
    /** The process's one bound on concurrent password hashes (login, register). */
    passwordHashes: PasswordHashGate;
    /** preHandler/onRequest hook: 401 without a valid session, else sets request.user. */
    requireUser: preHandlerAsyncHookHandler;
  }
}

/** Options that are not configuration: where logs go (tests capture them), and who hears of each route. */
export interface BuildOptions {
  logStream?: DestinationStream;
  /** Called with every route as it is registered (the fuzz test derives its requests from their schemas). */
  onRoute?: (route: RouteOptions) => void;
}

/**
 * Fastify writes its "incoming request" line before any hook runs, so before the request's span exists
 * (@fastify/otel starts it in the first onRequest hook), and that line would name no trace. buildApp writes the
 * same line from an onRequest hook instead; every other line Fastify writes is left as it is.
 */
class RequestLogController extends LogController {
  override incomingRequest(): void {}
}

/** Accepts a caller's x-request-id only if it is short and plain, so it is safe in logs and headers. */
function requestIdOf(header: unknown): string {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : randomUUID();
}

function loggerOptions(config: AppConfig, stream: DestinationStream | undefined): FastifyServerOptions['logger'] {
  const options = {
    level: config.logLevel,
    // trace_id and span_id of the active span on every line (plugins/app/tracing.ts).
    mixin: traceLogFields,
    // Belt and braces: the default serializers log no headers or bodies, but any object that does carry
    // one of these never prints it.
    redact: {
      paths: [
        'password',
        '*.password',
        'req.headers.cookie',
        'req.headers.authorization',
        'headers.cookie',
        'headers.authorization',
        'res.headers["set-cookie"]',
        'token',
        '*.token',
      ],
      censor: '[redacted]',
    },
  };
  return stream === undefined ? options : { ...options, stream };
}

/**
 * The Content-Security-Policy of every answer. The pages are one Vite bundle served from /assets (no inline
 * script, no eval: ECharts draws on a canvas), so scripts come from 'self' only. Styles also allow inline
 * style attributes: ECharts positions its tooltip and legend with them. img-src allows data: (the page's
 * empty favicon) and blob: (nothing today; an export preview would need it). No frames, plugins or foreign
 * form targets. upgrade-insecure-requests is left out: the service is reached over plain HTTP on loopback,
 * and TLS, where there is any, ends at a proxy in front of it.
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** How often the untrusted X-Forwarded-For warning may be logged (every such request is counted). */
export const FORWARDED_FOR_WARNING_INTERVAL_MS = 10 * 60_000;

/**
 * Makes a reverse proxy in front of an untrusting service visible. Without MYSTOCKS_TRUST_PROXY, X-Forwarded-For
 * is ignored (a client cannot forge its address), so behind a proxy every client has the proxy's address, and one
 * client's failed logins lock all of them out. A request whose X-Forwarded-For was ignored (request.ip is the
 * socket's own address) is counted in untrusted_forwarded_for_total, and a warning saying what to set is logged,
 * at most once per FORWARDED_FOR_WARNING_INTERVAL_MS per process, so a flood of such requests cannot flood the log.
 */
function registerForwardedForWatch(app: FastifyInstance, metrics: Metrics): void {
  let lastWarned = Number.NEGATIVE_INFINITY;
  app.addHook('onRequest', async (request) => {
    if (request.headers['x-forwarded-for'] === undefined || request.ip !== request.socket.remoteAddress) return;
    metrics.untrustedForwardedFor.inc();
    const now = Date.now();
    if (now - lastWarned < FORWARDED_FOR_WARNING_INTERVAL_MS) return;
    lastWarned = now;
    request.log.warn(
      { remote_address: request.ip },
      'X-Forwarded-For ignored: the sender is not a trusted proxy, so its address is taken as the client address ' +
        'for the login and register limits (behind a reverse proxy every client shares it and one client can lock ' +
        'out all); set MYSTOCKS_TRUST_PROXY to the proxy hop count or addresses (docs/security.md)',
    );
  });
}

/** Resolves true once the client is ready, false after `timeoutMs` (never rejects). */
function waitForReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}

/** Builds the app: database migrated (and seeded per config.seed), caches and metrics wired, routes registered. */
export async function buildApp(config: AppConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, options.logStream),
    genReqId: (req) => requestIdOf(req.headers['x-request-id']),
    logController: new RequestLogController({ requestIdLogLabel: 'request_id' }),
    childLoggerFactory: (logger, bindings, childOptions, rawReq) => {
      // A traced request's lines are named by its span (the mixin); any other request's by the ids decided
      // here, which is also where the request is decided traced or not (plugins/app/tracing.ts).
      const ids = decideRequestTrace(rawReq);
      return logger.child(ids === undefined ? bindings : { ...bindings, ...ids }, childOptions);
    },
    bodyLimit: 64 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
    // A hop count becomes the function Fastify takes for it: trust the nearest `n` hops (proxy-addr semantics).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
    // A client that sends its request slowly (slow loris) or not at all is cut off: the whole request within
    // requestTimeoutMs (408), its headers within headersTimeoutMs, an idle socket after connectionTimeoutMs,
    // and an idle keep-alive connection after keepAliveTimeoutMs.
    // Errors Fastify raises before routing (a URL whose percent-encoding does not decode) never reach the
    // error handler; they get the same error shape, naming the URL as the field.
    frameworkErrors: (error, _request, reply) => {
      // The reply's type here is bound to the route generics of an unknown route; the plain reply is what it is.
      (reply as unknown as FastifyReply).code(400).send(errorBody(400, `url: ${error.message}`, { field: 'url' }));
    },
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // Handed to http.createServer: how often the two deadlines are checked (config.ts).
    http: { connectionsCheckingInterval: config.connectionsCheckingIntervalMs },
  });
  // headersTimeout has no Fastify option, so it is set on the server itself.
  app.server.headersTimeout = config.headersTimeoutMs;
  if (options.onRoute !== undefined) app.addHook('onRoute', options.onRoute);
  // Every handler in a span of its own when its request is traced (the span @fastify/otel's handler
  // instrumentation made, named as it named it; telemetry/tracing.ts says why the service makes it).
  app.addHook('onRoute', function wrapHandlerInSpan(route) {
    const handler = route.handler as (this: unknown, ...args: unknown[]) => unknown;
    route.handler = traceHandler(
      `handler - ${handler.name || this.pluginName}`,
      { 'fastify.type': 'request-handler', 'http.route': route.url },
      handler,
    ) as typeof route.handler;
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = createMetrics();
  const db = new Db(config.databaseUrl, metrics, { max: config.dbPoolMax, timeoutMs: config.dbTimeoutMs });
  let redis: Redis | undefined;
  try {
    const prepared = await prepareDatabase(config.databaseUrl, config.seed);
    app.log.info(prepared, 'database ready');
    if (config.redisUrl !== undefined) {
      redis = createRedis(config.redisUrl);
      // Give Redis a moment so the first requests find L2 up; if it is down, start anyway (degraded cache).
      const connected = await waitForReady(redis, 3_000);
      if (!connected) app.log.warn('Redis is not reachable; starting with the L2 cache degraded');
    }
    const cache = new Cache(metrics, redis, config);
    if (prepared.seeded) await cache.clear();
    const sessions = new Sessions(db, config.sessionTtlSeconds, config.cookieSecure);
    // Expired sessions no longer sign anyone in; the sweep deletes them so the table does not grow forever.
    const sweep = () =>
      sessions.sweep().then(
        (count) => count > 0 && app.log.info({ count }, 'expired sessions deleted'),
        (error: unknown) => app.log.warn({ err: error }, 'expired-session sweep failed'),
      );
    await sweep();
    const sweepTimer = setInterval(sweep, config.sessionSweepSeconds * 1000);
    sweepTimer.unref();
    const faults = new Faults(config.faults);
    if (config.faults.length > 0) app.log.warn({ faults: config.faults }, 'fault injection is on');

    app.decorate('config', config);
    app.decorate('db', db);
    app.decorate('cache', cache);
    app.decorate('metrics', metrics);
    // The app port has no /metrics (docs/security.md, L2): its own listener, with the app's logger and deadlines.
    const metricsServer = buildMetricsServer(metrics, { ...config, logger: app.log });
    app.decorate('metricsServer', metricsServer);
    app.decorate('faults', faults);
    app.decorate('sessions', sessions);
    app.decorate(
      'passwordHashes',
      new PasswordHashGate(
        config.passwordHashConcurrency,
        config.passwordHashQueue ?? 4 * config.passwordHashConcurrency,
        { started: metrics.passwordHashes, rejected: metrics.passwordHashesRejected },
      ),
    );
    app.decorate('requireUser', registerAuth(app, sessions));
    app.addHook('onClose', async () => {
      clearInterval(sweepTimer);
      await metricsServer.close();
      cache.shutdown();
      if (redis !== undefined) await redis.quit().catch(() => redis?.disconnect());
      await db.close();
    });

    registerMetrics(app, metrics);
    // Fastify's "incoming request" line (same message and fields), written here, inside the request's span.
    app.addHook('onRequest', async (request) => request.log.info({ req: request }, 'incoming request'));
    registerFaults(app, faults, config.faultsAdminToken);
    registerForwardedForWatch(app, metrics);
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    registerErrorHandlers(app);
    await app.register(fastifyHelmet, { contentSecurityPolicy: CONTENT_SECURITY_POLICY });
    await app.register(fastifyCookie);
    // A store of 100,000 keys: login keys are (address, username), and failed logins per address are capped
    // (plugins/app/failure-limits.ts), so one client cannot flood the store to evict another's count.
    await app.register(fastifyRateLimit, { global: false, cache: 100_000 });

    await app.register(opsRoutes);
    await app.register(authRoutes);
    await app.register(marketRoutes);
    await app.register(fundFlowRoutes);
    await app.register(chartRoutes);
    await app.register(riskRoutes);
    await app.register(exportRoutes);
    await app.register(pageRoutes);
    await app.ready();
    return app;
  } catch (error) {
    await app.close().catch(() => {});
    await db.close().catch(() => {});
    redis?.disconnect();
    throw error;
  }
}

/**
 * Listens as the service does (server.ts): the metrics listener on config.metricsHost:metricsPort (loopback by
 * default), then the app on config.host:port. Metrics first, so once the app port answers /readyz the scrape
 * target is there too. Returns both listening URLs (a port 0 resolved).
 */
export async function listenApp(app: FastifyInstance): Promise<{ url: string; metricsUrl: string }> {
  const { config } = app;
  const metricsUrl = await app.metricsServer.listen({ host: config.metricsHost, port: config.metricsPort });
  app.log.info({ url: metricsUrl }, `metrics on ${metricsUrl}/metrics`);
  const url = await app.listen({ host: config.host, port: config.port });
  app.log.info({ url }, `listening on ${url}`);
  return { url, metricsUrl };
}
