// Snapshot files under crashes and damage: the WAL only trusts snapshot files it refers to, falls
// back to the previous snapshot when the newest is unreadable, and refuses when it cannot.

import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../core/raft/types.js';
import { openDiskLog, WalCorruptionError } from '../../core/storage/disk-log.js';
import { MemoryStorage } from '../../core/storage/memory-storage.js';
import { writeSnapshotFile } from '../../core/storage/snapshot-files.js';
import { entry, logState, testOptions, withTempDir } from './wal-harness.js';
import { votersConfState } from '../../core/raft/confchange.js';

function snapshotAt(index: number, term = 1): Snapshot {
  return { metadata: { index, term, confState: votersConfState(['n1', 'n2', 'n3']) }, data: new Uint8Array([index, term, 42]) };
}

/** 30 entries of term 1 in small segments, compacted at 10 and then at 20, then 5 more entries. */
async function writeCompactedLog(dir: string): Promise<MemoryStorage> {
  const model = new MemoryStorage();
  const log = await openDiskLog(dir, testOptions({ segmentBytes: 200 }));
  const saveOne = async (i: number): Promise<void> => {
    const update = { entries: [entry(i, 1, 30)], hardState: { term: 1, vote: 'n1', commit: i }, snapshot: null };
    await log.save(update, true);
    model.saveSync(update);
  };
  for (let i = 1; i <= 30; i++) await saveOne(i);
  for (const index of [10, 20]) {
    await log.compact(snapshotAt(index));
    model.compactTo(snapshotAt(index));
  }
  for (let i = 31; i <= 35; i++) await saveOne(i);
  await log.close();
  return model;
}

const snapshotFiles = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((f) => f.endsWith('.snap')).sort();

describe('snapshot recovery', () => {
  it('starts from the newest snapshot and replays what follows it', async () => {
    await withTempDir(async (dir) => {
      const model = await writeCompactedLog(dir);
      const log = await openDiskLog(dir, testOptions());
      expect(logState(log)).toEqual(logState(model));
      await log.close();
    });
  });

  it('falls back to the previous snapshot when the newest is torn, with every entry since it', async () => {
    await withTempDir(async (dir) => {
      const model = await writeCompactedLog(dir);
      const [older, newest] = await snapshotFiles(dir);
      await truncate(path.join(dir, newest!), 5);
      const options = testOptions();
      const log = await openDiskLog(dir, options);
      const state = logState(log);
      expect(state.snapshot).toEqual(snapshotAt(10));
      expect([state.firstIndex, state.lastIndex, state.hardState]).toEqual([11, 35, model.hardStateNow()]);
      // The entries the newest snapshot covered are back, as they were written.
      expect(state.entries).toEqual(Array.from({ length: 25 }, (_, i) => entry(11 + i, 1, 30)));
      expect(options.lines.filter((l) => l.level === 'warn')).toEqual([expect.objectContaining({ message: expect.stringMatching(/unreadable snapshot/) })]);
      expect(await snapshotFiles(dir)).toEqual([older]);
      // And it goes on: a new snapshot, then a clean reopen.
      await log.compact(snapshotAt(30));
      await log.close();
      const reopened = await openDiskLog(dir, testOptions());
      expect([reopened.snapshot(), reopened.lastIndex()]).toEqual([snapshotAt(30), 35]);
      await reopened.close();
    });
  });

  it('ignores and removes a snapshot file the WAL never recorded (a crash inside compact)', async () => {
    await withTempDir(async (dir) => {
      const model = await writeCompactedLog(dir);
      await writeSnapshotFile(dir, snapshotAt(33), false);
      await writeFile(path.join(dir, 'snap-0000000000000001-0000000000000022.snap.tmp'), 'half');
      const log = await openDiskLog(dir, testOptions());
      expect(logState(log)).toEqual(logState(model));
      await log.close();
      expect(await snapshotFiles(dir)).toEqual(['snap-0000000000000001-000000000000000a.snap', 'snap-0000000000000001-0000000000000014.snap']);
      expect((await readdir(dir)).some((f) => f.endsWith('.tmp'))).toBe(false);
    });
  });

  it('refuses when a snapshot the log installed from its leader is unreadable, since its entries exist nowhere else', async () => {
    await withTempDir(async (dir) => {
      const log = await openDiskLog(dir, testOptions());
      await log.save({ entries: [entry(1, 1), entry(2, 1)], hardState: { term: 1, vote: '', commit: 1 }, snapshot: null }, true);
      await log.save({ entries: [entry(51, 2)], hardState: { term: 2, vote: '', commit: 50 }, snapshot: snapshotAt(50, 2) }, true);
      await log.close();
      const [installed] = await snapshotFiles(dir);
      const bytes = await readFile(path.join(dir, installed!));
      bytes[bytes.length - 1]! ^= 1;
      await writeFile(path.join(dir, installed!), bytes);
      const error = await openDiskLog(dir, testOptions()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WalCorruptionError);
      expect((error as Error).message).toMatch(/installs the snapshot at index 50, whose file is unreadable/);
    });
  });

  it('replays an installed snapshot followed by entries, over a log that had conflicting ones', async () => {
    await withTempDir(async (dir) => {
      const model = new MemoryStorage();
      const log = await openDiskLog(dir, testOptions({ segmentBytes: 120 }));
      const updates = [
        { entries: [entry(1, 1), entry(2, 1), entry(3, 1), entry(4, 1)], hardState: { term: 1, vote: 'n1', commit: 2 }, snapshot: null },
        { entries: [entry(4, 3), entry(5, 3)], hardState: { term: 3, vote: '', commit: 3 }, snapshot: snapshotAt(3, 3) },
        { entries: [entry(6, 3)], hardState: { term: 3, vote: '', commit: 5 }, snapshot: null },
      ];
      for (const update of updates) {
        await log.save(update, true);
        model.saveSync(update);
      }
      await log.compact(snapshotAt(5, 3));
      model.compactTo(snapshotAt(5, 3));
      await log.close();
      const reopened = await openDiskLog(dir, testOptions());
      expect(logState(reopened)).toEqual(logState(model));
      await reopened.close();
    });
  });
});
