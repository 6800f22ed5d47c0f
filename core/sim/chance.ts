import type { RandomSource } from '../raft/config.js';

/** True with probability p (0 <= p <= 1). */
export function chance(random: RandomSource, p: number): boolean {
  return random.int(1_000_000) < p * 1_000_000;
}

/** An integer in [lo, hi] (inclusive). */
export function between(random: RandomSource, lo: number, hi: number): number {
  return lo + random.int(hi - lo + 1);
}

export function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[random.int(items.length)]!;
}
