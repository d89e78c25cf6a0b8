// Counters of failed credentials, kept in memory per app (per process): one per client address, one per account.
//
// FailuresByAddress: failures per client address in a fixed window (the count starts at the first failure and
// is forgotten `windowMs` later). The login route stops one password sprayed over many usernames with it, the
// admin route wrong tokens. Only failures count, so a busy address whose users sign in correctly (a load test,
// an office behind one NAT) is never limited. A login *reserves* its failure before the password is hashed and
// gives it back when the password was right (or never checked): the check and the count are one synchronous
// step, so a burst of simultaneous attempts cannot all pass the check before any of them is counted, and the
// number of hashes an address can cause per window is the limit, whatever its concurrency.
//
// AccountBackoff: failures per account (the username as typed, lower-cased), from any address: OWASP's
// Authentication Cheat Sheet ties the counter to the account so that many addresses cannot share out the
// guesses, and suggests an exponential lockout. The first `freeFailures` failures cost nothing; after the n-th
// failure (n >= freeFailures) the next attempt must wait 2^(n - freeFailures) s (1 s, 2 s, 4 s, ...), at most
// `maxBackoffMs`. A right password ends the backoff. Unknown usernames are treated exactly like known ones, so the
// backoff tells nobody which accounts exist.
//
// Both stores are bounded LRUs: FailuresByAddress gains one entry per address, AccountBackoff one per username
// that failed; a single address adds at most its failure limit of usernames per window, so evicting another
// client's count takes thousands of distinct source addresses (TCP source addresses cannot be forged; behind a
// proxy, Fastify's trustProxy decides which X-Forwarded-For hop is believed).

import { LRUCache } from 'lru-cache';

/** What a reservation answers: go ahead (and settle the reservation later), or wait this many seconds. */
export type Reserved<Settle> = ({ ok: true } & Settle) | { ok: false; retryAfterSeconds: number };

/** A counted failure: what a reservation gives back when it is released. */
interface Counted {
  failures: number;
}

/**
 * The two ways a reservation of `counted` ends, of which only the first call counts (a second release, or a
 * release after a success, does nothing): `release` gives the failure back, `succeeded` runs `onSuccess`.
 */
function settleOnce(counted: Counted, onSuccess: () => void = () => {}): { release(): void; succeeded(): void } {
  let settled = false;
  const once = (action: () => void) => () => {
    if (settled) return;
    settled = true;
    action();
  };
  return {
    release: once(() => {
      counted.failures = Math.max(0, counted.failures - 1);
    }),
    succeeded: once(onSuccess),
  };
}

interface AddressWindow {
  failures: number;
  /** epoch ms at which the count is forgotten */
  resetAt: number;
}

/** Failed attempts per client address in a fixed window. */
export class FailuresByAddress {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #store: LRUCache<string, AddressWindow>;

  constructor(limit: number, windowMs: number, maxAddresses = 100_000) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#store = new LRUCache<string, AddressWindow>({ max: maxAddresses, ttl: windowMs, ttlAutopurge: false });
  }

  /** Seconds until the address may try again, or 0 when it is under the limit. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const window = this.#store.get(address);
    if (window === undefined || window.resetAt <= now || window.failures < this.#limit) return 0;
    return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
  }

  /** Counts one failure of the address; returns the window it was counted in. */
  record(address: string, now = Date.now()): AddressWindow {
    const window = this.#store.get(address);
    if (window === undefined || window.resetAt <= now) {
      const fresh = { failures: 1, resetAt: now + this.#windowMs };
      this.#store.set(address, fresh);
      return fresh;
    }
    window.failures += 1;
    return window;
  }

  /**
   * Counts a failure now, before the attempt is checked, unless the address is at its limit. `release` gives it
   * back (a right password, or an attempt that was never checked); a wrong one simply keeps it.
   */
  reserve(address: string, now = Date.now()): Reserved<{ release(): void }> {
    const retryAfterSeconds = this.retryAfterSeconds(address, now);
    if (retryAfterSeconds > 0) return { ok: false, retryAfterSeconds };
    // A release gives back to the window it was counted in: once that window is over, there is nothing to give back.
    const { release } = settleOnce(this.record(address, now));
    return { ok: true, release };
  }
}

interface AccountState {
  failures: number;
  /** epoch ms of the latest counted attempt; the next may start at lastAt + delay(failures) */
  lastAt: number;
}

/** Exponential backoff per account, across addresses. */
export class AccountBackoff {
  readonly #freeFailures: number;
  readonly #maxBackoffMs: number;
  readonly #store: LRUCache<string, AccountState>;

  /** `forgetAfterMs`: an account with no failure for this long starts again from zero (at least maxBackoffMs). */
  constructor(freeFailures: number, maxBackoffMs: number, forgetAfterMs: number, maxAccounts = 100_000) {
    this.#freeFailures = freeFailures;
    this.#maxBackoffMs = maxBackoffMs;
    this.#store = new LRUCache<string, AccountState>({
      max: maxAccounts,
      ttl: Math.max(forgetAfterMs, maxBackoffMs),
      ttlAutopurge: false,
    });
  }

  /** The wait after `failures` failures: 0 below freeFailures, then 1 s doubling per failure, capped. */
  delayMs(failures: number): number {
    if (failures < this.#freeFailures) return 0;
    return Math.min(this.#maxBackoffMs, 1000 * 2 ** (failures - this.#freeFailures));
  }

  /** Seconds until the account may be tried again, or 0. */
  retryAfterSeconds(account: string, now = Date.now()): number {
    const state = this.#store.get(account);
    if (state === undefined) return 0;
    const waitMs = state.lastAt + this.delayMs(state.failures) - now;
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  /**
   * Counts a failure of the account now, before the password is checked, unless it is in its backoff.
   * `release` gives it back (the attempt was never checked); `succeeded` ends the backoff (a right password).
   */
  reserve(account: string, now = Date.now()): Reserved<{ release(): void; succeeded(): void }> {
    const retryAfterSeconds = this.retryAfterSeconds(account, now);
    if (retryAfterSeconds > 0) return { ok: false, retryAfterSeconds };
    let state = this.#store.get(account);
    if (state === undefined) {
      state = { failures: 0, lastAt: now };
      this.#store.set(account, state);
    }
    state.failures += 1;
    state.lastAt = now;
    // set() again so the entry's time to live counts from this failure.
    this.#store.set(account, state);
    const counted = state;
    const { release, succeeded } = settleOnce(counted, () => {
      if (this.#store.get(account) === counted) this.#store.delete(account);
    });
    return { ok: true, release, succeeded };
  }
}
