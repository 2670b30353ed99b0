/**
 * One seeded random source for everything that must repeat exactly: training samples, generated
 * populations, the Tech5 simulator's faces, benchmark orders. The same seed gives the same
 * sequence on every machine.
 */
export type Random = () => number;

/** mulberry32: 32 bits of state, uniform in [0, 1); fast, and plenty for sampling and test data. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
