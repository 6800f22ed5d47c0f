// Election safety as the nodes report it: the watch keeps every election it sees during the run,
// and the check fails on a term with two leaders.

import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../core/api/cluster-state.js';
import { checkOneLeaderPerTerm, LeaderWatch } from '../../core/chaos/leader-watch.js';
import { entries, FakeCluster } from './fake-cluster.js';

let seq = 0;
const elected = (node: string, term: number): ClusterEvent => ({
  seq: ++seq,
  at: Date.UTC(2026, 0, 1, 12, 0, seq),
  kind: 'leader-elected',
  node,
  term,
  message: `${node} became leader of term ${term}`,
  details: {},
});
const other = (): ClusterEvent => ({ seq: ++seq, at: 0, kind: 'fault', node: 'n1', term: null, message: 'Killed n1 (SIGKILL)', details: {} });

describe('LeaderWatch', () => {
  it('keeps the elections reported after it started, once each, whatever else happens', async () => {
    const cluster = new FakeCluster(['n1', 'n2', 'n3'].map((id) => ({ id, firstIndex: 1, entries: entries(1, 1), commitIndex: 1 })));
    cluster.events.push(elected('n1', 1));
    const watch = new LeaderWatch(cluster);
    await watch.start(60_000);
    cluster.events.push(other(), elected('n2', 2));
    await Promise.all([watch.poll(), watch.poll()]);
    cluster.events.push(elected('n3', 3));
    await watch.stop();
    expect(watch.elections.map((e) => [e.node, e.term])).toEqual([
      ['n2', 2],
      ['n3', 3],
    ]);
  });
});

describe('checkOneLeaderPerTerm', () => {
  const at = (s: number) => Date.UTC(2026, 0, 1, 15, 48, s);

  it('passes one leader per term, even when it reports twice', () => {
    expect(checkOneLeaderPerTerm([
      { term: 8, node: 'n4', at: at(21) },
      { term: 9, node: 'n2', at: at(26) },
      { term: 9, node: 'n2', at: at(27) },
    ])).toEqual({ ok: true, detail: '2 elections during the run, each term with one leader.' });
    expect(checkOneLeaderPerTerm([])).toEqual({ ok: true, detail: 'No election was reported during the run.' });
  });

  it('fails on two leaders in one term, naming them and when they said so', () => {
    expect(checkOneLeaderPerTerm([
      { term: 9, node: 'n2', at: at(26) },
      { term: 10, node: 'n5', at: at(41) },
      { term: 9, node: 'n4', at: at(31) },
    ])).toEqual({ ok: false, detail: 'Two leaders in term 9: n2 (at 15:48:26.000) and n4 (at 15:48:31.000).' });
  });
});
