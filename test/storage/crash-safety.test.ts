// What a crash, a torn write or a flipped bit can do to a WAL, and what recovery must make of it: a
// prefix holding every record written before the damage, or a clear refusal — never a different log.

import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiskLogOptions } from '../../core/storage/disk-log.js';
import { openDiskLog, WalCorruptionError } from '../../core/storage/disk-log.js';
import type { LogUpdate } from '../../core/storage/durable-log.js';
import { MemoryStorage } from '../../core/storage/memory-storage.js';
import { entry, logState, testOptions, withTempDir } from './wal-harness.js';

type State = ReturnType<typeof logState>;

/** Seven batches: entries 1..12, then a batch that overwrites 11..12 with a newer term, each with its
 *  hard state. Data sizes vary so that record boundaries fall at different offsets. */
function history(): LogUpdate[] {
  const updates: LogUpdate[] = [];
  for (let k = 1; k <= 6; k++) {
    updates.push({ entries: [entry(2 * k - 1, 1, 5 + 3 * k), entry(2 * k, 1, 11 - k)], hardState: { term: 1, vote: 'n1', commit: 2 * k - 1 }, snapshot: null });
  }
  updates.push({ entries: [entry(11, 2, 7), entry(12, 2, 0), entry(13, 2, 3)], hardState: { term: 2, vote: 'n2', commit: 11 }, snapshot: null });
  return updates;
}

interface Written {
  segment: string;
  /** boundaries[k]: the segment's size after k saves (boundaries[0] is the header's end). */
  boundaries: number[];
  /** states[k]: the log after k saves. */
  states: State[];
  bytes: Uint8Array;
}

/** Writes `updates` into one segment, noting where each record ends and what the log was then. */
async function writeHistory(dir: string, updates: LogUpdate[], options: DiskLogOptions = testOptions()): Promise<Written> {
  const model = new MemoryStorage();
  const log = await openDiskLog(dir, options);
  const [segment] = await readdir(dir);
  const file = path.join(dir, segment!);
  const boundaries = [(await stat(file)).size];
  const states = [logState(model)];
  for (const update of updates) {
    await log.save(update, true);
    model.saveSync(update);
    boundaries.push((await stat(file)).size);
    states.push(logState(model));
  }
  await log.close();
  return { segment: file, boundaries, states, bytes: new Uint8Array(await readFile(file)) };
}

/** Opens the WAL and returns its state and what it logged, or the error it refused with. */
async function recover(dir: string): Promise<{ state: State; warnings: string[] } | { error: unknown }> {
  const options = testOptions();
  try {
    const log = await openDiskLog(dir, options);
    const state = logState(log);
    await log.close();
    return { state, warnings: options.lines.filter((l) => l.level === 'warn').map((l) => l.message) };
  } catch (error) {
    return { error };
  }
}

describe('a torn tail', () => {
  it('recovers, at every byte offset of the final records, to the prefix of records written before the cut', async () => {
    await withTempDir(async (dir) => {
      const written = await writeHistory(dir, history());
      const n = written.boundaries.length - 1;
      for (let cut = written.boundaries[n - 3]!; cut < written.boundaries[n]!; cut++) {
        await writeFile(written.segment, written.bytes.subarray(0, cut));
        const kept = written.boundaries.filter((b) => b <= cut).length - 1;
        const result = await recover(dir);
        expect(result, `cut at ${cut}`).toEqual({ state: written.states[kept], warnings: cut > written.boundaries[kept]! ? [expect.stringMatching(/torn/)] : [] });
        expect((await stat(written.segment)).size).toBe(written.boundaries[kept]);
      }
    });
  });

  it('is cut off so that new records continue the log and survive the next recovery', async () => {
    await withTempDir(async (dir) => {
      const written = await writeHistory(dir, history());
      const n = written.boundaries.length - 1;
      await truncate(written.segment, written.boundaries[n]! - 3);
      const log = await openDiskLog(dir, testOptions());
      const model = new MemoryStorage();
      for (const update of history().slice(0, n - 1)) model.saveSync(update);
      const next: LogUpdate = { entries: [entry(11, 3, 4)], hardState: { term: 3, vote: 'n3', commit: 10 }, snapshot: null };
      await log.save(next, true);
      model.saveSync(next);
      await log.close();
      expect(await recover(dir)).toEqual({ state: logState(model), warnings: [] });
    });
  });

  it('of zero bytes (file extended, data never written) is a torn tail too', async () => {
    await withTempDir(async (dir) => {
      const written = await writeHistory(dir, history());
      await writeFile(written.segment, new Uint8Array(200), { flag: 'a' });
      expect(await recover(dir)).toEqual({ state: written.states[written.states.length - 1], warnings: [expect.stringMatching(/torn/)] });
    });
  });
});

describe('flipped bits', () => {
  it('yield the records before the first damaged one or a refusal naming it; exactly which where only one can be right', async () => {
    await withTempDir(async (dir) => {
      const written = await writeHistory(dir, history());
      const { boundaries, bytes } = written;
      const n = boundaries.length - 1;
      /** frameStarts[0] is the segment header; frameStarts[k] is the record of save k. */
      const frameStarts = [0, ...boundaries.slice(0, n)];
      const frameOf = (byte: number): number => frameStarts.filter((s) => s <= byte).length - 1;
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(fc.nat(bytes.length * 8 - 1), { minLength: 1, maxLength: 3 }), async (bits) => {
          const damaged = bytes.slice();
          for (const bit of bits) damaged[bit >> 3]! ^= 1 << (bit & 7);
          await writeFile(written.segment, damaged);
          const damagedBytes = bits.map((bit) => bit >> 3);
          const first = frameOf(Math.min(...damagedBytes));
          const refused = { error: expect.objectContaining({ name: 'WalCorruptionError', file: written.segment, offset: frameStarts[first] }) };
          const truncated = { state: written.states[first - 1], warnings: [expect.stringMatching(/torn/)] };
          const result = await recover(dir);

          const onlyInFirst = damagedBytes.every((b) => frameOf(b) === first);
          const lengthField = (b: number): boolean => b >= frameStarts[n]! + 4 && b < frameStarts[n]! + 8;
          if (onlyInFirst && first < n) {
            expect(result).toEqual(refused); // valid records follow the damage
          } else if (onlyInFirst && !damagedBytes.some(lengthField)) {
            expect(result).toEqual(truncated); // only the last record is damaged: a torn tail
          } else if ('error' in result || first === 0) {
            expect(result).toEqual(refused);
          } else {
            expect(result).toEqual(truncated);
          }
          // Refusing changes nothing on disk.
          if ('error' in result) expect(new Uint8Array(await readFile(written.segment))).toEqual(damaged);
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('a WAL corrupted in the middle', () => {
  it('refuses to start with one clear error naming the file and offset', async () => {
    await withTempDir(async (dir) => {
      const written = await writeHistory(dir, history());
      const damaged = written.bytes.slice();
      const recordStart = written.boundaries[3]!;
      damaged[recordStart + 12] = damaged[recordStart + 12]! ^ 0xff;
      await writeFile(written.segment, damaged);
      const error = await openDiskLog(dir, testOptions()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WalCorruptionError);
      expect((error as Error).message).toBe(
        `${written.segment} is corrupt at byte offset ${recordStart} (record fails its checksum, followed by a valid record at byte ${written.boundaries[4]}): ` +
          "this node's log cannot be recovered without losing data, so restore its data directory from a backup or replace the node.",
      );
    });
  });

  it('refuses when any segment but the last is damaged, even at its end', async () => {
    await withTempDir(async (dir) => {
      const options = testOptions({ segmentBytes: 150 });
      const log = await openDiskLog(dir, options);
      for (const update of history()) await log.save(update, true);
      await log.close();
      const segments = (await readdir(dir)).sort().map((f) => path.join(dir, f));
      expect(segments.length).toBeGreaterThan(2);
      const middle = segments[1]!;
      const original = await readFile(middle);
      await truncate(middle, original.length - 1);
      expect(await recover(dir)).toEqual({ error: expect.objectContaining({ name: 'WalCorruptionError', file: middle, offset: expect.any(Number) }) });
      await writeFile(middle, original);
      expect(await recover(dir)).toMatchObject({ state: { lastIndex: 13 } });
      await writeFile(segments[0]!, new Uint8Array(0));
      expect(await recover(dir)).toEqual({ error: expect.objectContaining({ name: 'WalCorruptionError', file: segments[0], offset: 0 }) });
    });
  });
});
