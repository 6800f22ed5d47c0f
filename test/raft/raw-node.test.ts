// The host-facing contract: Ready/advance, restart, configuration, and robustness to bad input.

import { describe, expect, it } from 'vitest';
import type { Message } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';
import { RawNode, defaultRaftConfig, seededRandom } from '../../core/raft/raw-node.js';
import { MemoryStorage } from '../../core/storage/memory-storage.js';
import { Harness, bytes, entry } from './harness.js';
import { votersConfState } from '../../core/raft/confchange.js';

function app(fields: Partial<Message>): Message {
  return {
    type: MessageType.App,
    from: 'n1',
    to: 'n2',
    term: 1,
    logTerm: 0,
    index: 0,
    entries: [entry(1, 1, 'x')],
    commit: 0,
    reject: false,
    rejectHint: 0,
    context: 0,
    snapshot: null,
    ...fields,
  };
}

describe('Ready and advance', () => {
  it('a quiet node has nothing ready; an input makes it ready; after advance it is quiet again', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    expect(c.node('n2').hasReady()).toBe(false);

    c.node('n1').propose(bytes('x'));
    expect(c.node('n1').hasReady()).toBe(true);
    c.processReady('n1');
    expect(c.node('n1').hasReady()).toBe(false);
  });

  it('mustSync only when the term, the vote or the log changed (a commit alone needs no fsync)', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.node('n1').propose(bytes('x'));
    c.processReady('n1');
    c.deliver((m) => m.to === 'n2');
    const append = c.node('n2').ready();
    expect(append.entries).toHaveLength(1);
    expect(append.mustSync).toBe(true);
    c.storages.get('n2')!.saveSync(append);
    c.node('n2').advance(append);

    c.node('n2').step({ ...app({ index: 2, logTerm: 1, entries: [], commit: 2 }) });
    const commitOnly = c.node('n2').ready();
    expect(commitOnly.hardState?.commit).toBe(2);
    expect(commitOnly.entries).toEqual([]);
    expect(commitOnly.mustSync).toBe(false);
  });

  it('what one Ready handed out is not handed out again, so a host may pipeline Readies', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    const leader = c.node('n1');
    leader.propose(bytes('a'));
    const first = leader.ready();
    leader.propose(bytes('b'));
    const second = leader.ready();

    expect(first.entries.map((e) => e.index)).toEqual([2]);
    expect(second.entries.map((e) => e.index)).toEqual([3]);
    for (const rd of [first, second]) {
      c.storages.get('n1')!.saveSync(rd);
      c.queue.push(...rd.messages);
      leader.advance(rd);
    }
    c.stabilize();
    expect(c.appliedData('n2')).toEqual(['a', 'b']);
  });

  it('committed entries are handed out once, in order, and resume after a restart from config.applied', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    for (const data of ['a', 'b', 'c']) c.node('n1').propose(bytes(data));
    c.stabilize();
    expect(c.applied.get('n2')!.map((e) => e.index)).toEqual([1, 2, 3, 4]);

    const restarted = new RawNode({ ...c.config('n2'), applied: 2 });
    const rd = restarted.ready();
    expect(rd.committedEntries.map((e) => e.index)).toEqual([3, 4]);
    restarted.advance(rd);
    expect(restarted.hasReady()).toBe(false);
  });

  it('status reports the leader view of every follower', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    const st = c.node('n1').status();
    expect(st).toMatchObject({ id: 'n1', role: 'leader', term: 1, vote: 'n1', leader: 'n1', commit: 1, applied: 1, firstIndex: 1, lastIndex: 1, snapshotIndex: 0 });
    expect(st.progress).toEqual([
      { id: 'n2', match: 1, next: 2, state: 'replicate', inflight: 0, recentActive: true, learner: false },
      { id: 'n3', match: 1, next: 2, state: 'replicate', inflight: 0, recentActive: true, learner: false },
    ]);
    expect(c.node('n2').status().progress).toBeNull();
  });
});

describe('network input that must be ignored, never thrown on', () => {
  const bad: Array<[string, Message]> = [
    ['addressed to another node', app({ to: 'n3' })],
    ['from nobody (an empty sender)', app({ from: '' })],
    ['from itself', app({ from: 'n2' })],
    ['with term 0', app({ term: 0 })],
    ['with a negative index', app({ index: -1 })],
    ['with a fractional commit', app({ commit: 1.5 })],
    ['with NaN in a field', app({ logTerm: Number.NaN })],
    ['with an unknown type', app({ type: 42 as MessageType })],
    ['with entries that do not follow its index', app({ entries: [entry(3, 1, 'x')] })],
    ['with entries from a term after its own', app({ entries: [entry(1, 5, 'x')] })],
    ['with entries whose terms go down', app({ term: 3, entries: [entry(1, 3), entry(2, 2)] })],
    ['with an entry that is not an entry', app({ entries: [{ index: 1 } as never] })],
    ['with entries that are not a list', app({ entries: 'nope' as never })],
    ['a Snap without a snapshot', app({ type: MessageType.Snap, entries: [], snapshot: null })],
    ['a Snap of a later term than its own', app({ type: MessageType.Snap, entries: [], snapshot: { metadata: { index: 5, term: 9, confState: votersConfState([]) }, data: new Uint8Array() } })],
    [
      'a Snap whose configuration is newer than the snapshot',
      app({ type: MessageType.Snap, entries: [], snapshot: { metadata: { index: 5, term: 1, confState: { ...votersConfState(['n1']), index: 6 } }, data: new Uint8Array() } }),
    ],
    ['a Vote whose last term exceeds its term', app({ type: MessageType.Vote, entries: [], logTerm: 5 })],
  ];

  it.each(bad)('%s', (_, message) => {
    const storage = new MemoryStorage();
    const node = new RawNode(defaultRaftConfig('n2', ['n1', 'n2', 'n3'], storage, seededRandom(1)));
    expect(() => node.step(message)).not.toThrow();
    expect(node.hasReady()).toBe(false);
    expect(node.status()).toMatchObject({ term: 0, lastIndex: 0 });
  });

  it('(the same message, well formed, is acted upon)', () => {
    const node = new RawNode(defaultRaftConfig('n2', ['n1', 'n2', 'n3'], new MemoryStorage(), seededRandom(1)));
    node.step(app({}));
    expect(node.status()).toMatchObject({ term: 1, lastIndex: 1, leader: 'n1' });
  });

  it('a leader outside this node\'s configuration is heard (a joining or lagging node must follow it)', () => {
    const node = new RawNode(defaultRaftConfig('n2', [], new MemoryStorage(), seededRandom(1)));
    node.step(app({ from: 'n9' }));
    expect(node.status()).toMatchObject({ term: 1, lastIndex: 1, leader: 'n9' });
  });

  it('acknowledgements of entries the leader does not have are ignored', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.node('n1').step({ ...app({ type: MessageType.AppResp, from: 'n2', to: 'n1', entries: [] }), index: 99 });
    expect(c.node('n1').status().progress!.find((p) => p.id === 'n2')!.match).toBe(1);
  });
});

describe('configuration', () => {
  const base = defaultRaftConfig('n1', ['n1', 'n2', 'n3'], new MemoryStorage(), seededRandom(1));

  it('the defaults are sane: pre-vote and check-quorum on, elections after 10–20 ticks', () => {
    expect(base).toMatchObject({ heartbeatTicks: 1, electionTicks: 10, preVote: true, checkQuorum: true, applied: 0 });
    expect(base.maxInflightMsgs).toBeGreaterThan(1);
    expect(base.maxSizePerMsg).toBeGreaterThan(1000);
  });

  it.each([
    ['an empty id', { id: '' }, /id/],
    ['heartbeat not shorter than the election timeout', { heartbeatTicks: 10, electionTicks: 10 }, /electionTicks/],
    ['a zero in-flight window', { maxInflightMsgs: 0 }, /maxInflightMsgs/],
    ['a fractional message size', { maxSizePerMsg: 1.5 }, /maxSizePerMsg/],
    ['a negative applied index', { applied: -1 }, /applied/],
    ['duplicate voters', { voters: ['n1', 'n1'] }, /voters/],
  ])('rejects %s with a clear RangeError', (_, change, message) => {
    expect(() => new RawNode({ ...base, ...change })).toThrow(message);
    expect(() => new RawNode({ ...base, ...change })).toThrow(RangeError);
  });
});
