// Lines up every node's log window by index so that divergence and catch-up read across a row.

import type { LogEntryView, NodeLogView } from '../../core/api/index.js';

/**
 * Why a node has nothing to show at an index:
 * compacted — the index is at or below its snapshot (index < firstIndex);
 * absent — the node's log does not reach it yet (index > lastIndex);
 * unfetched — the node has it, but outside the window it sent;
 * unavailable — the node could not be asked.
 */
export type CellStatus = 'present' | 'compacted' | 'absent' | 'unfetched' | 'unavailable';

export interface AlignedCell {
  status: CellStatus;
  entry: LogEntryView | null;
  committed: boolean;
  applied: boolean;
}

export interface AlignedRow {
  index: number;
  /** cells[i] belongs to nodes[i]. */
  cells: AlignedCell[];
  /** True when two nodes hold entries of different terms at this index. */
  divergent: boolean;
}

export interface AlignedLogs {
  nodes: string[];
  /** At most maxRows rows, in the order asked for. */
  rows: AlignedRow[];
}

/**
 * Rows cover the newest maxRows indexes any node holds. 'newest-first' suits following the tail;
 * 'oldest-first' suits reading forward from a chosen index.
 */
export function alignLogs(views: readonly NodeLogView[], maxRows: number, order: 'newest-first' | 'oldest-first' = 'newest-first'): AlignedLogs {
  const nodes = views.map((v) => v.id);
  const byIndex = views.map((v) => new Map(v.entries.map((e) => [e.index, e])));
  let hi = 0;
  let lo = Number.POSITIVE_INFINITY;
  for (const view of views) {
    if (view.unavailable !== null || view.entries.length === 0) continue;
    hi = Math.max(hi, view.entries[view.entries.length - 1].index);
    lo = Math.min(lo, view.entries[0].index);
  }
  if (hi === 0) return { nodes, rows: [] };
  const bottom = Math.max(lo, hi - maxRows + 1);
  const rows: AlignedRow[] = [];
  for (let index = hi; index >= bottom; index--) {
    const cells = views.map((view, i) => cellAt(view, byIndex[i], index));
    const terms = new Set(cells.flatMap((c) => (c.entry ? [c.entry.term] : [])));
    rows.push({ index, cells, divergent: terms.size > 1 });
  }
  return { nodes, rows: order === 'newest-first' ? rows : rows.reverse() };
}

function cellAt(view: NodeLogView, entries: Map<number, LogEntryView>, index: number): AlignedCell {
  const committed = index <= view.commitIndex;
  const applied = index <= view.appliedIndex;
  if (view.unavailable !== null) return { status: 'unavailable', entry: null, committed, applied };
  const entry = entries.get(index);
  if (entry) return { status: 'present', entry, committed, applied };
  if (index < view.firstIndex) return { status: 'compacted', entry: null, committed, applied };
  if (index > view.lastIndex) return { status: 'absent', entry: null, committed: false, applied: false };
  return { status: 'unfetched', entry: null, committed, applied };
}
