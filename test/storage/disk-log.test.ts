import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../core/raft/storage.js';
import type { DiskLog } from '../../core/storage/disk-log.js';
import { openDiskLog } from '../../core/storage/disk-log.js';
import { MemoryStorage } from '../../core/storage/memory-storage.js';
import type { Step } from './wal-harness.js';
import { arbStep, compactSnapshot, entry, installUpdate, logState, saveUpdate, testOptions, withTempDir } from './wal-harness.js';
import { votersConfState } from '../../core/raft/confchange.js';

/** Applies one generated step to both the model and the WAL; returns the WAL (reopened on 'reopen'). */
async function applyStep(dir: string, model: MemoryStorage, log: DiskLog, step: Step, segmentBytes: number): Promise<DiskLog> {
  switch (step.kind) {
    case 'save': {
      const update = saveUpdate(model, step);
      await log.save(update, step.sync);
      model.saveSync(update);
      return log;
    }
    case 'install': {
      const update = installUpdate(model, step);
      await log.save(update, true);
      model.saveSync(update);
      return log;
    }
    case 'compact': {
      const snapshot = compactSnapshot(model, step);
      if (snapshot) {
        await log.compact(snapshot);
        model.compactTo(snapshot);
      }
      return log;
    }
    case 'reopen':
      await log.close();
      return openDiskLog(dir, testOptions({ segmentBytes }));
  }
}

describe('DiskLog', () => {
  it('creates a missing directory and starts empty', async () => {
    await withTempDir(async (root) => {
      const dir = path.join(root, 'nodes', 'n1', 'data');
      const log = await openDiskLog(dir, testOptions({ fsync: true }));
      expect(logState(log)).toEqual(logState(new MemoryStorage()));
      await log.close();
      expect((await readdir(dir)).length).toBe(1);
    });
  });

  it('reopens to exactly the state MemoryStorage reaches, through truncations, installs, compactions and segment rollovers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbStep, { minLength: 1, maxLength: 40 }), fc.constantFrom(200, 600, 1 << 20), async (steps, segmentBytes) => {
        await withTempDir(async (dir) => {
          const model = new MemoryStorage();
          let log = await openDiskLog(dir, testOptions({ segmentBytes }));
          for (const step of steps) {
            log = await applyStep(dir, model, log, step, segmentBytes);
            expect(logState(log)).toEqual(logState(model));
          }
          await log.close();
          const reopened = await openDiskLog(dir, testOptions({ segmentBytes }));
          expect(logState(reopened)).toEqual(logState(model));
          await reopened.close();
        });
      }),
      { numRuns: 60 },
    );
  });

  it('keeps two snapshot files and drops the segments neither needs', async () => {
    await withTempDir(async (dir) => {
      const log = await openDiskLog(dir, testOptions({ segmentBytes: 150 }));
      for (let i = 1; i <= 30; i++) await log.save({ entries: [entry(i, 1, 40)], hardState: { term: 1, vote: 'n1', commit: i }, snapshot: null }, true);
      for (const index of [10, 20, 25]) await log.compact({ metadata: { index, term: 1, confState: votersConfState(['n1']) }, data: new Uint8Array([index]) });
      const files = await readdir(dir);
      expect(files.filter((f) => f.endsWith('.snap'))).toEqual(['snap-0000000000000001-0000000000000014.snap', 'snap-0000000000000001-0000000000000019.snap']);
      // Every remaining segment but the first started above index 20; the first at or below it.
      const starts = files.filter((f) => f.endsWith('.wal')).map((f) => Number.parseInt(f.slice(17, 33), 16));
      expect(starts[0]).toBeLessThanOrEqual(20);
      expect(starts.slice(1).every((s) => s > 20)).toBe(true);
      await log.close();
    });
  });

  it('serializes a compaction called while a save is in flight', async () => {
    await withTempDir(async (dir) => {
      const log = await openDiskLog(dir, testOptions());
      await log.save({ entries: [entry(1, 1), entry(2, 1)], hardState: { term: 1, vote: '', commit: 2 }, snapshot: null }, true);
      const saving = log.save({ entries: [entry(3, 1)], hardState: { term: 1, vote: '', commit: 3 }, snapshot: null }, true);
      const compacting = log.compact({ metadata: { index: 3, term: 1, confState: votersConfState(['n1']) }, data: new Uint8Array([3]) });
      await Promise.all([saving, compacting]);
      expect([log.firstIndex(), log.lastIndex()]).toEqual([4, 3]);
      await log.close();
    });
  });

  it('refuses entries that leave a gap before writing anything, and stays usable', async () => {
    await withTempDir(async (dir) => {
      const log = await openDiskLog(dir, testOptions());
      await log.save({ entries: [entry(1, 1)], hardState: null, snapshot: null }, true);
      await expect(log.save({ entries: [entry(3, 1)], hardState: null, snapshot: null }, true)).rejects.toThrow(/missing log entries/);
      await expect(log.save({ entries: [entry(2, 1), entry(4, 1)], hardState: null, snapshot: null }, true)).rejects.toThrow(/not consecutive/);
      await expect(log.compact({ metadata: { index: 5, term: 1, confState: votersConfState([]) }, data: new Uint8Array() })).rejects.toBeInstanceOf(UnavailableError);
      await log.save({ entries: [entry(2, 1)], hardState: null, snapshot: null }, true);
      await log.close();
      const reopened = await openDiskLog(dir, testOptions());
      expect(reopened.lastIndex()).toBe(2);
      await reopened.close();
    });
  });

  it('fails every call after a write failed part-way, with a message that says to restart', async () => {
    await withTempDir(async (dir) => {
      const log = await openDiskLog(dir, testOptions());
      await log.save({ entries: [entry(1, 1)], hardState: null, snapshot: null }, true);
      // A directory where the snapshot's temporary file must go makes the write fail.
      await writeFile(path.join(dir, 'unrelated'), '');
      const blocked = path.join(dir, 'snap-0000000000000001-0000000000000001.snap.tmp');
      await import('node:fs/promises').then((fs) => fs.mkdir(blocked));
      await expect(log.compact({ metadata: { index: 1, term: 1, confState: votersConfState([]) }, data: new Uint8Array() })).rejects.toThrow(/restart the node/);
      await expect(log.save({ entries: [entry(2, 1)], hardState: null, snapshot: null }, true)).rejects.toThrow(/restart the node/);
      expect(log.lastIndex()).toBe(1);
      await log.close();
    });
  });

  it('refuses writes after close', async () => {
    await withTempDir(async (dir) => {
      const log = await openDiskLog(dir, testOptions());
      await log.close();
      await expect(log.save({ entries: [entry(1, 1)], hardState: null, snapshot: null }, true)).rejects.toThrow(/closed/);
    });
  });
});
