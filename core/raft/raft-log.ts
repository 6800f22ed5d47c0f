import type { Entry, Snapshot } from './types.js';
import type { Storage } from './storage.js';
import { Unstable } from './unstable.js';
import { limitSize } from './entry-size.js';
import type { TestOnlyBugs } from './config.js';
import { RaftInvariantError } from './errors.js';

/**
 * The log as the core sees it: the host's stable storage followed by the unstable tail, plus the
 * commit and apply cursors.
 *
 * Invariants: applied <= applying <= committed <= lastIndex(); firstIndex() - 1 <= applied
 * (the host only compacts what it has applied). The storage's first index may move forward at any
 * time between calls (the host compacts), so nothing here caches it.
 */
export class RaftLog {
  readonly unstable: Unstable;
  /** Highest index known to be committed. Never decreases. */
  committed: number;
  /** Highest index handed to the host for applying (in a Ready not yet advanced). */
  applying: number;
  /** Highest index the host has applied. */
  applied: number;

  constructor(
    readonly storage: Storage,
    /** Names the owner in invariant errors, e.g. "n2 in term 7". */
    private readonly owner: () => string = () => 'this node',
    private readonly bugs: TestOnlyBugs = {},
  ) {
    const first = storage.firstIndex();
    this.unstable = new Unstable(storage.lastIndex() + 1, bugs.stableToIgnoresTerm === true);
    this.committed = first - 1;
    this.applying = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  lastTerm(): number {
    return this.term(this.lastIndex()) ?? 0;
  }

  /** The term at `index`, or undefined when it is compacted (below firstIndex() - 1) or beyond
   *  the last index. Index firstIndex() - 1 is the snapshot's. Never throws. */
  term(index: number): number | undefined {
    const unstableTerm = this.unstable.maybeTerm(index);
    if (unstableTerm !== undefined) return unstableTerm;
    if (index < this.firstIndex() - 1 || index > this.lastIndex()) return undefined;
    return this.storage.term(index);
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** Whether a log ending at (lastIndex, lastTerm) is at least as up to date as ours (§5.4.1). */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    const ourLast = this.bugs.upToDateOffByOne === true ? this.lastIndex() - 1 : this.lastIndex();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= ourLast);
  }

  /**
   * Entries in [lo, hi) within maxBytes (at least one), or null when lo is compacted.
   * Requires lo <= hi <= lastIndex() + 1.
   */
  slice(lo: number, hi: number, maxBytes: number): Entry[] | null {
    if (lo < this.firstIndex()) return null;
    if (lo >= hi) return [];
    const unstableFrom = this.unstable.offset;
    let result: Entry[] = [];
    if (lo < unstableFrom) {
      const stableHi = Math.min(hi, unstableFrom);
      result = this.storage.entries(lo, stableHi, maxBytes);
      // The storage stopped early because of the size limit: nothing more fits.
      if (result.length < stableHi - lo) return result;
    }
    if (hi > unstableFrom) {
      const tail = this.unstable.slice(Math.max(lo, unstableFrom), hi);
      if (result.length === 0) result = tail;
      else for (const entry of tail) result.push(entry);
    }
    return limitSize(result, maxBytes);
  }

  /** Entries from lo to the end of the log, within maxBytes; null when lo is compacted. */
  entriesFrom(lo: number, maxBytes: number): Entry[] | null {
    const last = this.lastIndex();
    if (lo > last) return [];
    return this.slice(lo, last + 1, maxBytes);
  }

  /**
   * The index of the first entry in `entries` that conflicts with the log (same index, other
   * term) or is new; 0 if all are already present. Entries are contiguous.
   */
  findConflict(entries: readonly Entry[]): number {
    for (const entry of entries) if (!this.matchTerm(entry.index, entry.term)) return entry.index;
    return 0;
  }

  /**
   * The highest (index, term) with index <= `index` and term <= `term`: where a follower's log may
   * still match a leader whose entry at `index` has `term`. Lets the leader back up a whole term
   * per round trip instead of one entry. If the search reaches compacted entries it stops there
   * with term 0.
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    for (let i = index; i >= 0; i--) {
      const t = this.term(i);
      if (t === undefined) return { index: i, term: 0 };
      if (t <= term) return { index: i, term: t };
    }
    return { index: 0, term: 0 };
  }

  /**
   * Appends the leader's entries that follow (prevIndex, prevTerm) if our log matches there.
   * Returns the index of the last new entry, or undefined when the log does not match. Throws
   * RaftInvariantError when the leader's entries contradict a committed entry of ours: one of the
   * two logs broke Raft's guarantees.
   */
  maybeAppend(prevIndex: number, prevTerm: number, leaderCommit: number, entries: readonly Entry[]): number | undefined {
    const prevMatches = this.bugs.appendWithoutPrevTermCheck === true ? prevIndex <= this.lastIndex() && this.term(prevIndex) !== undefined : this.matchTerm(prevIndex, prevTerm);
    if (!prevMatches) return undefined;
    const lastNew = prevIndex + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      if (conflict <= this.committed) {
        throw new RaftInvariantError(
          `${this.owner()}: the leader's entry at index ${conflict} (term ${entries[conflict - entries[0]!.index]!.term}) conflicts with committed entry ${conflict} (term ${this.term(conflict)}, commit index ${this.committed}); a log was corrupted or lost`,
        );
      }
      this.append(conflict === entries[0]!.index ? entries : entries.slice(conflict - entries[0]!.index));
    }
    // Only up to lastNew is known to match the leader's log; beyond it we may hold a stale tail.
    if (this.bugs.followerCommitsLeaderCommit === true) this.commitTo(leaderCommit);
    else this.commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** Appends contiguous entries starting at or before lastIndex() + 1, truncating what they replace. */
  append(entries: readonly Entry[]): number {
    if (entries.length === 0) return this.lastIndex();
    const from = entries[0]!.index;
    if (from - 1 < this.committed) throw new Error(`append at ${from} would overwrite committed index ${this.committed}`);
    if (from > this.lastIndex() + 1) throw new Error(`append at ${from} leaves a gap after ${this.lastIndex()}`);
    this.unstable.truncateAndAppend(entries);
    return this.lastIndex();
  }

  /** Raises the commit index (never lowers it). Committing beyond the last index means the leader
   *  believes we hold entries we do not: our log was truncated or lost, and going on would apply
   *  what is not there. */
  commitTo(index: number): void {
    if (index <= this.committed) return;
    if (index > this.lastIndex()) {
      throw new RaftInvariantError(
        `${this.owner()}: asked to commit index ${index} but the log ends at ${this.lastIndex()}; was the log truncated or lost?`,
      );
    }
    this.committed = index;
  }

  /** Commits `index` if it is of `term`: a leader only counts replicas of its own term's entries. */
  maybeCommit(index: number, term: number): boolean {
    if (index > this.committed && this.term(index) === term) {
      this.committed = index;
      return true;
    }
    return false;
  }

  /** Commits `index` without the term check: the deliberately broken rule of a mutation test. */
  commitByCount(index: number): boolean {
    if (index > this.committed) {
      this.committed = Math.min(index, this.lastIndex());
      return true;
    }
    return false;
  }

  hasPendingSnapshot(): boolean {
    return this.unstable.snapshot !== null;
  }

  /** Committed entries not yet handed out for applying. None while a snapshot is pending: they
   *  follow it and must wait until the host has installed it. */
  hasNextCommittedEntries(): boolean {
    return !this.hasPendingSnapshot() && this.applying < this.committed;
  }

  nextCommittedEntries(maxBytes: number): Entry[] {
    if (!this.hasNextCommittedEntries()) return [];
    return this.slice(this.applying + 1, this.committed + 1, maxBytes) ?? [];
  }

  acceptApplying(index: number): void {
    this.applying = Math.max(this.applying, index);
  }

  /** The host applied up to `index`, which it may only do for committed entries. */
  appliedTo(index: number): void {
    if (index > this.committed) {
      throw new RaftInvariantError(`${this.owner()}: applied index ${index} is beyond the commit index ${this.committed}`);
    }
    if (index > this.applied) this.applied = index;
    if (index > this.applying) this.applying = index;
  }

  /** The most recent snapshot: the incoming one if any, else the storage's. */
  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  /** Replaces the log with a snapshot from the leader (which is committed by definition). */
  restore(snapshot: Snapshot): void {
    this.committed = snapshot.metadata.index;
    this.unstable.restore(snapshot);
  }
}
