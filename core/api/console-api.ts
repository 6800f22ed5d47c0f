// The one interface the renderer uses. The Electron preload implements it over IPC; browser mode
// implements it over a WebSocket. Every method's failure a user can cause rejects with an Error whose
// message is one sentence saying what to do.

import type { ClusterDefinition, ValidationIssue, WorkspaceSummary } from './cluster-definition.js';
import type { ClusterEvent, ClusterState, MetricsSample, NodeLogView } from './cluster-state.js';
import type { ExperimentOptions, ExperimentProgress, ExperimentReport } from './experiments.js';
import type { Fault, NodeAction } from './faults.js';
import type { ReadConsistency } from './reads.js';
import type { ReadOutcome, WriteOutcome } from './results.js';
import type { AddMemberRequest, MemberChangeResult } from './membership.js';
import type { RunList, RunTrace, TraceMessages } from './traces.js';
import type { MessageBatch } from './messages.js';

export type Unsubscribe = () => void;

export interface ConsoleApi {
  // Workspaces: one folder per cluster.
  listWorkspaces(): Promise<WorkspaceSummary[]>;
  /** Creates a workspace with the given definition (or the 3-node default) and opens it. */
  createWorkspace(name: string, definition?: ClusterDefinition): Promise<WorkspaceSummary>;
  /** Opens a workspace (stopping nothing that runs in another one). */
  openWorkspace(path: string): Promise<ClusterDefinition>;
  /** The open workspace's definition. */
  currentDefinition(): Promise<{ workspace: WorkspaceSummary; definition: ClusterDefinition }>;
  /** Validates and, if there are no errors, saves the open workspace's cluster.json. */
  saveDefinition(definition: ClusterDefinition): Promise<ValidationIssue[]>;
  /** Validation only; includes live "port already in use" checks. */
  validateDefinition(definition: ClusterDefinition): Promise<ValidationIssue[]>;

  // The cluster.
  startCluster(): Promise<void>;
  stopCluster(): Promise<void>;
  nodeAction(node: string, action: NodeAction): Promise<void>;
  applyFault(fault: Fault): Promise<void>;
  healAll(): Promise<void>;
  /** Slow motion: every node's tick stretched `factor` times, 1 to 100 (1: normal speed). */
  setSlowMotion(factor: number): Promise<void>;
  /** One-shot fault: `from` drops the next `count` messages it sends to `to` (0 cancels). */
  dropMessages(from: string, to: string, count: number): Promise<void>;

  // Membership and leadership, while the cluster runs.
  /** Adds a node: it joins as a learner, catches up, and (unless request.learner) becomes a voter. */
  addNode(request: AddMemberRequest): Promise<MemberChangeResult>;
  /** Removes a node (the leader too) once the remaining voters can commit; its data is set aside. */
  removeNode(node: string): Promise<MemberChangeResult>;
  /** Makes a learner a voter. */
  promoteNode(node: string): Promise<MemberChangeResult>;
  /** Moves leadership to `node`, or to the most up-to-date follower when null. */
  transferLeader(node: string | null): Promise<{ leader: string; term: number }>;

  // Clients.
  submitEntry(text: string): Promise<WriteOutcome>;
  putKey(key: string, value: string): Promise<WriteOutcome>;
  /** Reads `key` linearizably (ReadIndex) unless another consistency is asked for; the outcome says
   *  which path the node took. */
  getKey(key: string, consistency?: ReadConsistency): Promise<ReadOutcome>;

  // Looking inside.
  /** Each node's log entries in [fromIndex, fromIndex + limit), or its last `limit` when fromIndex is omitted. */
  readLogs(limit: number, fromIndex?: number): Promise<NodeLogView[]>;
  /** The last `lines` lines of the node's log file. */
  readNodeOutput(node: string, lines: number): Promise<string[]>;
  /** Events so far (the most recent `limit`). */
  recentEvents(limit: number): Promise<ClusterEvent[]>;

  // Recorded runs of the open workspace (DIR/runs/), for the replay.
  /** Every recorded run, newest first, and the workspace's bound on them. */
  listRuns(): Promise<RunList>;
  /** A run's records (all but messages) and the workspace's trace bound. */
  openRun(id: string): Promise<RunTrace>;
  /** A run's messages with from ≤ at ≤ to (epoch ms), the earliest `limit`. */
  readRunMessages(id: string, from: number, to: number, limit: number): Promise<TraceMessages>;

  // Live updates. Listeners are called with coalesced snapshots (at most ~20 per second).
  onState(listener: (state: ClusterState) => void): Unsubscribe;
  onEvent(listener: (event: ClusterEvent) => void): Unsubscribe;
  onMetrics(listener: (sample: MetricsSample) => void): Unsubscribe;
  onNodeOutput(listener: (node: string, lines: string[]) => void): Unsubscribe;

  // Raft messages between the nodes, paired (core/cluster/message-stream.ts). They cost a request per
  // node every 100 ms, so they flow only on demand: onMessages listens, subscribeMessages turns the
  // flow on for this window or page and unsubscribeMessages off (both idempotent).
  subscribeMessages(): Promise<void>;
  unsubscribeMessages(): Promise<void>;
  onMessages(listener: (batch: MessageBatch) => void): Unsubscribe;

  // Experiments.
  runExperiment(options: ExperimentOptions): Promise<ExperimentReport>;
  cancelExperiment(): Promise<void>;
  onExperimentProgress(listener: (progress: ExperimentProgress) => void): Unsubscribe;
}
