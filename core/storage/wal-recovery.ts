// Opening a WAL directory: check every file, choose the snapshot to start from, replay the segments
// into a MemoryStorage, and only then repair what a crash left behind (a torn tail, unfinished
// files). Nothing on disk is changed unless recovery as a whole succeeds.

import { mkdir, open, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CodecError } from '../codec/binary.js';
import type { Snapshot } from '../raft/types.js';
import { readBytes, syncDirectory } from './durable-fs.js';
import { MemoryStorage } from './memory-storage.js';
import type { ScannedSegment } from './segment-scan.js';
import { scanSegment } from './segment-scan.js';
import { readSnapshotFile } from './snapshot-files.js';
import { WalCorruptionError, WalDirectoryError } from './wal-errors.js';
import { RecordType } from './wal-frame.js';
import type { Frame } from './wal-frame.js';
import type { SegmentFile, SnapshotFile } from './wal-files.js';
import { listWalDirectory } from './wal-files.js';
import type { BatchRecord, SnapshotMarker } from './wal-records.js';
import { decodeBatch, decodeBatchInstall, decodeCompact } from './wal-records.js';
import { LogReplay } from './wal-replay.js';

export type WalLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface RecoveredWal {
  memory: MemoryStorage;
  /** Segments kept, ascending by seq. Empty for a new log. */
  segments: SegmentFile[];
  /** Where appending to the last segment continues, or null if a new segment must be created. */
  tail: { end: number; headerEnd: number } | null;
  /** Snapshot files kept, ascending by index: all are referred to by the WAL. */
  snapshots: SnapshotFile[];
}

function markerKey(m: SnapshotMarker): string {
  return `${m.term}/${m.index}`;
}

async function ensureDirectory(dir: string, fsync: boolean): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new WalDirectoryError(dir, 'it is a file');
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const firstCreated = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!fsync || firstCreated === undefined) return;
  // Each directory created must be durable in its parent, or a crash could lose the whole log.
  const stop = path.dirname(path.resolve(firstCreated));
  for (let created = path.resolve(dir); created !== stop && created !== path.dirname(created); created = path.dirname(created)) {
    await syncDirectory(path.dirname(created));
  }
}

function decodeFailure(segment: ScannedSegment, record: Frame, e: unknown): Error {
  if (e instanceof CodecError) return new WalCorruptionError(segment.file.path, record.offset, `a record with a valid checksum does not decode: ${e.message}`);
  return e as Error;
}

/** Adds every snapshot the segment refers to (its header, installs and compactions) to `markers`. */
function collectMarkers(segment: ScannedSegment, bytes: Uint8Array, markers: Set<string>): void {
  if (!segment.header) return;
  markers.add(markerKey(segment.header.snapshot));
  for (const record of segment.records) {
    try {
      const marker = record.type === RecordType.Compact ? decodeCompact(bytes, record) : decodeBatchInstall(bytes, record);
      if (marker) markers.add(markerKey(marker));
    } catch (e) {
      throw decodeFailure(segment, record, e);
    }
  }
}

function checkSequence(segments: readonly SegmentFile[]): void {
  for (let i = 1; i < segments.length; i++) {
    if (segments[i]!.seq !== segments[i - 1]!.seq + 1) {
      throw new WalCorruptionError(segments[i]!.path, 0, `segment ${segments[i - 1]!.seq + 1} before it is missing`);
    }
  }
}

async function removeFile(file: string, fsync: boolean): Promise<void> {
  await unlink(file);
  if (fsync) await syncDirectory(path.dirname(file));
}

async function cutTornTail(segment: ScannedSegment, fsync: boolean, log: WalLog): Promise<void> {
  const { at, reason } = segment.torn!;
  const fields = { file: segment.file.path, offset: at, droppedBytes: segment.size - at, reason };
  if (!segment.header) {
    await removeFile(segment.file.path, fsync);
    log('warn', 'removed a WAL segment whose creation was cut short by a crash', fields);
    return;
  }
  const handle = await open(segment.file.path, 'r+');
  try {
    await handle.truncate(at);
    if (fsync) await handle.datasync();
  } finally {
    await handle.close();
  }
  log('warn', 'the WAL ended in a torn record (a write cut short by a crash) and was truncated there', fields);
}

/** Files are only ever renamed into place once complete, so an unfinished one holds nothing to keep. */
async function removeTemporaries(files: readonly string[], log: WalLog): Promise<void> {
  for (const file of files) {
    await unlink(file);
    log('info', 'removed a file left unfinished by a crash', { file });
  }
}

/** Reads the newest readable snapshot among `referenced` (ascending); notes the unreadable newer ones. */
async function newestReadable(referenced: readonly SnapshotFile[], unreadable: Map<SnapshotFile, string>): Promise<Snapshot | null> {
  for (let i = referenced.length - 1; i >= 0; i--) {
    try {
      return await readSnapshotFile(referenced[i]!);
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      unreadable.set(referenced[i]!, e.message);
    }
  }
  return null;
}

export async function recoverWal(dir: string, fsync: boolean, log: WalLog): Promise<RecoveredWal> {
  await ensureDirectory(dir, fsync);
  const listing = await listWalDirectory(dir);
  if (listing.segments.length === 0) {
    if (listing.snapshots.length > 0) throw new WalCorruptionError(dir, 0, 'the directory holds snapshot files but no WAL segment');
    await removeTemporaries(listing.temporaries, log);
    return { memory: new MemoryStorage(), segments: [], tail: null, snapshots: [] };
  }
  checkSequence(listing.segments);

  // Pass 1: check every segment and learn which snapshots the WAL refers to. Snapshot files it does
  // not refer to were written by a compaction that never finished (or are older than every segment).
  const scanned: ScannedSegment[] = [];
  const markers = new Set<string>();
  for (const [i, file] of listing.segments.entries()) {
    const bytes = await readBytes(file.path);
    const segment = scanSegment(file, bytes, i === listing.segments.length - 1);
    collectMarkers(segment, bytes, markers);
    scanned.push(segment);
  }
  const last = scanned[scanned.length - 1]!;
  const live = last.header ? scanned : scanned.slice(0, -1);
  if (live.length === 0 && (last.file.seq > 0 || listing.snapshots.length > 0)) {
    throw new WalCorruptionError(last.file.path, 0, 'the only segment is empty, yet the log has a history');
  }
  const referenced = listing.snapshots.filter((s) => markers.has(markerKey(s)));
  const unreferenced = listing.snapshots.filter((s) => !markers.has(markerKey(s)));
  const unreadable = new Map<SnapshotFile, string>();
  const base = await newestReadable(referenced, unreadable);

  // Pass 2: replay.
  const replay = new LogReplay(base, async (marker) => {
    const file = referenced.find((s) => s.index === marker.index && s.term === marker.term);
    if (!file) return 'is missing';
    const reason = unreadable.get(file);
    return reason === undefined ? readSnapshotFile(file) : `is unreadable (${reason})`;
  });
  for (const segment of live) {
    const bytes = await readBytes(segment.file.path);
    replay.enterSegment(segment.file, segment.header!);
    for (const record of segment.records) {
      if (record.type === RecordType.Compact) {
        replay.compacted(decodeCompact(bytes, record));
        continue;
      }
      let batch: BatchRecord;
      try {
        batch = decodeBatch(bytes, record);
      } catch (e) {
        throw decodeFailure(segment, record, e);
      }
      await replay.applyBatch(segment.file, record.offset, batch);
    }
  }

  // The log is whole: now repair what the crash left behind.
  await removeTemporaries(listing.temporaries, log);
  if (last.torn) await cutTornTail(last, fsync, log);
  for (const [file, reason] of unreadable) {
    await removeFile(file.path, fsync);
    log('warn', 'removed an unreadable snapshot file; the log was recovered from an older snapshot and the WAL', { file: file.path, reason });
  }
  for (const file of unreferenced) {
    await removeFile(file.path, fsync);
    log('info', 'removed a snapshot file the WAL does not refer to', { file: file.path });
  }
  const memory = replay.result();
  const lastLive = live[live.length - 1];
  log('info', 'opened the WAL', { dir, segments: live.length, snapshotIndex: memory.snapshot().metadata.index, lastIndex: memory.lastIndex() });
  return {
    memory,
    segments: live.map((s) => s.file),
    tail: lastLive ? { end: lastLive.torn?.at ?? lastLive.size, headerEnd: lastLive.headerEnd } : null,
    snapshots: referenced.filter((s) => !unreadable.has(s)),
  };
}
