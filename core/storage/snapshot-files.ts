// Snapshot files: one checksummed record each, created atomically, named after the snapshot they hold.

import path from 'node:path';
import { CodecError } from '../codec/binary.js';
import type { Snapshot } from '../raft/types.js';
import { createDurably, readBytes } from './durable-fs.js';
import { frameAt, RecordType } from './wal-frame.js';
import { snapshotFileName } from './wal-files.js';
import type { SnapshotFile } from './wal-files.js';
import { decodeSnapshotFile, encodeSnapshotFile } from './wal-records.js';

/** Writes the snapshot's file; when `fsync`, it is durable (data and name) before this resolves. */
export async function writeSnapshotFile(dir: string, snapshot: Snapshot, fsync: boolean): Promise<SnapshotFile> {
  const { index, term } = snapshot.metadata;
  const file: SnapshotFile = { path: path.join(dir, snapshotFileName(term, index)), index, term };
  const handle = await createDurably(file.path, encodeSnapshotFile(snapshot), fsync);
  await handle.close();
  return file;
}

/** Reads a snapshot file; throws CodecError (with the reason) if it is torn, corrupt or is not the
 *  snapshot its name says. */
export async function readSnapshotFile(file: SnapshotFile): Promise<Snapshot> {
  const bytes = await readBytes(file.path);
  const frame = frameAt(bytes, 0);
  if (!frame || frame.end !== bytes.length || frame.type !== RecordType.SnapshotFile) {
    throw new CodecError('torn or failed its checksum');
  }
  const snapshot = decodeSnapshotFile(bytes, frame);
  if (snapshot.metadata.index !== file.index || snapshot.metadata.term !== file.term) {
    throw new CodecError(`holds the snapshot at index ${snapshot.metadata.index}, term ${snapshot.metadata.term}`);
  }
  return snapshot;
}
