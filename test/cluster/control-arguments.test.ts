// The supervisor's control socket checks every call's arguments with the schemas the console's
// front doors use: a call that does not fit is refused with one sentence, never a raw TypeError, and
// never reaches the supervisor. A real (stopped) supervisor serves the socket, as `raftdesk up` does.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callControl, serveControl, supervisorHandlers } from '../../core/cluster/control.js';
import { makeDefinition } from '../../core/workspace/definition.js';
import { Supervisor } from '../../core/cluster/supervisor.js';
import { saveDefinition } from '../../core/workspace/workspace.js';

const workspace = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-control-args-'));
let control: { close(): Promise<void> };
let supervisor: Supervisor;

beforeAll(async () => {
  await saveDefinition(workspace, makeDefinition({ name: 'control-args', nodes: 3, basePort: 17001 }));
  supervisor = await Supervisor.open(workspace);
  control = await serveControl(workspace, supervisorHandlers(supervisor, async () => undefined));
});

afterAll(async () => {
  await control.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('the control socket', () => {
  it.each([
    ['nodeAction', ['n1', 'explode'], 'The nodeAction request was refused: the action must be one of start, stop, restart, kill, pause, resume, not "explode".'],
    ['applyFault', [null], 'The applyFault request was refused: the fault must be an object, not null.'],
    ['applyFault', [{ kind: 'isolate' }], 'The applyFault request was refused: the node in the fault is missing.'],
    ['readLogs', [-1], 'The readLogs request was refused: the number of entries must be at least 0, not -1.'],
    ['waitForLeader', ['soon'], 'The waitForLeader request was refused: the time to wait must be a number, not "soon".'],
    ['healAll', [1], 'The healAll request was refused: it takes no arguments; it got one argument.'],
    ['addMember', [{ id: 'n4', peerPort: 'high' }], 'The addMember request was refused: the peer port in the new member must be a number, not "high".'],
    ['removeMember', [], 'The removeMember request was refused: it takes the node ID; it got none.'],
    ['runExperiment', [{ durationSec: -1 }], 'Unknown control method runExperiment.'],
  ] as const)('refuses %s %j with one sentence', async (method, args, sentence) => {
    await expect(callControl(workspace, method, [...args], 5000)).rejects.toThrow(sentence);
  });

  it('leaves the faults as they were after a refused call', async () => {
    await expect(callControl(workspace, 'applyFault', [{ kind: 'cut', from: 'n1' }], 5000)).rejects.toThrow(/the "to" node in the fault is missing/);
    expect(supervisor.state().links.every((l) => !l.cut)).toBe(true);
  });

  it('serves a call that fits, with an omitted trailing argument sent as null', async () => {
    await callControl(workspace, 'applyFault', [{ kind: 'cut', from: 'n1', to: 'n2' }], 5000);
    expect(supervisor.state().links.find((l) => l.from === 'n1' && l.to === 'n2')?.cut).toBe(true);
    const logs = (await callControl(workspace, 'readLogs', [5, undefined], 5000)) as { unavailable: string }[];
    expect(logs.map((l) => l.unavailable)).toEqual(['n1 is not running.', 'n2 is not running.', 'n3 is not running.']);
  });
});
