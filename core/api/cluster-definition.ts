// The cluster description the operator edits (cluster.json). Plain values: update by copying.

export type StorageKind = 'disk' | 'memory';

/** Settings every node inherits unless it overrides them. */
export interface ClusterDefaults {
  heartbeatMs: number;
  electionTimeoutMs: number;
  storage: StorageKind;
  /** fsync the WAL before acknowledging (disk storage only). */
  fsync: boolean;
  /** Take a snapshot and compact the log once this many entries are applied past the last one. */
  snapshotEntries: number;
  /** Max App messages in flight to one follower. */
  maxInflightMsgs: number;
  /** Max bytes of entries in one App message. */
  maxMsgBytes: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** Below this much free space on a node's data filesystem, writes are refused (`no-space`). */
  minFreeDiskMb: number;
  /** The supervisor restarts a node that crashed on its own (not one killed or stopped on purpose). */
  autoRestart: boolean;
  /** Lets nodes listen on 0.0.0.0, :: or an address other machines can reach (refused unless set). */
  allowRemoteHosts: boolean;
  /** Let reads ask for `consistency=lease`: the leader answers them without a heartbeat round while
   *  a quorum heard from it within (election timeout − 2 heartbeat ticks). Needs checkQuorum, and
   *  assumes every node's clock runs within about 1/(election ticks − 1) of the leader's and the
   *  leader process is never paused (see ReadOnlyOption in core/raft/config.ts). Default false. */
  leaseReads?: boolean;
  /** The most the workspace's recorded runs (DIR/runs/) may take on disk, in MB; the oldest records
   *  are pruned first. Absent: 256. 0 records nothing. */
  traceMaxMb?: number;
}

export interface NodeDefinition {
  id: string;
  host: string;
  peerPort: number;
  clientPort: number;
  heartbeatMs?: number;
  electionTimeoutMs?: number;
  storage?: StorageKind;
  /** Added to a running cluster (raftdesk member add) rather than founding it: with empty data it
   *  waits for the leader to send it the log and the configuration instead of bootstrapping. */
  joined?: boolean;
  /** A learner in the committed configuration: it receives the log but does not vote. */
  learner?: boolean;
}

export interface ClusterDefinition {
  name: string;
  defaults: ClusterDefaults;
  nodes: NodeDefinition[];
}

export interface ValidationIssue {
  /** Where the problem is, e.g. "nodes[1].peerPort" or "defaults.electionTimeoutMs". */
  path: string;
  severity: 'error' | 'warning';
  /** One sentence saying what is wrong and what to do. */
  message: string;
}

export interface WorkspaceSummary {
  /** Absolute folder of the workspace. */
  path: string;
  name: string;
  nodes: number;
  running: boolean;
}
