// The segment being appended to. Appends are positioned writes at the known end of the valid data,
// so that a file truncated by recovery is continued exactly where its last good record ended.
//
// Where the platform has O_DSYNC (Linux, macOS) and the WAL fsyncs, the segment is written through a
// handle opened with it: each write returns once its data is on disk, the same guarantee as a write
// followed by fdatasync, in one system call and one trip through libuv's thread pool instead of two.
// Records are written one at a time in order, each awaited, so a durable record never follows one
// that is not.

import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { createDurably, writeAll } from './durable-fs.js';
import { segmentFileName } from './wal-files.js';
import type { SegmentFile } from './wal-files.js';
import type { SegmentHeader } from './wal-records.js';
import { encodeSegmentHeader } from './wal-records.js';

/** O_DSYNC where the platform has it (undefined on Windows). */
const DSYNC: number | undefined = (constants as { O_DSYNC?: number }).O_DSYNC;

/** How appends become durable: 'dsync' (each write, O_DSYNC) where the platform allows, else
 *  'fdatasync' (write, then fdatasync when asked), or 'none' (the WAL runs without fsync). */
export type SyncMethod = 'dsync' | 'fdatasync' | 'none';

export function syncMethodFor(fsync: boolean, preferred: 'dsync' | 'fdatasync' = 'dsync'): SyncMethod {
  if (!fsync) return 'none';
  return preferred === 'dsync' && DSYNC !== undefined ? 'dsync' : 'fdatasync';
}

export class SegmentWriter {
  private constructor(
    readonly file: SegmentFile,
    private readonly handle: FileHandle,
    /** Bytes of valid records in the file: the next record goes here. */
    private end: number,
    /** Where the header ends: a segment holding only its header never rolls over. */
    private readonly headerEnd: number,
    /** Every append is durable when it returns (O_DSYNC): sync() has nothing left to do. */
    readonly durableAppends: boolean,
  ) {}

  /** Creates the segment durably (header written, fsynced and renamed into place) before any
   *  record can go into it. */
  static async create(dir: string, header: SegmentHeader, method: SyncMethod): Promise<SegmentWriter> {
    const file: SegmentFile = { path: path.join(dir, segmentFileName(header.seq, header.lastIndex)), seq: header.seq, lastIndex: header.lastIndex };
    const bytes = encodeSegmentHeader(header);
    const created = await createDurably(file.path, bytes, method !== 'none');
    if (method !== 'dsync') return new SegmentWriter(file, created, bytes.length, bytes.length, false);
    await created.close();
    return new SegmentWriter(file, await open(file.path, constants.O_WRONLY | DSYNC!), bytes.length, bytes.length, true);
  }

  /** Continues a recovered segment whose valid records end at `end` (any torn tail already cut). */
  static async reopen(file: SegmentFile, end: number, headerEnd: number, method: SyncMethod): Promise<SegmentWriter> {
    const dsync = method === 'dsync';
    return new SegmentWriter(file, await open(file.path, dsync ? constants.O_RDWR | DSYNC! : 'r+'), end, headerEnd, dsync);
  }

  /** Whether a record of `bytes` bytes should go into a new segment instead: it would push this one
   *  past `limit`, and this one holds at least one record (a record bigger than the limit still fits
   *  somewhere). */
  isFullFor(bytes: number, limit: number): boolean {
    return this.end > this.headerEnd && this.end + bytes > limit;
  }

  async append(record: Uint8Array): Promise<void> {
    await writeAll(this.handle, record, this.end);
    this.end += record.length;
  }

  /** fdatasync: the records appended so far survive a power loss. */
  async sync(): Promise<void> {
    if (!this.durableAppends) await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
