// The one way the pages talk to the API: JSON over fetch with a timeout, errors as ApiError carrying the API's
// message and field, and a 401 on any protected call sending the user to /login?next=<this page>.
import { loginUrl, setCurrentUser } from './session.ts';

/** Timeout of every API call; a hung request must end in the error state, not an endless spinner. */
const TIMEOUT_MS = 15_000;

/** An API call that failed: HTTP status (0 for network failures), the API's message and offending field. */
export class ApiError extends Error {
  readonly status: number;
  readonly field: string | undefined;
  /** Seconds from a 429's Retry-After header. */
  readonly retryAfter: number | undefined;

  constructor(status: number, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

/** Where the router sends a page; set by main.ts so this module does not import the router. */
let redirect: (url: string) => void = (url) => window.location.assign(url);
export function setRedirect(fn: (url: string) => void): void {
  redirect = fn;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Do not redirect to /login on 401 (the login call itself, and the session probe). */
  allow401?: boolean;
}

/** Builds `/api/...?a=1` leaving out empty parameters. */
export function apiPath(path: string, query: Record<string, string | number | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Performs one request and returns the raw Response when it is 2xx; throws ApiError otherwise. */
export async function apiFetch(path: string, opts: RequestOptions = {}): Promise<Response> {
  const signals = [AbortSignal.timeout(TIMEOUT_MS)];
  if (opts.signal) signals.push(opts.signal);
  let response: Response;
  try {
    response = await fetch(path, {
      method: opts.method ?? 'GET',
      headers: opts.body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    if (opts.signal?.aborted) throw error; // the page went away; nobody shows this
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    throw new ApiError(0, timedOut ? 'the server did not answer in time' : 'the server could not be reached');
  }
  if (response.ok) return response;
  let message = `${response.status} ${response.statusText}`.trim();
  let field: string | undefined;
  try {
    const body = (await response.json()) as { message?: unknown; field?: unknown };
    if (typeof body.message === 'string' && body.message) message = body.message;
    if (typeof body.field === 'string') field = body.field;
  } catch {
    // Not JSON (a proxy's error page): keep the status line.
  }
  const retryAfterHeader = response.headers.get('retry-after');
  const retryAfter = retryAfterHeader ? Number(retryAfterHeader) : undefined;
  if (response.status === 401 && !opts.allow401) {
    setCurrentUser(null);
    redirect(loginUrl());
  }
  throw new ApiError(response.status, message, field, Number.isFinite(retryAfter) ? retryAfter : undefined);
}

/** A JSON request; `undefined` for 204. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const response = await apiFetch(path, opts);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** True for the abort of a page that was left; such failures are not shown. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
