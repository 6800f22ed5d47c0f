// Every Raft message this node sends, receives or drops, in a bounded ring: type, from, to, term,
// index, log term, entry count and bytes, commit, reject and hint, with a timestamp. On by default
// (its cost at 64 clients is in README's performance table); read at GET /v1/messages?after=SEQ.
// Fed by the transport's tap, outside the Ready loop. Timestamps are epoch milliseconds from the
// monotonic clock aligned to the wall clock (epoch-clock.ts), so that records of different nodes
// on one machine line up and a wall-clock step never reorders a node's own records.

import type { Message } from '../raft/types.js';
import type { DropReason as RecordedDropReason, MessageRecord } from '../api/messages.js';
import type { DropReason, MessageTap } from '../transport/message-tap.js';

export type { MessageRecord } from '../api/messages.js';
import { epochNow } from './epoch-clock.js';
import { messageTypeName } from './node-metrics.js';

/** The transport's drop reasons and the log's are one list (the transport may not import core/api). */
const SAME_DROP_REASONS: [DropReason, RecordedDropReason] extends [RecordedDropReason, DropReason] ? true : never = true;
void SAME_DROP_REASONS;

export const DEFAULT_MESSAGE_LOG_CAPACITY = 8192;


export class MessageLog implements MessageTap {
  private readonly ring: (MessageRecord | undefined)[];
  private next = 1;

  constructor(readonly capacity = DEFAULT_MESSAGE_LOG_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
    this.ring = new Array<MessageRecord | undefined>(capacity);
    // The clock's alignment (up to 5 ms of spinning, once per process) happens now, at start-up, not
    // in the middle of the first election.
    epochNow();
  }

  sent(m: Message, bytes: number): void {
    this.add(m, 'send', bytes);
  }

  received(m: Message): void {
    this.add(m, 'receive', 0);
  }

  dropped(m: Message, direction: 'out' | 'in', reason: DropReason): void {
    const r = this.add(m, 'drop', 0);
    r.reason = reason;
    r.direction = direction;
  }

  /** The sequence number the next record will get. */
  get nextSeq(): number {
    return this.next;
  }

  /**
   * Records with seq > after, oldest first, at most `limit`. Records that the ring has already
   * overwritten are gone: `lost` says how many of those the caller missed.
   */
  since(after: number, limit = this.capacity): { records: MessageRecord[]; lost: number; next: number } {
    const oldest = Math.max(1, this.next - this.capacity);
    const from = Math.max(after + 1, oldest);
    const lost = Math.max(0, oldest - (after + 1));
    const to = Math.min(this.next, from + Math.max(0, limit));
    const records: MessageRecord[] = [];
    for (let seq = from; seq < to; seq++) records.push(this.ring[seq % this.capacity]!);
    return { records, lost, next: to };
  }

  private add(m: Message, event: MessageRecord['event'], bytes: number): MessageRecord {
    let entryBytes = 0;
    for (const e of m.entries) entryBytes += e.data.length;
    const record: MessageRecord = {
      seq: this.next,
      at: epochNow(),
      event,
      type: messageTypeName(m.type),
      from: m.from,
      to: m.to,
      term: m.term,
      index: m.index,
      logTerm: m.logTerm,
      entries: m.entries.length,
      entryBytes,
      bytes,
      commit: m.commit,
      reject: m.reject,
      hint: m.rejectHint,
      snapshotIndex: m.snapshot?.metadata.index ?? 0,
    };
    this.ring[this.next % this.capacity] = record;
    this.next++;
    return record;
  }
}

/** One tap that tells several (the metrics and the message log). */
export function teeTap(...taps: MessageTap[]): MessageTap {
  return {
    sent: (m, bytes) => {
      for (const t of taps) t.sent(m, bytes);
    },
    received: (m) => {
      for (const t of taps) t.received(m);
    },
    dropped: (m, direction, reason) => {
      for (const t of taps) t.dropped(m, direction, reason);
    },
  };
}
