// Exactly-once bookkeeping: per client, the last applied seq and its result (Raft dissertation §6.3).
// Bounded: beyond `limit` clients the least recently used is forgotten. Recency is apply order, so
// every replica evicts the same client at the same index.

import type { AppliedResult } from './command.js';

export interface SessionRecord {
  lastSeq: number;
  result: AppliedResult;
}

export type SessionCheck =
  /** First time this seq is seen (or the client was forgotten): apply the command. */
  | { kind: 'new' }
  /** A retry of the last applied command: answer with its saved result, apply nothing. */
  | { kind: 'duplicate'; result: AppliedResult }
  /** Older than the last applied command: its result is gone. */
  | { kind: 'stale'; lastSeq: number };

export class SessionTable {
  /** Map iteration order is least to most recently used: touch() re-inserts at the end. */
  private readonly records = new Map<string, SessionRecord>();

  constructor(readonly limit: number) {}

  get size(): number {
    return this.records.size;
  }

  check(clientId: string, seq: number): SessionCheck {
    const record = this.records.get(clientId);
    if (!record || seq > record.lastSeq) return { kind: 'new' };
    this.touch(clientId, record);
    return seq === record.lastSeq ? { kind: 'duplicate', result: record.result } : { kind: 'stale', lastSeq: record.lastSeq };
  }

  record(clientId: string, seq: number, result: AppliedResult): void {
    this.touch(clientId, { lastSeq: seq, result });
  }

  /** Least recently used first: the order snapshot() must preserve. */
  entries(): IterableIterator<[string, SessionRecord]> {
    return this.records.entries();
  }

  private touch(clientId: string, record: SessionRecord): void {
    this.records.delete(clientId);
    this.records.set(clientId, record);
    for (const oldest of this.records.keys()) {
      if (this.records.size <= this.limit) break;
      this.records.delete(oldest);
    }
  }
}
