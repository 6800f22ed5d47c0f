import type { ConfState, Entry, HardState, Snapshot } from './types.js';

/** The requested index is older than the log's first index: it was compacted into a snapshot. */
export class CompactedError extends Error {
  constructor(index: number) {
    super(`index ${index} is compacted`);
    this.name = 'CompactedError';
  }
}

/** The requested index is beyond the last index. */
export class UnavailableError extends Error {
  constructor(index: number) {
    super(`index ${index} is unavailable`);
    this.name = 'UnavailableError';
  }
}

/**
 * What the core reads of the stable log (as etcd's raft.Storage). The host writes to it after each
 * Ready (append, hard state, snapshot) and compacts it; the core only reads. Entries the core has not
 * yet handed out for persistence live in the core's own unstable tail, not here.
 */
export interface Storage {
  /** The persisted hard state and the snapshot's configuration, read once at start. */
  initialState(): { hardState: HardState; confState: ConfState };
  /** Entries in [lo, hi), lo >= firstIndex(), hi <= lastIndex() + 1; at least one entry if any,
   *  then as many more as fit in maxBytes. Throws CompactedError / UnavailableError. */
  entries(lo: number, hi: number, maxBytes: number): Entry[];
  /** Term of the entry at index, for firstIndex() - 1 <= index <= lastIndex() (the entry just
   *  before the first is the snapshot's). Throws CompactedError / UnavailableError. */
  term(index: number): number;
  /** Index of the first entry still available (snapshot index + 1). */
  firstIndex(): number;
  /** Index of the last entry (the snapshot index if the log is empty). */
  lastIndex(): number;
  /** The most recent snapshot (empty data and index 0 if none was taken). */
  snapshot(): Snapshot;
}
