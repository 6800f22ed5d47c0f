// One Raft message as a node's message log records it (GET /v1/messages): what the node serves and
// what `raftdesk messages` and the console read.

/** Why a message was dropped (the transport's reasons). */
export type DropReason = 'partition' | 'loss' | 'encode' | 'too-large' | 'misaddressed' | 'one-shot';

export interface MessageRecord {
  /** Per node, increasing by one per record: ask for records after the last one seen. */
  seq: number;
  /** Epoch ms on the monotonic clock, fractional. */
  at: number;
  event: 'send' | 'receive' | 'drop';
  type: string;
  from: string;
  to: string;
  term: number;
  index: number;
  logTerm: number;
  entries: number;
  /** Sum of the entries' data bytes. */
  entryBytes: number;
  /** Encoded size on the wire (sends only; 0 otherwise). */
  bytes: number;
  commit: number;
  reject: boolean;
  hint: number;
  /** Snapshot index for Snap messages, else 0. */
  snapshotIndex: number;
  /** Drops only: why, and on which side. */
  reason?: DropReason;
  direction?: 'out' | 'in';
}
