// What an experiment needs of a running cluster: its state, and real faults. The in-process
// Supervisor provides it directly; a cluster run by another raftdesk process provides it through
// its control socket (core/cluster/remote-cluster.ts).

import type { ClusterEvent, ClusterState, NodeLogView, StateDigest } from '../api/cluster-state.js';
import type { Fault, NodeAction } from '../api/faults.js';
import type { AddMemberRequest } from '../api/membership.js';

export interface ClusterControl {
  state(): ClusterState | Promise<ClusterState>;
  nodeAction(node: string, action: NodeAction): Promise<void>;
  applyFault(fault: Fault): Promise<void>;
  healAll(): Promise<void>;
  /** Membership changes, for the member nemesis (resolve once applied). */
  addMember(request: AddMemberRequest): Promise<unknown>;
  removeMember(node: string): Promise<unknown>;
  readLogs(limit: number, fromIndex?: number): Promise<NodeLogView[]>;
  /** Every node's state-machine fingerprint. */
  stateDigests(): Promise<StateDigest[]>;
  /** The latest events, oldest first; the experiment watches them for leaders. */
  recentEvents(limit: number): ClusterEvent[] | Promise<ClusterEvent[]>;
}
