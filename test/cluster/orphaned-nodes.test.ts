// No node may outlive its supervisor, paused or not: a SIGSTOPped node cannot notice that its
// parent died, so something that is not paused must SIGKILL it. Real subprocesses through the CLI:
// up --detach, pause a node, SIGKILL the detached supervisor; every node must go, and `up` must work
// again on the same ports. Every PID is killed at the end whatever happens.

import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assignFreePorts, freePorts, waitFor } from '../helpers/test-cluster.js';
import { processState } from '../helpers/process-state.js';
import { raftdesk, supervisorPid, tearDownWorkspace } from '../helpers/cli-runner.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-orphans-'));
const seenPids = new Set<number>();

/** Alive and not a zombie (a container's PID 1 may not reap the orphans it adopts). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  const state = processState(pid);
  return state !== null && state !== 'Z';
}

async function nodePids(): Promise<number[]> {
  const r = await raftdesk('status', dir, '--json');
  const pids = (JSON.parse(r.stdout) as { pid: number | null }[]).map((n) => n.pid).filter((p): p is number => p !== null);
  for (const p of pids) seenPids.add(p);
  return pids;
}

afterAll(async () => {
  await tearDownWorkspace(dir, seenPids);
});

describe('a supervisor that dies', () => {
  it('takes every node with it, paused ones too, so that `up` works again', async () => {
    const [base] = await freePorts(1);
    expect((await raftdesk('init', dir, '--nodes', '3', '--base-port', String(base), '--heartbeat', '50', '--election', '500')).code).toBe(0);
    await assignFreePorts(dir);
    const up = await raftdesk('up', dir, '--detach');
    expect(up.stderr).toBe('');
    const pids = await nodePids();
    expect(pids).toHaveLength(3);
    expect((await raftdesk('fault', dir, 'pause', 'n2')).code).toBe(0);

    const supervisor = supervisorPid(dir)!;
    seenPids.add(supervisor);
    process.kill(supervisor, 'SIGKILL');
    await waitFor('the supervisor to die', () => !alive(supervisor));
    await waitFor('every node, the paused one included, to be gone', () => pids.every((p) => !alive(p)), 10_000);

    const again = await raftdesk('up', dir, '--detach');
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(await nodePids()).toHaveLength(3);
    expect((await raftdesk('down', dir)).code).toBe(0);
  }, 90_000);

  it.skipIf(process.platform !== 'linux')('leaves a paused node that `down` (or `up`) kills when its reaper died too', async () => {
    const up = await raftdesk('up', dir, '--detach');
    expect(up.stderr).toBe('');
    const pids = await nodePids();
    const n2 = (JSON.parse((await raftdesk('status', dir, '--json')).stdout) as { id: string; pid: number }[]).find((n) => n.id === 'n2')!.pid;
    expect((await raftdesk('fault', dir, 'pause', 'n2')).code).toBe(0);
    const supervisor = supervisorPid(dir)!;
    seenPids.add(supervisor);
    const children = readFileSync(`/proc/${supervisor}/task/${supervisor}/children`, 'utf8').trim().split(/\s+/).map(Number);
    const reaper = children.find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('reaper'));
    expect(reaper).toBeDefined();
    seenPids.add(reaper!);
    process.kill(reaper!, 'SIGKILL');
    process.kill(supervisor, 'SIGKILL');
    await waitFor('the running nodes to exit by themselves', () => pids.filter((p) => p !== n2).every((p) => !alive(p)), 10_000);
    expect(alive(n2)).toBe(true);

    const down = await raftdesk('down', dir);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain(`killed the node processes it left behind: n2 (pid ${n2})`);
    expect(alive(n2)).toBe(false);
    const again = await raftdesk('up', dir, '--detach');
    expect(again.stderr).toBe('');
    expect((await raftdesk('down', dir)).code).toBe(0);
  }, 90_000);
});
