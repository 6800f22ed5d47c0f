import type { Entry, Snapshot } from './types.js';

/**
 * The tail of the log that the host has not yet persisted: an optional incoming snapshot and
 * the entries after it (or after the stable log).
 *
 * Invariants:
 * - entries[i] is at log index offset + i;
 * - when snapshot is set, offset = snapshot.metadata.index + 1;
 * - entries in [offset, offsetInProgress) were handed to the host in a Ready and are being
 *   persisted; they are not handed out again. offset <= offsetInProgress <= offset + entries.length.
 */
export class Unstable {
  snapshot: Snapshot | null = null;
  snapshotInProgress = false;
  entries: Entry[] = [];
  offset: number;
  offsetInProgress: number;

  constructor(
    offset: number,
    /** Test only: the broken rule that marks replaced entries stable. */
    private readonly ignoreTermWhenStable = false,
  ) {
    this.offset = offset;
    this.offsetInProgress = offset;
  }

  /** The first log index, if the unstable snapshot defines it. */
  maybeFirstIndex(): number | undefined {
    return this.snapshot ? this.snapshot.metadata.index + 1 : undefined;
  }

  maybeLastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot ? this.snapshot.metadata.index : undefined;
  }

  /** The term at `index` if the unstable part knows it. */
  maybeTerm(index: number): number | undefined {
    if (index < this.offset) {
      const snap = this.snapshot;
      return snap && snap.metadata.index === index ? snap.metadata.term : undefined;
    }
    const i = index - this.offset;
    return i < this.entries.length ? this.entries[i]!.term : undefined;
  }

  hasNextEntries(): boolean {
    return this.offsetInProgress < this.offset + this.entries.length;
  }

  /** Entries not yet handed to the host (a copy). */
  nextEntries(): Entry[] {
    const from = this.offsetInProgress - this.offset;
    return from < this.entries.length ? this.entries.slice(from) : [];
  }

  hasNextSnapshot(): boolean {
    return this.snapshot !== null && !this.snapshotInProgress;
  }

  /** Marks everything currently unstable as handed to the host. */
  acceptInProgress(): void {
    this.offsetInProgress = this.offset + this.entries.length;
    if (this.snapshot) this.snapshotInProgress = true;
  }

  /** The host persisted entries up to (index, term). If the entry there has since been replaced
   *  (a new leader overwrote the tail), it is not the one persisted and stays unstable. */
  stableTo(index: number, term: number): void {
    if (index < this.offset) return;
    if (this.maybeTerm(index) !== term && !this.ignoreTermWhenStable) return;
    if (index >= this.offset + this.entries.length) return;
    const count = index + 1 - this.offset;
    this.entries = count === this.entries.length ? [] : this.entries.slice(count);
    this.offset = index + 1;
    this.offsetInProgress = Math.max(this.offsetInProgress, this.offset);
  }

  stableSnapTo(index: number): void {
    if (this.snapshot && this.snapshot.metadata.index === index) {
      this.snapshot = null;
      this.snapshotInProgress = false;
    }
  }

  /** Replaces the whole unstable part with a snapshot received from the leader. */
  restore(snapshot: Snapshot): void {
    this.offset = snapshot.metadata.index + 1;
    this.offsetInProgress = this.offset;
    this.entries = [];
    this.snapshot = snapshot;
    this.snapshotInProgress = false;
  }

  /** Appends `entries` (contiguous), replacing any unstable entries at or after their first index. */
  truncateAndAppend(entries: readonly Entry[]): void {
    const from = entries[0]!.index;
    const end = this.offset + this.entries.length;
    if (from === end) {
      for (const entry of entries) this.entries.push(entry);
      return;
    }
    if (from <= this.offset) {
      // The new entries replace the whole unstable tail (and shadow stable entries from `from`).
      this.offset = from;
      this.offsetInProgress = from;
      this.entries = entries.slice();
      return;
    }
    this.entries = this.entries.slice(0, from - this.offset);
    for (const entry of entries) this.entries.push(entry);
    this.offsetInProgress = Math.min(this.offsetInProgress, from);
  }

  /** Entries in [lo, hi), which must lie within the unstable entries. */
  slice(lo: number, hi: number): Entry[] {
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
