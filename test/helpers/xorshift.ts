// xorshift32: a tiny deterministic noise source for test fixtures. The simulator has its own
// RNG (simulator/rng.ts); the fixtures keep this one because their tuned data depend on its
// exact sequence.

export function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
