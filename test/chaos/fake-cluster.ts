// A ClusterControl over plain values, for tests of what the experiment asks of a cluster: node logs
// served in windows as a node process would, and a record of every call.

import type { ClusterEvent, ClusterState, LogEntryView, NodeLogView, NodeStatus, StateDigest } from '../../core/api/cluster-state.js';
import type { Fault, NodeAction } from '../../core/api/faults.js';
import type { ClusterControl } from '../../core/chaos/cluster-control.js';

export interface FakeNode {
  id: string;
  /** The node's log; entries[i] is at index firstIndex + i. */
  firstIndex: number;
  entries: LogEntryView[];
  commitIndex: number;
  status?: Partial<NodeStatus>;
  unavailable?: string;
}

export class FakeCluster implements ClusterControl {
  readonly calls: string[] = [];
  leader: string | null = 'n1';
  /** What recentEvents serves, oldest first; tests append to it. */
  events: ClusterEvent[] = [];
  /** What stateDigests serves; by default every node agrees. */
  digests: StateDigest[] | null = null;

  constructor(readonly nodes: FakeNode[]) {}

  state(): ClusterState {
    const nodes = this.nodes.map(
      (n): NodeStatus => ({
        id: n.id,
        address: '',
        peerAddress: '',
        state: 'running',
        pid: 1,
        startedAt: 0,
        role: n.id === this.leader ? 'leader' : 'follower',
        term: 1,
        leader: this.leader,
        commitIndex: n.commitIndex,
        appliedIndex: n.commitIndex,
        lastIndex: n.firstIndex + n.entries.length - 1,
        snapshotIndex: n.firstIndex - 1,
        followers: null,
        faults: { blockedTo: [], blockedFrom: [], delayMs: 0, jitterMs: 0, lossPercent: 0 },
        lastError: null,
        rssBytes: null,
        alarm: null,
        ...n.status,
      }),
    );
    return { workspace: '', name: 'fake', running: true, leader: this.leader, term: 1, nodes, links: [], at: 0 };
  }

  async stateDigests(): Promise<StateDigest[]> {
    return this.digests ?? this.nodes.map((n) => ({ id: n.id, appliedIndex: n.commitIndex, digest: 'same', unavailable: null }));
  }

  async nodeAction(node: string, action: NodeAction): Promise<void> {
    this.calls.push(`${action} ${node}`);
    const n = this.nodes.find((x) => x.id === node)!;
    if (action === 'start') n.status = { ...n.status, state: 'running' };
  }

  async applyFault(fault: Fault): Promise<void> {
    this.calls.push(`fault ${fault.kind}`);
  }

  async addMember(request: { id: string }): Promise<void> {
    this.calls.push(`add ${request.id}`);
    this.nodes.push({ id: request.id, commitIndex: 0, firstIndex: 1, entries: [] } as unknown as FakeNode);
  }

  async removeMember(node: string): Promise<void> {
    this.calls.push(`remove ${node}`);
    this.nodes.splice(this.nodes.findIndex((n) => n.id === node), 1);
  }

  async healAll(): Promise<void> {
    this.calls.push('heal');
  }

  recentEvents(limit: number): ClusterEvent[] {
    return this.events.slice(-limit);
  }

  /** Like NodeRuntime.logView: `limit` entries from max(first, fromIndex), or the last `limit`. */
  async readLogs(limit: number, fromIndex?: number): Promise<NodeLogView[]> {
    this.calls.push(`readLogs ${limit} ${fromIndex ?? '-'}`);
    return this.nodes.map((n) => {
      const last = n.firstIndex + n.entries.length - 1;
      const lo = Math.max(n.firstIndex, fromIndex ?? last - limit + 1);
      const hi = Math.min(last, lo + limit - 1);
      const entries = n.unavailable ? [] : n.entries.slice(lo - n.firstIndex, hi - n.firstIndex + 1);
      return { id: n.id, firstIndex: n.firstIndex, lastIndex: last, commitIndex: n.commitIndex, appliedIndex: n.commitIndex, entries, unavailable: n.unavailable ?? null };
    });
  }
}

/** Entries first..last, all of `term`, previews "v<index>". */
export function entries(first: number, last: number, term = 1): LogEntryView[] {
  return Array.from({ length: last - first + 1 }, (_, i) => ({ index: first + i, term, kind: 'put' as const, preview: `k = v${first + i}` }));
}
