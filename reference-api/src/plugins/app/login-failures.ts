// Failed logins per client address, across usernames: one password tried against many usernames (password
// spraying) is stopped here, which the per-(address, username) limit of the login route cannot see.
//
// Only failures count, so a busy address whose users sign in correctly (a load test, an office behind one NAT)
// is never limited. The window is fixed: the count starts at the first failure and is forgotten `windowMs`
// later. The store holds one entry per address, bounded to `maxAddresses`; the entries are not evicted by a
// flood of new usernames (they do not add entries), only by that many distinct addresses failing within one
// window, which a single client cannot produce (TCP source addresses cannot be forged, and behind a proxy
// Fastify's trustProxy decides which X-Forwarded-For hop is believed).

import { LRUCache } from 'lru-cache';

interface Window {
  failures: number;
  /** epoch ms at which the count is forgotten */
  resetAt: number;
}

/** The failed-login counter of one app. */
export class LoginFailures {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #store: LRUCache<string, Window>;

  constructor(limit: number, windowMs: number, maxAddresses = 100_000) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#store = new LRUCache<string, Window>({ max: maxAddresses, ttl: windowMs, ttlAutopurge: false });
  }

  /** Seconds until the address may try again, or 0 when it is under the limit. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const window = this.#store.get(address);
    if (window === undefined || window.resetAt <= now || window.failures < this.#limit) return 0;
    return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
  }

  /** Counts one failed login of the address. */
  record(address: string, now = Date.now()): void {
    const window = this.#store.get(address);
    if (window === undefined || window.resetAt <= now) {
      this.#store.set(address, { failures: 1, resetAt: now + this.#windowMs });
    } else {
      window.failures += 1;
    }
  }
}
