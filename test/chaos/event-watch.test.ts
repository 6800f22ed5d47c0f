// What the supervisor's events say about a run: the watch keeps every election and every crash it
// sees during the run; one check fails on a term with two leaders, another on a node that crashed.

import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../core/api/cluster-state.js';
import { checkNoCrash, checkOneLeaderPerTerm, EventWatch } from '../../core/chaos/event-watch.js';
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

describe('EventWatch', () => {
  it('keeps the elections reported after it started, once each, whatever else happens', async () => {
    const cluster = new FakeCluster(['n1', 'n2', 'n3'].map((id) => ({ id, firstIndex: 1, entries: entries(1, 1), commitIndex: 1 })));
    cluster.events.push(elected('n1', 1));
    const watch = new EventWatch(cluster);
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

  it('keeps the nodes that crashed on their own, not those killed or stopped', async () => {
    const cluster = new FakeCluster(['n1', 'n2', 'n3'].map((id) => ({ id, firstIndex: 1, entries: entries(1, 1), commitIndex: 1 })));
    const exited = (node: string, state: string, message: string): ClusterEvent => ({ seq: ++seq, at: 5000, kind: 'node-exited', node, term: null, message, details: { state } });
    const watch = new EventWatch(cluster);
    await watch.start(60_000);
    cluster.events.push(exited('n1', 'killed', 'n1 was killed (SIGKILL)'), exited('n2', 'stopped', 'n2 stopped'), exited('n3', 'crashed', 'n3 crashed (SIGHUP)'));
    await watch.stop();
    expect(watch.crashes).toEqual([{ node: 'n3', message: 'n3 crashed (SIGHUP)', at: 5000 }]);
  });
});

describe('checkNoCrash', () => {
  it('passes a run without crashes and names each crash, when and which log to read', () => {
    expect(checkNoCrash([], 0)).toEqual({ ok: true, detail: 'No node crashed on its own during the run.' });
    expect(checkNoCrash([
      { node: 'n3', message: 'n3 crashed (SIGHUP)', at: 13_400 },
      { node: 'n1', message: 'n1 crashed (exit code 1)', at: 41_000 },
    ], 1000)).toEqual({ ok: false, detail: 'n3 crashed (SIGHUP) 12.4 s into the run; n1 crashed (exit code 1) 40.0 s into the run; see nodes/n3/node.log, nodes/n1/node.log in the workspace.' });
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
