// When a removed node's process may be stopped. Until the voters left have applied a configuration
// without it, electing a leader may still need its vote: a voter that has not applied the removal
// counts votes in the old configuration, where the removed node is one of the majority. The
// simulator found the case (seed 975075, five nodes): the only voter left had not applied the change
// that made it the only voter, and needed the removed node's vote. So the rule is the simulator's:
// stop it once every running voter left has applied a configuration without it (a stopped voter
// learns the configuration from the leader when it comes back), those are a majority of the new
// configuration, and a leader other than it is known (so that clients are not left without one).

import type { ClusterState, NodeStatus } from '../api/cluster-state.js';

export interface RemovalHandover {
  /** True once the removed node's process can be stopped without costing the cluster its elections. */
  done: boolean;
  /** Running voters left that have not yet applied a configuration without the removed node. */
  waitingFor: string[];
}

function appliedWithout(node: NodeStatus, removed: string, removalIndex: number): boolean {
  const conf = node.appliedConfiguration;
  if (!conf || conf.index < removalIndex) return false;
  return !conf.voters.includes(removed) && !conf.learners.includes(removed);
}

/** Whether `removed` (taken out by the configuration change at `removalIndex`) may be stopped now. */
export function removalHandover(state: ClusterState, removed: string, removalIndex: number): RemovalHandover {
  const votersLeft = state.nodes.filter((n) => n.id !== removed && n.member !== 'learner');
  const running = votersLeft.filter((n) => n.state === 'running');
  const waitingFor = running.filter((n) => !appliedWithout(n, removed, removalIndex)).map((n) => n.id);
  const majority = Math.floor(votersLeft.length / 2) + 1;
  const enough = running.length - waitingFor.length >= majority;
  const leaderElsewhere = state.leader !== null && state.leader !== removed;
  return { done: enough && waitingFor.length === 0 && leaderElsewhere, waitingFor };
}
