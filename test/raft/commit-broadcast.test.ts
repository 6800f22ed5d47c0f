// How followers learn a new commit index (RaftConfig.commitBroadcast): at once, by an App of its
// own (etcd's raft), or deferred to the next App, heartbeat or leader tick.

import { describe, expect, it } from 'vitest';
import type { Message } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';
import { Harness, bytes } from './harness.js';

/** Proposes on n1 and runs the cluster until quiet; returns every message sent meanwhile. */
function proposeAndSettle(c: Harness, data: string): Message[] {
  c.node('n1').propose(bytes(data));
  return c.stabilize();
}

/** A deferred-broadcast cluster past its first heartbeat tick, with 'a' (index 2) committed on the
 *  leader and not yet known committed by the followers. */
function deferredWithUnannouncedCommit(): Harness {
  const c = new Harness(['n1', 'n2', 'n3'], { heartbeatTicks: 3, commitBroadcast: 'deferred' });
  c.elect('n1');
  c.tick('n1');
  c.stabilize();
  proposeAndSettle(c, 'a');
  return c;
}

const emptyApps = (messages: Message[]) => messages.filter((m) => m.type === MessageType.App && m.entries.length === 0);
const appResps = (messages: Message[]) => messages.filter((m) => m.type === MessageType.AppResp);

describe('commit broadcast', () => {
  it('immediate (the default): each commit sends every follower an App of its own, and each is answered', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { heartbeatTicks: 3 });
    c.elect('n1');
    const sent = proposeAndSettle(c, 'a');
    expect(emptyApps(sent).map((m) => [m.to, m.commit])).toEqual([
      ['n2', 2],
      ['n3', 2],
    ]);
    expect(appResps(sent)).toHaveLength(4);
    expect(c.appliedData('n2')).toEqual(['a']);
    expect(c.appliedData('n3')).toEqual(['a']);
  });

  it('deferred: a commit sends nothing of its own; the leader applies and the followers hold the entry unapplied', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { heartbeatTicks: 3, commitBroadcast: 'deferred' });
    c.elect('n1');
    c.tick('n1');
    c.stabilize();
    const sent = proposeAndSettle(c, 'a');
    expect(emptyApps(sent)).toEqual([]);
    expect(appResps(sent)).toHaveLength(2);
    expect(c.appliedData('n1')).toEqual(['a']);
    expect(c.node('n2').status().lastIndex).toBe(2);
    expect(c.appliedData('n2')).toEqual([]);
  });

  it('deferred: the next App carries the commit index', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { heartbeatTicks: 3, commitBroadcast: 'deferred' });
    c.elect('n1');
    proposeAndSettle(c, 'a');
    const sent = proposeAndSettle(c, 'b');
    expect(emptyApps(sent)).toEqual([]);
    expect(c.appliedData('n2')).toEqual(['a']);
    expect(c.appliedData('n3')).toEqual(['a']);
  });

  it('deferred: the next leader tick sends an empty App to each follower that lacks the commit index, once', () => {
    const c = deferredWithUnannouncedCommit();

    c.tick('n1');
    const owed = c.stabilize();
    expect(emptyApps(owed).map((m) => [m.to, m.commit])).toEqual([
      ['n2', 2],
      ['n3', 2],
    ]);
    expect(c.appliedData('n2')).toEqual(['a']);
    expect(c.appliedData('n3')).toEqual(['a']);

    c.tick('n1');
    expect(c.stabilize().filter((m) => m.type === MessageType.App)).toEqual([]);
  });

  it('deferred: a heartbeat carries the commit index (clamped to the follower\'s match) and no App goes beside it', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { heartbeatTicks: 1, commitBroadcast: 'deferred' });
    c.elect('n1');
    proposeAndSettle(c, 'a');
    c.tick('n1');
    const rd = c.processReady('n1')!;
    expect(rd.messages.map((m) => [m.type, m.to, m.commit])).toEqual([
      [MessageType.Heartbeat, 'n2', 2],
      [MessageType.Heartbeat, 'n3', 2],
    ]);
    c.stabilize();
    expect(c.appliedData('n2')).toEqual(['a']);
  });

  it('deferred: a follower that missed the commit index (its App lost) learns it by a later tick', () => {
    const c = deferredWithUnannouncedCommit();
    c.tick('n1');
    c.processReady('n1');
    c.queue = c.queue.filter((m) => m.to !== 'n3');
    c.stabilize();
    expect(c.appliedData('n3')).toEqual([]);
    // The lost App counted as sent; the next heartbeat (tick 3 since the last) carries the index.
    c.tickAll(2);
    expect(c.appliedData('n3')).toEqual(['a']);
  });
});
