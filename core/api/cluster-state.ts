// What the console shows of a live cluster. Snapshots are values, replaced whole on each update.

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** The OS process behind a node. */
export type ProcessState = 'starting' | 'running' | 'paused' | 'stopped' | 'killed' | 'crashed';

export interface FollowerView {
  id: string;
  match: number;
  next: number;
  state: 'probe' | 'replicate' | 'snapshot';
}

/** A configuration as one node has applied it. In a joint configuration both halves' voters are listed. */
export interface AppliedConfiguration {
  /** Index of the entry (or snapshot) that set it; 0 for the initial configuration. */
  index: number;
  voters: string[];
  learners: string[];
}

export interface NodeStatus {
  id: string;
  /** Its place in the committed configuration (cluster.json follows it): a voter, or a learner that
   *  receives the log without voting. Absent: a voter. */
  member?: 'voter' | 'learner';
  /** host:clientPort */
  address: string;
  /** host:peerPort */
  peerAddress: string;
  state: ProcessState;
  pid: number | null;
  /** Epoch ms when the current process started, null when not running. */
  startedAt: number | null;
  /**
   * True when the node is not running and term/commit/applied/last/snapshot are the last values it
   * reported before it went down (shown as such, never as live). Absent or false: live values.
   */
  lastKnown?: boolean;
  /** Last values reported by the node; unknown (null role) while it has not reported. */
  role: Role | null;
  term: number;
  leader: string | null;
  commitIndex: number;
  appliedIndex: number;
  lastIndex: number;
  snapshotIndex: number;
  /** On the leader: each follower's match and next index. */
  followers: FollowerView[] | null;
  /** The configuration this node has applied (as last reported): its index and voters. Membership
   *  changes wait on it: a removed node is stopped only once every running voter left has applied
   *  a configuration without it. Null while the node has not reported. */
  appliedConfiguration?: AppliedConfiguration | null;
  /** Faults applied at this node's transport. */
  faults: NodeFaults;
  /** The last error the node reported, in one sentence. */
  lastError: string | null;
  /** Resident memory of the node process, as it last reported (null when not running). */
  rssBytes: number | null;
  /** The node's space alarm (writes are refused until space is freed), one sentence; null when clear. */
  alarm: string | null;
  /** Its election and heartbeat clocks as last reported (null when not running or not reported yet). */
  timers?: NodeTimers | null;
  /** One-shot faults: per peer, how many of the next messages to it this node will still drop. */
  dropNext?: Record<string, number>;
}

/** A node's clocks in ticks and the tick's length (stretched in slow motion), as of the state's `at`. */
export interface NodeTimers {
  electionElapsed: number;
  /** This term's randomized election timeout: a follower campaigns when electionElapsed reaches it. */
  electionTimeout: number;
  heartbeatElapsed: number;
  heartbeatInterval: number;
  /** Milliseconds per tick now (the configured tick times the slow-motion factor). */
  tickMs: number;
}

export interface NodeFaults {
  /** Peers this node drops all traffic to (outbound) and from (inbound). */
  blockedTo: string[];
  blockedFrom: string[];
  delayMs: number;
  jitterMs: number;
  lossPercent: number;
}

/** A directed peer link as the supervisor sees it. */
export interface LinkView {
  from: string;
  to: string;
  /** True when traffic from → to is dropped by a partition or one-way cut. */
  cut: boolean;
  /** Raft messages per second sent on this link, averaged over the last second. */
  messagesPerSec: number;
}

export interface ClusterState {
  workspace: string;
  name: string;
  /** True between startCluster and stopCluster. */
  running: boolean;
  /** The leader of the highest term any running node reports, if one is known. */
  leader: string | null;
  term: number;
  nodes: NodeStatus[];
  links: LinkView[];
  /** Epoch ms of this snapshot. */
  at: number;
  /** Slow motion: every node's tick stretched this many times (absent or 1: normal speed). */
  slowMotion?: number;
}

/** A fingerprint of a node's state machine, for checking that replicas agree. */
export interface StateDigest {
  id: string;
  appliedIndex: number;
  /** SHA-256 (hex) of the serialized state machine at appliedIndex; null when unavailable. */
  digest: string | null;
  /** Why the node could not be asked (not running, paused, did not answer). */
  unavailable: string | null;
}

export type EntryKind = 'empty' | 'entry' | 'put' | 'get' | 'delete' | 'cas' | 'append' | 'unknown';

export interface LogEntryView {
  index: number;
  term: number;
  kind: EntryKind;
  /** A short human-readable preview, e.g. `x = 4` or `"Value1"`. */
  preview: string;
}

export interface NodeLogView {
  id: string;
  firstIndex: number;
  lastIndex: number;
  commitIndex: number;
  appliedIndex: number;
  /** A window of the log, ascending by index. */
  entries: LogEntryView[];
  /** Set when the node could not be asked (not running, paused). */
  unavailable: string | null;
}

export type ClusterEventKind =
  | 'cluster-started'
  | 'cluster-stopped'
  | 'node-started'
  | 'node-exited'
  | 'election-started'
  | 'leader-elected'
  | 'role-changed'
  | 'term-changed'
  | 'fault'
  | 'heal'
  | 'snapshot'
  | 'error'
  | 'experiment'
  /** A membership change: a node added, promoted or removed, with the configuration change's index. */
  | 'member';

export interface ClusterEvent {
  /** Monotonic per supervisor. */
  seq: number;
  /** Epoch ms. */
  at: number;
  kind: ClusterEventKind;
  node: string | null;
  term: number | null;
  /** One line for the timeline. */
  message: string;
  details: Record<string, string | number | boolean | null>;
}

/** A point for the throughput/latency charts, one per second. */
export interface MetricsSample {
  at: number;
  commitsPerSec: number;
  /** Write latency percentiles over the last second, null when there were no writes. */
  p50Ms: number | null;
  p99Ms: number | null;
}
