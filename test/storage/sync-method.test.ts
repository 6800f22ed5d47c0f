// The two ways a save becomes durable (core/storage/segment-writer.ts): writes through an O_DSYNC
// handle (the default where the platform has it) and write + fdatasync. Both must reach the same
// state after reopening, make each synced save durable exactly once, and the O_DSYNC path must
// really hold its segment open with O_DSYNC.

import { constants } from 'node:fs';
import { open, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDiskLog } from '../../core/storage/disk-log.js';
import { MemoryStorage } from '../../core/storage/memory-storage.js';
import { arbStep, compactSnapshot, entry, installUpdate, logState, saveUpdate, testOptions, withTempDir } from './wal-harness.js';

const hasDsync = (constants as { O_DSYNC?: number }).O_DSYNC !== undefined;

/** Counts fdatasync calls of every FileHandle (the prototype is reached through a handle). */
async function countDatasyncs(): Promise<{ count: number; restore: () => void }> {
  const handle = await open(process.execPath, 'r');
  const proto = Object.getPrototypeOf(handle) as { datasync: () => Promise<void> };
  await handle.close();
  const original = proto.datasync;
  const counter = {
    count: 0,
    restore: () => {
      proto.datasync = original;
    },
  };
  proto.datasync = function (this: unknown) {
    counter.count++;
    return original.call(this);
  };
  return counter;
}

/** The open-file flags of this process's descriptors on `file` (Linux: /proc/self/fdinfo). */
async function openFlagsOf(file: string): Promise<number[]> {
  const flags: number[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target !== file) continue;
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '');
    const match = /^flags:\s+([0-7]+)$/m.exec(info);
    if (match) flags.push(parseInt(match[1]!, 8));
  }
  return flags;
}

describe.each(['dsync', 'fdatasync'] as const)('a WAL with fsync through %s', (syncMethod) => {
  it('reopens to exactly the state MemoryStorage reaches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbStep, { minLength: 1, maxLength: 25 }), async (steps) => {
        await withTempDir(async (dir) => {
          const model = new MemoryStorage();
          let log = await openDiskLog(dir, testOptions({ fsync: true, syncMethod, segmentBytes: 600 }));
          for (const step of steps) {
            if (step.kind === 'save') {
              const update = saveUpdate(model, step);
              await log.save(update, step.sync);
              model.saveSync(update);
            } else if (step.kind === 'install') {
              const update = installUpdate(model, step);
              await log.save(update, true);
              model.saveSync(update);
            } else if (step.kind === 'compact') {
              const snapshot = compactSnapshot(model, step);
              if (snapshot) {
                await log.compact(snapshot);
                model.compactTo(snapshot);
              }
            } else {
              await log.close();
              log = await openDiskLog(dir, testOptions({ fsync: true, syncMethod, segmentBytes: 600 }));
            }
          }
          await log.close();
          const reopened = await openDiskLog(dir, testOptions({ fsync: true, syncMethod, segmentBytes: 600 }));
          expect(logState(reopened)).toEqual(logState(model));
          await reopened.close();
        });
      }),
      { numRuns: 12 },
    );
  });

  it('makes every synced save durable once: one O_DSYNC write, or one fdatasync', async () => {
    await withTempDir(async (dir) => {
      let durablePoints = 0;
      const log = await openDiskLog(dir, testOptions({ fsync: true, syncMethod, onSync: () => durablePoints++ }));
      const datasyncs = await countDatasyncs();
      try {
        for (let i = 1; i <= 20; i++) await log.save({ entries: [entry(i, 1)], hardState: { term: 1, vote: 'n1', commit: i - 1 }, snapshot: null }, true);
      } finally {
        datasyncs.restore();
      }
      const dsync = syncMethod === 'dsync' && hasDsync;
      expect(durablePoints).toBe(20);
      expect(datasyncs.count).toBe(dsync ? 0 : 20);
      await log.close();
    });
  });
});

describe.runIf(process.platform === 'linux')('the O_DSYNC path on Linux', () => {
  it('holds the segment it appends to open with O_DSYNC, and a reopened one too', async () => {
    await withTempDir(async (dir) => {
      for (const round of [1, 2]) {
        const log = await openDiskLog(dir, testOptions({ fsync: true }));
        await log.save({ entries: [entry(round, 1)], hardState: { term: 1, vote: 'n1', commit: 0 }, snapshot: null }, true);
        const segments = (await readdir(dir)).filter((f) => f.endsWith('.wal'));
        const flags = (await Promise.all(segments.map((s) => openFlagsOf(path.join(dir, s))))).flat();
        expect(flags.length).toBe(1);
        expect(flags[0]! & constants.O_DSYNC!).toBe(constants.O_DSYNC);
        await log.close();
      }
    });
  });

  it('writes without O_DSYNC when the workspace turned fsync off', async () => {
    await withTempDir(async (dir) => {
      const log = await openDiskLog(dir, testOptions({ fsync: false }));
      await log.save({ entries: [entry(1, 1)], hardState: null, snapshot: null }, true);
      const segments = (await readdir(dir)).filter((f) => f.endsWith('.wal'));
      const flags = (await Promise.all(segments.map((s) => openFlagsOf(path.join(dir, s))))).flat();
      expect(flags.length).toBe(1);
      expect(flags[0]! & constants.O_DSYNC!).toBe(0);
      await log.close();
    });
  });
});
