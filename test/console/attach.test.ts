// A console opened on a workspace whose cluster another raftdesk runs (`raftdesk up --detach`)
// drives that cluster through its control socket, leaves it running when it closes, and takes the
// workspace over once the cluster is stopped.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsoleService } from '../../core/console/console-service.js';
import { saveDefinition } from '../../core/workspace/workspace.js';
import { makeDefinition } from '../../core/workspace/definition.js';
import { workspacePaths } from '../../core/workspace/paths.js';
import { listRuns, readRunForReplay } from '../../core/cluster/trace-reader.js';
import { freePorts, waitFor } from '../helpers/test-cluster.js';
import { raftdesk } from '../helpers/cli-runner.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-attach-'));
const workspace = path.join(root, 'shared');

afterAll(async () => {
  await raftdesk('down', workspace);
  rmSync(root, { recursive: true, force: true });
});

describe('a console on a cluster run elsewhere', () => {
  it('drives it remotely, leaves it running on close, and takes over once it stops', async () => {
    const ports = await freePorts(6);
    const definition = makeDefinition({ name: 'shared', nodes: 3, basePort: 0, defaults: { heartbeatMs: 50, electionTimeoutMs: 500 } });
    definition.nodes.forEach((n, i) => {
      n.peerPort = ports[2 * i]!;
      n.clientPort = ports[2 * i + 1]!;
    });
    await saveDefinition(workspace, definition);
    expect((await raftdesk('up', workspace, '--detach')).code).toBe(0);

    const first = await createConsoleService({ workspacesRoot: root, workspace });
    expect(first.currentState().running).toBe(true);
    const states: boolean[] = [];
    first.onState((s) => states.push(s.running));
    const written = await first.submitEntry('from the console');
    expect(written).toMatchObject({ ok: true });
    const leader = first.currentState().leader!;
    await first.nodeAction(leader, 'kill');
    await waitFor('a new leader seen through the control socket', () => {
      const s = first.currentState();
      return s.leader && s.leader !== leader ? s.leader : null;
    });
    await expect(first.startCluster()).rejects.toThrow(/already running under another raftdesk/);
    await first.close();
    expect((await raftdesk('status', workspace, '--json')).stdout).toContain('"running"');

    const second = await createConsoleService({ workspacesRoot: root, workspace });
    await second.stopCluster();
    await waitFor('the console to take the workspace over', () => second.currentState().running === false || null);
    expect((await raftdesk('put', workspace, 'k', 'v')).code).toBe(1);
    await second.startCluster();
    expect(second.currentState().running).toBe(true);
    expect(await second.putKey('k', 'local')).toMatchObject({ ok: true });
    expect(await second.getKey('k')).toMatchObject({ ok: true, value: 'local' });
    await second.close();
    expect(states).toContain(true);

    // Both runs are recorded with the console's operations: the detached one (sent to it through
    // the control socket) and the console's own.
    const runsDir = workspacePaths(workspace).runs;
    const runs = await listRuns(runsDir, path.join(workspace, 'experiments'));
    expect(runs).toHaveLength(2);
    const opsOf = async (id: string) => (await readRunForReplay(runsDir, path.join(workspace, 'experiments'), id)).records.flatMap((r) => (r.k === 'op' ? [r.op] : []));
    const [newest, oldest] = runs;
    expect(await opsOf(oldest!.id)).toEqual([expect.objectContaining({ process: 0, f: 'submit', value: 'from the console', outcome: 'ok' })]);
    expect((await opsOf(newest!.id)).map((op) => [op.f, op.key, op.value, op.outcome])).toEqual([
      ['write', 'k', 'local', 'ok'],
      ['read', 'k', 'local', 'ok'],
    ]);
  });
});
