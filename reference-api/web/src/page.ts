// What every page gets from the router, and the small pieces every page uses (title, heading).
import { h } from './dom.ts';

export interface PageContext {
  /** Path parameters, e.g. { symbol: '600519' } on /charts/600519. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Aborted when the user leaves the page: stops loads, timers and listeners. */
  signal: AbortSignal;
  /** Client-side navigation (pushState, or replaceState with `replace`). */
  navigate(url: string, opts?: { replace?: boolean }): void;
}

/** Renders a page into <main>; may return a clean-up function (timers, charts). */
export type PageRender = (main: HTMLElement, ctx: PageContext) => undefined | (() => void);

/** Sets the document title and returns the page's <h1> (focusable, so navigation can move focus to it). */
export function pageHeading(title: string, docTitle = title): HTMLHeadingElement {
  document.title = `${docTitle} · MyStocks`;
  return h('h1', { tabindex: '-1' }, title);
}

/** Updates the query string of the current page without a navigation (state kept in the URL for links/tests). */
export function setQuery(params: Record<string, string | null>): void {
  const url = new URL(window.location.href);
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === '') url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}
