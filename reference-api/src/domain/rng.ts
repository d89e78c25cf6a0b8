// A small seeded PRNG, so the seed data is identical on every machine and every run.

/** A function returning uniform floats in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a 32-bit state generator by Tommy Ettinger. Tiny, fast and good enough for synthetic
 * market data (not for cryptography). Same seed, same sequence.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw via the Box-Muller transform (uses two uniforms, discards the sine twin). */
export function normal(rng: Rng): number {
  // 1 - u keeps the argument of log in (0, 1], so log never sees 0.
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A uniform float in [min, max). */
export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng();
}

/** A uniform integer in [min, max] inclusive. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}
