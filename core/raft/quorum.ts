// Majority quorum arithmetic (no joint configurations: the voter set is fixed).

import type { NodeId } from './types.js';

export function majority(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}

/**
 * The highest index that a majority of `matches` (one entry per voter) has reached.
 * `scratch` is reused between calls so that the hot path (every AppResp) allocates nothing;
 * it is overwritten. Sorting is an insertion sort: voter sets are small.
 */
export function committedIndex(matches: readonly number[], scratch: number[]): number {
  const n = matches.length;
  if (n === 0) return 0;
  scratch.length = n;
  for (let i = 0; i < n; i++) {
    const value = matches[i]!;
    let j = i - 1;
    // Descending order: the majority-th largest value is committed.
    while (j >= 0 && scratch[j]! < value) {
      scratch[j + 1] = scratch[j]!;
      j--;
    }
    scratch[j + 1] = value;
  }
  return scratch[majority(n) - 1]!;
}

export type VoteResult = 'won' | 'lost' | 'pending';

/** Won once a majority granted; lost once a majority can no longer be reached. */
export function voteResult(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  let granted = 0;
  let rejected = 0;
  for (const id of voters) {
    const vote = votes.get(id);
    if (vote === true) granted++;
    else if (vote === false) rejected++;
  }
  const needed = majority(voters.length);
  if (granted >= needed) return 'won';
  if (voters.length - rejected < needed) return 'lost';
  return 'pending';
}
