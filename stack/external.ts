/**
 * The `external` stack mode: an existing deployment named by URLs in the environment; nothing is started and
 * nothing is stopped. Reachability is checked up front, so a wrong URL fails in seconds with exit code 2 and
 * its name, instead of as a wall of failed E2E tests.
 */
import { HarnessError } from '../core/outcome.ts';
import {
  describeAccess,
  fetchPrometheus,
  type PrometheusAccess,
  redactSecrets,
  redactUrl,
  refuseUrlCredentials,
} from '../core/prometheus-access.ts';
import { newRunId } from './state.ts';
import type { ServiceInfo, Stack, StackInfo, StackOptions } from './types.ts';

/** How long one reachability probe may take. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Connects to an external deployment: `API_URL` (the API) or `BASE_URL` (the pages), either one, since they share
 * one origin in this product (`API_URL` wins); `PROMETHEUS_URL` (required unless `withPrometheus` is false);
 * `PUSHGATEWAY_URL`, `DATABASE_URL`, `REDIS_URL` optional. A secured Prometheus is reached with
 * `options.prometheusAccess` (the CLI resolves it from --prometheus-* flags and HARNESS_PROMETHEUS_* variables).
 * Throws HarnessError (exit 2) naming an unreachable URL.
 */
export async function connectExternalStack(
  options: StackOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stack> {
  const log = options.log ?? (() => {});
  const apiUrl = trimUrl(env.API_URL || env.BASE_URL, 'API_URL');
  if (!apiUrl) {
    throw new HarnessError('external stack: set API_URL or BASE_URL to the deployment to test');
  }
  const prometheusUrl = trimUrl(env.PROMETHEUS_URL, 'PROMETHEUS_URL');
  // user:password@ in the URL is refused (it would be printed and written to stack.json): the flags say how.
  if (prometheusUrl) refuseUrlCredentials('external stack: PROMETHEUS_URL', prometheusUrl);
  if (!prometheusUrl && options.withPrometheus !== false) {
    throw new HarnessError(
      'external stack: set PROMETHEUS_URL (the Prometheus that scrapes the deployment; the SLO gate queries it)',
    );
  }
  const pushgatewayUrl = trimUrl(env.PUSHGATEWAY_URL, 'PUSHGATEWAY_URL');
  const accessText = describeAccess(options.prometheusAccess?.access);
  if (prometheusUrl && accessText) log(`prometheus: reached with ${accessText}`);
  if (options.faults && options.faults.length > 0) {
    log('external stack: faults cannot be injected at start-up here; use the deployment /admin/faults route');
  }

  const services: ServiceInfo[] = [];
  const prometheusAccess = options.prometheusAccess?.access;
  const check = async (name: string, url: string, probes: Probe[], prometheus?: { access?: PrometheusAccess }) => {
    const begin = performance.now();
    await probeAny(name, url, probes, prometheus);
    const startMs = Math.round(performance.now() - begin);
    services.push({ name, url, startMs });
    log(`${name}: reachable at ${url}`);
  };
  await Promise.all([
    check('api', apiUrl, [
      { path: '/healthz', accept: (status) => status >= 200 && status < 300 },
      // A deployment without /healthz: any answer of the front page short of a server error will do.
      { path: '/', accept: (status) => status < 500 },
    ]),
    ...(prometheusUrl
      ? [
          check(
            'prometheus',
            prometheusUrl,
            [
              { path: '/-/ready', accept: ok },
              // Thanos, Cortex, Mimir and VictoriaMetrics serve the HTTP API but not always /-/ready.
              { path: '/api/v1/status/buildinfo', accept: ok },
            ],
            prometheusAccess ? { access: prometheusAccess } : {},
          ),
        ]
      : []),
    ...(pushgatewayUrl ? [check('pushgateway', pushgatewayUrl, [{ path: '/-/ready', accept: ok }])] : []),
  ]);

  const info: StackInfo = {
    mode: 'external',
    runId: options.runId ?? newRunId(),
    apiUrl,
    ...(env.DATABASE_URL ? { postgresUrl: env.DATABASE_URL } : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(prometheusUrl ? { prometheusUrl } : {}),
    ...(prometheusUrl && options.prometheusAccess?.settings
      ? { prometheusAccess: options.prometheusAccess.settings }
      : {}),
    ...(pushgatewayUrl ? { pushgatewayUrl } : {}),
    startedAt: new Date().toISOString(),
    services,
  };
  return {
    info,
    stop: async () => {},
    [Symbol.asyncDispose]: async () => {},
  };
}

interface Probe {
  path: string;
  accept: (status: number) => boolean;
}

function ok(status: number): boolean {
  return status >= 200 && status < 300;
}

/** A base URL without trailing slash; throws HarnessError for something that is not an http(s) URL. */
function trimUrl(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new HarnessError(`external stack: ${name}=${redactUrl(value)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new HarnessError(`external stack: ${name}=${redactUrl(value)} is not an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
}

/** Passes when any probe's answer is accepted; otherwise throws HarnessError naming the URL and what it said. */
/** `prometheus`: the service is Prometheus, reached with its access; a refusal (401, 403) then says so at once. */
async function probeAny(
  name: string,
  baseUrl: string,
  probes: Probe[],
  prometheus?: { access?: PrometheusAccess },
): Promise<void> {
  const access = prometheus?.access;
  const answers: string[] = [];
  for (const probe of probes) {
    const url = `${baseUrl}${probe.path}`;
    try {
      const init = { redirect: 'manual' as const, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) };
      // Prometheus goes through its access (headers, credentials, CA); the other services are plain.
      const response = prometheus ? await fetchPrometheus(url, init, access) : await fetch(url, init);
      if (prometheus && (response.status === 401 || response.status === 403)) {
        await response.body?.cancel();
        throw new HarnessError(
          `external stack: ${name} at ${baseUrl} refused the request: HTTP ${response.status} (${access?.basicAuth || access?.bearerToken ? `sent ${describeAccess(access)}` : 'no credentials were sent'}; see docs/stack.md, "A secured Prometheus")`,
        );
      }
      await response.body?.cancel();
      if (probe.accept(response.status)) return;
      answers.push(`${url} answered ${response.status}`);
    } catch (error) {
      if (error instanceof HarnessError) throw error;
      answers.push(`${url}: ${redactSecrets(describeFetchError(error), access)}`);
      // Connection refused or timed out: the other paths of the same host will not do better.
      break;
    }
  }
  throw new HarnessError(`external stack: ${name} at ${baseUrl} is unreachable (${answers.join('; ')})`);
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return `no answer within ${PROBE_TIMEOUT_MS / 1000} s`;
    const cause = error.cause as { code?: string; message?: string } | undefined;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
