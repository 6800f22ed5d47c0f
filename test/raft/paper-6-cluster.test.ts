// §6 and §9.6 of the Raft thesis: cluster behaviour — pre-vote, check-quorum and the leader lease,
// what proposals get when they cannot be accepted, leadership transfer, lost peers.

import { describe, expect, it } from 'vitest';
import { ProposalError } from '../../core/raft/errors.js';
import { MessageType } from '../../core/raft/types.js';
import { Harness, bytes } from './harness.js';

function proposalError(fn: () => unknown): ProposalError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProposalError) return error;
    throw error;
  }
  throw new Error('expected a ProposalError');
}

describe('pre-vote', () => {
  it('a node cut off from the cluster does not raise its term, and does not disrupt the leader when it returns', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    const term = c.node('n1').status().term;
    c.isolate('n3');

    c.tickAll(100);
    expect(c.node('n3').status().term).toBe(term);

    c.heal();
    c.tickAll(20);
    expect(c.node('n1').status()).toMatchObject({ role: 'leader', term });
    expect(c.node('n3').status()).toMatchObject({ leader: 'n1', term });
  });

  it('(without pre-vote and check-quorum the same node deposes the leader: what pre-vote prevents)', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { preVote: false, checkQuorum: false });
    c.elect('n1');
    const term = c.node('n1').status().term;
    c.isolate('n3');
    c.tickAll(100);
    expect(c.node('n3').status().term).toBeGreaterThan(term);

    c.heal();
    c.tickAll(30);
    expect(c.node('n1').status().term).toBeGreaterThan(term);
  });
});

describe('check-quorum and the leader lease', () => {
  it('a leader cut off from a quorum refuses proposals, then steps down within two election timeouts', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { electionTicks: 10 });
    c.elect('n1');
    c.isolate('n1');

    c.tickAll(10);
    const refused = proposalError(() => c.node('n1').propose(bytes('x')));
    expect(refused.code).toBe('no-quorum');

    c.tickAll(10);
    expect(c.node('n1').status().role).toBe('follower');
    const notLeader = proposalError(() => c.node('n1').propose(bytes('x')));
    expect(notLeader.code).toBe('not-leader');
  });

  it('a leader that hears from a quorum stays leader indefinitely', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.isolate('n3');
    c.tickAll(200);
    expect(c.node('n1').status().role).toBe('leader');
  });

  it('followers that hear from a leader ignore vote requests, even of a higher term', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { preVote: false });
    c.elect('n1');
    const term = c.node('n1').status().term;

    c.node('n3').campaign();
    c.stabilize();

    expect(c.node('n2').status()).toMatchObject({ term, leader: 'n1' });
    expect(c.node('n1').status().role).toBe('leader');
  });
});

describe('proposals that cannot be accepted', () => {
  it('a follower refuses with not-leader, naming the leader it knows', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    const error = proposalError(() => c.node('n2').propose(bytes('x')));
    expect(error).toMatchObject({ code: 'not-leader', leader: 'n1' });
    expect(error.message).toMatch(/leader is n1/);
  });

  it('a node that knows no leader refuses with not-leader and no leader', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    const error = proposalError(() => c.node('n2').propose(bytes('x')));
    expect(error).toMatchObject({ code: 'not-leader', leader: '' });
  });

  it('a leader with too many uncommitted bytes refuses with overloaded until they commit', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { maxUncommittedBytes: 10 });
    c.elect('n1');
    c.isolate('n1');
    c.node('n1').propose(bytes('12345678'));
    expect(proposalError(() => c.node('n1').propose(bytes('12345678'))).code).toBe('overloaded');

    c.heal();
    c.tickAll(2);
    expect(() => c.node('n1').propose(bytes('12345678'))).not.toThrow();
  });

  it('a leader handing over leadership refuses with transferring', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.cutLink('n1', 'n2');
    c.node('n1').proposeBatch([bytes('a')]);
    c.stabilize();
    c.node('n1').transferLeadership('n2');
    expect(proposalError(() => c.node('n1').propose(bytes('x'))).code).toBe('transferring');
  });

  it('proposeBatch appends all entries at once and returns the first index', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    const result = c.node('n1').proposeBatch([bytes('a'), bytes('b'), bytes('c')]);
    expect(result).toEqual({ index: 2, term: 1 });
    expect(() => c.node('n1').proposeBatch([])).toThrow(RangeError);
    c.stabilize();
    expect(c.appliedData('n3')).toEqual(['a', 'b', 'c']);
  });
});

describe('leadership transfer', () => {
  it('TimeoutNow makes an up-to-date follower win the next term at once', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    const term = c.node('n1').status().term;

    c.node('n1').transferLeadership('n2');
    c.stabilize();

    expect(c.node('n2').status()).toMatchObject({ role: 'leader', term: term + 1 });
    expect(c.node('n1').status()).toMatchObject({ role: 'follower', leader: 'n2' });
  });

  it('a lagging transferee is caught up first', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.cutLink('n1', 'n3');
    c.node('n1').proposeBatch([bytes('a'), bytes('b')]);
    c.stabilize();
    c.heal();

    c.node('n1').transferLeadership('n3');
    c.stabilize();

    expect(c.node('n3').status().role).toBe('leader');
    expect(c.appliedData('n3')).toEqual(['a', 'b']);
  });

  it('a transfer that does not complete within an election timeout is abandoned', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { electionTicks: 10 });
    c.elect('n1');
    c.cutLink('n1', 'n3');
    c.node('n1').transferLeadership('n3');
    c.tickAll(10);
    expect(c.node('n1').status().role).toBe('leader');
    expect(() => c.node('n1').propose(bytes('x'))).not.toThrow();
  });
});

describe('lost peers', () => {
  it('reportUnreachable drops a replicating follower back to probing', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    expect(c.node('n1').status().progress!.find((p) => p.id === 'n2')!.state).toBe('replicate');
    c.node('n1').reportUnreachable('n2');
    expect(c.node('n1').status().progress!.find((p) => p.id === 'n2')!.state).toBe('probe');
  });

  it('a single voter elects itself and commits on its own', () => {
    const c = new Harness(['solo']);
    c.elect('solo');
    c.node('solo').propose(bytes('x'));
    c.stabilize();
    expect(c.node('solo').status()).toMatchObject({ role: 'leader', commit: 2 });
    expect(c.appliedData('solo')).toEqual(['x']);
    expect(c.queue.filter((m) => m.type !== MessageType.App)).toEqual([]);
  });
});
