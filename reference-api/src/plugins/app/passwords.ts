// Password hashing with node:crypto scrypt. Stored form: `scrypt$N$r$p$<salt b64>$<hash b64>`, so cost
// parameters can change without invalidating old hashes; a login with a hash of other parameters rehashes.
//
// Parameters: OWASP's Password Storage Cheat Sheet (2025) asks for scrypt with N=2^17, r=8, p=1 or an equal
// trade of memory for CPU: N=2^16 p=2, N=2^15 p=3, N=2^14 p=5, N=2^13 p=10 (all r=8). We take N=2^14, r=8,
// p=5: the same work as the others, and 128 * N * r = 16 MiB of memory per hash rather than 128 MiB, so a
// burst of logins on a small machine is limited by CPU, not memory. The p lanes run one after another in
// Node's scrypt, so this costs about five times the old N=2^14, p=1.

import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const PARAMS = { N: 16_384, r: 8, p: 5 };
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
