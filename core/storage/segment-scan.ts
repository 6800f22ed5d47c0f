// Recovery's check of one segment file: which records are valid, and whether what follows the last
// valid record is a torn tail (allowed only at the end of the last segment) or corruption.

import path from 'node:path';
import { CodecError } from '../codec/binary.js';
import { WalCorruptionError, WalDirectoryError } from './wal-errors.js';
import type { Frame } from './wal-frame.js';
import { findFrameAfter, frameAt, RecordType } from './wal-frame.js';
import type { SegmentFile } from './wal-files.js';
import type { SegmentHeader } from './wal-records.js';
import { decodeSegmentHeader, segmentVersion, WAL_FORMAT_VERSION } from './wal-records.js';

export interface ScannedSegment {
  file: SegmentFile;
  /** null only for a last segment torn inside its header (a crash while creating it without fsync). */
  header: SegmentHeader | null;
  /** Valid records after the header, in order. */
  records: Frame[];
  /** Where the header record ends (0 if there is none). */
  headerEnd: number;
  /** Where the torn tail starts (the file is truncated there), or null if the file ends cleanly. */
  tornAt: number | null;
  /** Bytes in the file. */
  size: number;
}

function isAllZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}

/**
 * Invariant enforced: everything before `tornAt` (or the whole file) is a sequence of valid records,
 * the first a header that matches the file name. Throws WalCorruptionError or WalDirectoryError.
 */
export function scanSegment(file: SegmentFile, bytes: Uint8Array, isLast: boolean): ScannedSegment {
  const frames: Frame[] = [];
  let pos = 0;
  for (let frame = frameAt(bytes, 0); frame; frame = frameAt(bytes, pos)) {
    frames.push(frame);
    pos = frame.end;
  }
  let tornAt: number | null = null;
  if (pos < bytes.length || frames.length === 0) {
    const reason = bytes.length === 0 ? 'empty segment' : pos + 9 > bytes.length ? 'incomplete record' : 'record fails its checksum';
    if (!isLast) throw new WalCorruptionError(file.path, pos, `${reason} in a segment that is not the last`);
    const next = findFrameAfter(bytes, pos);
    if (next >= 0) throw new WalCorruptionError(file.path, pos, `${reason}, followed by a valid record at byte ${next}`);
    // A segment's header was made durable before the file got its name, so a bad header is a torn
    // creation only if the file holds nothing at all (fsync disabled); otherwise it is corruption.
    if (frames.length === 0 && !isAllZero(bytes)) throw new WalCorruptionError(file.path, 0, 'segment header fails its checksum');
    tornAt = pos;
  }
  if (frames.length === 0) return { file, header: null, records: [], headerEnd: 0, tornAt, size: bytes.length };

  const [first, ...records] = frames as [Frame, ...Frame[]];
  if (first.type !== RecordType.SegmentHeader) throw new WalCorruptionError(file.path, 0, 'the segment does not start with a header');
  const header = decodeHeader(file, bytes, first);
  for (const record of records) {
    if (record.type !== RecordType.Batch && record.type !== RecordType.Compact) {
      throw new WalCorruptionError(file.path, record.offset, `unexpected record type ${record.type}`);
    }
  }
  return { file, header, records, headerEnd: first.end, tornAt, size: bytes.length };
}

function decodeHeader(file: SegmentFile, bytes: Uint8Array, frame: Frame): SegmentHeader {
  const name = path.basename(file.path);
  const dir = path.dirname(file.path);
  const version = segmentVersion(bytes, frame);
  if (version === null) throw new WalDirectoryError(dir, `${name} is not a raftdesk WAL segment`);
  if (version !== WAL_FORMAT_VERSION) throw new WalDirectoryError(dir, `${name} has WAL format version ${version}, this raftdesk reads version ${WAL_FORMAT_VERSION}`);
  let header: SegmentHeader;
  try {
    header = decodeSegmentHeader(bytes, frame);
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    throw new WalCorruptionError(file.path, 0, `undecodable segment header: ${e.message}`);
  }
  if (header.seq !== file.seq || header.lastIndex !== file.lastIndex) {
    throw new WalCorruptionError(file.path, 0, `the header says segment ${header.seq} starting after index ${header.lastIndex}, unlike the file name`);
  }
  return header;
}
