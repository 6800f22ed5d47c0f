// Pure readings of a ClusterState snapshot that several views share.

import type { ClusterState, FollowerView, LinkView, NodeStatus } from '../../core/api/index.js';

export interface DirectedLinkKey {
  from: string;
  to: string;
}

export const linkKey = (link: DirectedLinkKey): string => `${link.from}→${link.to}`;

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

/**
 * How cut off a node is by partitions and cuts, from the cluster's point of view:
 * isolated — no two-way link to any peer; partitioned — two-way links to less than a majority
 * (it sits on a minority side); links-cut — some link is cut but it still reaches a majority.
 */
export type NetworkState = 'connected' | 'links-cut' | 'partitioned' | 'isolated';

export function networkStates(nodes: readonly NodeStatus[], links: readonly LinkView[]): Map<string, NetworkState> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const cutLinks = new Set(links.filter((l) => l.cut).map(linkKey));
  const blocked = (from: string, to: string) =>
    cutLinks.has(linkKey({ from, to })) || (byId.get(from)?.faults.blockedTo.includes(to) ?? false) || (byId.get(to)?.faults.blockedFrom.includes(from) ?? false);
  const majority = Math.floor(nodes.length / 2) + 1;
  const states = new Map<string, NetworkState>();
  for (const node of nodes) {
    const peers = nodes.filter((p) => p.id !== node.id);
    const twoWay = peers.filter((p) => !blocked(node.id, p.id) && !blocked(p.id, node.id)).length;
    const anyCut = twoWay < peers.length;
    states.set(node.id, peers.length > 0 && twoWay === 0 ? 'isolated' : twoWay + 1 < majority ? 'partitioned' : anyCut ? 'links-cut' : 'connected');
  }
  return states;
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
