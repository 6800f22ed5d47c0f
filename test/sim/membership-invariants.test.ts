// The checker's membership rules, fed by hand: each must flag its violation, and only that.

import { describe, expect, it } from 'vitest';
import type { ConfState, Entry } from '../../core/raft/types.js';
import { InvariantChecker } from '../../core/sim/invariants.js';
import { isJointQuorum, quorumsOverlap } from '../../core/sim/quorum-check.js';

function conf(voters: string[], extra: Partial<ConfState> = {}): ConfState {
  return { voters, votersOutgoing: [], learners: [], learnersNext: [], autoLeave: false, index: 0, ...extra };
}

function e(index: number, term: number): Entry {
  return { index, term, type: 0, data: new Uint8Array([index]) };
}

describe('quorum arithmetic of the checker', () => {
  it('a joint quorum needs a majority of both halves; learners never count', () => {
    const joint = conf(['a', 'b', 'd'], { votersOutgoing: ['a', 'b', 'c'], learners: ['e'] });
    expect(isJointQuorum(joint, new Set(['a', 'd']))).toBe(false);
    expect(isJointQuorum(joint, new Set(['a', 'b']))).toBe(true);
    expect(isJointQuorum(conf(['a', 'b', 'c'], { learners: ['d', 'e'] }), new Set(['a', 'd', 'e']))).toBe(false);
  });

  it.each([
    [['a', 'b', 'c'], ['a', 'b', 'c', 'd'], true],
    [['a', 'b', 'c', 'd'], ['a', 'b', 'c'], true],
    [['a', 'b', 'c'], ['a', 'b', 'd'], false],
    [['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'e'], true],
    [['a', 'b', 'c', 'd'], ['a', 'b', 'e', 'f'], false],
    [['a', 'b', 'c'], ['c'], false],
  ])('%j then %j: overlapping quorums %s', (a, b, overlap) => {
    expect(quorumsOverlap(conf(a), conf(b))).toBe(overlap);
  });

  it('a joint configuration overlaps both its halves, which need not overlap each other', () => {
    const old = conf(['a', 'b', 'c']);
    const joint = conf(['c', 'd', 'e'], { votersOutgoing: ['a', 'b', 'c'] });
    const next = conf(['c', 'd', 'e']);
    expect(quorumsOverlap(old, joint)).toBe(true);
    expect(quorumsOverlap(joint, next)).toBe(true);
    expect(quorumsOverlap(old, next)).toBe(false);
  });
});

describe('membership invariants', () => {
  it('an election won with a learner\'s vote is flagged; with voters\' votes it is not', () => {
    const c = new InvariantChecker(['a', 'b', 'c']);
    const cs = conf(['a', 'b', 'c'], { learners: ['d'] });
    c.observeVoteGranted('b', 2, 'a');
    c.observeElection('a', 2, cs);
    expect(c.violations).toEqual([]);
    c.observeVoteGranted('d', 3, 'c');
    c.observeElection('c', 3, cs);
    expect(c.violations.map((v) => v.kind)).toEqual(['election-quorum']);
  });

  it('a node outside its own voters that becomes leader is flagged', () => {
    const c = new InvariantChecker(['a', 'b', 'c']);
    c.observeElection('d', 2, conf(['a', 'b', 'c'], { learners: ['d'] }));
    expect(c.violations.map((v) => v.kind)).toEqual(['removed-leader']);
  });

  it('configurations must agree by index and follow one another with overlapping quorums', () => {
    const c = new InvariantChecker(['a', 'b', 'c']);
    const start = conf(['a', 'b', 'c']);
    const joint = conf(['a', 'b', 'd'], { votersOutgoing: ['a', 'b', 'c'], autoLeave: true, index: 5 });
    c.observeConfApplied('a', start, joint);
    c.observeConfApplied('b', start, joint);
    expect(c.violations).toEqual([]);
    c.observeConfApplied('c', start, conf(['a', 'b', 'd'], { index: 5 }));
    expect(c.violations.map((v) => v.kind)).toEqual(['config-divergence', 'config-overlap']);
  });

  it('a commit that only one half of a joint configuration holds is flagged', () => {
    const c = new InvariantChecker(['a', 'b', 'c']);
    const joint = conf(['a', 'd', 'e'], { votersOutgoing: ['a', 'b', 'c'] });
    for (const id of ['a', 'd', 'e']) c.observePersistedEntries(id, [e(1, 1), e(2, 1)]);
    c.observePersistedEntries('b', [e(1, 1)]);
    c.observeLeaderCommit('a', 1, 1, [joint]);
    expect(c.violations).toEqual([]);
    c.observeLeaderCommit('a', 2, 1, [joint]);
    expect(c.violations.map((v) => v.kind)).toEqual(['commit-quorum']);
  });
});
