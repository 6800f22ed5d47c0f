// `raftdesk runs` and `raftdesk trace` over a recorded run written by the real recorder (no nodes).

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runsCommand, traceCommand } from '../../core/cli/commands/runs.js';
import { TraceRecorder } from '../../core/cluster/trace-recorder.js';
import { runIdAt } from '../../core/cluster/trace-files.js';
import { makeDefinition } from '../../core/workspace/definition.js';
import { workspacePaths } from '../../core/workspace/paths.js';
import { saveDefinition } from '../../core/workspace/workspace.js';
import { message, node, state } from '../trace/fixtures.js';

let dir: string;
let out: string[];
const t0 = Date.parse('2026-12-03T09:00:00.000Z');

beforeEach(async () => {
  dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'raftdesk-runs-')), 'demo');
  await saveDefinition(dir, makeDefinition({ name: 'demo', nodes: 3, basePort: 7000 }));
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(path.dirname(dir), { recursive: true, force: true });
});

async function recordRun(): Promise<string> {
  const recorder = await TraceRecorder.open({ runsDir: workspacePaths(dir).runs, maxBytes: 1 << 20, meta: { id: runIdAt(t0), cluster: 'demo', nodes: ['n1', 'n2', 'n3'], startedAt: t0 }, flushMs: 60_000 });
  recorder.add({ k: 'state', at: t0, state: state(t0, [node('n1', { role: 'leader' }), node('n2'), node('n3')]) });
  recorder.add({ k: 'msg', at: t0 + 100, m: message(1, 'Vote', 'n1', 'n2', t0 + 100, t0 + 101) });
  recorder.add({ k: 'msg', at: t0 + 102, m: message(2, 'VoteResp', 'n2', 'n1', t0 + 102, t0 + 103) });
  recorder.add({ k: 'msg', at: t0 + 9000, m: message(3, 'App', 'n1', 'n3', t0 + 9000, t0 + 9001) });
  await recorder.close();
  return runIdAt(t0);
}

describe('raftdesk runs', () => {
  it('says there is none yet', async () => {
    await runsCommand(dir, {});
    expect(out.join('')).toMatch(/^No run is recorded in .*runs yet/);
  });

  it('lists a recorded run with the bound', async () => {
    const id = await recordRun();
    await runsCommand(dir, {});
    expect(out[0]).toContain(id);
    expect(out[0]).toContain('3 nodes');
    expect(out.at(-1)).toMatch(/^1 run, .* MB of 256 MB \(defaults\.traceMaxMb\); the oldest records are pruned first\.$/m);
    out.length = 0;
    await runsCommand(dir, { json: true });
    const listed = JSON.parse(out.join('')) as { runs: { id: string }[]; traceMaxMb: number };
    expect(listed.runs.map((r) => r.id)).toEqual([id]);
    expect(listed.traceMaxMb).toBe(256);
  });
});

describe('raftdesk trace', () => {
  it('writes the window as a spacetime SVG', async () => {
    await recordRun();
    const file = path.join(path.dirname(dir), 'election.svg');
    await traceCommand(dir, { svg: file, from: '0', to: '1' });
    expect(out.join('')).toMatch(/^Wrote 2 messages of run /);
    const svg = await fs.readFile(file, 'utf8');
    expect(svg).toContain('<title>Vote n1→n2, term 1, 1.00 ms in flight</title>');
    expect(svg).not.toContain('App n1→n3');
  });

  it('refuses what it cannot do, in one sentence', async () => {
    await expect(traceCommand(dir, { svg: 'x.svg' })).rejects.toThrow(/^No run is recorded in /);
    await recordRun();
    await expect(traceCommand(dir, {})).rejects.toThrow(/^Say where to write the diagram: --svg FILE/);
    await expect(traceCommand(dir, { svg: 'x.svg', from: '2', to: '1' })).rejects.toThrow(/--to \(1 s\) must come after --from \(2 s\)/);
    await expect(traceCommand(dir, { svg: 'x.svg', from: 'soon' })).rejects.toThrow(/--from must be a number of seconds/);
    await expect(traceCommand(dir, { svg: 'x.svg', run: 'nope' })).rejects.toThrow(/There is no recorded run "nope"/);
  });
});
