// A real process, really killed (SIGKILL) while it writes: every save it acknowledged is there after
// recovery, the log holds exactly what was written, and writing goes on after each recovery.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDiskLog } from '../../core/storage/disk-log.js';
import { killTestEntry, killTestSnapshot } from './fixtures/wal-writer-data.js';
import { testOptions, withTempDir } from './wal-harness.js';

const writer = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'wal-writer.ts');

/** Runs the writer until it has acknowledged past `target`, then SIGKILLs it; returns the last index
 *  it acknowledged. Bounded: a writer that stalls or dies on its own fails the test. */
function runAndKill(dir: string, target: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let stderr = '';
    let buffered = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) acked = Math.max(acked, Number(line.split(' ')[1]));
      if (acked >= target) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && acked >= target) resolve(acked);
      else reject(new Error(`the writer stopped after acknowledging ${acked} (signal ${signal}): ${stderr}`));
    });
  });
}

describe('a writer killed with SIGKILL', () => {
  it('loses no acknowledged entry, over repeated kills and recoveries', async () => {
    await withTempDir(async (dir) => {
      let target = 0;
      let compacted = false;
      for (const step of [150, 230, 90]) {
        target += step;
        const acked = await runAndKill(dir, target);
        const log = await openDiskLog(dir, testOptions());
        expect(log.lastIndex()).toBeGreaterThanOrEqual(acked);
        const first = log.firstIndex();
        expect(log.entries(first, log.lastIndex() + 1, Number.MAX_SAFE_INTEGER)).toEqual(
          Array.from({ length: log.lastIndex() - first + 1 }, (_, i) => killTestEntry(first + i)),
        );
        if (first > 1) expect(log.snapshot()).toEqual(killTestSnapshot(first - 1));
        compacted ||= first > 1;
        target = log.lastIndex();
        await log.close();
      }
      expect(compacted).toBe(true);
    });
  });
});
