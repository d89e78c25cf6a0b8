// The environment of a service the local stack starts: an allow-list, never the harness's whole environment.
// The harness's own environment holds what its services must not see: the Prometheus credentials
// (HARNESS_PROMETHEUS_BASIC_AUTH, HARNESS_PROMETHEUS_BEARER_TOKEN), a CI runner's tokens, a developer's shell. A
// child's environment can be read by anything running as its user (/proc/<pid>/environ) and ends up in core
// dumps and crash reports; each service gets the few variables it runs with, plus what its builder sets.

/** What every service may inherit: where programs are, the home directory, the locale, the time zone, temp files. */
export const BASE_SERVICE_ENV: readonly string[] = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

/** What a service inherits beyond {@link BASE_SERVICE_ENV}, and what its builder sets (which wins). */
export interface ServiceEnvSpec {
  /** More variables to inherit by exact name. */
  names?: readonly string[];
  /** Variables to inherit by prefix, e.g. `NODE_` for a Node service. */
  prefixes?: readonly string[];
  /** Values the builder sets; they win over anything inherited. */
  set?: Record<string, string>;
}

/** The environment of one service: the allow-listed variables of `from` (the harness's), then `spec.set`. */
export function serviceEnvironment(
  spec: ServiceEnvSpec = {},
  from: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const names = new Set([...BASE_SERVICE_ENV, ...(spec.names ?? [])]);
  const prefixes = spec.prefixes ?? [];
  const inherited = Object.entries(from).filter(
    (entry): entry is [string, string] =>
      entry[1] !== undefined && (names.has(entry[0]) || prefixes.some((prefix) => entry[0].startsWith(prefix))),
  );
  return { ...Object.fromEntries(inherited), ...spec.set };
}
