// Recorded runs: every cluster run (from start to stop) leaves a trace in DIR/runs/<runId>/ that the
// console replays and `raftdesk runs` / `raftdesk trace` read. The format is JSON Lines, one
// TraceRecord a line (core/trace/README.md describes the files).

import type { ClusterEvent, ClusterState, MetricsSample, NodeLogView } from './cluster-state.js';
import type { LinkMessage } from './messages.js';

/** One client operation (an experiment's history, joined when the run is read). */
export interface TraceClientOp {
  process: number;
  f: string;
  key: string;
  /** The value written, read or compared, as text. */
  value: string;
  outcome: 'ok' | 'fail' | 'info' | 'pending';
  /** Epoch ms of the invocation and of the completion (null while pending). */
  startAt: number;
  endAt: number | null;
}

export type TraceRecord =
  /** What the console showed: the whole snapshot, at most a few a second and only when it changed. */
  | { k: 'state'; at: number; state: ClusterState }
  | { k: 'event'; at: number; event: ClusterEvent }
  | { k: 'metrics'; at: number; sample: MetricsSample }
  /** Every node's log tail (the Logs view's rows), sampled when an index moved. */
  | { k: 'logs'; at: number; views: NodeLogView[] }
  /** One message as the cluster's message stream paired it (at: its send, else its drop or arrival).
   *  The stream may emit a message again once its other half arrived: the last line of an id wins. */
  | { k: 'msg'; at: number; m: LinkMessage }
  | { k: 'op'; at: number; op: TraceClientOp };

export interface RunSummary {
  /** The folder name under DIR/runs/, e.g. 2026-12-03T12-30-05-123Z. */
  id: string;
  cluster: string;
  nodes: string[];
  startedAt: number;
  /** Epoch ms of the last record (the run's end once it stopped). */
  endedAt: number;
  /** True while this run is being recorded. */
  recording: boolean;
  /** Folders of experiments run during it (DIR/experiments/<name>/). */
  experiments: string[];
  /** Bytes on disk. */
  bytes: number;
  /** True when its oldest records were pruned to keep the workspace's traces within traceMaxMb. */
  pruned: boolean;
  /** How many message lines it holds (a message the stream emitted twice counts twice; null in a listing, which does not read the records). */
  messages: number | null;
}

/** The recorded runs of a workspace, with its bound, for the "oldest runs are pruned" note. */
export interface RunList {
  /** Newest first. */
  runs: RunSummary[];
  /** defaults.traceMaxMb: what all runs together may take. */
  traceMaxMb: number;
  /** What they take now. */
  tracesBytes: number;
}

/** A run as the console replays it: everything but the messages, which are read by window. */
export interface RunTrace {
  run: RunSummary;
  /** In time order; no 'msg' records. */
  records: TraceRecord[];
}

export interface TraceMessages {
  /** Messages with from ≤ at ≤ to, in time order, at most the limit asked for. */
  messages: LinkMessage[];
  /** True when the window held more than the limit (the first ones are returned). */
  truncated: boolean;
}
