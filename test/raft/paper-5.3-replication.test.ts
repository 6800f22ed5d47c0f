// §5.3 Log replication.

import { describe, expect, it } from 'vitest';
import type { Message, NodeId } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';
import { Harness, bytes, entry } from './harness.js';

/** Sets a node's persisted log to entries with these terms (indexes 1..) and restarts it. */
function withLog(c: Harness, id: NodeId, terms: number[], term: number): void {
  const storage = c.storages.get(id)!;
  storage.append(terms.map((t, i) => entry(i + 1, t)));
  storage.setHardState({ term, vote: '', commit: 0 });
  c.start(id);
}

function isApp(m: Message): boolean {
  return m.type === MessageType.App;
}

describe('§5.3 log replication', () => {
  it('a proposal commits once a majority stores it, and every node applies it once, in order', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.cutLink('n1', 'n2');
    c.cutLink('n1', 'n3');

    c.node('n1').propose(bytes('a'));
    c.stabilize();
    expect(c.node('n1').status().commit).toBe(1);

    c.heal();
    c.cutLink('n1', 'n3');
    c.node('n1').propose(bytes('b'));
    c.tickAll(2);
    expect(c.node('n1').status().commit).toBe(3);
    expect(c.appliedData('n1')).toEqual(['a', 'b']);
    expect(c.appliedData('n2')).toEqual(['a', 'b']);

    c.heal();
    c.tickAll(2);
    expect(c.appliedData('n3')).toEqual(['a', 'b']);
    for (const id of c.ids) expect(c.applied.get(id)!.map((e) => e.index)).toEqual([1, 2, 3]);
  });

  it.each([
    {
      // The follower has an uncommitted tail of lower terms: one rejection reveals it.
      name: 'follower behind with stale terms',
      leader: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6],
      follower: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
    },
    {
      // The follower has a long tail of higher terms than the leader's at those indexes: its hint
      // skips them all at once (etcd's findConflictByTerm on the follower side).
      name: 'follower with a divergent tail of higher terms',
      leader: [1, 3, 3, 3, 3, 3, 3, 3, 7],
      follower: [1, 3, 3, 4, 4, 5, 5, 5, 6],
    },
  ])('the leader backs up a whole term per rejection: $name', ({ leader, follower }) => {
    const c = new Harness(['n1', 'n2', 'n3']);
    withLog(c, 'n1', leader, 7);
    withLog(c, 'n2', follower, 7);
    withLog(c, 'n3', leader, 7);

    c.elect('n1');

    const rejections = c.node('n1').status().progress!.find((p) => p.id === 'n2');
    expect(rejections?.match).toBe(leader.length + 1);
    expect(c.persistedLog('n2')).toEqual(c.persistedLog('n1'));
  });

  it('counts the round trips of the back-up: at most one rejection per differing term', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    withLog(c, 'n1', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6], 7);
    withLog(c, 'n2', [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3], 7);
    withLog(c, 'n3', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6], 7);
    c.node('n1').campaign();
    let rejections = 0;
    for (let round = 0; round < 50; round++) {
      for (const id of c.ids) c.processReady(id);
      rejections += c.queue.filter((m) => m.type === MessageType.AppResp && m.from === 'n2' && m.reject).length;
      if (c.queue.length === 0) break;
      c.deliver();
    }
    expect(rejections).toBe(1);
  });

  it('heartbeats carry the commit index only up to what each follower is known to match', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.cutLink('n1', 'n3');
    c.node('n1').proposeBatch([bytes('a'), bytes('b')]);
    c.stabilize();
    const committed = c.node('n1').status().commit;
    expect(committed).toBe(3);

    c.tick('n1');
    const heartbeats = c.node('n1').ready().messages.filter((m) => m.type === MessageType.Heartbeat);

    expect(heartbeats.find((m) => m.to === 'n2')?.commit).toBe(3);
    expect(heartbeats.find((m) => m.to === 'n3')?.commit).toBe(1);
  });

  it('in replicate state the leader pipelines at most maxInflightMsgs Apps to a silent follower', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { maxInflightMsgs: 2 });
    c.elect('n1');
    for (const data of ['a', 'b', 'c', 'd', 'e']) {
      c.node('n1').propose(bytes(data));
      c.processReady('n1');
    }
    const toN2 = c.queue.filter((m) => isApp(m) && m.to === 'n2');
    expect(toN2).toHaveLength(2);
    expect(c.node('n1').status().progress!.find((p) => p.id === 'n2')).toMatchObject({ state: 'replicate', inflight: 2 });

    // Acknowledgements open the window again; everything arrives.
    c.stabilize();
    expect(c.appliedData('n2')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('an App carries at most maxSizePerMsg bytes of entries (but at least one entry)', () => {
    const c = new Harness(['n1', 'n2', 'n3'], { maxSizePerMsg: 40 });
    c.elect('n1');
    c.node('n1').proposeBatch(Array.from({ length: 6 }, (_, i) => bytes(`entry-${i}`)));
    c.processReady('n1');
    const apps = c.queue.filter((m) => isApp(m) && m.to === 'n2');
    expect(apps.length).toBeGreaterThan(1);
    for (const m of apps) expect(m.entries.length).toBeLessThanOrEqual(2);
    c.stabilize();
    expect(c.appliedData('n2')).toHaveLength(6);
  });

  it('in probe state the leader sends one App and waits for its answer', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    c.node('n1').reportUnreachable('n2');
    expect(c.node('n1').status().progress!.find((p) => p.id === 'n2')!.state).toBe('probe');

    for (const data of ['a', 'b', 'c']) c.node('n1').propose(bytes(data));
    c.processReady('n1');

    expect(c.queue.filter((m) => isApp(m) && m.to === 'n2')).toHaveLength(1);
    c.stabilize();
    expect(c.node('n1').status().progress!.find((p) => p.id === 'n2')!.state).toBe('replicate');
    expect(c.appliedData('n2')).toEqual(['a', 'b', 'c']);
  });
});
