// The checker itself: fed observations by hand, it must flag each violation (and only those).

import { describe, expect, it } from 'vitest';
import type { Entry } from '../../core/raft/types.js';
import { InvariantChecker } from '../../core/sim/invariants.js';
import { EMPTY_CHAIN, chainEntry } from '../../core/sim/chain-hash.js';

function e(index: number, term: number, payload = 0): Entry {
  return { index, term, type: 0, data: payload === 0 ? new Uint8Array() : new Uint8Array([payload]) };
}

function chainOf(entries: Entry[]): number {
  return entries.reduce(chainEntry, EMPTY_CHAIN);
}

const voters = ['a', 'b', 'c'];

describe('InvariantChecker', () => {
  it('election safety: one leader per term', () => {
    const c = new InvariantChecker(voters);
    c.observeLeader('a', 1);
    c.observeLeader('a', 1);
    c.observeLeader('b', 2);
    expect(c.violations).toEqual([]);
    c.observeLeader('c', 2);
    expect(c.violations.map((v) => v.kind)).toEqual(['election-safety']);
  });

  it('one vote per term', () => {
    const c = new InvariantChecker(voters);
    c.observeVoteGranted('a', 3, 'b');
    c.observeVoteGranted('a', 3, 'b');
    c.observeVoteGranted('a', 4, 'c');
    expect(c.violations).toEqual([]);
    c.observeVoteGranted('a', 3, 'c');
    expect(c.violations.map((v) => v.kind)).toEqual(['double-vote']);
  });

  it('log matching: same index and term must mean the same prefix', () => {
    const c = new InvariantChecker(voters);
    c.observePersistedEntries('a', [e(1, 1, 7), e(2, 2)]);
    c.observePersistedEntries('b', [e(1, 1, 7), e(2, 2)]);
    expect(c.violations).toEqual([]);
    c.observePersistedEntries('c', [e(1, 1, 8), e(2, 2)]);
    expect(c.violations.length).toBeGreaterThan(0);
    expect(c.violations.every((v) => v.kind === 'log-matching')).toBe(true);
    expect(c.violations[0]!.detail).toMatch(/entry 1 of term 1/);
  });

  it('a truncated and rewritten tail is fine', () => {
    const c = new InvariantChecker(voters);
    c.observePersistedEntries('a', [e(1, 1), e(2, 1, 5), e(3, 1, 6)]);
    c.observePersistedEntries('a', [e(2, 2, 9)]);
    c.observePersistedEntries('b', [e(1, 1), e(2, 2, 9)]);
    expect(c.violations).toEqual([]);
  });

  it('commit index: never backwards, never beyond the log', () => {
    const c = new InvariantChecker(voters);
    c.observePersistedEntries('a', [e(1, 1), e(2, 1)]);
    c.observePersistedEntries('b', [e(1, 1), e(2, 1)]);
    c.observeCommit('a', 2, 1);
    c.observeCommit('a', 1, 1);
    c.observeCommit('a', 3, 1);
    expect(c.violations.map((v) => v.kind)).toEqual(['commit-index', 'commit-index']);
  });

  it('state machine safety: two nodes applying different entries at one index', () => {
    const c = new InvariantChecker(voters);
    c.observeApply('a', e(1, 1, 1), chainOf([e(1, 1, 1)]), 1);
    c.observeApply('b', e(1, 1, 1), chainOf([e(1, 1, 1)]), 1);
    expect(c.violations).toEqual([]);
    c.observeApply('c', e(1, 2, 3), chainOf([e(1, 2, 3)]), 1);
    expect(c.violations.map((v) => v.kind)).toEqual(['state-machine-safety']);
  });

  it('an acknowledged proposal replaced by another entry is a lost proposal', () => {
    const c = new InvariantChecker(voters);
    c.acknowledge(e(1, 1, 4));
    c.observeApply('b', e(1, 2, 5), chainOf([e(1, 2, 5)]), 1);
    expect(c.violations.map((v) => v.kind)).toEqual(['lost-proposal']);
  });

  it('leader completeness: a new leader without a committed entry', () => {
    const c = new InvariantChecker(voters);
    c.observePersistedEntries('a', [e(1, 1, 1)]);
    c.observePersistedEntries('b', [e(1, 1, 1)]);
    c.observeCommit('a', 1, 1);
    c.observeNewLeaderLog('b', 2);
    expect(c.violations).toEqual([]);
    c.observeNewLeaderLog('c', 2);
    expect(c.violations.map((v) => v.kind)).toEqual(['leader-completeness']);
  });

  it('leader completeness asks only for entries committed in earlier terms', () => {
    const c = new InvariantChecker(voters);
    c.observePersistedEntries('a', [e(1, 3, 1)]);
    c.observePersistedEntries('b', [e(1, 3, 1)]);
    c.observeCommit('a', 1, 3);
    // c won term 2 before entry 1 was committed in term 3, and takes office only now.
    c.observeNewLeaderLog('c', 2);
    expect(c.violations).toEqual([]);
  });

  it('a commit that only a minority stores is flagged at once: the others could elect a leader without it', () => {
    const c = new InvariantChecker(voters);
    c.observePersistedEntries('a', [e(1, 1)]);
    c.observeCommit('a', 1, 1);
    expect(c.violations.map((v) => v.kind)).toEqual(['leader-completeness']);
  });

  it('flags a committed entry that a majority would still vote away (Figure 8)', () => {
    const c = new InvariantChecker(voters);
    // a: [1/1, 2/2]; b: [1/1, 2/2]; c: [1/1, 2/3]. If 2/2 is reported committed, c's log (last term
    // 3) is more up to date than a's and b's: c could be elected and overwrite it.
    c.observePersistedEntries('a', [e(1, 1), e(2, 2)]);
    c.observePersistedEntries('b', [e(1, 1), e(2, 2)]);
    c.observePersistedEntries('c', [e(1, 1), e(2, 3)]);
    c.observeCommit('a', 1, 1);
    expect(c.violations).toEqual([]);
    c.observeCommit('a', 2, 1);
    expect(c.violations.map((v) => v.kind)).toEqual(['leader-completeness']);
  });

  it('(the same logs with the majority ahead in term are safe)', () => {
    const c = new InvariantChecker(voters);
    c.observePersistedEntries('a', [e(1, 1), e(2, 2), e(3, 4)]);
    c.observePersistedEntries('b', [e(1, 1), e(2, 2), e(3, 4)]);
    c.observePersistedEntries('c', [e(1, 1), e(2, 3)]);
    c.observeCommit('a', 3, 1);
    expect(c.violations).toEqual([]);
  });
});
