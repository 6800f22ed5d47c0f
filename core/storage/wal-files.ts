// What a WAL directory may hold, and how its file names encode what recovery needs to know before
// reading them:
//
//   <seq>-<lastIndex>.wal        a segment: seq counts up by one from 0; lastIndex is the log's last
//                                index when the segment was created (both 16 hex digits)
//   snap-<term>-<index>.snap     a snapshot file (16 hex digits each)
//   <one of the above>.tmp       a file being written (see createDurably); never trusted, removed on open
//
// Anything else means this is not (only) a WAL directory, and opening it fails.

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { WalDirectoryError } from './wal-errors.js';

export interface SegmentFile {
  path: string;
  seq: number;
  lastIndex: number;
}

export interface SnapshotFile {
  path: string;
  term: number;
  index: number;
}

export interface WalListing {
  /** Ascending by seq. */
  segments: SegmentFile[];
  /** Ascending by index. */
  snapshots: SnapshotFile[];
  temporaries: string[];
}

const SEGMENT_NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/;
const SNAPSHOT_NAME = /^snap-([0-9a-f]{16})-([0-9a-f]{16})\.snap$/;
const TEMPORARY_NAME = /^(?:[0-9a-f]{16}-[0-9a-f]{16}\.wal|snap-[0-9a-f]{16}-[0-9a-f]{16}\.snap)\.tmp$/;
/** Left by file managers when someone browses the folder; harmless. */
const IGNORED_NAMES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

function hex16(n: number): string {
  return n.toString(16).padStart(16, '0');
}

function parseHex(s: string): number {
  const n = Number.parseInt(s, 16);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${s} is out of range`);
  return n;
}

export function segmentFileName(seq: number, lastIndex: number): string {
  return `${hex16(seq)}-${hex16(lastIndex)}.wal`;
}

export function snapshotFileName(term: number, index: number): string {
  return `snap-${hex16(term)}-${hex16(index)}.snap`;
}

/** Lists and classifies a WAL directory's files. Throws WalDirectoryError on anything unexpected. */
export async function listWalDirectory(dir: string): Promise<WalListing> {
  const listing: WalListing = { segments: [], snapshots: [], temporaries: [] };
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const name = entry.name;
    if (IGNORED_NAMES.has(name)) continue;
    const full = path.join(dir, name);
    if (!entry.isFile()) throw new WalDirectoryError(dir, `${name} is not a regular file`);
    const segment = SEGMENT_NAME.exec(name);
    const snapshot = SNAPSHOT_NAME.exec(name);
    try {
      if (segment) listing.segments.push({ path: full, seq: parseHex(segment[1]!), lastIndex: parseHex(segment[2]!) });
      else if (snapshot) listing.snapshots.push({ path: full, term: parseHex(snapshot[1]!), index: parseHex(snapshot[2]!) });
      else if (TEMPORARY_NAME.test(name)) listing.temporaries.push(full);
      else throw new WalDirectoryError(dir, `unexpected file ${name}`);
    } catch (e) {
      if (e instanceof RangeError) throw new WalDirectoryError(dir, `file name ${name} holds a number out of range`);
      throw e;
    }
  }
  listing.segments.sort((a, b) => a.seq - b.seq);
  listing.snapshots.sort((a, b) => a.index - b.index || a.term - b.term);
  return listing;
}
