// How the harness reaches a secured or multi-tenant Prometheus (Thanos, Mimir, Cortex behind a gateway): extra
// headers (a tenant's X-Scope-OrgID), basic auth or a bearer token, a CA to trust for TLS and a client
// certificate for mutual TLS (Prometheus' tls_config: ca_file, cert_file, key_file). It lives in core/
// because both the stack layer (the external stack's reachability probe) and the SLO layer (the query client)
// send requests with it, and neither may import the other.
//
// Secrets never travel as flag values and never leave this process: they are read from the environment or a
// file (cli/endpoints.ts), kept here in memory, and {@link redactSecrets} blanks them out of any text the client
// turns into a message. What may be shown or written (reports/stack.json) is {@link PrometheusAccessSettings}:
// header values, file paths, never a password, token or private key. Nor is a credential taken from a URL
// (`http://user:password@host`): {@link refuseUrlCredentials} says where to give it instead, and
// {@link redactUrl} is how any URL a message shows is written.
//
// Prometheus' answers are untrusted: {@link fetchPrometheus} follows no redirect (a 3xx would carry the tenant
// header and the credentials to wherever it points), and {@link readBody} reads at most `maxBodyBytes` of an
// answer (default {@link DEFAULT_MAX_BODY_BYTES}).
import { readFileSync } from 'node:fs';
import { Agent, type Dispatcher, fetch, type RequestInit, type Response } from 'undici';
import { HarnessError } from './outcome.ts';

/** Headers the user may not set with --prometheus-header: credentials come from a file or the environment. */
export const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/** What reaches Prometheus besides the URL; secret values are held in memory only. */
export interface PrometheusAccess {
  /** Extra request headers, e.g. `{ 'X-Scope-OrgID': 'tenant-a' }`. */
  headers?: Record<string, string>;
  basicAuth?: { username: string; password: string };
  bearerToken?: string;
  /** A PEM file of the CA(s) to trust for an https Prometheus (besides none: this replaces Node's defaults). */
  caFile?: string;
  /** PEM files of the client certificate and its private key, for a Prometheus that requires mutual TLS. */
  clientCert?: { certFile: string; keyFile: string };
  /** The most of one answer's body that is read (default {@link DEFAULT_MAX_BODY_BYTES}); more is refused. */
  maxBodyBytes?: number;
}

/** The parts of the access that may be written down (stack.json) and shown: no secret values, only file paths. */
export interface PrometheusAccessSettings {
  headers?: Record<string, string>;
  basicAuthFile?: string;
  bearerTokenFile?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  maxBodyBytes?: number;
}

/**
 * The most of one Prometheus answer the harness reads, 16 MiB. An SLO query answers one series (a few hundred
 * bytes); a diagnosis breakdown by endpoint a few hundred series; a chart's range query 600 points per series
 * (MAX_POINTS in slo/evaluate/range.ts), about 30 bytes a point, so 16 MiB holds some 900 such series. Beyond
 * that an answer is not one the harness asked for, and reading it whole costs memory in proportion (a 50 MB
 * answer of many series took 778 MB and 26 s before this cap).
 */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A `Name: value` header line as a pair; throws HarnessError naming `source` for anything else. */
export function parseHeaderLine(line: string, source: string): [string, string] {
  const colon = line.indexOf(':');
  const name = colon < 0 ? '' : line.slice(0, colon).trim();
  // RFC 9110 token characters: what a header name may hold.
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new HarnessError(`${source}: expected 'Name: value', got '${line}'`);
  }
  if (CREDENTIAL_HEADERS.includes(name.toLowerCase())) {
    // The value is not echoed: it is a credential given where it may end up in shell history and process lists.
    throw new HarnessError(
      `${source}: the ${name} header carries a credential and is not taken from a flag or header list; use --prometheus-basic-auth-file or --prometheus-bearer-token-file (or HARNESS_PROMETHEUS_BASIC_AUTH / HARNESS_PROMETHEUS_BEARER_TOKEN)`,
    );
  }
  return [name, line.slice(colon + 1).trim()];
}

/** `user:password` as basic-auth credentials; the error names where it came from, never the text. */
export function parseBasicAuth(text: string, source: string): { username: string; password: string } {
  const trimmed = text.replace(/\r?\n$/, '');
  const colon = trimmed.indexOf(':');
  if (colon <= 0) throw new HarnessError(`${source}: expected 'user:password' (the value is not shown)`);
  return { username: trimmed.slice(0, colon), password: trimmed.slice(colon + 1) };
}

/** The file's text without its final newline; a HarnessError naming the file when it cannot be read. */
export function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new HarnessError(`${what} ${path} cannot be read (${code})`);
  }
}

/** The request headers of the access (Authorization from basic auth or the bearer token, then the extras). */
export function accessHeaders(access: PrometheusAccess | undefined): Record<string, string> {
  if (!access) return {};
  const headers: Record<string, string> = { ...access.headers };
  if (access.basicAuth) {
    const { username, password } = access.basicAuth;
    headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  } else if (access.bearerToken) {
    headers.Authorization = `Bearer ${access.bearerToken}`;
  }
  return headers;
}

/** One Agent per CA and client certificate for the process: connections are pooled, the files read once. */
const agents = new Map<string, Agent>();

/** A PEM file's text; a HarnessError naming the file (never its text: a key is a secret) when unreadable. */
function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new HarnessError(
      `the Prometheus ${what} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

/**
 * The dispatcher trusting the access' CA and presenting its client certificate, or undefined to use undici's
 * default (the system's CAs, no client certificate).
 */
function dispatcherOf(access: PrometheusAccess | undefined): Dispatcher | undefined {
  const { caFile, clientCert } = access ?? {};
  if (!caFile && !clientCert) return undefined;
  const key = JSON.stringify([caFile, clientCert?.certFile, clientCert?.keyFile]);
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({
      connect: {
        ...(caFile ? { ca: readPem(caFile, 'CA file') } : {}),
        ...(clientCert
          ? { cert: readPem(clientCert.certFile, 'client certificate'), key: readPem(clientCert.keyFile, 'client key') }
          : {}),
      },
    });
    agents.set(key, agent);
  }
  return agent;
}

/**
 * The one way a request reaches Prometheus: `fetch` with the access' headers (after the caller's) and, for a CA
 * file or a client certificate, a dispatcher that trusts the one and presents the other. undici's own fetch, so the dispatcher and the fetch are the same library.
 * Redirects are never followed (`redirect: 'manual'`): fetch would resend the tenant header and the
 * Authorization header to whatever origin a 3xx names, and a 302 or 303 would turn the POST of a query into a
 * GET without its form. The 3xx itself is the answer; {@link redirectTarget} says where it pointed.
 */
export function fetchPrometheus(
  url: string,
  init: RequestInit,
  access: PrometheusAccess | undefined,
): Promise<Response> {
  const dispatcher = dispatcherOf(access);
  return fetch(url, {
    ...init,
    headers: { ...(init.headers as Record<string, string> | undefined), ...accessHeaders(access) },
    ...(dispatcher ? { dispatcher } : {}),
    redirect: 'manual',
  });
}

/** True for the statuses fetch would have followed: 301, 302, 303, 307, 308 (and any other 3xx). */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/** Where a 3xx pointed (its Location, made absolute against the request's URL), redacted; or why it cannot say. */
export function redirectTarget(response: Response, requestUrl: string): string {
  const location = response.headers.get('location');
  if (location === null) return 'no Location header';
  let absolute: string;
  try {
    absolute = new URL(location, requestUrl).href;
  } catch {
    absolute = location;
  }
  return redactUrl(absolute);
}

/** A body read in full, or the fact that it was larger than allowed (the rest is never read). */
export type BodyRead = { text: string } | { tooLarge: { limitBytes: number; declaredBytes?: number } };

/**
 * The body of an answer as text, reading at most `maxBytes` (default {@link DEFAULT_MAX_BODY_BYTES}): a
 * Content-Length above the cap is refused before a byte is read, and a body streamed without one is cut as
 * soon as it passes the cap, the connection cancelled. Memory is then bounded by the cap, not by what the
 * server sends. The caller's AbortSignal (given to fetch) still bounds the time.
 */
export async function readBody(response: Response, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<BodyRead> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return { tooLarge: { limitBytes: maxBytes, declaredBytes: declared } };
  }
  if (!response.body) return { text: '' };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return { tooLarge: { limitBytes: maxBytes } };
    }
    chunks.push(value);
  }
  // Bytes first, decoded once (decoding chunk by chunk measured worse: 378 MiB against 206 MiB for 50 MB answers).
  return { text: Buffer.concat(chunks, size).toString('utf8') };
}

/** A byte count as people read it: "16 MiB", "1.5 KiB", "512 bytes". */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/**
 * `16MiB`, `512KiB`, `64MB`, `1048576`: a byte count for --prometheus-max-body; binary units (KiB, MiB, GiB)
 * are powers of 1024, decimal ones (kB, MB, GB) powers of 1000, a bare number is bytes. Undefined when the
 * text is none of these or not a positive whole number of bytes.
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|kB|KB|MB|GB)?\s*$/.exec(text);
  if (!match) return undefined;
  const factor: Record<string, number> = {
    B: 1,
    KiB: 1024,
    MiB: 1024 ** 2,
    GiB: 1024 ** 3,
    kB: 1000,
    KB: 1000,
    MB: 1000 ** 2,
    GB: 1000 ** 3,
  };
  const bytes = Number(match[1]) * (factor[match[2] ?? 'B'] ?? 1);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/**
 * A URL as it may be shown: the user and password of `user:password@` become `[redacted]`, and so does every
 * query value and a fragment (a redirect's Location may carry a signed token there). A URL with none of these
 * is returned exactly as given. Text that is not a URL has anything between `//` and its last `@` blanked.
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.replace(/\/\/.*@/s, '//[redacted]@');
  }
  if (!url.username && !url.password && !url.search && !url.hash) return text;
  const auth = url.username || url.password ? '[redacted]@' : '';
  const query = url.search
    ? `?${[...url.searchParams.keys()].map((name) => `${encodeURIComponent(name)}=[redacted]`).join('&')}`
    : '';
  return `${url.protocol}//${auth}${url.host}${url.pathname}${query}${url.hash ? '#[redacted]' : ''}`;
}

/**
 * Refuses a Prometheus URL that carries credentials (`http://user:password@host`): fetch cannot send them (it
 * refuses such a URL, naming it whole in its error), and a URL is printed, logged and written into reports
 * where a password must not be. The message names where the URL came from and the credential settings, and
 * shows the URL redacted. A value that is not a URL is left to the caller's own check.
 */
export function refuseUrlCredentials(source: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return;
  }
  if (!url.username && !url.password) return;
  throw new HarnessError(
    `${source}: ${redactUrl(value)} carries credentials in the URL, which the harness does not take (a URL is printed and written into reports); give the URL without them, and the credentials with --prometheus-basic-auth-file or HARNESS_PROMETHEUS_BASIC_AUTH (or HARNESS_PROMETHEUS_BASIC_AUTH_FILE), or a token with --prometheus-bearer-token-file or HARNESS_PROMETHEUS_BEARER_TOKEN`,
  );
}

/**
 * The text with every secret of the access (password, token, their encodings) replaced by `[redacted]`, and the
 * user and password of any URL in it (`scheme://user:password@`) too, with or without an access.
 */
export function redactSecrets(text: string, access: PrometheusAccess | undefined): string {
  const secrets: string[] = [];
  if (access?.basicAuth) {
    const { username, password } = access.basicAuth;
    secrets.push(Buffer.from(`${username}:${password}`).toString('base64'), password);
  }
  if (access?.bearerToken) secrets.push(access.bearerToken);
  // A URL's userinfo ends at the last '@' before its path, query or fragment (a password may hold a raw '@').
  let out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, '$1[redacted]@');
  // Longest first, so a password inside the base64 form's source cannot leave half of it.
  for (const secret of secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('[redacted]');
  }
  return out;
}

/** What a log line may say about the access: which kinds are in use and the header names, never a value. */
export function describeAccess(access: PrometheusAccess | undefined): string | undefined {
  if (!access) return undefined;
  const parts = [
    ...(access.basicAuth ? ['basic auth'] : []),
    ...(access.bearerToken ? ['a bearer token'] : []),
    ...Object.keys(access.headers ?? {}).map((name) => `header ${name}`),
    ...(access.caFile ? [`CA ${access.caFile}`] : []),
    ...(access.clientCert ? [`client certificate ${access.clientCert.certFile}`] : []),
  ];
  return parts.length === 0 ? undefined : parts.join(', ');
}

/** The variables that carry a Prometheus credential itself (the *_FILE ones name a file, which is no secret). */
export const CREDENTIAL_ENV = ['HARNESS_PROMETHEUS_BASIC_AUTH', 'HARNESS_PROMETHEUS_BEARER_TOKEN'] as const;

/**
 * The harness's environment for a tool it runs that needs most of it (Playwright and its browsers, Allure's
 * generator), less the Prometheus credentials: a child's environment can be read by anything running as its
 * user (/proc/<pid>/environ) and ends up in crash reports, and none of those tools asks Prometheus anything.
 */
export function withoutCredentials(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const rest = { ...env };
  for (const name of CREDENTIAL_ENV) delete rest[name];
  return rest;
}
