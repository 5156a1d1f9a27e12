/**
 * A deterministic source of uniform numbers in [0, 1): mulberry32. The bootstrap must give the
 * same interval for the same data on every run and platform, which Math.random cannot; a 2^32
 * period is ample for its ~200 × 1000 draws per rating. Not for anything secret.
 */
export function createSeededRandom(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new RangeError(`the random seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
