// §6.4 of the Raft thesis: read-only queries without the log. ReadIndex (the leader records its
// commit index, confirms it still leads with a heartbeat round to a quorum, and hands the index out
// once confirmed), batching of reads into rounds, reads served by followers, and lease-based reads
// with the voter side of the lease. The golden script test/raft/testdata/read-index.txt tells the
// same story message by message.

import { describe, expect, it } from 'vitest';
import { RawNode, defaultRaftConfig, seededRandom } from '../../core/raft/raw-node.js';
import type { Message, NodeId, ReadState } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';
import { MemoryStorage } from '../../core/storage/memory-storage.js';
import { Harness, bytes } from './harness.js';

function reads(c: Harness, id: NodeId): ReadState[] {
  return c.readStates.get(id) ?? [];
}

function heartbeatsIn(messages: readonly Message[]): Message[] {
  return messages.filter((m) => m.type === MessageType.Heartbeat);
}

/** A 3-node cluster led by n1 with `x` committed at index 2. */
function clusterWithOneWrite(overrides = {}): Harness {
  const c = new Harness(['n1', 'n2', 'n3'], overrides);
  c.elect('n1');
  c.node('n1').propose(bytes('x'));
  c.stabilize();
  return c;
}

describe('ReadIndex on the leader', () => {
  it('answers with its commit index once one follower (a quorum with itself) answered the round', () => {
    const c = clusterWithOneWrite();
    c.node('n1').readIndex(1);
    const rd = c.processReady('n1')!;
    expect(heartbeatsIn(rd.messages).map((m) => m.to).sort()).toEqual(['n2', 'n3']);
    expect(reads(c, 'n1')).toEqual([]);

    c.deliver((m) => m.to === 'n2');
    c.processReady('n2');
    c.deliver((m) => m.from === 'n2');
    c.processReady('n1');
    expect(reads(c, 'n1')).toEqual([{ index: 2, context: 1 }]);
  });

  it('writes nothing to the log for a read', () => {
    const c = clusterWithOneWrite();
    const last = c.node('n1').status().lastIndex;
    c.node('n1').readIndex(1);
    c.stabilize();
    expect(reads(c, 'n1')).toHaveLength(1);
    for (const id of c.ids) expect(c.node(id).status().lastIndex).toBe(last);
  });

  it('waits until an entry of its own term has committed: its commit index may trail the previous leader’s', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.node('n1').campaign();
    // Run the election, holding back every App: the new leader's entry stays uncommitted.
    const notApp = (m: Message): boolean => m.type !== MessageType.App;
    for (let i = 0; i < 10; i++) {
      for (const id of c.ids) c.processReady(id);
      c.deliver(notApp);
    }
    expect(c.node('n1').status()).toMatchObject({ role: 'leader', commit: 0 });
    c.node('n1').readIndex(1);
    for (let i = 0; i < 10; i++) {
      for (const id of c.ids) c.processReady(id);
      c.deliver(notApp);
    }
    expect(reads(c, 'n1')).toEqual([]);

    c.stabilize();
    expect(reads(c, 'n1')).toEqual([{ index: 1, context: 1 }]);
  });

  it('confirms every read that arrived before a round with that one round', () => {
    const c = clusterWithOneWrite();
    for (let ctx = 1; ctx <= 10; ctx++) c.node('n1').readIndex(ctx);
    c.node('n3').readIndex(11);
    c.processReady('n3');
    c.deliver((m) => m.type === MessageType.ReadIndex);
    const rd = c.processReady('n1')!;
    expect(heartbeatsIn(rd.messages)).toHaveLength(2);
    c.stabilize();
    expect(reads(c, 'n1').map((r) => r.context)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(reads(c, 'n3')).toEqual([{ index: 2, context: 11 }]);
  });

  it('does not answer a read with a round sent before the read arrived', () => {
    const c = clusterWithOneWrite();
    c.node('n1').readIndex(1);
    c.processReady('n1');
    c.node('n1').readIndex(2);
    // Answers to the first round arrive: they confirm read 1 only.
    c.deliver();
    c.processReady('n2');
    c.processReady('n3');
    c.deliver((m) => m.type === MessageType.HeartbeatResp);
    c.processReady('n1');
    expect(reads(c, 'n1').map((r) => r.context)).toEqual([1]);
    c.stabilize();
    expect(reads(c, 'n1').map((r) => r.context)).toEqual([1, 2]);
  });

  it('retries a lost round at the next heartbeat', () => {
    const c = clusterWithOneWrite();
    c.node('n1').readIndex(1);
    c.processReady('n1');
    c.queue = [];
    c.tickAll(1);
    expect(reads(c, 'n1')).toEqual([{ index: 2, context: 1 }]);
  });

  it('a single voter answers at once', () => {
    const c = new Harness(['n1']);
    c.elect('n1');
    c.node('n1').readIndex(3);
    const rd = c.processReady('n1')!;
    expect(rd.messages).toEqual([]);
    expect(rd.readStates).toEqual([{ index: 1, context: 3 }]);
  });

  it('takes a positive integer context', () => {
    const c = clusterWithOneWrite();
    expect(() => c.node('n1').readIndex(0)).toThrow(RangeError);
    expect(() => c.node('n1').readIndex(1.5)).toThrow(RangeError);
  });
});

describe('a deposed leader', () => {
  /** n1 leads, is cut off, and n2 is elected and commits y: n1 does not know it lost. */
  function deposed(overrides = {}): { c: Harness; newCommit: number } {
    // Without check-quorum n1 never steps down on its own: the worst case for reads.
    const c = clusterWithOneWrite({ checkQuorum: false, ...overrides });
    c.isolate('n1');
    c.elect('n2');
    c.node('n2').propose(bytes('y'));
    c.stabilize();
    expect(c.node('n1').status().role).toBe('leader');
    return { c, newCommit: c.node('n2').status().commit };
  }

  it('confirms no read, however long it waits', () => {
    const { c } = deposed();
    c.node('n1').readIndex(1);
    c.tickAll(50);
    expect(reads(c, 'n1')).toEqual([]);
  });

  it('(with the test-only bug it answers at once with a stale index: what the round prevents)', () => {
    const { c, newCommit } = deposed({ bugs: { answerReadIndexWithoutQuorum: true } });
    c.node('n1').readIndex(1);
    c.processReady('n1');
    expect(reads(c, 'n1')).toHaveLength(1);
    expect(reads(c, 'n1')[0]!.index).toBeLessThan(newCommit);
  });

  it('drops the reads it had not confirmed when it loses leadership', () => {
    const c = clusterWithOneWrite();
    c.node('n1').readIndex(1);
    c.processReady('n1');
    c.queue = [];
    c.node('n1').transferLeadership('n2');
    c.stabilize();
    expect(c.node('n2').status().role).toBe('leader');
    c.tickAll(30);
    expect(reads(c, 'n1')).toEqual([]);
  });
});

describe('ReadIndex on a follower', () => {
  it('asks the leader and hands out the index the leader confirmed', () => {
    const c = clusterWithOneWrite();
    c.node('n2').readIndex(9);
    const rd = c.processReady('n2')!;
    expect(rd.messages).toMatchObject([{ type: MessageType.ReadIndex, to: 'n1', context: 9 }]);
    c.stabilize();
    expect(reads(c, 'n2')).toEqual([{ index: 2, context: 9 }]);
    expect(reads(c, 'n1')).toEqual([]);
  });

  it('asks nobody without a known leader', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.node('n2').readIndex(1);
    expect(c.node('n2').hasReady()).toBe(false);
  });

  it('ignores a ReadIndex another node sent it (its sender took it for the leader)', () => {
    const c = clusterWithOneWrite();
    const m: Message = { type: MessageType.ReadIndex, from: 'n3', to: 'n2', term: c.node('n2').status().term, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 4 };
    c.node('n2').step(m);
    expect(c.node('n2').hasReady()).toBe(false);
  });
});

describe('lease-based reads', () => {
  const lease = { readOnly: 'lease-based' as const, electionTicks: 10 };

  it('need check-quorum', () => {
    const config = { ...defaultRaftConfig('n1', ['n1', 'n2', 'n3'], new MemoryStorage(), seededRandom(1)), readOnly: 'lease-based' as const, checkQuorum: false };
    expect(() => new RawNode(config)).toThrow(/checkQuorum/);
  });

  it('within its lease the leader answers at once, without a round', () => {
    const c = clusterWithOneWrite(lease);
    c.tickAll(1);
    c.node('n1').readIndex(1, true);
    const rd = c.processReady('n1')!;
    expect(rd.readStates).toEqual([{ index: 2, context: 1 }]);
    expect(rd.messages).toEqual([]);
    // A read that does not ask for the lease takes the round.
    c.node('n1').readIndex(2);
    expect(c.processReady('n1')!.readStates).toEqual([]);
    c.stabilize();
    expect(reads(c, 'n1').map((r) => r.context)).toEqual([1, 2]);
  });

  it('a follower’s lease read is answered by the leader without a round', () => {
    const c = clusterWithOneWrite(lease);
    c.tickAll(1);
    c.node('n2').readIndex(5, true);
    c.processReady('n2');
    c.deliver();
    const rd = c.processReady('n1')!;
    expect(rd.messages).toMatchObject([{ type: MessageType.ReadIndexResp, to: 'n2', index: 2, context: 5 }]);
  });

  it('the lease lapses electionTicks − 2 ticks after the round a quorum last answered; then reads take a round', () => {
    const c = clusterWithOneWrite(lease);
    c.tickAll(1);
    c.isolate('n1');
    // The last answered round was sent at the tick before; 7 more ticks keep the lease.
    for (let i = 0; i < 7; i++) {
      c.tick('n1');
      c.processReady('n1');
      c.deliver();
    }
    c.node('n1').readIndex(1, true);
    expect(c.processReady('n1')!.readStates).toHaveLength(1);
    c.tick('n1');
    c.processReady('n1');
    c.deliver();
    c.node('n1').readIndex(2, true);
    expect(c.processReady('n1')!.readStates).toEqual([]);
    c.heal();
    c.stabilize();
    expect(reads(c, 'n1').map((r) => r.context)).toEqual([1, 2]);
  });

  it('a leadership transfer ends lease reads for the rest of the term', () => {
    const c = clusterWithOneWrite(lease);
    c.isolate('n3');
    c.node('n1').transferLeadership('n3');
    c.tickAll(12);
    expect(c.node('n1').status().role).toBe('leader');
    c.node('n1').readIndex(1, true);
    expect(c.processReady('n1')!.readStates).toEqual([]);
    c.stabilize();
    expect(reads(c, 'n1')).toEqual([{ index: 2, context: 1 }]);
  });

  it('a voter that heard from the leader, or has just restarted, ignores elections for an election timeout', () => {
    const preVoteFrom = (c: Harness, to: NodeId): Message => {
      const st = c.node('n3').status();
      return { type: MessageType.PreVote, from: 'n3', to, term: st.term + 1, logTerm: st.term, index: st.lastIndex, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 };
    };
    const c = clusterWithOneWrite(lease);
    c.crash('n2');
    c.start('n2');
    c.processReady('n2'); // re-applies the committed log
    c.node('n2').step(preVoteFrom(c, 'n2'));
    expect(c.node('n2').hasReady()).toBe(false);
    // n3 heard from n1: asked by its host to campaign, it does not.
    c.node('n3').campaign();
    expect(c.node('n3').status().role).toBe('follower');

    c.tick('n2', 10);
    c.node('n2').step(preVoteFrom(c, 'n2'));
    expect(c.processReady('n2')!.messages).toMatchObject([{ type: MessageType.PreVoteResp, reject: false }]);
  });

  it('(with safe reads, a restarted voter grants a pre-vote at once)', () => {
    const c = clusterWithOneWrite();
    c.crash('n2');
    c.start('n2');
    c.processReady('n2');
    const st = c.node('n3').status();
    c.node('n2').step({ type: MessageType.PreVote, from: 'n3', to: 'n2', term: st.term + 1, logTerm: st.term, index: st.lastIndex, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 });
    expect(c.processReady('n2')!.messages).toMatchObject([{ type: MessageType.PreVoteResp, reject: false }]);
  });
});
