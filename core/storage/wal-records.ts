// The payloads of WAL records and snapshot files, on top of the Raft value codec. Decoders are strict:
// a payload that passed its checksum but does not decode exactly is reported, never guessed at.

import { BinaryReader, BinaryWriter, CodecError } from '../codec/binary.js';
import {
  confStateSize,
  readConfState,
  readEntry,
  readHardState,
  readLegacySnapshot,
  readSnapshot,
  writeConfState,
  writeEntry,
  writeHardState,
  writeSnapshot,
} from '../codec/raft-codec.js';
import type { Entry, HardState, Snapshot } from '../raft/types.js';
import type { Frame } from './wal-frame.js';
import { beginFrame, endFrame, RecordType } from './wal-frame.js';

/** The format this code writes. Version 2 added the configuration (membership) to hard states and
 *  snapshots; version 1 files (a voter list in snapshots, no configuration in hard states) are
 *  still read. */
export const WAL_FORMAT_VERSION = 2;
export const READABLE_WAL_FORMAT_VERSIONS: readonly number[] = [1, 2];

const SEGMENT_MAGIC = new TextEncoder().encode('RDESKWAL');
const SNAPSHOT_MAGIC = new TextEncoder().encode('RDESKSNP');
/** Payload offset of the version byte, right after the magic (tests patch it). */
export const VERSION_OFFSET = SEGMENT_MAGIC.length;

/** A snapshot as the WAL refers to it; its data lives in a .snap file. */
export interface SnapshotMarker {
  index: number;
  term: number;
}

/** The state a segment starts from, so that the segments before it can go once a snapshot covers them. */
export interface SegmentHeader {
  seq: number;
  /** The log's last index and its term when the segment was created (before its first batch). */
  lastIndex: number;
  lastTerm: number;
  snapshot: SnapshotMarker;
  hardState: HardState;
}

/** One save(), applied on replay in this order: install, append entries, set hard state. */
export interface BatchRecord {
  install: SnapshotMarker | null;
  hardState: HardState | null;
  entries: readonly Entry[];
}

const FLAG_INSTALL = 1;
const FLAG_HARD_STATE = 2;
/** The hard state is followed by its configuration (written by format 2 onwards). */
const FLAG_CONF = 4;
const KNOWN_FLAGS = FLAG_INSTALL | FLAG_HARD_STATE | FLAG_CONF;

function writeMagic(w: BinaryWriter, magic: Uint8Array): void {
  w.raw(magic).u8(WAL_FORMAT_VERSION);
}

/** Reads magic and version; returns the version, or null if the magic is not there (then this is not
 *  a raftdesk file at all). */
function readMagic(r: BinaryReader, magic: Uint8Array): number | null {
  if (r.remaining() < magic.length + 1) return null;
  for (const byte of magic) if (r.u8() !== byte) return null;
  return r.u8();
}

function expectVersion(version: number | null): number {
  if (version === null || !READABLE_WAL_FORMAT_VERSIONS.includes(version)) {
    throw new CodecError(version === null ? 'not a raftdesk file' : `format version ${version}, expected one of ${READABLE_WAL_FORMAT_VERSIONS.join(', ')}`);
  }
  return version;
}

/** A hard state and, when it has one, its configuration (format 2: a presence byte first). */
function writeHardStateWithConf(w: BinaryWriter, hs: HardState): void {
  writeHardState(w, hs);
  w.u8(hs.conf ? 1 : 0);
  if (hs.conf) writeConfState(w, hs.conf);
}

function readHardStateWithConf(r: BinaryReader): HardState {
  const hardState = readHardState(r);
  const present = r.u8();
  if (present > 1) throw new CodecError(`bad configuration presence byte ${present}`);
  if (present === 1) hardState.conf = readConfState(r);
  return hardState;
}

function hardStateSize(hs: HardState): number {
  return 32 + hs.vote.length * 3 + (hs.conf ? confStateSize(hs.conf) : 0);
}

function writeMarker(w: BinaryWriter, m: SnapshotMarker): void {
  w.varuint(m.index).varuint(m.term);
}

function readMarker(r: BinaryReader): SnapshotMarker {
  const index = r.varuint();
  const term = r.varuint();
  return { index, term };
}

function payloadReader(buf: Uint8Array, frame: Frame): BinaryReader {
  return new BinaryReader(buf, frame.payloadStart, frame.end);
}

export function encodeSegmentHeader(header: SegmentHeader): Uint8Array {
  const w = new BinaryWriter(64 + hardStateSize(header.hardState));
  const start = beginFrame(w, RecordType.SegmentHeader);
  writeMagic(w, SEGMENT_MAGIC);
  w.varuint(header.seq).varuint(header.lastIndex).varuint(header.lastTerm);
  writeMarker(w, header.snapshot);
  writeHardStateWithConf(w, header.hardState);
  endFrame(w, start);
  return w.written();
}

/** The format version a header frame declares, or null if it is not a raftdesk segment header. */
export function segmentVersion(buf: Uint8Array, frame: Frame): number | null {
  return readMagic(payloadReader(buf, frame), SEGMENT_MAGIC);
}

/** Decodes a header frame of the current version (check segmentVersion first). Throws CodecError. */
export function decodeSegmentHeader(buf: Uint8Array, frame: Frame): SegmentHeader {
  const r = payloadReader(buf, frame);
  const version = expectVersion(readMagic(r, SEGMENT_MAGIC));
  const seq = r.varuint();
  const lastIndex = r.varuint();
  const lastTerm = r.varuint();
  const snapshot = readMarker(r);
  const hardState = version === 1 ? readHardState(r) : readHardStateWithConf(r);
  r.expectEnd();
  return { seq, lastIndex, lastTerm, snapshot, hardState };
}

/** The batch as one record. Entry data is copied exactly once, into the returned buffer (a view of
 *  the writer's memory, sized up front so that it never grows and copies again). */
export function encodeBatch(batch: BatchRecord): Uint8Array {
  // Upper bounds: 8 bytes per varint, 3 UTF-8 bytes per UTF-16 unit of the vote.
  let size = 64 + (batch.hardState ? hardStateSize(batch.hardState) : 0);
  for (const e of batch.entries) size += e.data.length + 26;
  const w = new BinaryWriter(size);
  const start = beginFrame(w, RecordType.Batch);
  const conf = batch.hardState?.conf;
  w.u8((batch.install ? FLAG_INSTALL : 0) | (batch.hardState ? FLAG_HARD_STATE : 0) | (conf ? FLAG_CONF : 0));
  if (batch.install) writeMarker(w, batch.install);
  if (batch.hardState) writeHardState(w, batch.hardState);
  if (conf) writeConfState(w, conf);
  w.varuint(batch.entries.length);
  for (const e of batch.entries) writeEntry(w, e);
  endFrame(w, start);
  return w.written();
}

function readBatchHead(r: BinaryReader): Omit<BatchRecord, 'entries'> {
  const flags = r.u8();
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new CodecError(`unknown batch flags ${flags}`);
  if ((flags & FLAG_CONF) !== 0 && (flags & FLAG_HARD_STATE) === 0) throw new CodecError('a configuration without a hard state');
  const install = flags & FLAG_INSTALL ? readMarker(r) : null;
  const hardState = flags & FLAG_HARD_STATE ? readHardState(r) : null;
  if (hardState && flags & FLAG_CONF) hardState.conf = readConfState(r);
  return { install, hardState };
}

/** Only the installed-snapshot marker of a batch, without decoding its entries (recovery's first pass). */
export function decodeBatchInstall(buf: Uint8Array, frame: Frame): SnapshotMarker | null {
  return readBatchHead(payloadReader(buf, frame)).install;
}

export function decodeBatch(buf: Uint8Array, frame: Frame): BatchRecord {
  const r = payloadReader(buf, frame);
  const head = readBatchHead(r);
  const count = r.varuint();
  // An entry takes at least 4 bytes: a count beyond that is garbage, not a huge allocation.
  if (count * 4 > r.remaining()) throw new CodecError(`entry count ${count} exceeds the remaining bytes`);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) entries.push(readEntry(r));
  r.expectEnd();
  return { ...head, entries };
}

export function encodeCompact(marker: SnapshotMarker): Uint8Array {
  const w = new BinaryWriter(32);
  const start = beginFrame(w, RecordType.Compact);
  writeMarker(w, marker);
  endFrame(w, start);
  return w.written();
}

export function decodeCompact(buf: Uint8Array, frame: Frame): SnapshotMarker {
  const r = payloadReader(buf, frame);
  const marker = readMarker(r);
  r.expectEnd();
  return marker;
}

export function encodeSnapshotFile(snapshot: Snapshot): Uint8Array {
  const w = new BinaryWriter(64 + snapshot.data.length + confStateSize(snapshot.metadata.confState));
  const start = beginFrame(w, RecordType.SnapshotFile);
  writeMagic(w, SNAPSHOT_MAGIC);
  writeSnapshot(w, snapshot);
  endFrame(w, start);
  return w.written();
}

export function decodeSnapshotFile(buf: Uint8Array, frame: Frame): Snapshot {
  const r = payloadReader(buf, frame);
  const version = expectVersion(readMagic(r, SNAPSHOT_MAGIC));
  const snapshot = version === 1 ? readLegacySnapshot(r) : readSnapshot(r);
  r.expectEnd();
  return snapshot;
}
