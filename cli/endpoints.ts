// Where a command finds a service, the same way in every command: an explicit flag, else the environment, else
// the running stack's reports/stack.json (written by `harness up`), each URL checked before it is used. A flag
// for one service never drops what stack.json says about another (`--target` keeps stack.json's Pushgateway).
// A Prometheus also has its access (headers, credentials, CA), resolved the same way: resolvePrometheus().
import { existsSync, readFileSync } from 'node:fs';
import { HarnessError } from '../core/outcome.ts';
import {
  DEFAULT_MAX_BODY_BYTES,
  formatBytes,
  type PrometheusAccess,
  type PrometheusAccessSettings,
  parseBasicAuth,
  parseByteSize,
  parseHeaderLine,
  readSecretFile,
  redactUrl,
  refuseUrlCredentials,
} from '../core/prometheus-access.ts';
import { stackFilePath } from '../stack/state.ts';
import type { StackInfo } from '../stack/types.ts';

/** One service's URL and where it came from. */
export interface Endpoint {
  url: string;
  /** "--target", "API_URL", "reports/stack.json". */
  source: string;
}

/** What to look at for one service. */
export interface EndpointSpec {
  /** The flag's value and its name, e.g. ['--target', value]. */
  flag: { name: string; value: string | undefined };
  /** Environment variables, first wins. */
  env: string[];
  /** The URL in stack.json, when the stack has this service. */
  fromStack: (info: StackInfo) => string | undefined;
}

/** The running stack's stack.json, or undefined without one; a file that cannot be read is an error. */
export function readStackFile(path = stackFilePath()): StackInfo | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StackInfo;
  } catch (error) {
    throw new HarnessError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** flag > environment > stack.json; undefined when none gives a URL. Throws for a value that is not a URL. */
export function resolveEndpoint(
  spec: EndpointSpec,
  stack: StackInfo | undefined = readStackFile(),
): Endpoint | undefined {
  const candidates: [string, string | undefined][] = [
    [spec.flag.name, spec.flag.value],
    ...spec.env.map((name): [string, string | undefined] => [name, process.env[name] || undefined]),
    ['reports/stack.json', stack ? spec.fromStack(stack) : undefined],
  ];
  for (const [source, value] of candidates) {
    if (value !== undefined && value !== '') return { url: checkUrl(source, value), source };
  }
  return undefined;
}

/**
 * A base URL without trailing slash; a HarnessError naming where a value that is not an http(s) URL came from
 * (the value shown redacted: a malformed URL may still hold a password).
 */
export function checkUrl(source: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HarnessError(`${source}: '${redactUrl(value)}' is not a URL (expected e.g. http://127.0.0.1:3000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HarnessError(`${source}: '${redactUrl(value)}' is not an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
}

/**
 * The flags of a secured or multi-tenant Prometheus, shared by every command that talks to Prometheus (spread
 * into its options; `harness completion` reads them from there). Credentials have no flag taking a value: only
 * a file, or the environment.
 */
export const PROMETHEUS_ACCESS_OPTIONS = {
  'prometheus-header': { type: 'string', multiple: true },
  'prometheus-basic-auth-file': { type: 'string' },
  'prometheus-bearer-token-file': { type: 'string' },
  'prometheus-ca-file': { type: 'string' },
  'prometheus-cert-file': { type: 'string' },
  'prometheus-key-file': { type: 'string' },
  'prometheus-max-body': { type: 'string' },
} as const;

/** The usage lines of {@link PROMETHEUS_ACCESS_OPTIONS}. */
export const PROMETHEUS_ACCESS_USAGE = `  --prometheus-header 'Name: value'
                 an extra header on every request to Prometheus, e.g. 'X-Scope-OrgID: team-a' (repeatable;
                 default $HARNESS_PROMETHEUS_HEADERS, one header a line); not Authorization: credentials
                 come from the next two
  --prometheus-basic-auth-file F   user:password for basic auth (default $HARNESS_PROMETHEUS_BASIC_AUTH,
                 or the file $HARNESS_PROMETHEUS_BASIC_AUTH_FILE names); never printed
  --prometheus-bearer-token-file F a bearer token (default $HARNESS_PROMETHEUS_BEARER_TOKEN, or the file
                 $HARNESS_PROMETHEUS_BEARER_TOKEN_FILE names); never printed
  --prometheus-ca-file F           PEM CA to trust for an https Prometheus (default $HARNESS_PROMETHEUS_CA_FILE)
  --prometheus-cert-file F         PEM client certificate for a Prometheus that requires mutual TLS, with
                 --prometheus-key-file F, its private key (default $HARNESS_PROMETHEUS_CERT_FILE and
                 $HARNESS_PROMETHEUS_KEY_FILE); the key is never printed
  --prometheus-max-body SIZE       the most of one Prometheus answer that is read, e.g. 64MiB (default
                 $HARNESS_PROMETHEUS_MAX_BODY, else ${formatBytes(DEFAULT_MAX_BODY_BYTES).replace(' ', '')}); a larger answer is inconclusive
  A Prometheus URL with user:password@ in it is refused: use --prometheus-basic-auth-file instead`;

/** The parsed values of {@link PROMETHEUS_ACCESS_OPTIONS}. */
export interface PrometheusAccessFlags {
  'prometheus-header'?: string[] | undefined;
  'prometheus-basic-auth-file'?: string | undefined;
  'prometheus-bearer-token-file'?: string | undefined;
  'prometheus-ca-file'?: string | undefined;
  'prometheus-cert-file'?: string | undefined;
  'prometheus-key-file'?: string | undefined;
  'prometheus-max-body'?: string | undefined;
}

/** The access to use (secrets in memory) and what of it may be written to stack.json (no secret values). */
export interface ResolvedPrometheusAccess {
  access?: PrometheusAccess;
  settings?: PrometheusAccessSettings;
}

/**
 * Headers, credentials, CA and client certificate for Prometheus, each on its own: flag > environment > stack.json (the last only
 * when the Prometheus URL itself came from stack.json: its settings belong to that Prometheus). Credentials
 * are one setting: the first source giving any wins, and one source giving both basic auth and a token is an
 * error (both would be the Authorization header). Secret values are read here and never written anywhere.
 */
export function resolvePrometheusAccess(
  flags: PrometheusAccessFlags,
  options: { stack?: StackInfo | undefined; env?: NodeJS.ProcessEnv } = {},
): ResolvedPrometheusAccess {
  const env = options.env ?? process.env;
  const sources: AccessSources = { flags, env, fromStack: options.stack?.prometheusAccess };
  const into: AccessInto = { access: {}, settings: {} };
  // Each setting on its own, in this order (the first error is the one said).
  resolveHeaders(sources, into);
  resolveCredentials(sources, into);
  resolveCaFile(sources, into);
  resolveClientCert(sources, into);
  resolveMaxBody(sources, into);
  const { access, settings } = into;
  return {
    ...(Object.keys(access).length > 0 ? { access } : {}),
    ...(Object.keys(settings).length > 0 ? { settings } : {}),
  };
}

/** Where a Prometheus access setting may come from, in this order: flags, environment, stack.json. */
interface AccessSources {
  flags: PrometheusAccessFlags;
  env: NodeJS.ProcessEnv;
  fromStack: PrometheusAccessSettings | undefined;
}

/** What a setting resolves into: the access (secrets in memory) and what of it stack.json may keep. */
interface AccessInto {
  access: PrometheusAccess;
  settings: PrometheusAccessSettings;
}

/** Extra headers: every --prometheus-header, else HARNESS_PROMETHEUS_HEADERS (one a line), else stack.json's. */
function resolveHeaders({ flags, env, fromStack }: AccessSources, { access, settings }: AccessInto): void {
  const flagHeaders = flags['prometheus-header'] ?? [];
  const headerLines: [string, string[]] | undefined =
    flagHeaders.length > 0
      ? ['--prometheus-header', flagHeaders]
      : env.HARNESS_PROMETHEUS_HEADERS
        ? ['HARNESS_PROMETHEUS_HEADERS', env.HARNESS_PROMETHEUS_HEADERS.split(/\r?\n/).filter((l) => l.trim() !== '')]
        : undefined;
  const headers = headerLines
    ? Object.fromEntries(headerLines[1].map((line) => parseHeaderLine(line, headerLines[0])))
    : fromStack?.headers;
  if (headers && Object.keys(headers).length > 0) {
    access.headers = headers;
    settings.headers = headers;
  }
}

/**
 * Basic auth or a bearer token, one setting: the first source giving either wins, and a source giving both is an
 * error. Secrets are read here; only the files' names are kept for stack.json.
 */
function resolveCredentials({ flags, env, fromStack }: AccessSources, { access, settings }: AccessInto): void {
  // Each candidate: [source, basic auth "user:password" (text or file), bearer token (text or file)].
  type Secret = { text: string } | { file: string };
  const candidates: [string, Secret | undefined, Secret | undefined][] = [
    [
      'flags',
      flags['prometheus-basic-auth-file'] ? { file: flags['prometheus-basic-auth-file'] } : undefined,
      flags['prometheus-bearer-token-file'] ? { file: flags['prometheus-bearer-token-file'] } : undefined,
    ],
    [
      'environment',
      env.HARNESS_PROMETHEUS_BASIC_AUTH
        ? { text: env.HARNESS_PROMETHEUS_BASIC_AUTH }
        : env.HARNESS_PROMETHEUS_BASIC_AUTH_FILE
          ? { file: env.HARNESS_PROMETHEUS_BASIC_AUTH_FILE }
          : undefined,
      env.HARNESS_PROMETHEUS_BEARER_TOKEN
        ? { text: env.HARNESS_PROMETHEUS_BEARER_TOKEN }
        : env.HARNESS_PROMETHEUS_BEARER_TOKEN_FILE
          ? { file: env.HARNESS_PROMETHEUS_BEARER_TOKEN_FILE }
          : undefined,
    ],
    [
      'reports/stack.json',
      fromStack?.basicAuthFile ? { file: fromStack.basicAuthFile } : undefined,
      fromStack?.bearerTokenFile ? { file: fromStack.bearerTokenFile } : undefined,
    ],
  ];
  const chosen = candidates.find(([, basic, bearer]) => basic !== undefined || bearer !== undefined);
  if (!chosen) return;
  const [source, basic, bearer] = chosen;
  if (basic && bearer) {
    throw new HarnessError(`${source}: give basic auth or a bearer token for Prometheus, not both`);
  }
  if (basic) {
    const text = 'text' in basic ? basic.text : readSecretFile(basic.file, 'the Prometheus basic-auth file');
    access.basicAuth = parseBasicAuth(
      text,
      'text' in basic ? 'HARNESS_PROMETHEUS_BASIC_AUTH' : `the Prometheus basic-auth file ${basic.file}`,
    );
    if ('file' in basic) settings.basicAuthFile = basic.file;
  }
  if (bearer) {
    const token = 'text' in bearer ? bearer.text : readSecretFile(bearer.file, 'the Prometheus bearer-token file');
    if (token.trim() === '') throw new HarnessError(`${source}: the Prometheus bearer token is empty`);
    access.bearerToken = token.trim();
    if ('file' in bearer) settings.bearerTokenFile = bearer.file;
  }
}

/** The CA that signed Prometheus's certificate: a file that must exist. */
function resolveCaFile({ flags, env, fromStack }: AccessSources, { access, settings }: AccessInto): void {
  const caFile = flags['prometheus-ca-file'] || env.HARNESS_PROMETHEUS_CA_FILE || fromStack?.caFile;
  if (!caFile) return;
  if (!existsSync(caFile)) throw new HarnessError(`the Prometheus CA file ${caFile} does not exist`);
  access.caFile = caFile;
  settings.caFile = caFile;
}

/** The client certificate and its key: one setting, taken whole from the first source that gives either. */
function resolveClientCert({ flags, env, fromStack }: AccessSources, { access, settings }: AccessInto): void {
  const pairs: [string, string | undefined, string | undefined][] = [
    ['--prometheus-cert-file and --prometheus-key-file', flags['prometheus-cert-file'], flags['prometheus-key-file']],
    [
      'HARNESS_PROMETHEUS_CERT_FILE and HARNESS_PROMETHEUS_KEY_FILE',
      env.HARNESS_PROMETHEUS_CERT_FILE,
      env.HARNESS_PROMETHEUS_KEY_FILE,
    ],
    ['reports/stack.json', fromStack?.certFile, fromStack?.keyFile],
  ];
  const pair = pairs.find(([, cert, key]) => Boolean(cert) || Boolean(key));
  if (!pair) return;
  const [source, certFile, keyFile] = pair;
  if (!certFile || !keyFile) throw new HarnessError(`${source}: give the client certificate and its key together`);
  for (const [file, what] of [
    [certFile, 'client certificate'],
    [keyFile, 'client key'],
  ] as const) {
    if (!existsSync(file)) throw new HarnessError(`the Prometheus ${what} ${file} does not exist`);
  }
  access.clientCert = { certFile, keyFile };
  settings.certFile = certFile;
  settings.keyFile = keyFile;
}

/** The size cap of one answer (core/prometheus-access.ts DEFAULT_MAX_BODY_BYTES when none is given). */
function resolveMaxBody({ flags, env, fromStack }: AccessSources, { access, settings }: AccessInto): void {
  const maxBody: [string, string] | undefined = flags['prometheus-max-body']
    ? ['--prometheus-max-body', flags['prometheus-max-body']]
    : env.HARNESS_PROMETHEUS_MAX_BODY
      ? ['HARNESS_PROMETHEUS_MAX_BODY', env.HARNESS_PROMETHEUS_MAX_BODY]
      : undefined;
  const maxBodyBytes = maxBody ? parseByteSize(maxBody[1]) : fromStack?.maxBodyBytes;
  if (maxBody && maxBodyBytes === undefined) {
    throw new HarnessError(
      `${maxBody[0]}: '${maxBody[1]}' is not a size (a positive number of bytes, or with KiB, MiB, GiB, kB, MB, GB, e.g. 64MiB)`,
    );
  }
  if (maxBodyBytes !== undefined) {
    access.maxBodyBytes = maxBodyBytes;
    settings.maxBodyBytes = maxBodyBytes;
  }
}

/** A Prometheus to talk to: its URL and how (headers, credentials, CA). */
export interface PrometheusEndpoint extends Endpoint {
  access?: PrometheusAccess;
}

/**
 * The Prometheus of a command: `--prometheus` > PROMETHEUS_URL > stack.json for the URL (as resolveEndpoint),
 * and its access (resolvePrometheusAccess); stack.json's access only with stack.json's URL. A URL carrying
 * `user:password@` is a usage error naming the credential settings (refuseUrlCredentials).
 */
export function resolvePrometheus(
  flags: PrometheusAccessFlags & { prometheus?: string | undefined },
  stack: StackInfo | undefined = readStackFile(),
): PrometheusEndpoint | undefined {
  const endpoint = resolveEndpoint(
    {
      flag: { name: '--prometheus', value: flags.prometheus },
      env: ['PROMETHEUS_URL'],
      fromStack: (info) => info.prometheusUrl,
    },
    stack,
  );
  if (!endpoint) return undefined;
  // Credentials in the URL would be printed with it and cannot be sent by fetch: refused, pointing at the flags.
  refuseUrlCredentials(endpoint.source, endpoint.url);
  const { access } = resolvePrometheusAccess(flags, {
    stack: endpoint.source === 'reports/stack.json' ? stack : undefined,
  });
  return { ...endpoint, ...(access ? { access } : {}) };
}
