// All nodes must hold the same committed log: over the index range every node still holds (from the
// highest first index to the lowest commit index), the entries at each index must agree in term and
// content. The logs are read in pages through ClusterControl.readLogs; a page may start later on a
// node that compacted its log meanwhile, so only indexes every node returned are compared.

import type { LogEntryView, NodeLogView } from '../api/cluster-state.js';
import type { ClusterControl } from './cluster-control.js';

export interface CollectedLog {
  id: string;
  firstIndex: number;
  commitIndex: number;
  /** Entries read, by index. */
  entries: ReadonlyMap<number, LogEntryView>;
  /** Why the node could not be read, if it could not. */
  unavailable: string | null;
}

export interface LogVerdict {
  ok: boolean;
  /** One sentence. */
  detail: string;
  /** Indexes compared across every node. */
  compared: number;
}

const PAGE = 1000;

export async function collectLogs(cluster: ClusterControl): Promise<CollectedLog[]> {
  const heads = await cluster.readLogs(1);
  const logs = heads.map((v) => ({ id: v.id, firstIndex: v.firstIndex, commitIndex: v.commitIndex, entries: new Map<number, LogEntryView>(), unavailable: v.unavailable }));
  const { lo, hi } = commonRange(logs);
  const merge = (views: NodeLogView[]) => {
    for (const view of views) {
      const log = logs.find((l) => l.id === view.id)!;
      log.unavailable ??= view.unavailable;
      for (const e of view.entries) if (e.index >= lo && e.index <= hi) log.entries.set(e.index, e);
    }
  };
  if (logs.every((l) => l.unavailable === null)) for (let from = lo; from <= hi; from += PAGE) merge(await cluster.readLogs(PAGE, from));
  return logs;
}

/** The indexes every node should hold and has committed: [lo, hi], empty when lo > hi. */
function commonRange(logs: readonly Pick<CollectedLog, 'firstIndex' | 'commitIndex'>[]): { lo: number; hi: number } {
  return { lo: Math.max(1, ...logs.map((l) => l.firstIndex)), hi: Math.min(...logs.map((l) => l.commitIndex)) };
}

export function compareLogs(logs: readonly CollectedLog[]): LogVerdict {
  const down = logs.find((l) => l.unavailable !== null);
  if (down) return { ok: false, detail: `The log of ${down.id} could not be read: ${down.unavailable}`, compared: 0 };
  if (logs.length === 0) return { ok: false, detail: 'No node answered with its log.', compared: 0 };
  const { lo, hi } = commonRange(logs);
  if (lo > hi) return { ok: true, detail: `No committed index is held by every node (first indexes up to ${lo}, commit indexes down to ${hi}); nothing to compare.`, compared: 0 };
  let compared = 0;
  for (let index = lo; index <= hi; index++) {
    const held = logs.map((l) => ({ id: l.id, entry: l.entries.get(index) }));
    if (held.some((h) => h.entry === undefined)) continue;
    const [first, ...rest] = held as { id: string; entry: LogEntryView }[];
    const differing = rest.find((h) => describeEntry(h.entry) !== describeEntry(first!.entry));
    if (differing) {
      return {
        ok: false,
        detail: `The committed logs differ at index ${index}: ${first!.id} holds ${describeEntry(first!.entry)} but ${differing.id} holds ${describeEntry(differing.entry)}.`,
        compared,
      };
    }
    compared++;
  }
  if (compared === 0) return { ok: false, detail: `No entry from index ${lo} to ${hi} could be read on every node, so the logs could not be compared.`, compared };
  return { ok: true, detail: `All ${logs.length} nodes hold the same ${compared} committed entries from index ${lo} to ${hi}.`, compared };
}

function describeEntry(e: LogEntryView): string {
  return `term ${e.term} ${e.kind} ${JSON.stringify(e.preview)}`;
}
