import { describe, expect, it } from 'vitest';
import type { LogEntryView } from '../../../core/api/index.js';
import { alignLogs } from '../../../renderer/lib/log-align.js';
import { makeLogView } from '../fixtures.js';

const entries = (from: number, to: number, term: number): LogEntryView[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ index: from + i, term, kind: 'put', preview: `k${from + i}` }));

describe('alignLogs', () => {
  it('puts one index per row, newest first, with one cell per node in node order', () => {
    const aligned = alignLogs(
      [
        makeLogView('n1', { lastIndex: 5, commitIndex: 5, appliedIndex: 4, entries: entries(1, 5, 1) }),
        makeLogView('n2', { lastIndex: 3, commitIndex: 3, appliedIndex: 3, entries: entries(1, 3, 1) }),
      ],
      10,
    );
    expect(aligned.nodes).toEqual(['n1', 'n2']);
    expect(aligned.rows.map((r) => r.index)).toEqual([5, 4, 3, 2, 1]);
    const row5 = aligned.rows[0];
    expect(row5.cells[0]).toMatchObject({ status: 'present', committed: true, applied: false });
    expect(row5.cells[1]).toMatchObject({ status: 'absent', entry: null });
    expect(aligned.rows[1].cells[0]).toMatchObject({ committed: true, applied: true });
  });

  it('marks a row divergent when two nodes hold different terms at one index', () => {
    const aligned = alignLogs(
      [
        makeLogView('n1', { lastIndex: 4, entries: [...entries(1, 2, 1), ...entries(3, 4, 2)] }),
        makeLogView('n2', { lastIndex: 4, entries: [...entries(1, 2, 1), ...entries(3, 4, 3)] }),
        makeLogView('n3', { lastIndex: 3, entries: entries(1, 3, 1) }),
      ],
      10,
    );
    expect(aligned.rows.filter((r) => r.divergent).map((r) => r.index)).toEqual([4, 3]);
  });

  it('tells compacted from not fetched from unavailable', () => {
    const aligned = alignLogs(
      [
        makeLogView('n1', { firstIndex: 1, lastIndex: 8, entries: entries(5, 8, 1) }),
        makeLogView('n2', { firstIndex: 7, lastIndex: 8, entries: entries(7, 8, 1) }),
        makeLogView('n3', { unavailable: 'n3 is paused.' }),
      ],
      10,
    );
    const at5 = aligned.rows.find((r) => r.index === 5);
    expect(at5?.cells.map((c) => c.status)).toEqual(['present', 'compacted', 'unavailable']);
    const n1Unfetched = alignLogs([makeLogView('n1', { firstIndex: 1, lastIndex: 9, entries: entries(8, 9, 1) }), makeLogView('n2', { lastIndex: 9, entries: entries(1, 9, 1) })], 20);
    expect(n1Unfetched.rows.find((r) => r.index === 3)?.cells[0].status).toBe('unfetched');
  });

  it('can list oldest first, for reading forward from an index', () => {
    const aligned = alignLogs([makeLogView('n1', { lastIndex: 3, entries: entries(1, 3, 1) })], 10, 'oldest-first');
    expect(aligned.rows.map((r) => r.index)).toEqual([1, 2, 3]);
  });

  it('keeps at most maxRows rows, the newest', () => {
    const aligned = alignLogs([makeLogView('n1', { lastIndex: 100, entries: entries(1, 100, 1) })], 40);
    expect(aligned.rows).toHaveLength(40);
    expect(aligned.rows[0].index).toBe(100);
    expect(aligned.rows[39].index).toBe(61);
  });

  it('has no rows when no node has entries', () => {
    expect(alignLogs([makeLogView('n1'), makeLogView('n2', { unavailable: 'stopped' })], 10).rows).toEqual([]);
  });
});
