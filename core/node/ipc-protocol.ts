// Messages between the supervisor and a node process over the child_process IPC channel.
// The channel is control only: Raft traffic goes over the peer port, clients over the client port.

import type { AppliedConfiguration, ClusterEventKind, NodeFaults, NodeLogView, NodeStatus, NodeTimers, Role } from '../api/cluster-state.js';
import type { NodeDefinition } from '../api/cluster-definition.js';

/** What a node reports about itself, at most ~20 times a second and whenever its role changes. */
export interface NodeReport extends Pick<NodeStatus, 'term' | 'leader' | 'commitIndex' | 'appliedIndex' | 'lastIndex' | 'snapshotIndex' | 'followers'> {
  role: Role;
  /** The configuration the node has applied. */
  appliedConfiguration: AppliedConfiguration;
  /** Raft messages sent to each peer since the node started (the supervisor derives rates). */
  sentTo: Record<string, number>;
  /** Writes acknowledged to clients since the node started, and their latencies since the last report. */
  writesAcked: number;
  writeLatenciesMs: number[];
  /** Resident memory of the node process. */
  rssBytes: number;
  /** Election and heartbeat clocks (the console counts down between reports). */
  timers?: NodeTimers;
  /** Per peer, how many of the next messages to it will still be dropped (one-shot faults). */
  dropNext?: Record<string, number>;
}

export type SupervisorToNode =
  | { type: 'set-faults'; faults: NodeFaults }
  | { type: 'read-log'; requestId: number; limit: number; fromIndex?: number }
  | { type: 'state-digest'; requestId: number }
  | { type: 'campaign' }
  /** Stretch the tick interval `factor` times (1: normal); Raft's timeouts in ticks keep their ratios. */
  | { type: 'slow-motion'; factor: number }
  /** Drop the next `count` messages to `to` (replacing what is left of an earlier count; 0 clears). */
  | { type: 'drop-next'; to: string; count: number }
  /** Clear every one-shot drop (Heal all), or only those toward `to` (that node stopped). */
  | { type: 'clear-drops'; to?: string }
  /** The cluster's members and their addresses changed (a node was added or removed at runtime). */
  | { type: 'members'; nodes: NodeDefinition[] }
  /** Some node of the cluster is short of disk space (its sentence), or none is (null): refuse writes while set. */
  | { type: 'cluster-alarm'; message: string | null }
  | { type: 'shutdown' };

export type NodeToSupervisor =
  /** Listening on both ports; Raft is running. */
  | { type: 'ready'; pid: number }
  | { type: 'report'; report: NodeReport }
  | { type: 'event'; kind: ClusterEventKind; term: number | null; message: string; details: Record<string, string | number | boolean | null> }
  | { type: 'log-view'; requestId: number; view: NodeLogView }
  | { type: 'state-digest'; requestId: number; appliedIndex: number; digest: string }
  /** This node's own space alarm was raised (its sentence) or cleared (null). */
  | { type: 'alarm'; message: string | null }
  /** The node cannot go on; it exits right after sending this. One sentence. */
  | { type: 'fatal'; message: string };
