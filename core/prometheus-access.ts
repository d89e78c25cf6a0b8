// How the harness reaches a secured or multi-tenant Prometheus (Thanos, Mimir, Cortex behind a gateway): extra
// headers (a tenant's X-Scope-OrgID), basic auth or a bearer token, a CA to trust for TLS and a client
// certificate for mutual TLS (Prometheus' tls_config: ca_file, cert_file, key_file). It lives in core/
// because both the stack layer (the external stack's reachability probe) and the SLO layer (the query client)
// send requests with it, and neither may import the other.
//
// Secrets never travel as flag values and never leave this process: they are read from the environment or a
// file (cli/endpoints.ts), kept here in memory, and {@link redactSecrets} blanks them out of any text the client
// turns into a message. What may be shown or written (reports/stack.json) is {@link PrometheusAccessSettings}:
// header values, file paths, never a password, token or private key.
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
}

/** The parts of the access that may be written down (stack.json) and shown: no secret values, only file paths. */
export interface PrometheusAccessSettings {
  headers?: Record<string, string>;
  basicAuthFile?: string;
  bearerTokenFile?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

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
  });
}

/** The text with every secret of the access (password, token, their encodings) replaced by `[redacted]`. */
export function redactSecrets(text: string, access: PrometheusAccess | undefined): string {
  if (!access) return text;
  const secrets: string[] = [];
  if (access.basicAuth) {
    const { username, password } = access.basicAuth;
    secrets.push(Buffer.from(`${username}:${password}`).toString('base64'), password);
  }
  if (access.bearerToken) secrets.push(access.bearerToken);
  let out = text;
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
