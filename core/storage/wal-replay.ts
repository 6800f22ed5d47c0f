// Replays WAL records into a MemoryStorage so that it ends exactly as the MemoryStorage of the process
// that wrote them did, starting from a snapshot file (the base, at index B) rather than from the
// beginning of time.
//
// Replay begins at a segment whose log ended at or below B when the segment was created. Invariant:
// until the writer took snapshot B, the replayed log equals the writer's log restricted to indexes
// above B; from then on the two are equal. Each record keeps it, given W, the writer's own snapshot
// index at that point of its history (known from segment headers and snapshot markers):
//   - entries ending at n <= W: the writer ignored them (all compacted), so does replay;
//   - entries ending at n <= B (but > W): the writer cut its log at n, so nothing above B is left:
//     reset to the base;
//   - other entries: MemoryStorage.append skips those <= B and truncates above B exactly as the
//     writer did;
//   - a snapshot installed at J <= B: the writer dropped its whole log: reset to the base;
//   - a snapshot installed at J > B: read its file; it becomes the base.
// If recovery had to fall back to an older base (the newest snapshot file was unreadable), the
// replayed log also holds the committed entries between the two snapshots: less compacted, same log.

import type { Snapshot } from '../raft/types.js';
import { MemoryStorage } from './memory-storage.js';
import { WalCorruptionError } from './wal-errors.js';
import type { SegmentFile } from './wal-files.js';
import type { BatchRecord, SegmentHeader, SnapshotMarker } from './wal-records.js';

/** Reads the snapshot an install record refers to, or says why it cannot. */
export type SnapshotLoader = (marker: SnapshotMarker) => Promise<Snapshot | string>;

export class LogReplay {
  private memory = new MemoryStorage();
  private base: Snapshot | null = null;
  /** W above: the writer's snapshot index at the point replay has reached. */
  private writerSnapshotIndex = 0;
  private segmentsSeen = 0;

  constructor(
    base: Snapshot | null,
    private readonly loadSnapshot: SnapshotLoader,
  ) {
    this.resetTo(base);
  }

  private baseIndex(): number {
    return this.base?.metadata.index ?? 0;
  }

  private resetTo(base: Snapshot | null): void {
    const hardState = this.memory.hardStateNow();
    this.memory = new MemoryStorage();
    if (base) this.memory.applySnapshot(base);
    this.memory.setHardState(hardState);
    this.base = base;
  }

  /** The segment's header restates the log's shape when it was created: a cross-check that no
   *  segment in between went missing, and the hard state to carry on from. */
  enterSegment(file: SegmentFile, header: SegmentHeader): void {
    if (this.segmentsSeen++ === 0) {
      if (header.lastIndex > this.baseIndex()) {
        throw new WalCorruptionError(file.path, 0, `the oldest segment starts after index ${header.lastIndex} but the newest usable snapshot is at index ${this.baseIndex()}, so a segment or snapshot file is missing`);
      }
      this.writerSnapshotIndex = header.snapshot.index;
    } else {
      const expected = Math.max(header.lastIndex, this.baseIndex());
      const consistent =
        header.snapshot.index === this.writerSnapshotIndex &&
        this.memory.lastIndex() === expected &&
        (header.lastIndex <= this.baseIndex() || this.memory.term(expected) === header.lastTerm);
      if (!consistent) {
        throw new WalCorruptionError(file.path, 0, `the segment starts after index ${header.lastIndex} (term ${header.lastTerm}, snapshot at ${header.snapshot.index}), which the segments before it do not lead to`);
      }
    }
    this.memory.setHardState(header.hardState);
  }

  async applyBatch(file: SegmentFile, offset: number, batch: BatchRecord): Promise<void> {
    if (batch.install) await this.install(file, offset, batch.install);
    const entries = batch.entries;
    const lastNew = entries.length > 0 ? entries[entries.length - 1]!.index : 0;
    if (lastNew > this.writerSnapshotIndex) {
      if (lastNew <= this.baseIndex()) {
        this.resetTo(this.base);
      } else {
        try {
          this.memory.append(entries);
        } catch (e) {
          throw new WalCorruptionError(file.path, offset, `its entries do not follow the log: ${(e as Error).message}`);
        }
      }
    }
    if (batch.hardState) this.memory.setHardState(batch.hardState);
  }

  compacted(marker: SnapshotMarker): void {
    this.writerSnapshotIndex = marker.index;
  }

  private async install(file: SegmentFile, offset: number, marker: SnapshotMarker): Promise<void> {
    this.writerSnapshotIndex = marker.index;
    if (marker.index <= this.baseIndex()) {
      this.resetTo(this.base);
      return;
    }
    const snapshot = await this.loadSnapshot(marker);
    if (typeof snapshot === 'string') {
      throw new WalCorruptionError(file.path, offset, `it installs the snapshot at index ${marker.index}, whose file ${snapshot}`);
    }
    this.resetTo(snapshot);
  }

  result(): MemoryStorage {
    return this.memory;
  }
}
