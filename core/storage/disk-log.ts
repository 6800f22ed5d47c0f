// The durable log: a MemoryStorage serves every read, and a write-ahead log of segment files and
// snapshot files makes each update survive a crash before it is applied to the MemoryStorage.
// The on-disk format and the recovery rules are described in WAL.md beside this file.

import { unlink } from 'node:fs/promises';
import { UnavailableError } from '../raft/storage.js';
import type { ConfState, Entry, HardState, Snapshot } from '../raft/types.js';
import type { DurableLog, LogUpdate } from './durable-log.js';
import type { MemoryStorage } from './memory-storage.js';
import { SegmentWriter, syncMethodFor, type SyncMethod } from './segment-writer.js';
import { writeSnapshotFile } from './snapshot-files.js';
import type { SegmentFile, SnapshotFile } from './wal-files.js';
import type { SegmentHeader } from './wal-records.js';
import { encodeBatch, encodeCompact } from './wal-records.js';
import type { WalLog } from './wal-recovery.js';
import { recoverWal } from './wal-recovery.js';
import { fallbackIndex, segmentsToDrop, snapshotsToDrop } from './wal-retention.js';

export { WalCorruptionError, WalDirectoryError } from './wal-errors.js';

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export interface DiskLogOptions {
  /** fsync (fdatasync) where durability needs it. Off, a crash of the machine (not of the process)
   *  may lose acknowledged writes: for experiments only. */
  fsync: boolean;
  log: WalLog;
  /** A segment is closed and a new one begun once a record would take it past this size. */
  segmentBytes?: number;
  /** Told how long each fdatasync of the log took (or each write, when it is its own: O_DSYNC), in
   *  seconds (the node's fsync histogram). */
  onSync?: (seconds: number) => void;
  /** With fsync: how an append becomes durable. 'dsync' (the default; 'fdatasync' where the platform
   *  has no O_DSYNC) writes through an O_DSYNC handle, one system call per save; 'fdatasync' writes,
   *  then fdatasyncs. For benchmarks and tests of both paths. */
  syncMethod?: 'dsync' | 'fdatasync';
}

/** Opens (recovering) or creates the WAL in `dir`. Throws WalCorruptionError or WalDirectoryError,
 *  whose messages say what to do, when the directory cannot be opened without losing data. */
export async function openDiskLog(dir: string, options: DiskLogOptions): Promise<DiskLog> {
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  if (!Number.isSafeInteger(segmentBytes) || segmentBytes <= 0) throw new RangeError(`segmentBytes must be a positive integer, not ${segmentBytes}`);
  const recovered = await recoverWal(dir, options.fsync, options.log);
  const method = syncMethodFor(options.fsync, options.syncMethod);
  const last = recovered.segments[recovered.segments.length - 1];
  const writer =
    last && recovered.tail
      ? await SegmentWriter.reopen(last, recovered.tail.end, recovered.tail.headerEnd, method)
      : await SegmentWriter.create(dir, headerOf(recovered.memory, 0), method);
  const segments = last ? recovered.segments : [writer.file];
  return new DiskLog(dir, method, segmentBytes, options.log, recovered.memory, writer, segments, recovered.snapshots, options.onSync);
}

/** The state a new segment starts from: the log as it is before the segment's first record. */
function headerOf(memory: MemoryStorage, seq: number): SegmentHeader {
  const lastIndex = memory.lastIndex();
  const { index, term } = memory.snapshot().metadata;
  return { seq, lastIndex, lastTerm: memory.term(lastIndex), snapshot: { index, term }, hardState: memory.hardStateNow() };
}

/**
 * Throws, before anything is written, where MemoryStorage.saveSync would refuse the entries (a gap
 * after the last index) or where they are not one run of consecutive indexes: a record that replay
 * could not apply would keep the node from ever starting again.
 */
function checkAppendable(memory: MemoryStorage, install: Snapshot | null, entries: readonly Entry[]): void {
  if (entries.length === 0) return;
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.index !== entries[i - 1]!.index + 1) {
      throw new Error(`entries to save are not consecutive: index ${entries[i]!.index} follows ${entries[i - 1]!.index}`);
    }
  }
  const snapshotIndex = install ? install.metadata.index : memory.snapshot().metadata.index;
  const lastIndex = install ? install.metadata.index : memory.lastIndex();
  const lastNew = entries[entries.length - 1]!.index;
  const firstKept = Math.max(entries[0]!.index, snapshotIndex + 1);
  if (firstKept <= lastNew && firstKept > lastIndex + 1) {
    throw new Error(`missing log entries: last index ${lastIndex}, appending at ${firstKept}`);
  }
}

export class DiskLog implements DurableLog {
  /** save/compact/close run one at a time, in call order: each starts when the previous settled. */
  private queue: Promise<void> = Promise.resolve();
  /** Set once a write failed part-way: the files are then in a state only recovery may judge. */
  private failure: Error | null = null;
  private closed = false;
  /** Records were appended since the last fdatasync. */
  private unsynced = false;

  /** fsync (fdatasync or O_DSYNC) where durability needs it: derived from the sync method. */
  private get fsync(): boolean {
    return this.syncMethod !== 'none';
  }

  /** Use openDiskLog. */
  constructor(
    private readonly dir: string,
    /** How appends become durable; 'none' when the workspace turned fsync off. */
    private readonly syncMethod: SyncMethod,
    private readonly segmentBytes: number,
    private readonly log: WalLog,
    private readonly memory: MemoryStorage,
    private writer: SegmentWriter,
    /** Segments on disk, ascending by seq; the last is the writer's. */
    private readonly segments: SegmentFile[],
    /** Snapshot files on disk, ascending by index. */
    private readonly snapshots: SnapshotFile[],
    private readonly onSync?: (seconds: number) => void,
  ) {}

  initialState(): { hardState: HardState; confState: ConfState } {
    return this.memory.initialState();
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    return this.memory.entries(lo, hi, maxBytes);
  }

  term(index: number): number {
    return this.memory.term(index);
  }

  firstIndex(): number {
    return this.memory.firstIndex();
  }

  lastIndex(): number {
    return this.memory.lastIndex();
  }

  snapshot(): Snapshot {
    return this.memory.snapshot();
  }

  save(update: LogUpdate, sync: boolean): Promise<void> {
    return this.serialize(() => this.doSave(update, sync));
  }

  compact(snapshot: Snapshot): Promise<void> {
    return this.serialize(() => this.doCompact(snapshot));
  }

  /** Waits for queued writes, fsyncs what is not yet durable and closes the segment. */
  close(): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.closed) return;
      this.closed = true;
      try {
        if (!this.failure) await this.syncIfNeeded();
      } finally {
        await this.writer.close();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private serialize(op: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => {
      if (this.closed) throw new Error(`the WAL in ${this.dir} is closed`);
      if (this.failure) throw this.failure;
      return op();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs writes that leave the files in an unknown state if they fail part-way. After such a
   *  failure every later call fails too, rather than writing after a hole. */
  private async durably<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      this.failure = new Error(`writing the WAL in ${this.dir} failed (${(e as Error).message}); restart the node so that recovery can check its log`, { cause: e });
      throw this.failure;
    }
  }

  private async doSave(update: LogUpdate, sync: boolean): Promise<void> {
    // MemoryStorage ignores a snapshot no newer than its own; so does the WAL.
    const install = update.snapshot && update.snapshot.metadata.index > this.memory.snapshot().metadata.index ? update.snapshot : null;
    checkAppendable(this.memory, install, update.entries);
    const { hardState, entries } = update;
    const installed = await this.durably(async () => {
      // The snapshot file is durable before the record that refers to it can be.
      const file = install ? await writeSnapshotFile(this.dir, install, this.fsync) : null;
      if (install || entries.length > 0 || hardState) {
        await this.append(encodeBatch({ install: install && install.metadata, hardState, entries }));
      }
      if (sync) await this.syncIfNeeded();
      return file;
    });
    this.memory.saveSync({ snapshot: install, entries, hardState });
    if (installed) await this.dropObsoleteFiles(installed);
  }

  private async doCompact(snapshot: Snapshot): Promise<void> {
    const { index, term } = snapshot.metadata;
    if (index <= this.memory.snapshot().metadata.index) return;
    if (index > this.memory.lastIndex()) throw new UnavailableError(index);
    if (this.memory.term(index) !== term) throw new Error(`cannot compact at index ${index} with term ${term}: the entry there has term ${this.memory.term(index)}`);
    const file = await this.durably(async () => {
      const written = await writeSnapshotFile(this.dir, snapshot, this.fsync);
      // Recovery only trusts snapshot files the WAL refers to: the marker must be durable before
      // any segment or older snapshot it makes obsolete is removed.
      await this.append(encodeCompact({ index, term }));
      await this.syncIfNeeded();
      return written;
    });
    this.memory.compactTo(snapshot);
    await this.dropObsoleteFiles(file);
  }

  private async syncIfNeeded(): Promise<void> {
    if (!this.fsync || !this.unsynced) return;
    const started = performance.now();
    await this.writer.sync();
    this.onSync?.((performance.now() - started) / 1000);
    this.unsynced = false;
  }

  private async append(record: Uint8Array): Promise<void> {
    if (this.writer.isFullFor(record.length, this.segmentBytes)) await this.rollOver();
    if (!this.writer.durableAppends) {
      await this.writer.append(record);
      this.unsynced = true;
      return;
    }
    // The write is its own fdatasync (O_DSYNC): it is what the fsync histogram times.
    const started = performance.now();
    await this.writer.append(record);
    this.onSync?.((performance.now() - started) / 1000);
  }

  /** Closes the current segment and starts the next with the log's current state (before the
   *  record about to be appended). */
  private async rollOver(): Promise<void> {
    // Recovery treats a bad record in any segment but the last as corruption, so a segment is
    // durable in full before a newer one exists.
    await this.syncIfNeeded();
    await this.writer.close();
    this.writer = await SegmentWriter.create(this.dir, headerOf(this.memory, this.writer.file.seq + 1), this.syncMethod);
    this.segments.push(this.writer.file);
  }

  /** After a new snapshot: removes snapshot files beyond the two newest, and segments that replay
   *  from the older of those no longer needs. A file that cannot be removed is only logged: extra
   *  files cost space, never correctness. */
  private async dropObsoleteFiles(added: SnapshotFile): Promise<void> {
    this.snapshots.push(added);
    const obsoleteSnapshots = snapshotsToDrop(this.snapshots);
    this.snapshots.splice(0, obsoleteSnapshots.length);
    const obsoleteSegments = this.segments.splice(0, segmentsToDrop(this.segments, fallbackIndex(this.snapshots)));
    for (const file of [...obsoleteSegments, ...obsoleteSnapshots]) {
      try {
        await unlink(file.path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log('warn', 'could not remove an obsolete WAL file', { file: file.path, error: (e as Error).message });
      }
    }
  }
}
