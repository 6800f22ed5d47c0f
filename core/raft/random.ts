import type { RandomSource } from './config.js';

/**
 * A small, fast, seedable PRNG (mulberry32). The same seed always yields the same sequence, which
 * is what lets one seed replay a whole simulated cluster exactly.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return {
    int(n: number): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return Math.floor(unit * n);
    },
  };
}
