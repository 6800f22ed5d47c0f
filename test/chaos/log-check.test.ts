// The identical-logs check: the range it compares, what it ignores, and what fails it.

import { describe, expect, it } from 'vitest';
import { collectLogs, compareLogs } from '../../core/chaos/log-check.js';
import { entries, FakeCluster, type FakeNode } from './fake-cluster.js';

const verdict = async (nodes: FakeNode[]) => compareLogs(await collectLogs(new FakeCluster(nodes)));

describe('collectLogs and compareLogs', () => {
  it('pass identical committed logs, read in pages', async () => {
    const cluster = new FakeCluster(['n1', 'n2', 'n3'].map((id) => ({ id, firstIndex: 1, entries: entries(1, 2500), commitIndex: 2500 })));
    const result = compareLogs(await collectLogs(cluster));
    expect(result).toEqual({ ok: true, detail: 'All 3 nodes hold the same 2500 committed entries from index 1 to 2500.', compared: 2500 });
    expect(cluster.calls).toEqual(['readLogs 1 -', 'readLogs 1000 1', 'readLogs 1000 1001', 'readLogs 1000 2001']);
  });

  it('compare only what every node holds and has committed: compacted heads and uncommitted tails are left out', async () => {
    const result = await verdict([
      { id: 'n1', firstIndex: 1, entries: [...entries(1, 90), ...entries(91, 100, 2)], commitIndex: 100 },
      { id: 'n2', firstIndex: 41, entries: [...entries(41, 90), ...entries(91, 95, 3)], commitIndex: 90 },
      { id: 'n3', firstIndex: 21, entries: entries(21, 90), commitIndex: 90 },
    ]);
    expect(result).toEqual({ ok: true, detail: 'All 3 nodes hold the same 50 committed entries from index 41 to 90.', compared: 50 });
  });

  it('fail on a committed entry that differs in term or content, naming the index and both versions', async () => {
    const forked = entries(1, 10);
    forked[6] = { index: 7, term: 2, kind: 'put', preview: 'k = other' };
    const result = await verdict([
      { id: 'n1', firstIndex: 1, entries: entries(1, 10), commitIndex: 10 },
      { id: 'n2', firstIndex: 1, entries: forked, commitIndex: 10 },
    ]);
    expect(result.ok).toBe(false);
    expect(result.detail).toBe('The committed logs differ at index 7: n1 holds term 1 put "k = v7" but n2 holds term 2 put "k = other".');
    expect(result.compared).toBe(6);
  });

  it('fail when a node cannot be read', async () => {
    const result = await verdict([
      { id: 'n1', firstIndex: 1, entries: entries(1, 10), commitIndex: 10 },
      { id: 'n2', firstIndex: 1, entries: entries(1, 10), commitIndex: 10, unavailable: 'n2 is paused.' },
    ]);
    expect(result).toEqual({ ok: false, detail: 'The log of n2 could not be read: n2 is paused.', compared: 0 });
  });

  it('fail when the common range is there but no index of it came back from every node', () => {
    const result = compareLogs([
      { id: 'n1', firstIndex: 1, commitIndex: 5, entries: new Map(entries(1, 5).map((e) => [e.index, e])), unavailable: null },
      { id: 'n2', firstIndex: 1, commitIndex: 5, entries: new Map(), unavailable: null },
    ]);
    expect(result.ok).toBe(false);
    expect(result.detail).toBe('No entry from index 1 to 5 could be read on every node, so the logs could not be compared.');
  });
});
