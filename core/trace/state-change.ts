// What makes a snapshot worth recording. A change of structure (a role, a term, a leader, a process
// state, a fault, a member) is recorded at once, so the replay shows the moment it happened; progress
// (indexes moving under load) is recorded a few times a second at most.

import type { ClusterState } from '../api/cluster-state.js';

/** Roles, terms, leaders, process states, faults, members and cut links. */
export function structureKey(state: ClusterState): string {
  const nodes = state.nodes.map((n) => [n.id, n.member ?? 'voter', n.state, n.role, n.term, n.leader, n.lastKnown === true, n.alarm, n.lastError, JSON.stringify(n.faults)].join(','));
  const cuts = state.links.filter((l) => l.cut).map((l) => `${l.from}>${l.to}`);
  return `${state.running}|${state.leader}|${state.term}|${nodes.join(';')}|${cuts.join(',')}`;
}

/** The indexes each node reports (and each follower's progress on the leader). */
export function progressKey(state: ClusterState): string {
  return state.nodes.map((n) => `${n.commitIndex},${n.appliedIndex},${n.lastIndex},${n.snapshotIndex},${(n.followers ?? []).map((f) => `${f.match}/${f.next}/${f.state}`).join(' ')}`).join(';');
}
