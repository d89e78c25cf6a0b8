// The arithmetic of the failure limits with explicit clocks (no waiting): a reservation counts before the
// attempt and is given back, the address window, and the per-account backoff doubling from 1 s to its cap.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AccountBackoff, FailuresByAddress } from './failure-limits.ts';

describe('FailuresByAddress', () => {
  test('a reservation counts at once; the limit refuses the next until one is given back', () => {
    const limit = new FailuresByAddress(2, 60_000);
    const a = limit.reserve('10.0.0.1', 0);
    const b = limit.reserve('10.0.0.1', 0);
    assert.ok(a.ok && b.ok);
    // Two in flight, none decided yet: the third is refused for the rest of the window (60 s).
    assert.deepEqual(limit.reserve('10.0.0.1', 1_000), { ok: false, retryAfterSeconds: 59 });
    a.release();
    a.release(); // a second release gives back nothing more
    assert.ok(limit.reserve('10.0.0.1', 1_000).ok);
    assert.deepEqual(limit.reserve('10.0.0.1', 1_000), { ok: false, retryAfterSeconds: 59 });
    // Another address has its own count; the window ends 60 s after its first failure.
    assert.ok(limit.reserve('10.0.0.2', 1_000).ok);
    assert.ok(limit.reserve('10.0.0.1', 60_000).ok);
  });

  test('giving back a failure of a window that has ended leaves the new window alone', () => {
    const limit = new FailuresByAddress(1, 10_000);
    const old = limit.reserve('10.0.0.1', 0);
    assert.ok(old.ok);
    const fresh = limit.reserve('10.0.0.1', 10_000);
    assert.ok(fresh.ok);
    old.release();
    assert.deepEqual(limit.reserve('10.0.0.1', 10_001), { ok: false, retryAfterSeconds: 10 });
  });
});

describe('AccountBackoff', () => {
  test('free failures, then waits of 1, 2, 4, 8 s, capped at the maximum (here 8 s)', () => {
    const backoff = new AccountBackoff(3, 8_000, 900_000);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoff.delayMs(n)),
      [0, 0, 0, 1_000, 2_000, 4_000, 8_000, 8_000],
    );
    const at = (ms: number) => backoff.reserve('alice', ms);
    for (let i = 0; i < 3; i++) assert.ok(at(0).ok, `free failure ${i + 1}`);
    assert.deepEqual(at(0), { ok: false, retryAfterSeconds: 1 });
    assert.ok(at(1_000).ok); // 4th failure: the next waits 2 s
    assert.deepEqual(at(2_999), { ok: false, retryAfterSeconds: 1 });
    assert.ok(at(3_000).ok); // 5th: 4 s
    assert.deepEqual(at(3_001), { ok: false, retryAfterSeconds: 4 });
    assert.ok(at(7_000).ok); // 6th: 8 s
    assert.ok(at(15_000).ok); // 7th: still 8 s (the cap), not 16
    assert.deepEqual(at(15_000), { ok: false, retryAfterSeconds: 8 });
    assert.ok(at(23_000).ok);
    // Another account is not touched.
    assert.ok(backoff.reserve('bob', 23_000).ok);
  });

  test('a right password ends the backoff; an undecided attempt gives its failure back', () => {
    const backoff = new AccountBackoff(2, 60_000, 900_000);
    const first = backoff.reserve('carol', 0);
    const second = backoff.reserve('carol', 0);
    assert.ok(first.ok && second.ok);
    assert.equal(backoff.retryAfterSeconds('carol', 0), 1);
    second.release(); // never decided (503): one failure left, no wait
    assert.equal(backoff.retryAfterSeconds('carol', 0), 0);
    const third = backoff.reserve('carol', 0);
    assert.ok(third.ok);
    assert.equal(backoff.retryAfterSeconds('carol', 0), 1);
    third.succeeded(); // the right password: back to no failures at all
    assert.equal(backoff.retryAfterSeconds('carol', 0), 0);
    assert.ok(backoff.reserve('carol', 0).ok && backoff.reserve('carol', 0).ok);
    assert.equal(backoff.retryAfterSeconds('carol', 0), 1);
  });
});
