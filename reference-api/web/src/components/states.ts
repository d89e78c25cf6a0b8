// Loading, empty and error states for every block of data on a page. A block is a host element whose content
// is replaced by: a `role="status"` "Loading …" text (host `aria-busy="true"`), the rendered data, an empty
// message, or a `role="alert"` error with a Retry button. A failed API call therefore never leaves a blank page.
import { ApiError, isAbort } from '../api.ts';
import { type Child, h, replace } from '../dom.ts';

export interface AsyncBlockOptions<T> {
  /** What is loaded, lower case, for the texts: "quotes" → "Loading quotes…", "Could not load quotes: …". */
  what: string;
  load: (signal: AbortSignal) => Promise<T>;
  render: (data: T) => Child;
  isEmpty?: (data: T) => boolean;
  /** Shown when `isEmpty` says so (a function when it depends on filters). */
  emptyText?: string | (() => string);
  /** The page's signal: leaving the page aborts loads and ignores late answers. */
  signal: AbortSignal;
  /** Called after each successful render (e.g. to update a "last updated" time). */
  onLoaded?: (data: T) => void;
  /** Called when a load fails (e.g. to hide a chart that would otherwise show stale data). */
  onError?: (error: unknown) => void;
}

export interface AsyncBlock<T> {
  /**
   * Loads and renders again. `quiet` keeps the current content visible while loading (interval refresh);
   * it only marks the host busy.
   */
  reload(opts?: { quiet?: boolean }): Promise<T | undefined>;
  /** The last data rendered. */
  readonly data: T | undefined;
}

/** The text of an error for the user. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A loading text (role=status). */
export function loadingView(what: string): HTMLElement {
  return h(
    'p',
    { role: 'status', class: 'state state-loading' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    `Loading ${what}…`,
  );
}

/** An error (role=alert) with a Retry button. */
export function errorView(what: string, error: unknown, retry: () => void): HTMLElement {
  return h(
    'div',
    { role: 'alert', class: 'state state-error' },
    h('p', null, `Could not load ${what}: ${errorText(error)}`),
    h('button', { type: 'button', class: 'btn', onclick: retry }, 'Retry'),
  );
}

/** Binds a host element to a load; the first load starts at once. */
export function asyncBlock<T>(host: HTMLElement, opts: AsyncBlockOptions<T>): AsyncBlock<T> {
  let data: T | undefined;
  let generation = 0;
  host.classList.add('async-block');

  async function reload({ quiet = false } = {}): Promise<T | undefined> {
    generation += 1;
    const mine = generation;
    host.setAttribute('aria-busy', 'true');
    if (!quiet || data === undefined) replace(host, loadingView(opts.what));
    try {
      const result = await opts.load(opts.signal);
      if (mine !== generation || opts.signal.aborted) return undefined;
      data = result;
      if (opts.isEmpty?.(result)) {
        const text = typeof opts.emptyText === 'function' ? opts.emptyText() : opts.emptyText;
        replace(host, h('p', { class: 'state state-empty' }, text ?? `No ${opts.what} to show.`));
      } else {
        replace(host, opts.render(result));
      }
      opts.onLoaded?.(result);
      return result;
    } catch (error) {
      if (mine !== generation || opts.signal.aborted || isAbort(error)) return undefined;
      // A 401 already sent the user to /login; the alert would flash for nothing.
      if (error instanceof ApiError && error.status === 401) return undefined;
      data = undefined;
      opts.onError?.(error);
      replace(
        host,
        errorView(opts.what, error, () => void reload()),
      );
      return undefined;
    } finally {
      if (mine === generation) host.setAttribute('aria-busy', 'false');
    }
  }

  void reload();
  return {
    reload,
    get data() {
      return data;
    },
  };
}
