// A paused node must stay paused, and alive, whatever happens to the process group its supervisor
// runs in. The kernel sends SIGHUP and then SIGCONT to a process group that becomes orphaned while
// one of its members is stopped (POSIX job control): a user's `nohup raftdesk up DIR &` whose shell
// exits, or a script's subshell that ends, did that to a paused node, which died of the SIGHUP.
// Real subprocesses: a job-control bash runs `up` as a background job in a subshell, n2 is paused,
// the subshell exits; n2 must still be stopped (state T), then resume and serve.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assignFreePorts, freePorts, waitFor } from '../helpers/test-cluster.js';
import { RAFTDESK_BIN, raftdesk, supervisorPid, tearDownWorkspace } from '../helpers/cli-runner.js';
import { processState } from '../helpers/process-state.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-orphaned-group-'));
const seenPids = new Set<number>();

interface NodeStatus {
  id: string;
  pid: number | null;
  state: string;
}

async function status(): Promise<NodeStatus[]> {
  const r = await raftdesk('status', dir, '--json');
  if (r.code !== 0) return [];
  const nodes = JSON.parse(r.stdout) as NodeStatus[];
  for (const n of nodes) if (n.pid !== null) seenPids.add(n.pid);
  return nodes;
}

afterAll(async () => {
  const supervisor = supervisorPid(dir);
  if (supervisor) seenPids.add(supervisor);
  await tearDownWorkspace(dir, seenPids);
});

describe('a paused node when its supervisor’s process group is orphaned', () => {
  it.skipIf(process.platform !== 'linux')('stays paused and alive, then resumes and serves', async () => {
    const [base] = await freePorts(1);
    expect((await raftdesk('init', dir, '--nodes', '3', '--base-port', String(base), '--heartbeat', '50', '--election', '500')).code).toBe(0);
    await assignFreePorts(dir);
    const go = path.join(dir, 'go');
    // `set -m`: the subshell is a job with a process group of its own, whose only tie to the rest
    // of the session is the subshell itself; `up` runs in that group, immune to SIGHUP as under nohup.
    const script = `set -m; ( nohup "${process.execPath}" "${RAFTDESK_BIN}" up "${dir}" > "${path.join(dir, 'up.log')}" 2>&1 & echo $! > "${path.join(dir, 'up.pid')}"; while [ ! -e "${go}" ]; do sleep 0.05; done ) & wait`;
    const shell = spawn('bash', ['-c', script], { stdio: 'ignore' });
    const shellDone = new Promise<void>((resolve) => shell.once('exit', () => resolve()));
    try {
      await waitFor('the cluster to be up', async () => (await status()).filter((n) => n.state === 'running').length === 3, 60_000, 200);
      seenPids.add(Number(readFileSync(path.join(dir, 'up.pid'), 'utf8')));
      expect((await raftdesk('fault', dir, 'pause', 'n2')).code).toBe(0);
      const n2 = (await status()).find((n) => n.id === 'n2')!;
      expect(n2.state).toBe('paused');
      expect(processState(n2.pid!)).toBe('T');

      // The subshell exits: its group is orphaned with a stopped member. The kernel signals the group
      // while the subshell exits, before bash can see it gone, so by the time bash exits it is done.
      writeFileSync(go, '');
      await shellDone;
      expect(processState(n2.pid!)).toBe('T');
      expect((await status()).find((n) => n.id === 'n2')).toMatchObject({ state: 'paused', pid: n2.pid });

      expect((await raftdesk('fault', dir, 'resume', 'n2')).code).toBe(0);
      await waitFor('n2 to run again', () => processState(n2.pid!) !== 'T');
      expect((await raftdesk('put', dir, 'k', 'v')).code).toBe(0);
      expect((await raftdesk('get', dir, 'k', '--node', 'n2')).stdout).toContain('v');
    } finally {
      writeFileSync(go, '');
      await shellDone;
    }
  }, 120_000);
});
