// One Raft message as a node's message log records it (GET /v1/messages): what the node serves and
// what `raftdesk messages` and the console read.

/** Why a message was dropped (the transport's reasons). */
export type DropReason = 'partition' | 'loss' | 'encode' | 'too-large' | 'misaddressed' | 'one-shot';

/** What a Raft message says: the fields both the node's record and the stream's paired message carry. */
export interface MessageFields {
  type: string;
  from: string;
  to: string;
  term: number;
  index: number;
  logTerm: number;
  entries: number;
  /** Sum of the entries' data bytes. */
  entryBytes: number;
  /** Encoded size on the wire (sends only; 0 otherwise, or when the send was not seen). */
  bytes: number;
  commit: number;
  reject: boolean;
  hint: number;
  /** Snapshot index for Snap messages, else 0. */
  snapshotIndex: number;
}

export interface MessageRecord extends MessageFields {
  /** Per node, increasing by one per record: ask for records after the last one seen. */
  seq: number;
  /** Epoch ms on the monotonic clock, fractional. */
  at: number;
  event: 'send' | 'receive' | 'drop';
  /** Drops only: why, and on which side. */
  reason?: DropReason;
  direction?: 'out' | 'in';
}

/**
 * One Raft message between two nodes as the cluster's message stream (core/cluster/message-stream.ts)
 * pairs it: the sender's record and the receiver's record of the same message in one. A side whose
 * record was not seen (yet) is null: a message sent but never received was lost in flight or is
 * still held by a delay fault; the stream may later emit the same id again, completed.
 */
export interface LinkMessage extends MessageFields {
  /** The stream's own number, increasing in the order it first saw the message; stable across a re-emission. */
  id: number;
  /** When the sender queued it (epoch ms, monotonic clock), or null. */
  sentAt: number | null;
  /** When the receiver handed it to Raft, or null (not seen, not yet, or dropped). */
  receivedAt: number | null;
  /** Dropped by the sender (`out`, never sent) or on arrival (`in`), and why. */
  dropped: { at: number; reason: DropReason; direction: 'out' | 'in' } | null;
}

/** What a subscriber of the message stream gets, a few times a second while there is traffic. */
export interface MessageBatch {
  /** Sorted by time (sentAt, else the drop's, else receivedAt), then id. */
  messages: LinkMessage[];
  /** Records the nodes' rings overwrote before the stream read them (traffic too heavy to follow). */
  lostRecords: number;
}

/** The time a paired message is placed at: its send, else its drop, else its arrival. */
export function linkMessageTime(m: LinkMessage): number {
  return m.sentAt ?? m.dropped?.at ?? m.receivedAt ?? 0;
}
