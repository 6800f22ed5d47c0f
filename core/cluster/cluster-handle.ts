// What the console drives: a cluster run by this process (Supervisor) or by another raftdesk
// process, reached through its control socket (RemoteCluster). The console does not care which.

import type { ClusterDefinition } from '../api/cluster-definition.js';
import type { ClusterEvent, ClusterState, MetricsSample, NodeLogView, StateDigest } from '../api/cluster-state.js';
import type { TraceClientOp } from '../api/traces.js';
import type { Fault, NodeAction } from '../api/faults.js';
import type { AddMemberRequest, MemberChangeResult } from '../api/membership.js';
import type { MessageBatch } from '../api/messages.js';
import type { Endpoint } from '../client/http2-pool.js';
import type { Credentials } from '../pki/credentials.js';
import type { workspacePaths } from '../workspace/paths.js';

export interface ClusterHandle {
  readonly paths: ReturnType<typeof workspacePaths>;
  readonly definition: ClusterDefinition;
  readonly isRunning: boolean;
  /** True when another raftdesk process runs the cluster and this handle drives it remotely. */
  readonly remote: boolean;
  stop(): Promise<void>;
  state(): ClusterState;
  nodeAction(node: string, action: NodeAction): Promise<void>;
  applyFault(fault: Fault): Promise<void>;
  healAll(): Promise<void>;
  /** Every node's tick stretched `factor` times (1: normal speed). */
  setSlowMotion(factor: number): Promise<void>;
  /** One-shot fault: `from` drops the next `count` messages to `to`. */
  dropMessages(from: string, to: string, count: number): Promise<void>;
  addMember(request: AddMemberRequest): Promise<MemberChangeResult>;
  removeMember(node: string): Promise<MemberChangeResult>;
  promoteMember(node: string): Promise<MemberChangeResult>;
  transferLeader(node: string | null): Promise<{ leader: string; term: number }>;
  readLogs(limit: number, fromIndex?: number): Promise<NodeLogView[]>;
  stateDigests(): Promise<StateDigest[]>;
  nodeOutput(node: string, lines: number): Promise<string[]>;
  recentEvents(limit: number): ClusterEvent[] | Promise<ClusterEvent[]>;
  noteExperiment(message: string, details?: ClusterEvent['details']): void;
  /** Puts a client operation the console made into the run's recording (where the run is recorded). */
  recordClientOp(op: TraceClientOp): void;
  endpoints(): Endpoint[];
  clientCredentials(): Promise<Credentials>;
  onState(listener: (state: ClusterState) => void): () => void;
  onEvent(listener: (event: ClusterEvent) => void): () => void;
  onMetrics(listener: (sample: MetricsSample) => void): () => void;
  /** The nodes' Raft messages, paired (message-stream.ts): polled while at least one listener is subscribed. */
  onMessages(listener: (batch: MessageBatch) => void): () => void;
}
