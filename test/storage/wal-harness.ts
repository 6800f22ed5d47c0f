// Shared by the WAL tests: temporary directories, a comparable view of a log, and a generator of
// Raft-like update sequences that are valid for MemoryStorage (the model the WAL must reproduce).

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { Storage } from '../../core/raft/storage.js';
import type { ConfState, Entry, HardState, Snapshot } from '../../core/raft/types.js';
import type { DiskLogOptions } from '../../core/storage/disk-log.js';
import type { LogUpdate } from '../../core/storage/durable-log.js';
import type { MemoryStorage } from '../../core/storage/memory-storage.js';
import { votersConfState } from '../../core/raft/confchange.js';

export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'raftdesk-wal-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** Options that keep what the log says, for tests that check a warning was (or was not) given. */
export function testOptions(overrides: Partial<DiskLogOptions> = {}): DiskLogOptions & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { fsync: false, log: (level, message, fields) => lines.push({ level, message, fields }), lines, ...overrides };
}

/** Everything the core can read of a log, as one comparable value. */
export function logState(storage: Storage): { hardState: HardState; confState: ConfState; snapshot: Snapshot; firstIndex: number; lastIndex: number; entries: Entry[] } {
  const { hardState, confState } = storage.initialState();
  const firstIndex = storage.firstIndex();
  const lastIndex = storage.lastIndex();
  return {
    hardState,
    confState,
    snapshot: storage.snapshot(),
    firstIndex,
    lastIndex,
    entries: lastIndex >= firstIndex ? storage.entries(firstIndex, lastIndex + 1, Number.MAX_SAFE_INTEGER) : [],
  };
}

export function entry(index: number, term: number, size = 8): Entry {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (index * 31 + term * 7 + i) & 0xff;
  return { index, term, type: 0, data };
}

/** One step of a generated history, with its choices as fractions so that it applies to any state. */
export type Step =
  | { kind: 'save'; from: number; count: number; termBump: number; voteBump: number; commit: number; sync: boolean; size: number }
  | { kind: 'install'; ahead: number; count: number; size: number }
  | { kind: 'compact'; at: number; size: number }
  | { kind: 'reopen' };

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

export const arbStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('save' as const), from: fraction, count: fc.nat(4), termBump: fc.nat(3), voteBump: fc.nat(2), commit: fraction, sync: fc.boolean(), size: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('install' as const), ahead: fc.integer({ min: -3, max: 3 }), count: fc.nat(3), size: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('compact' as const), at: fraction, size: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const) }) },
);

function bytes(size: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (seed * 131 + i * 17) & 0xff);
}

/**
 * Turns a save step into an update valid for `model`, as the core would produce it: entries start
 * anywhere from just below the first index to right after the last (overwriting a conflicting
 * tail), terms never decrease along the log, the hard state's term never decreases and commit never
 * passes the last index.
 */
export function saveUpdate(model: MemoryStorage, step: Extract<Step, { kind: 'save' }>): LogUpdate {
  const hs = model.hardStateNow();
  const first = model.firstIndex();
  const last = model.lastIndex();
  const start = Math.max(1, first - 1 + Math.floor(step.from * (last - first + 3)));
  const prevTerm = start - 1 >= first - 1 ? model.term(start - 1) : 0;
  const term = Math.max(prevTerm, hs.term) + step.termBump;
  const entries = Array.from({ length: step.count }, (_, i) => ({ index: start + i, term, type: 0 as const, data: bytes(step.size, start + i + term) }));
  const newLast = entries.length > 0 && start + step.count - 1 >= first ? start + step.count - 1 : last;
  const hardState = step.voteBump > 0 || step.termBump > 0 || step.count > 0
    ? { term, vote: step.voteBump === 1 ? `n${term % 3}` : hs.vote, commit: Math.min(newLast, hs.commit + Math.floor(step.commit * 3)) }
    : null;
  return { hardState, entries, snapshot: null };
}

/** A snapshot sent by a leader, `ahead` entries past our last index (behind it if negative), plus
 *  entries that follow it. Never older than our own snapshot. */
export function installUpdate(model: MemoryStorage, step: Extract<Step, { kind: 'install' }>): LogUpdate {
  const snapIndex = model.snapshot().metadata.index;
  const index = Math.max(snapIndex + 1, model.lastIndex() + step.ahead);
  const term = Math.max(model.hardStateNow().term, index <= model.lastIndex() ? model.term(index) : 0) + 1;
  const snapshot: Snapshot = { metadata: { index, term, confState: votersConfState(['n1', 'n2', 'n3']) }, data: bytes(step.size, index) };
  const entries = Array.from({ length: step.count }, (_, i) => ({ index: index + 1 + i, term, type: 0 as const, data: bytes(step.size, index + i) }));
  return { snapshot, entries, hardState: { term, vote: '', commit: index } };
}

/** A snapshot the state machine would take at an index between our snapshot and last index, or null. */
export function compactSnapshot(model: MemoryStorage, step: Extract<Step, { kind: 'compact' }>): Snapshot | null {
  const snapIndex = model.snapshot().metadata.index;
  const last = model.lastIndex();
  if (last <= snapIndex) return null;
  const index = snapIndex + 1 + Math.floor(step.at * (last - snapIndex));
  return { metadata: { index, term: model.term(index), confState: votersConfState(['n1', 'n2', 'n3']) }, data: bytes(step.size, index * 3) };
}
