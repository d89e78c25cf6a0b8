// What the pages know about the session. The session cookie is httpOnly, so the page cannot see it; instead it
// keeps a hint (the signed-in user) in localStorage, set on login or when /api/auth/me answers, cleared on logout
// or on any 401. Public pages only ask /api/auth/me when the hint says a session may exist, so an anonymous
// visit never provokes a 401 (which the browser would log as a console error).
import type { User } from './types.ts';

const KEY = 'mystocks.user';
type Listener = (user: User | null) => void;
const listeners = new Set<Listener>();

/** The user the page believes is signed in, or null. */
export function currentUser(): User | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<User>;
    return typeof parsed.username === 'string'
      ? { username: parsed.username, displayName: parsed.displayName ?? parsed.username }
      : null;
  } catch {
    return null;
  }
}

/** Records who is signed in (null after logout or a 401) and tells the navigation bar. */
export function setCurrentUser(user: User | null): void {
  try {
    if (user) localStorage.setItem(KEY, JSON.stringify(user));
    else localStorage.removeItem(KEY);
  } catch {
    // Storage may be disabled (private mode); the page still works, the nav just forgets the name.
  }
  for (const listener of listeners) listener(user);
}

/** Calls `listener` whenever the signed-in user changes. */
export function onUserChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The `next` parameter of /login, if it is a same-origin path; anything else (absolute URLs, `//host`,
 * backslash tricks, the login page itself) falls back to /market so a crafted link cannot send a user elsewhere.
 */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/market';
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin || url.pathname === '/login') return '/market';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/market';
  }
}

/** The /login URL that returns to the current page afterwards. */
export function loginUrl(): string {
  const here = window.location.pathname + window.location.search;
  return here.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}
