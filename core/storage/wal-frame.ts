// The framing shared by WAL segments and snapshot files. Every record is
//
//   offset 0  u32 LE  CRC-32C of bytes [4, 9 + length)   (length, type and payload)
//   offset 4  u32 LE  length of the payload
//   offset 8  u8      record type
//   offset 9  payload
//
// so a torn or flipped byte anywhere in a record, its length included, fails the checksum.

import type { BinaryWriter } from '../codec/binary.js';
import { crc32c } from '../codec/crc32c.js';

export const FRAME_HEADER_BYTES = 9;

export const RecordType = {
  /** First record of every segment: format version and the state the segment starts from. */
  SegmentHeader: 1,
  /** One save(): an optional installed-snapshot marker, the entries, an optional hard state. */
  Batch: 2,
  /** compact(): the marker of a snapshot file that is now durable. */
  Compact: 3,
  /** The only record of a .snap file. */
  SnapshotFile: 4,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

const RECORD_TYPES = new Set<number>(Object.values(RecordType));

/** A record whose checksum matched: payload is buf[payloadStart, end). */
export interface Frame {
  offset: number;
  type: RecordType;
  payloadStart: number;
  end: number;
}

/** Starts a record in w and returns its offset; the caller then writes the payload and calls endFrame. */
export function beginFrame(w: BinaryWriter, type: RecordType): number {
  const start = w.pos;
  w.u32(0).u32(0).u8(type);
  return start;
}

/** Fills in the length and checksum of the record begun at `start`, now that its payload is written. */
export function endFrame(w: BinaryWriter, start: number): void {
  w.u32At(start + 4, w.pos - start - FRAME_HEADER_BYTES);
  w.u32At(start, crc32c(w.written(), start + 4, w.pos));
}

/** The record at `offset` if it is complete within buf[0, end), of a known type and its checksum
 *  matches; null otherwise. Never throws, whatever the bytes. */
export function frameAt(buf: Uint8Array, offset: number, end = buf.length): Frame | null {
  if (offset + FRAME_HEADER_BYTES > end) return null;
  const length = u32le(buf, offset + 4);
  const type = buf[offset + 8]!;
  if (!RECORD_TYPES.has(type) || length > end - offset - FRAME_HEADER_BYTES) return null;
  const frameEnd = offset + FRAME_HEADER_BYTES + length;
  if (crc32c(buf, offset + 4, frameEnd) !== u32le(buf, offset)) return null;
  return { offset, type: type as RecordType, payloadStart: offset + FRAME_HEADER_BYTES, end: frameEnd };
}

function u32le(buf: Uint8Array, at: number): number {
  return (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
}

/** The offset of the first valid record starting in (after, end), or -1. This is what tells a torn
 *  tail (nothing valid follows the bad bytes) from corruption in the middle (something does). */
export function findFrameAfter(buf: Uint8Array, after: number, end = buf.length): number {
  for (let offset = after + 1; offset + FRAME_HEADER_BYTES <= end; offset++) {
    if (frameAt(buf, offset, end)) return offset;
  }
  return -1;
}
