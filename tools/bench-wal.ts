// `npx tsx tools/bench-wal.ts`: the WAL's write path as the node runtime drives it (one save per
// Ready, each with its entries and hard state), for batches of 1 and 64 entries of 256 bytes, with
// and without fsync; then the time to recover what was written. Prints figures; asserts nothing.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { Entry } from '../core/raft/types.js';
import { openDiskLog } from '../core/storage/disk-log.js';
import { percentile } from '../core/stats/percentiles.js';

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

const program = new Command()
  .name('bench-wal')
  .description('Write and recovery throughput of the durable WAL.')
  .option('--dir <path>', 'where to create the temporary WAL directories (the disk under test)', os.tmpdir())
  .option('--seconds <s>', 'duration of each write case', positiveNumber, 3)
  .option('--entry-bytes <n>', 'bytes of data per entry', positiveNumber, 256)
  .parse();
const opts = program.opts<{ dir: string; seconds: number; entryBytes: number }>();

interface CaseResult {
  saves: number;
  entries: number;
  seconds: number;
  datasyncs: number;
  latenciesMs: number[];
}

/** How a case makes its saves durable: O_DSYNC writes (what nodes use), write + fdatasync, or no fsync. */
type Durability = 'dsync' | 'fdatasync' | 'off';

async function runCase(dir: string, batch: number, durability: Durability): Promise<CaseResult> {
  // Every durable point: an fdatasync, or a write that is its own (O_DSYNC).
  const datasyncs = { count: 0 };
  const fsync = durability !== 'off';
  const log = await openDiskLog(dir, { fsync, syncMethod: durability === 'fdatasync' ? 'fdatasync' : 'dsync', log: () => undefined, onSync: () => datasyncs.count++ });
  const data = new Uint8Array(opts.entryBytes).map((_, i) => i & 0xff);
  const syncsBefore = datasyncs.count;
  const latenciesMs: number[] = [];
  let next = 1;
  const start = performance.now();
  const deadline = start + opts.seconds * 1000;
  while (performance.now() < deadline) {
    const entries: Entry[] = [];
    for (let i = 0; i < batch; i++) entries.push({ index: next + i, term: 1, type: 0, data });
    next += batch;
    const t0 = performance.now();
    await log.save({ entries, hardState: { term: 1, vote: 'n1', commit: next - 1 }, snapshot: null }, true);
    latenciesMs.push(performance.now() - t0);
  }
  const seconds = (performance.now() - start) / 1000;
  const result = { saves: latenciesMs.length, entries: next - 1, seconds, datasyncs: datasyncs.count - syncsBefore, latenciesMs: latenciesMs.sort((a, b) => a - b) };
  await log.close();
  return result;
}

async function timeRecovery(dir: string): Promise<{ ms: number; entries: number }> {
  const start = performance.now();
  const log = await openDiskLog(dir, { fsync: true, log: () => undefined });
  const ms = performance.now() - start;
  const entries = log.lastIndex();
  await log.close();
  return { ms, entries };
}

console.log(`WAL benchmark in ${opts.dir}: ${opts.seconds} s per case, entries of ${opts.entryBytes} bytes, one save (entries + hard state, sync) per Ready`);
console.log('batch  durability  saves/s   appends/s  fsyncs/s     MB/s   save p50 ms  save p99 ms  recovery');
for (const durability of ['dsync', 'fdatasync', 'off'] as const) {
  for (const batch of [1, 64]) {
    const dir = await mkdtemp(path.join(opts.dir, 'raftdesk-bench-wal-'));
    try {
      const r = await runCase(dir, batch, durability);
      const recovery = await timeRecovery(dir);
      const row = [
        String(batch).padStart(5),
        durability.padStart(10),
        (r.saves / r.seconds).toFixed(0).padStart(9),
        (r.entries / r.seconds).toFixed(0).padStart(11),
        (r.datasyncs / r.seconds).toFixed(0).padStart(9),
        ((r.entries * opts.entryBytes) / r.seconds / 1e6).toFixed(1).padStart(8),
        percentile(r.latenciesMs, 0.5)!.toFixed(3).padStart(13),
        percentile(r.latenciesMs, 0.99)!.toFixed(3).padStart(12),
        `  ${recovery.entries} entries in ${recovery.ms.toFixed(0)} ms`,
      ];
      console.log(row.join(' '));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
