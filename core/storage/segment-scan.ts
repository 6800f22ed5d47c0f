// Recovery's check of one segment file: which records are valid, and whether what follows the last
// valid record is a torn tail (allowed only at the end of the last segment) or corruption.

import path from 'node:path';
import { CodecError } from '../codec/binary.js';
import { WalCorruptionError, WalDirectoryError } from './wal-errors.js';
import type { Frame } from './wal-frame.js';
import { FRAME_HEADER_BYTES, findFrameAfter, frameAt, RecordType } from './wal-frame.js';
import type { SegmentFile } from './wal-files.js';
import type { SegmentHeader } from './wal-records.js';
import { decodeSegmentHeader, READABLE_WAL_FORMAT_VERSIONS, segmentVersion } from './wal-records.js';

export interface ScannedSegment {
  file: SegmentFile;
  /** null only for a last segment torn inside its header (a crash while creating it without fsync). */
  header: SegmentHeader | null;
  /** Valid records after the header, in order. */
  records: Frame[];
  /** Where the header record ends (0 if there is none). */
  headerEnd: number;
  /** Where the torn tail starts (the file is truncated there) and what it looked like, or null if
   *  the file ends cleanly. */
  torn: { at: number; reason: string } | null;
  /** Bytes in the file. */
  size: number;
}

function isZero(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * A crash can leave one torn record: the last one written (each save() is one record), cut short,
 * possibly followed by zeros where the file was extended but its data never reached the disk. So bad
 * bytes at `at` are a torn tail only if no valid record follows and, by its own length field, the bad
 * record is the file's last (it reaches the end, or only zeros follow it), or all of it is zeros.
 * Anything else is damage to records already written.
 */
function describeDamage(bytes: Uint8Array, at: number): { torn: boolean; reason: string } {
  const end = bytes.length;
  if (end === 0) return { torn: true, reason: 'empty segment' };
  if (at + FRAME_HEADER_BYTES > end) return { torn: true, reason: 'incomplete record' };
  const next = findFrameAfter(bytes, at);
  if (next >= 0) return { torn: false, reason: `record fails its checksum, followed by a valid record at byte ${next}` };
  if (isZero(bytes, at, end)) return { torn: true, reason: 'zeros where a record should be' };
  const declaredEnd = at + FRAME_HEADER_BYTES + new DataView(bytes.buffer, bytes.byteOffset + at + 4, 4).getUint32(0, true);
  if (declaredEnd > end) return { torn: true, reason: 'incomplete record' };
  if (isZero(bytes, declaredEnd, end)) return { torn: true, reason: 'record fails its checksum' };
  return { torn: false, reason: `record fails its checksum, and ${end - declaredEnd} more bytes follow it` };
}

/**
 * Invariant enforced: everything before the torn tail (or the whole file) is a sequence of valid records,
 * the first a header that matches the file name. Throws WalCorruptionError or WalDirectoryError.
 */
export function scanSegment(file: SegmentFile, bytes: Uint8Array, isLast: boolean): ScannedSegment {
  const frames: Frame[] = [];
  let pos = 0;
  for (let frame = frameAt(bytes, 0); frame; frame = frameAt(bytes, pos)) {
    frames.push(frame);
    pos = frame.end;
  }
  let torn: ScannedSegment['torn'] = null;
  if (pos < bytes.length || frames.length === 0) {
    const damage = describeDamage(bytes, pos);
    if (!isLast) throw new WalCorruptionError(file.path, pos, `${damage.reason} in a segment that is not the last`);
    // A segment's header was made durable before the file got its name, so a bad header is a torn
    // creation only if the file holds nothing at all (fsync disabled); otherwise it is corruption.
    const isTorn = frames.length === 0 ? isZero(bytes, 0, bytes.length) : damage.torn;
    if (!isTorn) throw new WalCorruptionError(file.path, pos, damage.reason);
    torn = { at: pos, reason: damage.reason };
  }
  if (frames.length === 0) return { file, header: null, records: [], headerEnd: 0, torn, size: bytes.length };

  const [first, ...records] = frames as [Frame, ...Frame[]];
  if (first.type !== RecordType.SegmentHeader) throw new WalCorruptionError(file.path, 0, 'the segment does not start with a header');
  const header = decodeHeader(file, bytes, first);
  for (const record of records) {
    if (record.type !== RecordType.Batch && record.type !== RecordType.Compact) {
      throw new WalCorruptionError(file.path, record.offset, `unexpected record type ${record.type}`);
    }
  }
  return { file, header, records, headerEnd: first.end, torn, size: bytes.length };
}

function decodeHeader(file: SegmentFile, bytes: Uint8Array, frame: Frame): SegmentHeader {
  const name = path.basename(file.path);
  const dir = path.dirname(file.path);
  const version = segmentVersion(bytes, frame);
  if (version === null) throw new WalDirectoryError(dir, `${name} is not a raftdesk WAL segment`);
  if (!READABLE_WAL_FORMAT_VERSIONS.includes(version)) {
    throw new WalDirectoryError(dir, `${name} has WAL format version ${version}, this raftdesk reads versions ${READABLE_WAL_FORMAT_VERSIONS.join(' and ')}`);
  }
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
