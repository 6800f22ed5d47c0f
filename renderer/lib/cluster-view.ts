// Pure readings of a ClusterState snapshot that several views share.

import type { ClusterState, FollowerView, NodeStatus } from '../../core/api/index.js';

/**
 * The leader to show: the one the supervisor names, else the running node that says it leads at
 * the highest term. A paused or killed node that still believes it leads is never chosen.
 */
export function leaderOf(state: ClusterState | null): string | null {
  if (!state) return null;
  if (state.leader !== null) return state.leader;
  let best: NodeStatus | null = null;
  for (const node of state.nodes) {
    if (node.role === 'leader' && node.state === 'running' && (!best || node.term > best.term)) best = node;
  }
  return best?.id ?? null;
}

export type NetworkState = 'connected' | 'partitioned' | 'isolated';

/** How cut off a node is by the faults at its own transport. */
export function networkStateOf(node: NodeStatus, peers: number): NetworkState {
  const blocked = new Set([...node.faults.blockedTo, ...node.faults.blockedFrom]);
  if (blocked.size === 0) return 'connected';
  const bothWays = node.faults.blockedTo.filter((p) => node.faults.blockedFrom.includes(p)).length;
  return peers > 0 && bothWays >= peers ? 'isolated' : 'partitioned';
}

export interface FollowerProgress extends FollowerView {
  /** Entries the follower lacks of the leader's log (leader lastIndex − match). */
  behind: number;
}

/** The leader's view of each follower, by follower id. */
export function replicationOf(state: ClusterState | null, leaderId: string | null): Map<string, FollowerProgress> {
  const progress = new Map<string, FollowerProgress>();
  const leader = state?.nodes.find((n) => n.id === leaderId);
  if (!leader?.followers) return progress;
  for (const f of leader.followers) progress.set(f.id, { ...f, behind: Math.max(0, leader.lastIndex - f.match) });
  return progress;
}

export interface DirectedLinkKey {
  from: string;
  to: string;
}

export const linkKey = (link: DirectedLinkKey): string => `${link.from}→${link.to}`;
