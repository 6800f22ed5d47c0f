// The files of recorded runs (DIR/runs/<runId>/): run.json, then numbered JSON Lines segments,
// gzipped once closed. Listing, sizes and pruning the oldest records to the workspace's bound live here,
// shared by the recorder (which prunes) and the reader.

import fs from 'node:fs/promises';
import path from 'node:path';

export const RUN_FILE = 'run.json';
const SEGMENT = /^trace-(\d{6})\.jsonl(\.gz)?$/;

export interface RunMeta {
  id: string;
  cluster: string;
  nodes: string[];
  startedAt: number;
  /** Epoch ms when the recording was closed; null while recording (or when its process died). */
  endedAt: number | null;
  /** The process recording it, to tell a run being recorded from one whose recorder died. */
  pid: number;
}

export interface SegmentFile {
  number: number;
  file: string;
  gzipped: boolean;
  bytes: number;
}

export const segmentName = (n: number): string => `trace-${String(n).padStart(6, '0')}.jsonl`;

/** A run folder's name: its start time, sortable as text (2026-12-03T12-30-05-123Z). */
export const runIdAt = (epochMs: number): string => new Date(epochMs).toISOString().replace(/[:.]/g, '-');

/** The run's segments, ascending; a segment both plain and gzipped (a crash between the gzip's
 *  rename and the plain file's removal) counts as the gzipped one, which was complete when renamed. */
export async function listSegments(runDir: string): Promise<SegmentFile[]> {
  const names = await fs.readdir(runDir).catch(() => [] as string[]);
  const byNumber = new Map<number, SegmentFile>();
  for (const name of names) {
    const match = SEGMENT.exec(name);
    if (!match) continue;
    const number = Number(match[1]);
    const gzipped = match[2] !== undefined;
    const existing = byNumber.get(number);
    if (existing?.gzipped) continue;
    const stat = await fs.stat(path.join(runDir, name)).catch(() => null);
    if (!stat) continue;
    byNumber.set(number, { number, file: path.join(runDir, name), gzipped, bytes: stat.size });
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

export async function readRunMeta(runDir: string): Promise<RunMeta | null> {
  try {
    const meta = JSON.parse(await fs.readFile(path.join(runDir, RUN_FILE), 'utf8')) as RunMeta;
    return typeof meta.id === 'string' && typeof meta.startedAt === 'number' ? meta : null;
  } catch {
    return null;
  }
}

export async function writeRunMeta(runDir: string, meta: RunMeta): Promise<void> {
  const tmp = path.join(runDir, `${RUN_FILE}.tmp`);
  await fs.writeFile(tmp, JSON.stringify(meta, null, 2) + '\n');
  await fs.rename(tmp, path.join(runDir, RUN_FILE));
}

/** Run folders, oldest first. */
export async function listRunIds(runsDir: string): Promise<string[]> {
  const entries = await fs.readdir(runsDir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

async function folderBytes(dir: string): Promise<number> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const name of names) total += (await fs.stat(path.join(dir, name)).catch(() => null))?.size ?? 0;
  return total;
}

export async function tracesBytes(runsDir: string): Promise<number> {
  let total = 0;
  for (const id of await listRunIds(runsDir)) total += await folderBytes(path.join(runsDir, id));
  return total;
}

/**
 * Deletes the oldest segments, oldest run first, until the runs take at most maxBytes; a run left
 * without segments is removed whole. `protect` (the segment being written) is never deleted.
 * Returns the bytes deleted.
 */
export async function pruneRuns(runsDir: string, maxBytes: number, protect: string | null): Promise<number> {
  let total = await tracesBytes(runsDir);
  let freed = 0;
  for (const id of await listRunIds(runsDir)) {
    if (total <= maxBytes) break;
    const runDir = path.join(runsDir, id);
    const segments = await listSegments(runDir);
    for (const segment of segments) {
      if (total <= maxBytes || segment.file === protect) break;
      await fs.rm(segment.file, { force: true });
      if (!segment.gzipped) await fs.rm(`${segment.file}.gz`, { force: true });
      total -= segment.bytes;
      freed += segment.bytes;
    }
    const left = await listSegments(runDir);
    if (left.length === 0 && !(protect && protect.startsWith(runDir + path.sep))) {
      const rest = await folderBytes(runDir);
      await fs.rm(runDir, { recursive: true, force: true });
      total -= rest;
      freed += rest;
    }
  }
  return freed;
}
