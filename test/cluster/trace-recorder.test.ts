import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../core/api/traces.js';
import { TraceRecorder } from '../../core/cluster/trace-recorder.js';
import { listSegments, pruneRuns, readRunMeta, runIdAt, tracesBytes } from '../../core/cluster/trace-files.js';
import { findRun, listRuns, readRunForReplay, readRunMessages, readRunRecords, runDir } from '../../core/cluster/trace-reader.js';
import { message, node, state } from '../trace/fixtures.js';

let root: string;
let runsDir: string;
let experimentsDir: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'raftdesk-trace-'));
  runsDir = path.join(root, 'runs');
  experimentsDir = path.join(root, 'experiments');
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const stateRecord = (at: number): TraceRecord => ({ k: 'state', at, state: state(at, [node('n1', { role: 'leader', commitIndex: at })]) });
let nextId = 1;
const msgRecord = (at: number): TraceRecord => ({ k: 'msg', at, m: message(nextId++, 'App', 'n1', 'n2', at, at + 0.5, { entries: 1, entryBytes: 256 }) });

async function record(startedAt: number, records: TraceRecord[], options: { maxBytes?: number; segmentBytes?: number } = {}): Promise<TraceRecorder> {
  const recorder = await TraceRecorder.open({
    runsDir,
    maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
    segmentBytes: options.segmentBytes,
    meta: { id: runIdAt(startedAt), cluster: 'demo', nodes: ['n1', 'n2'], startedAt },
    flushMs: 60_000,
  });
  for (const r of records) {
    recorder.add(r);
    // Flush as we go so that segments rotate as they would over time.
    if (options.segmentBytes) await recorder.flush();
  }
  await recorder.close();
  return recorder;
}

describe('TraceRecorder', () => {
  it('writes records a reader gets back, and marks the run ended', async () => {
    const t0 = Date.parse('2026-12-03T10:00:00.000Z');
    const recorder = await record(t0, [stateRecord(t0), msgRecord(t0 + 1), stateRecord(t0 + 2)]);
    const meta = await readRunMeta(recorder.runDir);
    expect(meta).toMatchObject({ id: '2026-12-03T10-00-00-000Z', cluster: 'demo', startedAt: t0 });
    expect(meta?.endedAt).toBeGreaterThanOrEqual(t0);
    const read = await readRunRecords(recorder.runDir);
    expect(read.records.map((r) => [r.k, r.at])).toEqual([['state', t0], ['msg', t0 + 1], ['state', t0 + 2]]);
    expect(read.messages).toBe(1);
    expect(read.badLines).toBe(0);
  });

  it('closes full segments gzipped, and starts each new one with the last snapshot', async () => {
    const t0 = Date.parse('2026-12-03T10:00:00.000Z');
    const records = [stateRecord(t0), ...Array.from({ length: 200 }, (_, i) => msgRecord(t0 + 1 + i))];
    const recorder = await record(t0, records, { segmentBytes: 8 * 1024 });
    const segments = await listSegments(recorder.runDir);
    expect(segments.length).toBeGreaterThan(3);
    expect(segments.slice(0, -1).every((s) => s.gzipped)).toBe(true);
    const read = await readRunRecords(recorder.runDir);
    expect(read.messages).toBe(200);
    // One keyframe per segment after the first, carrying the last snapshot.
    expect(read.records.filter((r) => r.k === 'state')).toHaveLength(segments.length);
  });

  it('keeps every run together under the bound by pruning the oldest records first', async () => {
    const t0 = Date.parse('2026-12-03T10:00:00.000Z');
    const many = (start: number) => [stateRecord(start), ...Array.from({ length: 300 }, (_, i) => msgRecord(start + 1 + i))];
    await record(t0, many(t0), { segmentBytes: 8 * 1024 });
    const bytesOfOne = await tracesBytes(runsDir);
    // The second run's bound leaves room for about half of the first one's records.
    const maxBytes = Math.floor(bytesOfOne * 1.5);
    const second = await record(t0 + 60_000, many(t0 + 60_000), { segmentBytes: 8 * 1024, maxBytes });
    expect(await tracesBytes(runsDir)).toBeLessThanOrEqual(maxBytes + 8 * 1024 /* the segment being written is never pruned */);
    const runs = await listRuns(runsDir, experimentsDir);
    expect(runs.map((r) => r.id)).toEqual([path.basename(second.runDir), runIdAt(t0)].filter((id) => runs.some((r) => r.id === id)));
    const oldest = runs.at(-1)!;
    expect(oldest.pruned).toBe(true);
    // A pruned run still replays from its first remaining segment's keyframe.
    const replay = await readRunForReplay(runsDir, experimentsDir, oldest.id);
    expect(replay.records[0].k).toBe('state');
    // Pruning further removes whole runs, oldest first, never the segment being written.
    await pruneRuns(runsDir, 0, null);
    expect(await listRuns(runsDir, experimentsDir)).toEqual([]);
  });

  it('records nothing once writing failed, and says why in one sentence', async () => {
    const t0 = Date.parse('2026-12-03T10:00:00.000Z');
    const problems: string[] = [];
    const recorder = await TraceRecorder.open({ runsDir, maxBytes: 1 << 20, meta: { id: runIdAt(t0), cluster: 'demo', nodes: [], startedAt: t0 }, flushMs: 60_000, onError: (m) => problems.push(m) });
    // The run's folder replaced by a file: writing run.json at the end fails (as a full or lost disk would).
    await fs.rm(recorder.runDir, { recursive: true });
    await fs.writeFile(recorder.runDir, 'not a folder');
    recorder.add(stateRecord(t0));
    await recorder.close();
    // The open segment's file handle survives removing its folder, so only run.json's rewrite fails here.
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Recording this run in .* stopped: .*The cluster keeps running/);
  });
});

describe('trace reader', () => {
  it('skips a torn last line left by a crash (no run.json end, no flush of the rest)', async () => {
    const t0 = Date.parse('2026-12-03T11:00:00.000Z');
    const recorder = await record(t0, [stateRecord(t0), stateRecord(t0 + 5)]);
    const [segment] = await listSegments(recorder.runDir);
    await fs.appendFile(segment.file, '{"k":"state","at":17649');
    const read = await readRunRecords(recorder.runDir);
    expect(read.records.map((r) => r.at)).toEqual([t0, t0 + 5]);
    expect(read.badLines).toBe(0);
  });

  it('lists runs newest first, finds one, and refuses names that are not runs', async () => {
    const t0 = Date.parse('2026-12-03T11:00:00.000Z');
    await record(t0, [stateRecord(t0)]);
    await record(t0 + 1000, [stateRecord(t0 + 1000)]);
    const runs = await listRuns(runsDir, experimentsDir);
    expect(runs.map((r) => r.id)).toEqual([runIdAt(t0 + 1000), runIdAt(t0)]);
    expect(runs[0]).toMatchObject({ cluster: 'demo', recording: false, pruned: false, messages: null });
    expect((await findRun(runsDir, experimentsDir, null)).id).toBe(runIdAt(t0 + 1000));
    await expect(findRun(runsDir, experimentsDir, 'nope')).rejects.toThrow(/There is no recorded run "nope"/);
    expect(() => runDir(runsDir, '../../etc')).toThrow(/is not the name of a recorded run/);
    await expect(findRun(path.join(root, 'none'), experimentsDir, null)).rejects.toThrow(/No run is recorded/);
  });

  it('reads a window of messages, earliest first, one per message, within a limit', async () => {
    const t0 = Date.parse('2026-12-03T11:00:00.000Z');
    const recorder = await record(t0, [stateRecord(t0), ...[5, 1, 3, 9, 7].map((d) => msgRecord(t0 + d))]);
    const id = path.basename(recorder.runDir);
    // Messages sent up to 2 s before the window are read too (they may arrive in it).
    expect((await readRunMessages(runsDir, id, t0 + 3, t0 + 7, 10)).messages.map((m) => m.sentAt! - t0)).toEqual([1, 3, 5, 7]);
    expect((await readRunMessages(runsDir, id, t0 + 2004, t0 + 2010, 10)).messages.map((m) => m.sentAt! - t0)).toEqual([5, 7, 9]);
    expect(await readRunMessages(runsDir, id, t0, t0 + 10, 2)).toMatchObject({ truncated: true });
  });

  it('keeps the last emission of a message the stream emitted twice (alone, then completed)', async () => {
    const t0 = Date.parse('2026-12-03T11:30:00.000Z');
    const alone = message(42, 'Heartbeat', 'n1', 'n2', t0 + 1, null);
    const recorder = await record(t0, [stateRecord(t0), { k: 'msg', at: t0 + 1, m: alone }, { k: 'msg', at: t0 + 1, m: { ...alone, receivedAt: t0 + 2 } }]);
    const { messages } = await readRunMessages(runsDir, path.basename(recorder.runDir), t0, t0 + 10, 10);
    expect(messages).toEqual([{ ...alone, receivedAt: t0 + 2 }]);
  });

  it('joins the client operations of an experiment run meanwhile', async () => {
    const t0 = Date.parse('2026-12-03T11:00:00.000Z');
    const experiment = path.join(experimentsDir, runIdAt(t0 + 100));
    await fs.mkdir(experiment, { recursive: true });
    await fs.writeFile(path.join(experiment, 'history.jsonl'), [
      { process: 0, type: 'invoke', f: 'write', key: 'x', value: 4, time: 1_000_000 },
      { process: 0, type: 'ok', f: 'write', key: 'x', value: 4, time: 3_000_000 },
      { process: 1, type: 'invoke', f: 'read', key: 'x', value: null, time: 2_000_000 },
    ].map((l) => JSON.stringify(l)).join('\n') + '\n');
    const recorder = await record(t0, [stateRecord(t0), stateRecord(t0 + 500)]);
    const replay = await readRunForReplay(runsDir, experimentsDir, path.basename(recorder.runDir));
    expect(replay.run.experiments).toEqual([runIdAt(t0 + 100)]);
    const ops = replay.records.filter((r) => r.k === 'op').map((r) => (r.k === 'op' ? r.op : null));
    expect(ops).toEqual([
      { process: 0, f: 'write', key: 'x', value: '4', outcome: 'ok', startAt: t0 + 101, endAt: t0 + 103 },
      { process: 1, f: 'read', key: 'x', value: '', outcome: 'pending', startAt: t0 + 102, endAt: null },
    ]);
  });
});
