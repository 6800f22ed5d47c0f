// Membership changes (etcd's confchange, tracker and quorum packages; Raft thesis §4): the set
// arithmetic, joint quorums, and the core applying changes from its log — learners, joint
// consensus, one change pending at most, a leader removing itself, restarts and snapshots.

import { describe, expect, it } from 'vitest';
import { ConfChangeError, applyConfChange, enterJoint, leaveJoint, simpleChange, votersConfState } from '../../core/raft/confchange.js';
import { decodeConfChange, encodeConfChange, ConfChangeDataError } from '../../core/raft/conf-change-data.js';
import { jointCommitted, jointHasQuorum, jointVoteResult } from '../../core/raft/quorum-joint.js';
import { ProposalError, TransferError } from '../../core/raft/errors.js';
import type { ConfChange, ConfChangeSingle, ConfState } from '../../core/raft/types.js';
import { ConfChangeTransition, ConfChangeType, EntryType, MessageType } from '../../core/raft/types.js';
import { Harness, bytes } from './harness.js';

const add = (node: string): ConfChangeSingle => ({ type: ConfChangeType.AddNode, node });
const learner = (node: string): ConfChangeSingle => ({ type: ConfChangeType.AddLearnerNode, node });
const remove = (node: string): ConfChangeSingle => ({ type: ConfChangeType.RemoveNode, node });
const simple = (...changes: ConfChangeSingle[]): ConfChange => ({ transition: ConfChangeTransition.Auto, changes });
const joint = (transition: ConfChangeTransition, ...changes: ConfChangeSingle[]): ConfChange => ({ transition, changes });
const LEAVE: ConfChange = { transition: ConfChangeTransition.Auto, changes: [] };

function conf(partial: Partial<ConfState>): ConfState {
  return { voters: [], votersOutgoing: [], learners: [], learnersNext: [], autoLeave: false, index: 0, ...partial };
}

describe('configuration change arithmetic (confchange)', () => {
  const base = votersConfState(['n1', 'n2', 'n3']);

  it('a simple change adds a learner, promotes it, removes a voter', () => {
    const withLearner = simpleChange(base, [learner('n4')], 5);
    expect(withLearner).toEqual(conf({ voters: ['n1', 'n2', 'n3'], learners: ['n4'], index: 5 }));
    const promoted = simpleChange(withLearner, [add('n4')], 6);
    expect(promoted).toEqual(conf({ voters: ['n1', 'n2', 'n3', 'n4'], index: 6 }));
    expect(simpleChange(promoted, [remove('n1')], 7)).toEqual(conf({ voters: ['n2', 'n3', 'n4'], index: 7 }));
  });

  it('a simple change of two voters is refused: it needs a joint configuration', () => {
    expect(() => simpleChange(base, [add('n4'), remove('n1')], 5)).toThrow(/more than one voter/);
  });

  it('learners do not count as voter changes in a simple change', () => {
    expect(simpleChange(base, [learner('n4'), learner('n5'), add('n6')], 5).learners).toEqual(['n4', 'n5']);
  });

  it('entering joint keeps the old voters as the outgoing half; leaving drops it', () => {
    const entered = enterJoint(base, true, [add('n4'), remove('n1')], 8);
    expect(entered).toEqual(conf({ voters: ['n2', 'n3', 'n4'], votersOutgoing: ['n1', 'n2', 'n3'], autoLeave: true, index: 8 }));
    expect(leaveJoint(entered, 9)).toEqual(conf({ voters: ['n2', 'n3', 'n4'], index: 9 }));
  });

  it('demoting a voter makes it a learner only when the joint configuration is left', () => {
    const entered = enterJoint(base, false, [learner('n3')], 4);
    expect(entered).toMatchObject({ voters: ['n1', 'n2'], votersOutgoing: ['n1', 'n2', 'n3'], learners: [], learnersNext: ['n3'] });
    expect(leaveJoint(entered, 5)).toEqual(conf({ voters: ['n1', 'n2'], learners: ['n3'], index: 5 }));
  });

  it.each([
    ['removing every voter', () => simpleChange(votersConfState(['n1']), [remove('n1')], 2), /every voter/],
    ['entering joint twice', () => enterJoint(enterJoint(base, true, [add('n4')], 2), true, [add('n5')], 3), /already joint/],
    ['a simple change while joint', () => simpleChange(enterJoint(base, true, [add('n4')], 2), [add('n5')], 3), /joint/],
    ['leaving joint when not joint', () => leaveJoint(base, 2), /not joint/],
    ['a change naming no node', () => simpleChange(base, [add('')], 2), /no node/],
  ])('refuses %s with a sentence', (_, change, message) => {
    expect(change).toThrow(ConfChangeError);
    expect(change).toThrow(message);
  });

  it('applyConfChange picks simple, joint or leave-joint from the change', () => {
    expect(applyConfChange(base, simple(add('n4')), 2).votersOutgoing).toEqual([]);
    const auto2 = applyConfChange(base, simple(add('n4'), add('n5')), 2);
    expect(auto2).toMatchObject({ votersOutgoing: ['n1', 'n2', 'n3'], autoLeave: true });
    expect(applyConfChange(base, joint(ConfChangeTransition.JointImplicit, add('n4')), 2).autoLeave).toBe(true);
    const explicit = applyConfChange(base, joint(ConfChangeTransition.JointExplicit, add('n4')), 2);
    expect(explicit).toMatchObject({ votersOutgoing: ['n1', 'n2', 'n3'], autoLeave: false });
    expect(applyConfChange(explicit, LEAVE, 3)).toEqual(conf({ voters: ['n1', 'n2', 'n3', 'n4'], index: 3 }));
  });

  it('the entry payload (the change and its result) round-trips and refuses anything else', () => {
    const cc = joint(ConfChangeTransition.JointExplicit, add('n4'), learner('ñ5'), remove('n1'));
    const { index: _index, ...result } = applyConfChange(base, cc, 4);
    expect(decodeConfChange(encodeConfChange(cc, result))).toEqual({ change: cc, result });
    expect(result).toMatchObject({ voters: ['n2', 'n3', 'n4'], votersOutgoing: ['n1', 'n2', 'n3'], learners: ['ñ5'] });
    const bytes = encodeConfChange(cc, result);
    for (const bad of [bytes.subarray(0, bytes.length - 1), new Uint8Array([...bytes, 0]), new Uint8Array([2, 0, 0]), new Uint8Array([1, 7, 0])]) {
      expect(() => decodeConfChange(bad)).toThrow(ConfChangeDataError);
    }
  });
});

describe('joint quorums', () => {
  const matches = new Map([
    ['n1', 9],
    ['n2', 7],
    ['n3', 3],
    ['n4', 2],
    ['n5', 1],
  ]);
  const matchOf = (id: string): number => matches.get(id)!;

  it('commit is the lower of both majorities; an empty outgoing half does not constrain it', () => {
    expect(jointCommitted({ incoming: ['n1', 'n2', 'n3'], outgoing: [] }, matchOf, [], [])).toBe(7);
    expect(jointCommitted({ incoming: ['n1', 'n2', 'n3'], outgoing: ['n3', 'n4', 'n5'] }, matchOf, [], [])).toBe(2);
    expect(jointCommitted({ incoming: ['n3', 'n4', 'n5'], outgoing: ['n1', 'n2', 'n3'] }, matchOf, [], [])).toBe(2);
  });

  it('an election needs both majorities; losing either loses it', () => {
    const cfg = { incoming: ['n1', 'n2', 'n3'], outgoing: ['n3', 'n4', 'n5'] };
    const votes = (granted: string[], rejected: string[] = []): Map<string, boolean> => new Map([...granted.map((id) => [id, true] as const), ...rejected.map((id) => [id, false] as const)]);
    expect(jointVoteResult(cfg, votes(['n1', 'n2']))).toBe('pending');
    expect(jointVoteResult(cfg, votes(['n1', 'n3', 'n4']))).toBe('won');
    expect(jointVoteResult(cfg, votes(['n1', 'n2', 'n3'], ['n4', 'n5']))).toBe('lost');
    expect(jointVoteResult({ incoming: ['n1'], outgoing: [] }, votes(['n1']))).toBe('won');
  });

  it('check-quorum needs both majorities active', () => {
    const cfg = { incoming: ['n1', 'n2', 'n3'], outgoing: ['n3', 'n4', 'n5'] };
    expect(jointHasQuorum(cfg, (id) => ['n1', 'n2'].includes(id))).toBe(false);
    expect(jointHasQuorum(cfg, (id) => ['n1', 'n3', 'n4'].includes(id))).toBe(true);
  });
});

/** Proposes, then runs the cluster until quiet: the change is committed and applied everywhere reachable. */
function change(c: Harness, leader: string, cc: ConfChange): number {
  const { index } = c.node(leader).proposeConfChange(cc);
  c.stabilize();
  return index;
}

describe('learners (thesis §4.2.1)', () => {
  it('a learner receives the log but never votes nor counts for commit', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.addNode('n4');
    change(c, 'n1', simple(learner('n4')));
    expect(c.node('n4').confState()).toMatchObject({ voters: ['n1', 'n2', 'n3'], learners: ['n4'] });
    c.node('n1').propose(bytes('x'));
    c.stabilize();
    expect(c.appliedData('n4')).toEqual(['x']);
    // With two voters down, the learner's copy does not make a majority.
    c.crash('n2');
    c.crash('n3');
    const { index } = c.node('n1').propose(bytes('y'));
    c.stabilize();
    expect(c.storages.get('n4')!.lastIndex()).toBe(index);
    expect(c.node('n1').status().commit).toBeLessThan(index);
  });

  it('a learner never campaigns, however long it waits', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.addNode('n4');
    change(c, 'n1', simple(learner('n4')));
    c.crash('n1');
    for (let i = 0; i < 100; i++) c.tick('n4');
    c.stabilize();
    expect(c.node('n4').status().role).toBe('follower');
    expect(c.node('n4').status().term).toBe(1);
  });

  it('a learner whose term ran ahead tells its leader, even without check-quorum and pre-vote', () => {
    // Without both, a voter ignores an older leader and campaigns itself; a learner never does,
    // so it must make its term known or follow nobody for good.
    const c = new Harness(['n1', 'n2', 'n3'], { checkQuorum: false, preVote: false });
    c.elect('n1');
    c.addNode('n4');
    change(c, 'n1', simple(learner('n4')));
    const term = c.node('n1').status().term;
    // A removed or cut-off node's vote request raised the learner's term.
    c.node('n4').step({ type: MessageType.Vote, from: 'n9', to: 'n4', term: term + 5, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, snapshot: null, context: 0 });
    c.processReady('n4');
    c.queue = [];
    c.node('n1').propose(bytes('z'));
    c.stabilize();
    // The leader learned the higher term, stepped down, and the cluster (learner included) went on.
    expect(c.node('n1').status().term).toBeGreaterThan(term);
    c.elect('n1');
    c.node('n1').propose(bytes('after'));
    c.stabilize();
    expect(c.appliedData('n4')).toContain('after');
  });

  it('a learner votes (it may be a voter it does not yet know of) but its vote is not counted', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.addNode('n4');
    change(c, 'n1', simple(learner('n4')));
    c.crash('n2');
    c.crash('n3');
    c.crash('n1');
    c.start('n1');
    // n1 restarts with its configuration (learner n4 included) and asks only voters.
    c.node('n1').campaign();
    c.stabilize();
    expect(c.node('n1').status().role).not.toBe('leader');
    expect(c.queue.every((m) => m.to !== 'n4')).toBe(true);
  });

  it('a learner joining after compaction catches up by snapshot, then is promoted and counts', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    for (let i = 0; i < 5; i++) c.node('n1').propose(bytes(`v${i}`));
    c.stabilize();
    for (const id of ['n1', 'n2', 'n3']) {
      const s = c.storages.get(id)!;
      const index = c.appliedIndex.get(id)!;
      s.compactTo({ metadata: { index, term: s.term(index), confState: c.node(id).confState() }, data: bytes(`state@${index}`) });
    }
    c.addNode('n4');
    change(c, 'n1', simple(learner('n4')));
    // The leader's log starts after the learner's (empty) one: a snapshot, then the change itself.
    expect(c.storages.get('n4')!.snapshot().metadata.index).toBeGreaterThan(0);
    expect(c.node('n4').confState().learners).toEqual(['n4']);
    change(c, 'n1', simple(add('n4')));
    expect(c.node('n1').confState().voters).toEqual(['n1', 'n2', 'n3', 'n4']);
    c.crash('n2');
    const { index } = c.node('n1').propose(bytes('after'));
    c.stabilize();
    // n1, n3, n4 are a majority of four.
    expect(c.node('n1').status().commit).toBe(index);
  });
});

describe('joint consensus (thesis §4.3)', () => {
  it('replacing a voter goes through a joint configuration and leaves it automatically', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.addNode('n4');
    const index = change(c, 'n1', simple(add('n4'), remove('n3')));
    for (const id of ['n1', 'n2', 'n4']) {
      expect(c.node(id).confState()).toEqual(conf({ voters: ['n1', 'n2', 'n4'], index: index + 1 }));
    }
    const entries = c.storages.get('n1')!.entries(index, index + 2, Infinity);
    expect(entries.map((e) => e.type)).toEqual([EntryType.ConfChange, EntryType.ConfChange]);
    expect(decodeConfChange(entries[1]!.data).change).toEqual(LEAVE);
  });

  it('while joint, commit needs a majority of the outgoing voters too', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    for (const id of ['n4', 'n5']) c.addNode(id);
    change(c, 'n1', joint(ConfChangeTransition.JointExplicit, add('n4'), add('n5'), remove('n2'), remove('n3')));
    expect(c.node('n1').confState()).toMatchObject({ voters: ['n1', 'n4', 'n5'], votersOutgoing: ['n1', 'n2', 'n3'] });
    c.crash('n2');
    c.crash('n3');
    const { index } = c.node('n1').propose(bytes('x'));
    c.stabilize();
    // n1, n4, n5 are a majority of the incoming voters, but only n1 of the outgoing: no commit.
    expect(c.node('n1').status().commit).toBeLessThan(index);
    c.start('n2');
    c.tickAll(3);
    expect(c.node('n1').status().commit).toBeGreaterThanOrEqual(index);
  });

  it('an explicit joint configuration stays until an empty change leaves it', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.addNode('n4');
    change(c, 'n1', joint(ConfChangeTransition.JointExplicit, add('n4')));
    c.tickAll(5);
    expect(c.node('n1').confState().votersOutgoing).toEqual(['n1', 'n2', 'n3']);
    const index = change(c, 'n1', LEAVE);
    expect(c.node('n3').confState()).toEqual(conf({ voters: ['n1', 'n2', 'n3', 'n4'], index }));
  });

  it('an election while joint needs both majorities', () => {
    // Without check-quorum, voters grant at once instead of honouring the old leader's lease.
    const c = new Harness(['n1', 'n2', 'n3'], { checkQuorum: false });
    c.elect('n1');
    for (const id of ['n4', 'n5']) c.addNode(id);
    change(c, 'n1', joint(ConfChangeTransition.JointExplicit, add('n4'), add('n5'), remove('n2'), remove('n3')));
    c.crash('n2');
    c.crash('n3');
    c.crash('n1');
    c.node('n4').campaign();
    c.stabilize();
    // n4 and n5 are a majority of the incoming half, but nobody of the outgoing half answered.
    expect(c.node('n4').status().role).not.toBe('leader');
    c.start('n2');
    c.node('n4').campaign();
    c.stabilize();
    expect(c.node('n4').status().role).not.toBe('leader');
    c.start('n3');
    c.node('n4').campaign();
    c.stabilize();
    expect(c.leaders()).toEqual(['n4']);
  });
});

describe('one change at a time', () => {
  it('a second change is refused until the first is applied, with a sentence', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.node('n1').proposeConfChange(simple(learner('n4')));
    let refused: unknown;
    try {
      c.node('n1').proposeConfChange(simple(learner('n5')));
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(ProposalError);
    expect((refused as ProposalError).code).toBe('conf-change-pending');
    expect((refused as ProposalError).message).toMatch(/not applied yet; retry once it is/);
    c.stabilize();
    expect(() => c.node('n1').proposeConfChange(simple(learner('n5')))).not.toThrow();
  });

  it('a new leader refuses changes until it has applied every change its log may hold', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { checkQuorum: false });
    c.elect('n1');
    c.node('n1').proposeConfChange(simple(learner('n4')));
    c.processReady('n1');
    c.deliver();
    c.crash('n1');
    c.queue = [];
    c.node('n2').campaign();
    // Before anything commits in its term the new leader may hold the old leader's change unapplied.
    for (let i = 0; i < 20 && c.node('n2').status().role !== 'leader'; i++) {
      c.processReady('n2');
      c.processReady('n3');
      c.deliver();
    }
    expect(c.node('n2').status().role).toBe('leader');
    expect(() => c.node('n2').proposeConfChange(simple(learner('n5')))).toThrow(/not applied yet/);
    c.stabilize();
    expect(c.node('n2').confState().learners).toEqual(['n4']);
    expect(() => c.node('n2').proposeConfChange(simple(learner('n5')))).not.toThrow();
  });

  it('a change that cannot apply is refused when proposed, never appended', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    const last = c.node('n1').status().lastIndex;
    expect(() => c.node('n1').proposeConfChange(simple(remove('n1'), remove('n2'), remove('n3')))).toThrow(/every voter/);
    expect(() => c.node('n1').proposeConfChange(LEAVE)).toThrow(/not joint/);
    expect(c.node('n1').status().lastIndex).toBe(last);
  });
});

describe('removing nodes', () => {
  it('a leader that removes itself hands over once the change is applied, steps down, and never campaigns', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    change(c, 'n1', simple(remove('n1')));
    // The most up-to-date remaining voter was told to campaign (TimeoutNow): no election timeout.
    const leader = c.leaders().find((id) => id !== 'n1')!;
    expect(c.node(leader).status().term).toBe(2);
    // n1 learns of the new term from the answers to its next heartbeat.
    c.tickAll(2);
    expect(c.node('n1').status().role).toBe('follower');
    expect(c.leaders()).toEqual([leader]);
    expect(['n2', 'n3']).toContain(leader);
    expect(c.node(leader).confState().voters).toEqual(['n2', 'n3']);
    c.isolate('n1');
    for (let i = 0; i < 60; i++) c.tick('n1');
    c.stabilize();
    expect(c.node('n1').status().role).toBe('follower');
  });

  it('a voter that missed the commit of a removal learns it from the removed node\'s vote rejection', () => {
    const c = new Harness(['n1', 'n2'], { checkQuorum: false, preVote: false });
    c.elect('n1');
    c.node('n1').proposeConfChange(simple(remove('n1')));
    c.processReady('n1');
    c.deliver();
    c.processReady('n2');
    c.deliver();
    // n1 committed its removal; n2 holds the entry but not the commit. n1 appends one more entry
    // before it applies the removal, and nothing of it reaches n2.
    c.node('n1').propose(bytes('late'));
    c.cutLink('n1', 'n2');
    c.stabilize();
    expect(c.node('n1').confState().voters).toEqual(['n2']);
    expect(c.node('n2').confState().voters).toEqual(['n1', 'n2']);
    c.heal();
    c.crash('n1');
    c.start('n1');
    // n2 needs n1's vote in its configuration, and n1 refuses it (its log is longer) — but says what
    // is committed of the prefix they share: n2 applies its removal of n1 and wins alone.
    for (let i = 0; i < 3 && c.leaders().length === 0; i++) {
      c.node('n2').campaign();
      c.stabilize();
    }
    expect(c.leaders()).toEqual(['n2']);
    expect(c.node('n2').confState().voters).toEqual(['n2']);
  });

  it('a removed follower stops campaigning and the rest carry on', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    change(c, 'n1', simple(remove('n3')));
    expect(c.node('n3').confState().voters).toEqual(['n1', 'n2']);
    const term = c.node('n3').status().term;
    for (let i = 0; i < 60; i++) c.tick('n3');
    expect(c.node('n3').status()).toMatchObject({ role: 'follower', term });
    const { index } = c.node('n1').propose(bytes('x'));
    c.stabilize();
    expect(c.node('n2').status().commit).toBe(index);
  });
});

describe('the configuration survives restarts and travels in snapshots', () => {
  it('a restarted node knows its configuration from its hard state', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.addNode('n4');
    change(c, 'n1', simple(learner('n4')));
    expect(c.storages.get('n2')!.initialState().hardState.conf?.learners).toEqual(['n4']);
    c.crash('n2');
    c.start('n2');
    expect(c.node('n2').confState()).toMatchObject({ voters: ['n1', 'n2', 'n3'], learners: ['n4'] });
  });

  it('a restart replays committed changes whose result was not persisted', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.addNode('n4');
    const index = change(c, 'n1', simple(learner('n4')));
    const s = c.storages.get('n2')!;
    // Lose the persisted configuration, as a crash between apply and the next hard-state write would.
    s.setHardState({ ...s.hardStateNow(), conf: votersConfState(['n1', 'n2', 'n3']) });
    c.crash('n2');
    const node = c.start('n2');
    // The host restarts from the snapshot (index 0) and re-applies: the core replays the change on advance.
    c.stabilize();
    expect(node.confState()).toMatchObject({ learners: ['n4'], index });
  });

  it('a node restored from a snapshot knows the configuration at the snapshot', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.addNode('n4');
    change(c, 'n1', simple(learner('n4')));
    c.crash('n3');
    change(c, 'n1', simple(add('n4')));
    const s = c.storages.get('n1')!;
    const index = c.appliedIndex.get('n1')!;
    s.compactTo({ metadata: { index, term: s.term(index), confState: c.node('n1').confState() }, data: bytes('state') });
    c.start('n3');
    c.tickAll(3);
    expect(c.storages.get('n3')!.snapshot().metadata.confState.voters).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(c.node('n3').confState().voters).toEqual(['n1', 'n2', 'n3', 'n4']);
  });
});

describe('leadership transfer from outside', () => {
  it('to a named voter, or to the most up-to-date follower', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    expect(c.node('n1').startTransfer('n3')).toBe('n3');
    c.stabilize();
    expect(c.leaders()).toEqual(['n3']);
    c.cutLink('n3', 'n1');
    c.node('n3').propose(bytes('x'));
    c.stabilize();
    c.heal();
    // n1 missed the last entry: n2 is the most up-to-date follower.
    expect(c.node('n3').startTransfer()).toBe('n2');
    c.stabilize();
    expect(c.leaders()).toEqual(['n2']);
  });

  it.each([
    ['on a follower', 'n2', 'n3', 'not-leader', /not the leader/],
    ['to a learner', 'n1', 'n4', 'not-a-voter', /learner; promote it first/],
    ['to a stranger', 'n1', 'n9', 'not-a-voter', /not a member/],
  ])('is refused %s with a sentence', (_, on, to, code, message) => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.addNode('n4');
    change(c, 'n1', simple(learner('n4')));
    let error: unknown;
    try {
      c.node(on).startTransfer(to);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransferError);
    expect((error as TransferError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
  });

  it('is refused when there is nobody to hand over to', () => {
    const c = new Harness(['n1']);
    c.elect('n1');
    expect(() => c.node('n1').startTransfer()).toThrow(/only voter/);
  });
});
