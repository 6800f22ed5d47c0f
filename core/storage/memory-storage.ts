// An in-memory log: what the core reads (Storage) and what the host writes (DurableLog), with nothing
// surviving the process. Pure — no I/O — so the simulator uses it too. Modelled on etcd's MemoryStorage.

import type { ConfState, Entry, HardState, Snapshot } from '../raft/types.js';
import { NONE } from '../raft/types.js';
import { entrySize } from '../raft/entry-size.js';
import { CompactedError, UnavailableError } from '../raft/storage.js';
import type { DurableLog, LogUpdate } from './durable-log.js';

export class MemoryStorage implements DurableLog {
  private hardState: HardState = { term: 0, vote: NONE, commit: 0 };
  private snap: Snapshot = {
    metadata: { index: 0, term: 0, confState: { voters: [], votersOutgoing: [], learners: [], learnersNext: [], autoLeave: false, index: 0 } },
    data: new Uint8Array(0),
  };
  /** Invariant: ents[0] is a dummy standing for the snapshot (its index and term);
   *  ents[i] is the entry at log index ents[0].index + i. */
  private ents: Entry[] = [{ term: 0, index: 0, type: 0, data: new Uint8Array(0) }];

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: { ...this.hardState }, confState: this.snap.metadata.confState };
  }

  private offset(): number {
    return this.ents[0]!.index;
  }

  firstIndex(): number {
    return this.offset() + 1;
  }

  lastIndex(): number {
    return this.offset() + this.ents.length - 1;
  }

  term(index: number): number {
    const offset = this.offset();
    if (index < offset) throw new CompactedError(index);
    if (index - offset >= this.ents.length) throw new UnavailableError(index);
    return this.ents[index - offset]!.term;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    const offset = this.offset();
    if (lo <= offset) throw new CompactedError(lo);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1);
    const out: Entry[] = [];
    let bytes = 0;
    for (let i = lo; i < hi; i++) {
      const entry = this.ents[i - offset]!;
      bytes += entrySize(entry);
      // Always at least one entry, so that progress is possible whatever the limit.
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(entry);
    }
    return out;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  hardStateNow(): HardState {
    return { ...this.hardState };
  }

  /** A hard state without a configuration (written before membership changes existed) keeps the
   *  configuration already held. */
  setHardState(hardState: HardState): void {
    const conf = hardState.conf ?? this.hardState.conf;
    this.hardState = conf ? { ...hardState, conf } : { ...hardState };
  }

  /** Replaces the whole log with a snapshot received from the leader. Older snapshots are ignored. */
  applySnapshot(snapshot: Snapshot): void {
    if (snapshot.metadata.index <= this.snap.metadata.index) return;
    this.snap = snapshot;
    this.ents = [{ term: snapshot.metadata.term, index: snapshot.metadata.index, type: 0, data: new Uint8Array(0) }];
  }

  /** Appends entries, truncating any existing tail that they overwrite. Entries already compacted
   *  are skipped. The first new entry must not leave a gap after the last index. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const lastNew = entries[entries.length - 1]!.index;
    if (lastNew < first) return;
    let toAppend = entries;
    if (first > entries[0]!.index) toAppend = entries.slice(first - entries[0]!.index);
    const offset = toAppend[0]!.index - this.offset();
    if (offset > this.ents.length) {
      throw new Error(`missing log entries: last index ${this.lastIndex()}, appending at ${toAppend[0]!.index}`);
    }
    this.ents.length = offset;
    for (const entry of toAppend) this.ents.push(entry);
  }

  /** Records `snapshot` (taken of the state machine at snapshot.metadata.index) and drops the entries
   *  it covers. Ignored if it is not newer than the current snapshot. */
  compactTo(snapshot: Snapshot): void {
    const index = snapshot.metadata.index;
    if (index <= this.snap.metadata.index) return;
    if (index > this.lastIndex()) throw new UnavailableError(index);
    const dummy: Entry = { term: this.term(index), index, type: 0, data: new Uint8Array(0) };
    this.ents = [dummy, ...this.ents.slice(index - this.offset() + 1)];
    this.snap = snapshot;
  }

  save(update: LogUpdate): Promise<void> {
    this.saveSync(update);
    return Promise.resolve();
  }

  /** The synchronous form of save, for hosts (the simulator) that have no event loop. */
  saveSync(update: LogUpdate): void {
    if (update.snapshot) this.applySnapshot(update.snapshot);
    this.append(update.entries);
    if (update.hardState) this.setHardState(update.hardState);
  }

  compact(snapshot: Snapshot): Promise<void> {
    this.compactTo(snapshot);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
