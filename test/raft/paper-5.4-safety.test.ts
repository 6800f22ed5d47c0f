// §5.4 Safety: the election restriction and committing entries from previous terms.

import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../core/raft/types.js';
import { MessageType } from '../../core/raft/types.js';
import { RawNode } from '../../core/raft/raw-node.js';
import { Harness, entry, type ConfigOverrides } from './harness.js';

function cluster(logs: Record<NodeId, number[]>, term: number, overrides: ConfigOverrides = {}): Harness {
  const c = new Harness(Object.keys(logs), overrides);
  for (const [id, terms] of Object.entries(logs)) {
    const storage = c.storages.get(id)!;
    storage.append(terms.map((t, i) => entry(i + 1, t)));
    storage.setHardState({ term, vote: '', commit: 0 });
    c.start(id);
  }
  return c;
}

describe('§5.4.1 election restriction', () => {
  it.each([
    { name: 'a lower last term', candidate: [1, 1, 1], voter: [1, 2] },
    { name: 'the same last term but a shorter log', candidate: [1, 2], voter: [1, 2, 2] },
  ])('a vote is refused to a candidate whose log has $name', ({ candidate, voter }) => {
    const c = cluster({ n1: candidate, n2: voter, n3: voter }, 3);

    c.elect('n1');

    expect(c.node('n1').status().role).not.toBe('leader');
    const st = c.node('n2').status();
    expect(st.vote).not.toBe('n1');
  });

  it('a candidate whose log is at least as up to date wins', () => {
    const c = cluster({ n1: [1, 2, 2], n2: [1, 2], n3: [1, 1, 1, 1] }, 3);
    c.elect('n1');
    expect(c.node('n1').status().role).toBe('leader');
  });
});

describe('§5.4.2 committing entries from previous terms', () => {
  /**
   * Figure 8: n1 holds entry 2 of term 2 that nobody else has. As leader of a later term it
   * replicates entry 2 to n2 — a majority now stores it — but must not commit it until an entry of
   * its own term is stored by a majority too. Apps carry one entry each; n3 is cut off, and the App
   * that would bring n2 the new leader's own entry 3 is lost, so the moment "a majority has entry 2,
   * nobody else has entry 3" lasts.
   */
  function figure8(overrides: ConfigOverrides): { c: Harness; commitWhileOnlyOldTermReplicated: number } {
    const c = cluster({ n1: [1, 2], n2: [1], n3: [1] }, 3, { maxSizePerMsg: 1, ...overrides });
    c.isolate('n3');
    c.node('n1').campaign();
    const n2HasEntry2 = (): boolean => c.storages.get('n2')!.lastIndex() >= 2;
    for (let round = 0; round < 20; round++) {
      for (const id of c.ids) c.processReady(id);
      c.queue = c.queue.filter((m) => !(m.type === MessageType.App && m.to === 'n2' && n2HasEntry2() && m.entries.some((e) => e.index === 3)));
      c.deliver();
    }
    expect(c.node('n1').status().role).toBe('leader');
    expect(c.persistedLog('n2')).toEqual(['1/1', '2/2']);
    return { c, commitWhileOnlyOldTermReplicated: c.node('n1').status().commit };
  }

  it('the leader does not commit an earlier term entry by counting replicas', () => {
    const { c, commitWhileOnlyOldTermReplicated } = figure8({});
    expect(commitWhileOnlyOldTermReplicated).toBeLessThan(2);

    c.heal();
    c.tickAll(3);
    expect(c.node('n1').status().commit).toBe(3);
  });

  it('(the same scenario with the broken rule switched on does commit it: the test can fail)', () => {
    const { commitWhileOnlyOldTermReplicated } = figure8({ bugs: { commitPreviousTermByCount: true } });
    expect(commitWhileOnlyOldTermReplicated).toBe(2);
  });
});

describe('§5.4.3 commit index', () => {
  it('never moves back across a restart, even if the persisted commit lags what was applied', () => {
    const c = new Harness(['n1', 'n2', 'n3']);
    c.elect('n1');
    for (const data of ['a', 'b']) c.node('n1').propose(new TextEncoder().encode(data));
    c.stabilize();
    const storage = c.storages.get('n2')!;
    storage.setHardState({ ...storage.hardStateNow(), commit: 1 });

    const node = new RawNode({ ...c.config('n2'), applied: 3 });

    expect(node.status().commit).toBe(3);
    expect(node.status().applied).toBe(3);
  });
});
