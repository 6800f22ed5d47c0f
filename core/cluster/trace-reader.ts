// Reads recorded runs back (the console's replay, `raftdesk runs`, `raftdesk trace`): the listing
// from run.json and the files' sizes, the records from the segments (gzipped or not, a torn last line
// skipped), and the client operations of experiments run meanwhile, joined from their history.jsonl.

import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { LinkMessage } from '../api/messages.js';
import type { RunSummary, TraceClientOp, TraceRecord } from '../api/traces.js';
import { latestById } from '../trace/trace-messages.js';
import { parseTraceText } from '../trace/trace-lines.js';
import { UserError } from '../workspace/user-error.js';
import { listRunIds, listSegments, readRunMeta, type RunMeta } from './trace-files.js';

const gunzipAsync = promisify(gunzip);

/** An ISO time with ':' and '.' replaced by '-' (run and experiment folder names) → epoch ms. */
export function folderTime(name: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/.exec(name);
  if (!match) return null;
  const at = Date.parse(`${match[1]}:${match[2]}:${match[3]}.${match[4]}Z`);
  return Number.isFinite(at) ? at : null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function segmentText(file: string, gzipped: boolean): Promise<string> {
  const bytes = await fs.readFile(file);
  return (gzipped ? await gunzipAsync(bytes) : bytes).toString('utf8');
}

export interface RunRecords {
  records: TraceRecord[];
  /** Lines that were not records (damage other than a torn last line). */
  badLines: number;
  messages: number;
}

/** A run's records in file order, filtered while reading. */
export async function readRunRecords(runDir: string, keep: (r: TraceRecord) => boolean = () => true): Promise<RunRecords> {
  const records: TraceRecord[] = [];
  let badLines = 0;
  let messages = 0;
  for (const segment of await listSegments(runDir)) {
    const parsed = parseTraceText(await segmentText(segment.file, segment.gzipped), (r) => {
      if (r.k === 'msg') messages++;
      return keep(r);
    });
    for (const r of parsed.records) records.push(r);
    badLines += parsed.badLines;
  }
  return { records, badLines, messages };
}

async function experimentsBetween(experimentsDir: string, from: number, to: number): Promise<string[]> {
  const names = await fs.readdir(experimentsDir).catch(() => [] as string[]);
  return names.filter((name) => {
    const at = folderTime(name);
    return at !== null && at >= from && at <= to;
  }).sort();
}

async function summarise(runsDir: string, experimentsDir: string, id: string, meta: RunMeta): Promise<RunSummary> {
  const runDir = path.join(runsDir, id);
  const segments = await listSegments(runDir);
  const bytes = segments.reduce((sum, s) => sum + s.bytes, 0);
  const stat = segments.length > 0 ? await fs.stat(segments.at(-1)!.file).catch(() => null) : null;
  const recording = meta.endedAt === null && meta.pid === process.pid ? true : meta.endedAt === null && processAlive(meta.pid);
  const endedAt = meta.endedAt ?? Math.max(meta.startedAt, stat?.mtimeMs ?? meta.startedAt);
  return {
    id,
    cluster: meta.cluster,
    nodes: meta.nodes,
    startedAt: meta.startedAt,
    endedAt,
    recording,
    experiments: await experimentsBetween(experimentsDir, meta.startedAt, endedAt),
    bytes,
    pruned: segments.length > 0 && segments[0].number > 1,
    messages: null,
  };
}

/** Every recorded run of the workspace, newest first. */
export async function listRuns(runsDir: string, experimentsDir: string): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for (const id of await listRunIds(runsDir)) {
    const meta = await readRunMeta(path.join(runsDir, id));
    if (meta) runs.push(await summarise(runsDir, experimentsDir, id, meta));
  }
  return runs.reverse();
}

/** The run named `id`, or the newest when id is null; a sentence when there is none. */
export async function findRun(runsDir: string, experimentsDir: string, id: string | null): Promise<RunSummary> {
  const runs = await listRuns(runsDir, experimentsDir);
  if (runs.length === 0) throw new UserError(`No run is recorded in ${runsDir}; start the cluster (raftdesk up, or the console) to record one.`);
  if (id === null) return runs[0];
  const run = runs.find((r) => r.id === id);
  if (!run) throw new UserError(`There is no recorded run "${id}"; the recorded runs are listed by raftdesk runs (newest: ${runs[0].id}).`);
  return run;
}

function historyValue(value: unknown): string {
  return value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

/** An experiment's history.jsonl as operations on the wall clock (its folder name is its start). */
export async function experimentOps(experimentDir: string): Promise<TraceClientOp[]> {
  const origin = folderTime(path.basename(experimentDir));
  const text = await fs.readFile(path.join(experimentDir, 'history.jsonl'), 'utf8').catch(() => '');
  if (origin === null || text === '') return [];
  const open = new Map<number, TraceClientOp>();
  const ops: TraceClientOp[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let event: { process?: unknown; type?: unknown; f?: unknown; key?: unknown; value?: unknown; time?: unknown };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      continue;
    }
    if (typeof event.process !== 'number' || typeof event.type !== 'string') continue;
    const at = origin + (typeof event.time === 'number' ? event.time / 1e6 : 0);
    if (event.type === 'invoke') {
      const op: TraceClientOp = { process: event.process, f: String(event.f), key: String(event.key ?? ''), value: historyValue(event.value), outcome: 'pending', startAt: at, endAt: null };
      open.set(event.process, op);
      ops.push(op);
    } else {
      const op = open.get(event.process);
      if (!op || !['ok', 'fail', 'info'].includes(event.type)) continue;
      open.delete(event.process);
      op.outcome = event.type as TraceClientOp['outcome'];
      op.endAt = at;
      if (op.f === 'read' && event.value !== undefined) op.value = historyValue(event.value);
    }
  }
  return ops;
}

/** A run's records without messages, with the client operations of its experiments, in time order. */
export async function readRunForReplay(runsDir: string, experimentsDir: string, id: string): Promise<{ run: RunSummary; records: TraceRecord[] }> {
  const run = await findRun(runsDir, experimentsDir, id);
  const { records, messages } = await readRunRecords(runDir(runsDir, id), (r) => r.k !== 'msg');
  for (const experiment of run.experiments) {
    for (const op of await experimentOps(path.join(experimentsDir, experiment))) records.push({ k: 'op', at: op.startAt, op });
  }
  records.sort((a, b) => a.at - b.at);
  return { run: { ...run, messages }, records };
}

/** The folder of run `id`, refusing a name that is not a run's (a path, "..", …). */
export function runDir(runsDir: string, id: string): string {
  if (folderTime(id) === null) throw new UserError(`"${id}" is not the name of a recorded run; raftdesk runs lists them.`);
  return path.join(runsDir, id);
}

/** How far before a window a message may have been sent and still be drawn arriving in it. */
const IN_FLIGHT_MS = 2000;

/** The messages placed in [from, to] (or sent up to IN_FLIGHT_MS before it), one per message, time order, at most `limit` (the earliest). */
export async function readRunMessages(runsDir: string, id: string, from: number, to: number, limit: number): Promise<{ messages: LinkMessage[]; truncated: boolean }> {
  const { records } = await readRunRecords(runDir(runsDir, id), (r) => r.k === 'msg' && r.at >= from - IN_FLIGHT_MS && r.at <= to);
  const messages = latestById(records.map((r) => (r as Extract<TraceRecord, { k: 'msg' }>).m));
  return { messages: messages.slice(0, limit), truncated: messages.length > limit };
}
