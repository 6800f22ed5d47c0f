// The segment being appended to. Appends are positioned writes at the known end of the valid data,
// so that a file truncated by recovery is continued exactly where its last good record ended.

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { createDurably, writeAll } from './durable-fs.js';
import { segmentFileName } from './wal-files.js';
import type { SegmentFile } from './wal-files.js';
import type { SegmentHeader } from './wal-records.js';
import { encodeSegmentHeader } from './wal-records.js';

export class SegmentWriter {
  private constructor(
    readonly file: SegmentFile,
    private readonly handle: FileHandle,
    /** Bytes of valid records in the file: the next record goes here. */
    private end: number,
    /** Where the header ends: a segment holding only its header never rolls over. */
    private readonly headerEnd: number,
  ) {}

  /** Creates the segment durably (header written, fsynced and renamed into place) before any
   *  record can go into it. */
  static async create(dir: string, header: SegmentHeader, fsync: boolean): Promise<SegmentWriter> {
    const file: SegmentFile = { path: path.join(dir, segmentFileName(header.seq, header.lastIndex)), seq: header.seq, lastIndex: header.lastIndex };
    const bytes = encodeSegmentHeader(header);
    const handle = await createDurably(file.path, bytes, fsync);
    return new SegmentWriter(file, handle, bytes.length, bytes.length);
  }

  /** Continues a recovered segment whose valid records end at `end` (any torn tail already cut). */
  static async reopen(file: SegmentFile, end: number, headerEnd: number): Promise<SegmentWriter> {
    return new SegmentWriter(file, await open(file.path, 'r+'), end, headerEnd);
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
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
