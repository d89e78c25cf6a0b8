// Where a command finds a service, the same way in every command: an explicit flag, else the environment, else
// the running stack's reports/stack.json (written by `harness up`), each URL checked before it is used. A flag
// for one service never drops what stack.json says about another (`--target` keeps stack.json's Pushgateway).
import { existsSync, readFileSync } from 'node:fs';
import { HarnessError } from '../core/outcome.ts';
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

/** A base URL without trailing slash; a HarnessError naming where a value that is not an http(s) URL came from. */
export function checkUrl(source: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HarnessError(`${source}: '${value}' is not a URL (expected e.g. http://127.0.0.1:3000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HarnessError(`${source}: '${value}' is not an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
}
