// Data written before membership changes existed (WAL format 1: a voter list in snapshot files, no
// configuration in hard states) still opens, and the node's configuration comes out of it. The
// bytes are laid out here by hand, as format 1 wrote them, not by today's encoder.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BinaryWriter } from '../../core/codec/binary.js';
import { RawNode, defaultRaftConfig, seededRandom } from '../../core/raft/raw-node.js';
import { openDiskLog } from '../../core/storage/disk-log.js';
import { RecordType, beginFrame, endFrame } from '../../core/storage/wal-frame.js';
import { segmentFileName, snapshotFileName } from '../../core/storage/wal-files.js';
import { testOptions, withTempDir } from './wal-harness.js';

const magic = (text: string): Uint8Array => new TextEncoder().encode(text);

function record(type: RecordType, body: (w: BinaryWriter) => void): Uint8Array {
  const w = new BinaryWriter(256);
  const start = beginFrame(w, type);
  body(w);
  endFrame(w, start);
  return w.finish();
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('WAL format 1', () => {
  it('opens, with the snapshot\'s voters as the configuration, and accepts new writes', async () => {
    await withTempDir(async (dir) => {
      // Snapshot at index 2, term 1, voters n1 n2 n3, data "s".
      const snapshot = record(RecordType.SnapshotFile, (w) => {
        w.raw(magic('RDESKSNP')).u8(1);
        w.varuint(2).varuint(1).varuint(3).string('n1').string('n2').string('n3');
        w.bytes(new Uint8Array([115]));
      });
      await writeFile(path.join(dir, snapshotFileName(1, 2)), snapshot);
      // Segment 0: header (seq 0, log ending at 2/1, snapshot 2/1, hard state 1/n1/2), then a batch
      // with entries 3 and 4 and hard state term 1, vote n1, commit 4.
      const header = record(RecordType.SegmentHeader, (w) => {
        w.raw(magic('RDESKWAL')).u8(1);
        w.varuint(0).varuint(2).varuint(1);
        w.varuint(2).varuint(1);
        w.varuint(1).string('n1').varuint(2);
      });
      const batch = record(RecordType.Batch, (w) => {
        w.u8(2);
        w.varuint(1).string('n1').varuint(4);
        w.varuint(2);
        w.varuint(1).varuint(3).u8(0).bytes(new Uint8Array([1]));
        w.varuint(1).varuint(4).u8(0).bytes(new Uint8Array([2]));
      });
      await writeFile(path.join(dir, segmentFileName(0, 2)), concat(header, batch));

      const log = await openDiskLog(dir, testOptions());
      const { hardState, confState } = log.initialState();
      expect(hardState).toEqual({ term: 1, vote: 'n1', commit: 4 });
      expect(confState).toMatchObject({ voters: ['n1', 'n2', 'n3'], votersOutgoing: [], learners: [], index: 0 });
      expect([log.firstIndex(), log.lastIndex()]).toEqual([3, 4]);

      // The core starts from it (the configured voters are ignored), and the first hard state it
      // writes carries the configuration, in format 2 records appended to the format 1 segment.
      const node = new RawNode({ ...defaultRaftConfig('n1', ['x', 'y'], log, seededRandom(1)), applied: 2, preVote: false });
      expect(node.confState().voters).toEqual(['n1', 'n2', 'n3']);
      node.campaign();
      const rd = node.ready();
      await log.save({ hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot }, true);
      await log.close();
      const reopened = await openDiskLog(dir, testOptions());
      expect(reopened.initialState().hardState.conf?.voters).toEqual(['n1', 'n2', 'n3']);
      await reopened.close();
    });
  });
});
