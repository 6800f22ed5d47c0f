// Small hand-made trace records for the trace tests.

import type { ClusterState, NodeStatus } from '../../core/api/cluster-state.js';
import type { LinkMessage } from '../../core/api/messages.js';

export function node(id: string, patch: Partial<NodeStatus> = {}): NodeStatus {
  return {
    id, address: `127.0.0.1:1`, peerAddress: `127.0.0.1:2`, state: 'running', pid: 1, startedAt: 0, role: 'follower', term: 1, leader: null,
    commitIndex: 0, appliedIndex: 0, lastIndex: 0, snapshotIndex: 0, followers: null,
    faults: { blockedTo: [], blockedFrom: [], delayMs: 0, jitterMs: 0, lossPercent: 0 }, lastError: null, rssBytes: null, alarm: null, ...patch,
  };
}

export function state(at: number, nodes: NodeStatus[]): ClusterState {
  return { workspace: '/w', name: 'demo', running: true, leader: nodes.find((n) => n.role === 'leader')?.id ?? null, term: Math.max(...nodes.map((n) => n.term)), nodes, links: [], at };
}

/** A paired message as the cluster's message stream emits it. */
export function message(id: number, type: string, from: string, to: string, sentAt: number | null, receivedAt: number | null, patch: Partial<LinkMessage> = {}): LinkMessage {
  return { id, type, from, to, term: 1, index: 0, logTerm: 0, entries: 0, entryBytes: 0, bytes: 0, commit: 0, reject: false, hint: 0, snapshotIndex: 0, sentAt, receivedAt, dropped: null, ...patch };
}
