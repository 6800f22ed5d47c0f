// A running hash over a log prefix: chain(i) = mix(chain(i - 1), term(i), payload(i)). Two logs
// with equal chains at index i hold the same entries up to i (up to 32-bit collisions), so Log
// Matching and State Machine Safety become O(1) comparisons per entry.

import type { Entry } from '../raft/types.js';

export const EMPTY_CHAIN = 0;

/** The payload's identity: the simulator's proposals carry a unique 32-bit number; no-ops are empty. */
export function payloadKey(data: Uint8Array): number {
  if (data.length === 0) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
  return (h >>> 0) || 1;
}

export function mixChain(previous: number, term: number, key: number): number {
  let h = Math.imul(previous ^ term, 0x9e3779b1) ^ key;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function chainEntry(previous: number, entry: Entry): number {
  return mixChain(previous, entry.term, payloadKey(entry.data));
}
