// Password hashing with node:crypto scrypt. Stored form: `scrypt$N$r$p$<salt b64>$<hash b64>`, so cost
// parameters can change without invalidating old hashes; a login with a hash of other parameters rehashes.
//
// Parameters: OWASP's Password Storage Cheat Sheet (2025) asks for scrypt with N=2^17, r=8, p=1 or an equal
// trade of memory for CPU: N=2^16 p=2, N=2^15 p=3, N=2^14 p=5, N=2^13 p=10 (all r=8). We take N=2^14, r=8,
// p=5: the same work as the others, and 128 * N * r = 16 MiB of memory per hash rather than 128 MiB, so a
// burst of logins on a small machine is limited by CPU, not memory. The p lanes run one after another in
// Node's scrypt, so this costs about five times the old N=2^14, p=1.

import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { ServiceBusyError } from '../../errors.ts';

const OWASP_PARAMS = { N: 16_384, r: 8, p: 5 };

/**
 * MYSTOCKS_SCRYPT="N,r,p" overrides the cost. The harness's own stacks set the lighter pre-OWASP N=2^14, r=8, p=1
 * (stack/types.ts HARNESS_API_ENV): every load journey registers and logs in, and at OWASP cost 6 hashes a second
 * took most of this 2-core machine, so a healthy run failed latency-p95 on login and register alone (P95 2.5 s)
 * and the load measured password hashing instead of the service. A deployment keeps the OWASP default.
 */
function scryptParams(text: string | undefined): ScryptOptions & { N: number; r: number; p: number } {
  if (text === undefined || text.trim() === '') return OWASP_PARAMS;
  const [N, r, p] = text.split(',').map((part) => Number(part.trim()));
  const whole = (value: number | undefined): value is number => Number.isInteger(value) && (value ?? 0) > 0;
  if (!whole(N) || !whole(r) || !whole(p) || (N & (N - 1)) !== 0 || N < 2) {
    throw new Error(`MYSTOCKS_SCRYPT: expected "N,r,p" with N a power of two and r, p whole numbers, got "${text}"`);
  }
  return { N, r, p };
}

const PARAMS = scryptParams(process.env.MYSTOCKS_SCRYPT);
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a password with a random salt (or the salt given, for the deterministic seed). */
export async function hashPassword(password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await derive(password, salt, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when a stored hash was made with other parameters than today's (it is upgraded at the next login). */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$`);
}

/** True when `password` matches `stored`; constant-time comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** What the gate counts into (prom-client counters of the app's registry, plugins/app/metrics.ts). */
export interface HashGateCounters {
  started: { inc(): void };
  rejected: { inc(): void };
}

/**
 * The one bound on password hashing in a process: at most `concurrency` hashes run at once, at most `queue` more
 * wait for a slot (first come, first served), and a request past that is refused at once with ServiceBusyError
 * (503, Retry-After: 1). scrypt runs on libuv's thread pool, whose own queue has no bound: without this gate, 300
 * simultaneous logins queued 300 hashes and held the machine's CPU for seconds.
 *
 * Why a queue at all: ordinary traffic arrives in bursts. With c slots and no queue, the share of requests refused
 * is Erlang's B formula; at one hash in flight on average (a = 1) and c = 4 it is (1/4!) / (1 + 1 + 1/2 + 1/6 +
 * 1/24) = 1.5 %, far above a 99.9 % availability objective. A short queue absorbs the bursts while keeping the
 * worst wait bounded: (concurrency + queue) hashes of work, e.g. 20 x 0.35 s / 2 cores = 3.5 s at the OWASP cost
 * (0.2 to 0.35 s a hash on the 2-core machine, measured by hand, depending on what else runs).
 */
export class PasswordHashGate {
  readonly #concurrency: number;
  readonly #queue: number;
  readonly #counters: HashGateCounters;
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  #peak = 0;

  constructor(concurrency: number, queue: number, counters: HashGateCounters) {
    this.#concurrency = concurrency;
    this.#queue = queue;
    this.#counters = counters;
  }

  /** The most hashes that ever ran at once through this gate (tests read it; it never exceeds concurrency). */
  get peak(): number {
    return this.#peak;
  }

  /** Runs one hash under the bound, or throws ServiceBusyError when every slot and queue place is taken. */
  async run<T>(hash: () => Promise<T>): Promise<T> {
    if (this.#running < this.#concurrency) {
      this.#running += 1;
    } else if (this.#waiting.length < this.#queue) {
      // The slot is handed over by the finishing hash (#running stays as it is), so no newcomer can take it first.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#counters.rejected.inc();
      throw new ServiceBusyError('too many password checks in progress, retry in 1 second', 1);
    }
    this.#peak = Math.max(this.#peak, this.#running);
    this.#counters.started.inc();
    try {
      return await hash();
    } finally {
      const next = this.#waiting.shift();
      if (next === undefined) this.#running -= 1;
      else next();
    }
  }
}
