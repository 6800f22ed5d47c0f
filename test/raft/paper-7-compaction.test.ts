// §7 Log compaction: snapshots, and followers that need what was compacted.

import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';
import { Harness, bytes } from './harness.js';
import { votersConfState } from '../../core/raft/confchange.js';

/** The host's compaction: a snapshot of its state machine at its applied index. */
function compact(c: Harness, id: NodeId): number {
  const index = c.appliedIndex.get(id)!;
  const storage = c.storages.get(id)!;
  storage.compactTo({ metadata: { index, term: storage.term(index), confState: votersConfState(c.ids) }, data: bytes(`state@${index}`) });
  return index;
}

function laggingFollowerCluster(): Harness {
  const c = new Harness(['n1', 'n2', 'n3']);
  c.elect('n1');
  c.isolate('n3');
  for (const data of ['a', 'b', 'c', 'd']) c.node('n1').propose(bytes(data));
  c.stabilize();
  compact(c, 'n1');
  return c;
}

describe('§7 log compaction', () => {
  it('a follower that needs compacted entries gets the snapshot, installs it and keeps replicating', () => {
    const c = laggingFollowerCluster();
    expect(c.storages.get('n1')!.firstIndex()).toBe(6);

    c.heal();
    c.tickAll(3);
    c.node('n1').propose(bytes('e'));
    c.tickAll(2);

    const n3 = c.storages.get('n3')!;
    expect(n3.snapshot().metadata.index).toBe(5);
    expect(new TextDecoder().decode(n3.snapshot().data)).toBe('state@5');
    expect(c.appliedIndex.get('n3')).toBe(6);
    expect(c.appliedData('n3')).toEqual(['e']);
    expect(c.node('n1').status().progress!.find((p) => p.id === 'n3')).toMatchObject({ state: 'replicate', match: 6 });
  });

  it('the host sees the snapshot in Ready.snapshot before any entry after it', () => {
    const c = laggingFollowerCluster();
    c.heal();
    c.tick('n1');
    // Run until n3 has taken in the snapshot but its host has not yet seen the Ready.
    for (let i = 0; i < 20 && c.node('n3').status().snapshotIndex !== 5; i++) {
      for (const id of c.ids) c.processReady(id);
      c.deliver();
    }
    const rd = c.node('n3').ready();
    expect(rd.snapshot?.metadata).toMatchObject({ index: 5 });
    expect(rd.committedEntries).toEqual([]);
  });

  it('a snapshot the transport failed to deliver is sent again', () => {
    const c = laggingFollowerCluster();
    c.heal();
    c.tick('n1');
    const snaps = (): number => {
      c.processReady('n1');
      const n = c.queue.filter((m) => m.type === MessageType.Snap).length;
      c.queue = c.queue.filter((m) => m.type !== MessageType.Snap);
      c.deliver();
      c.processReady('n2');
      c.processReady('n3');
      c.deliver();
      return n;
    };
    let sent = 0;
    for (let i = 0; i < 5 && sent === 0; i++) sent += snaps();
    expect(sent).toBe(1);
    expect(c.node('n1').status().progress!.find((p) => p.id === 'n3')!.state).toBe('snapshot');

    c.node('n1').reportSnapshot('n3', false);
    expect(c.node('n1').status().progress!.find((p) => p.id === 'n3')!.state).toBe('probe');
    c.tickAll(3);
    expect(c.storages.get('n3')!.snapshot().metadata.index).toBe(5);
  });

  it('the core copes with its storage being compacted between calls', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    for (let round = 0; round < 5; round++) {
      c.node('n1').propose(bytes(`p${round}`));
      c.stabilize();
      for (const id of c.ids) compact(c, id);
    }
    c.tickAll(3);
    for (const id of c.ids) {
      expect(c.storages.get(id)!.firstIndex()).toBe(7);
      expect(c.node(id).status()).toMatchObject({ commit: 6, applied: 6, firstIndex: 7, snapshotIndex: 6 });
    }
  });

  it('a node restarts from its snapshot and log', () => {
    const c = laggingFollowerCluster();
    c.node('n1').propose(bytes('e'));
    c.stabilize();
    c.crash('n1');

    const restarted = c.start('n1');
    const rd = restarted.ready();

    expect(rd.committedEntries.map((e) => new TextDecoder().decode(e.data))).toEqual(['e']);
    expect(restarted.status()).toMatchObject({ role: 'follower', term: 1, commit: 6, snapshotIndex: 5, firstIndex: 6, lastIndex: 6 });
  });
});
