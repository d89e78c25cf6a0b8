// The single-page app: a History-API router over the six page paths, the shared navigation bar with the
// session control, and the session probe. The server answers index.html for every page path (docs/api.md).
import { api, apiPath, setRedirect } from './api.ts';
import { h, replace } from './dom.ts';
import { type PageContext, type PageRender, pageHeading } from './page.ts';
import { renderCharts } from './pages/charts.ts';
import { renderExport } from './pages/export.ts';
import { renderFundFlow } from './pages/fund-flow.ts';
import { renderLogin } from './pages/login.ts';
import { renderMarket } from './pages/market.ts';
import { renderRisk } from './pages/risk.ts';
import { lastSymbol, onSymbolChange } from './prefs.ts';
import { currentUser, loginUrl, onUserChange, setCurrentUser } from './session.ts';
import type { QuotesPage, User } from './types.ts';

interface Route {
  pattern: RegExp;
  render: PageRender;
  /** Needs a session: without one, go to /login?next=... before rendering. */
  protected?: boolean;
  /** Which nav link is current. */
  nav?: string;
}

const routes: Route[] = [
  { pattern: /^\/login\/?$/, render: renderLogin },
  { pattern: /^\/market\/?$/, render: renderMarket, nav: 'market' },
  { pattern: /^\/fund-flow\/?$/, render: renderFundFlow, nav: 'fund-flow' },
  { pattern: /^\/risk\/?$/, render: renderRisk, protected: true, nav: 'risk' },
  { pattern: /^\/charts\/(?<symbol>[^/]+)\/?$/, render: renderCharts, nav: 'charts' },
  { pattern: /^\/export\/?$/, render: renderExport, protected: true, nav: 'export' },
];

const main = document.getElementById('main')!;
const header = document.getElementById('app-header')!;
let leave: (() => void) | undefined;
let firstRender = true;

function navigate(url: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}
setRedirect((url) => navigate(url, { replace: true }));

// ---- navigation bar -------------------------------------------------------------------------------------

const navLinks: Record<string, HTMLAnchorElement> = {
  market: h('a', { href: '/market' }, 'Market'),
  'fund-flow': h('a', { href: '/fund-flow' }, 'Fund flow'),
  risk: h('a', { href: '/risk' }, 'Risk'),
  charts: h('a', { href: chartsHref() }, 'Charts'),
  export: h('a', { href: '/export' }, 'Export'),
};
const sessionBox = h('div', { class: 'session' });

function chartsHref(): string {
  const symbol = lastSymbol();
  return symbol ? `/charts/${symbol}` : '/market';
}
onSymbolChange((symbol) => {
  navLinks.charts!.href = `/charts/${symbol}`;
});

function renderSession(user: User | null): void {
  if (user) {
    replace(
      sessionBox,
      h('span', { class: 'session-user' }, 'Signed in as ', h('strong', null, user.displayName)),
      h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => void logout() }, 'Log out'),
    );
  } else {
    replace(sessionBox, h('a', { href: loginUrl(), class: 'btn btn-quiet' }, 'Log in'));
  }
}

async function logout(): Promise<void> {
  try {
    await api('/api/auth/logout', { method: 'POST', allow401: true });
  } catch {
    // Even if the server did not answer, forget the user here; the next protected call will tell.
  }
  setCurrentUser(null);
  navigate('/login', { replace: false });
}

replace(
  header,
  h(
    'nav',
    { 'aria-label': 'Main', class: 'main-nav' },
    h('a', { href: '/market', class: 'brand', 'aria-label': 'MyStocks home' }, 'MyStocks'),
    h(
      'ul',
      { class: 'nav-links' },
      Object.values(navLinks).map((a) => h('li', null, a)),
    ),
    sessionBox,
  ),
);
onUserChange(renderSession);

// ---- router ---------------------------------------------------------------------------------------------

function renderNotFound(el: HTMLElement): undefined {
  replace(
    el,
    pageHeading('Page not found'),
    h('p', null, 'There is no page at this address. ', h('a', { href: '/market' }, 'Go to the market overview'), '.'),
  );
  return undefined;
}

function render(): void {
  leave?.();
  leave = undefined;
  const path = window.location.pathname;
  if (path === '/' || path === '') {
    navigate('/market', { replace: true });
    return;
  }
  let route: Route | undefined;
  let params: Record<string, string> = {};
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (m) {
      route = r;
      params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      break;
    }
  }
  for (const [key, link] of Object.entries(navLinks)) {
    if (route?.nav === key) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  renderSession(currentUser());
  if (route?.protected && !currentUser() && !firstRender) {
    // Client-side navigation to a protected page without a known session: straight to login. (On a full page
    // load the server already redirected if there was no session, so the first render goes ahead.)
    navigate(loginUrl(), { replace: true });
    return;
  }
  const controller = new AbortController();
  const ctx: PageContext = {
    params,
    query: new URLSearchParams(window.location.search),
    signal: controller.signal,
    navigate,
  };
  main.replaceChildren();
  main.dataset.page = route ? (route.nav ?? 'login') : 'not-found';
  const cleanup = route ? route.render(main, ctx) : renderNotFound(main);
  leave = () => {
    controller.abort();
    cleanup?.();
  };
  if (!firstRender) {
    window.scrollTo(0, 0);
    main.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
  }
  firstRender = false;
}

// Same-origin links navigate client-side unless the user asked for a new tab or a download.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, window.location.href);
  if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
  e.preventDefault();
  if (url.pathname + url.search !== window.location.pathname + window.location.search)
    navigate(url.pathname + url.search);
});
window.addEventListener('popstate', render);

// ---- start ----------------------------------------------------------------------------------------------

/** Confirms (or forgets) the session hint; only asked when a session may exist, so anonymous visits see no 401. */
async function probeSession(): Promise<void> {
  const onProtected = routes.some((r) => r.protected && r.pattern.test(window.location.pathname));
  if (!currentUser() && !onProtected) return;
  if (window.location.pathname.startsWith('/login')) return;
  try {
    const res = await api<{ user: User }>('/api/auth/me', { allow401: true });
    setCurrentUser(res.user);
  } catch {
    setCurrentUser(null);
  }
}

/** Points the nav's Charts link at a real symbol when none was opened yet. */
async function resolveChartsLink(): Promise<void> {
  if (chartsHref() !== '/market') return;
  try {
    const res = await api<QuotesPage>(apiPath('/api/market/quotes', { pageSize: 1 }));
    const first = res.items[0];
    if (first && navLinks.charts!.getAttribute('href') === '/market') navLinks.charts!.href = `/charts/${first.symbol}`;
  } catch {
    // The link keeps pointing at the market page, where every row links to its chart.
  }
}

render();
void probeSession();
void resolveChartsLink();
