// Opening a directory that is not (only) a WAL of this version, or one missing files: one clear error,
// and nothing touched.

import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../core/codec/crc32c.js';
import { openDiskLog, WalCorruptionError, WalDirectoryError } from '../../core/storage/disk-log.js';
import { segmentFileName } from '../../core/storage/wal-files.js';
import { FRAME_HEADER_BYTES } from '../../core/storage/wal-frame.js';
import { VERSION_OFFSET } from '../../core/storage/wal-records.js';
import { entry, logState, testOptions, withTempDir } from './wal-harness.js';

/** A few saves over several small segments; returns the segment paths, oldest first. */
async function writeSegments(dir: string): Promise<string[]> {
  const log = await openDiskLog(dir, testOptions({ segmentBytes: 100 }));
  for (let i = 1; i <= 8; i++) await log.save({ entries: [entry(i, 1, 30)], hardState: { term: 1, vote: 'n1', commit: i }, snapshot: null }, true);
  await log.close();
  return (await readdir(dir)).sort().map((f) => path.join(dir, f));
}

async function stateAfterOpening(dir: string): Promise<ReturnType<typeof logState>> {
  const log = await openDiskLog(dir, testOptions());
  const state = logState(log);
  await log.close();
  return state;
}

async function openError(dir: string): Promise<unknown> {
  return openDiskLog(dir, testOptions()).then(
    (log) => log.close().then(() => null),
    (e: unknown) => e,
  );
}

describe('a directory that is not a raftdesk WAL', () => {
  it('with an unknown file is refused, naming it', async () => {
    await withTempDir(async (dir) => {
      await writeSegments(dir);
      await writeFile(path.join(dir, 'notes.txt'), 'mine');
      const error = await openError(dir);
      expect(error).toBeInstanceOf(WalDirectoryError);
      expect((error as Error).message).toBe(
        `${dir} is not a raftdesk WAL directory this version can open (unexpected file notes.txt): point the node at its own data directory, or move the unexpected files away.`,
      );
    });
  });

  it('with a subdirectory, or that is a file, is refused', async () => {
    await withTempDir(async (dir) => {
      await mkdir(path.join(dir, 'nested'));
      expect(await openError(dir)).toBeInstanceOf(WalDirectoryError);
      await rm(path.join(dir, 'nested'), { recursive: true });
      await writeFile(path.join(dir, 'file'), '');
      expect(await openError(path.join(dir, 'file'))).toBeInstanceOf(WalDirectoryError);
    });
  });

  it('written in another format version is refused, naming the version', async () => {
    await withTempDir(async (dir) => {
      const [first] = await writeSegments(dir);
      const bytes = new Uint8Array(await readFile(first!));
      const view = new DataView(bytes.buffer);
      const headerEnd = FRAME_HEADER_BYTES + view.getUint32(4, true);
      bytes[FRAME_HEADER_BYTES + VERSION_OFFSET] = 9;
      view.setUint32(0, crc32c(bytes, 4, headerEnd), true);
      await writeFile(first!, bytes);
      const error = await openError(dir);
      expect(error).toBeInstanceOf(WalDirectoryError);
      expect((error as Error).message).toMatch(/has WAL format version 9, this raftdesk reads versions 1 and 2/);
    });
  });

  it('ignores what file managers leave behind', async () => {
    await withTempDir(async (dir) => {
      await writeSegments(dir);
      await writeFile(path.join(dir, '.DS_Store'), 'x');
      expect(await openError(dir)).toBeNull();
    });
  });
});

describe('a WAL missing files', () => {
  it('refuses when a segment in the middle is gone', async () => {
    await withTempDir(async (dir) => {
      const segments = await writeSegments(dir);
      await rm(segments[1]!);
      expect(await openError(dir)).toEqual(expect.objectContaining({ name: 'WalCorruptionError', file: segments[2], reason: 'segment 1 before it is missing' }));
    });
  });

  it('refuses when the first segment is gone and no snapshot covers it', async () => {
    await withTempDir(async (dir) => {
      const segments = await writeSegments(dir);
      await rm(segments[0]!);
      const error = await openError(dir);
      expect(error).toBeInstanceOf(WalCorruptionError);
      expect((error as WalCorruptionError).file).toBe(segments[1]);
    });
  });

  it('refuses a segment whose name does not match its header', async () => {
    await withTempDir(async (dir) => {
      const segments = await writeSegments(dir);
      const last = segments[segments.length - 1]!;
      const renamed = last.replace(/-[0-9a-f]{16}\.wal$/, '-00000000000000ff.wal');
      await rename(last, renamed);
      expect(await openError(dir)).toEqual(expect.objectContaining({ name: 'WalCorruptionError', file: renamed, offset: 0 }));
    });
  });

  it('starts over a last segment left empty by a crash while it was created (fsync off)', async () => {
    await withTempDir(async (dir) => {
      const segments = await writeSegments(dir);
      const expected = await stateAfterOpening(dir);
      await writeFile(path.join(dir, segmentFileName(segments.length, 8)), new Uint8Array(0));
      const options = testOptions();
      const log = await openDiskLog(dir, options);
      expect(logState(log)).toEqual(expected);
      expect(options.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringMatching(/creation was cut short/) }));
      await log.save({ entries: [entry(9, 1)], hardState: null, snapshot: null }, true);
      await log.close();
      expect((await stateAfterOpening(dir)).lastIndex).toBe(9);
    });
  });
});
