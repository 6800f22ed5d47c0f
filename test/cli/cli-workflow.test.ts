// The newcomer's path through README, as real subprocesses: init, up --detach, put/get, status,
// kill the leader and see another take over, down. Every process is gone at the end.

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../core/workspace/cli-name.js';
import { assignFreePorts, freePorts, waitFor } from '../helpers/test-cluster.js';
import { raftdesk, tearDownWorkspace } from '../helpers/cli-runner.js';
import { listRuns, readRunRecords, runDir } from '../../core/cluster/trace-reader.js';
import { workspacePaths } from '../../core/workspace/paths.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-cli-'));

interface StatusRow {
  id: string;
  role: string;
  term: number;
  commitIndex: number;
  lastKnown: boolean;
  state: string;
  pid: number | null;
  network: string;
}

async function status(): Promise<StatusRow[]> {
  const r = await raftdesk('status', dir, '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as StatusRow[];
}

afterAll(async () => {
  await tearDownWorkspace(dir);
});

describe('raftdesk CLI', () => {
  it('runs the README walk-through', async () => {
    const [base] = await freePorts(1);
    const init = await raftdesk('init', dir, '--nodes', '3', '--base-port', String(base), '--heartbeat', '50', '--election', '500');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Created 3-node cluster');
    await assignFreePorts(dir);

    const again = await raftdesk('init', dir);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`raftdesk: ${dir} already holds a cluster; pass --force to replace its cluster.json (node data is kept).`);

    const up = await raftdesk('up', dir, '--detach', '--json');
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const started = JSON.parse(up.stdout) as { leader: string; term: number };

    const rows = await status();
    expect(rows.map((r) => r.state)).toEqual(['running', 'running', 'running']);
    expect(rows.filter((r) => r.role === 'leader').length).toBe(1);

    expect((await raftdesk('put', dir, 'greeting', 'hello')).code).toBe(0);
    const get = await raftdesk('get', dir, 'greeting');
    expect(get.stdout.trim()).toBe('hello');
    const submit = await raftdesk('submit', dir, 'Value1', '--json');
    expect(JSON.parse(submit.stdout)).toMatchObject({ text: 'Value1' });
    const missing = await raftdesk('get', dir, 'nothing-here');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('raftdesk: The key "nothing-here" does not exist.');

    const leader = (await status()).find((r) => r.role === 'leader')!;
    expect((await raftdesk('fault', dir, 'kill', leader.id)).code).toBe(0);
    const next = await waitFor('a new leader after the kill', async () => (await status()).find((r) => r.role === 'leader' && r.id !== leader.id && r.term > started.term), 20_000);
    const killed = (await status()).find((r) => r.id === leader.id)!;
    expect(killed.state).toBe('killed');
    // Its last known values, marked as such, instead of zeros.
    expect(killed.lastKnown).toBe(true);
    expect(killed.term).toBeGreaterThanOrEqual(started.term);
    expect(killed.commitIndex).toBeGreaterThan(0);
    expect((await raftdesk('status', dir)).stdout).toContain('~ = last known value');

    // Slow links show in status, not only in the console.
    expect((await raftdesk('fault', dir, 'delay', next.id, '280', '--jitter', '20')).code).toBe(0);
    expect((await raftdesk('fault', dir, 'loss', next.id, '1')).code).toBe(0);
    expect((await status()).find((r) => r.id === next.id)!.network).toBe('delay 280±20 ms, loss 1%');
    expect((await raftdesk('status', dir)).stdout).toMatch(/delay 280±20 ms, loss 1%/);
    expect((await raftdesk('fault', dir, 'heal')).code).toBe(0);
    expect((await status()).find((r) => r.id === next.id)!.network).toBe('');
    expect((await raftdesk('get', dir, 'greeting')).stdout.trim()).toBe('hello');
    expect(next.id).not.toBe(leader.id);

    const badFault = await raftdesk('fault', dir, 'kill', 'n9');
    expect(badFault.code).not.toBe(0);
    expect(badFault.stderr.trim()).toBe('raftdesk: There is no node "n9"; the nodes are n1, n2, n3.');

    const pids = (await status()).map((r) => r.pid).filter((p): p is number => p !== null);
    const down = await raftdesk('down', dir);
    expect(down.code).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    // The run's recording holds what the CLI did, as it holds the console's operations.
    const paths = workspacePaths(dir);
    const [run] = await listRuns(paths.runs, path.join(paths.root, 'experiments'));
    const { records } = await readRunRecords(runDir(paths.runs, run!.id), (r) => r.k === 'op');
    const ops = records.flatMap((r) => (r.k === 'op' ? [r.op] : []));
    expect(ops.map(({ f, key, value, outcome }) => ({ f, key, value, outcome }))).toEqual(
      expect.arrayContaining([
        { f: 'write', key: 'greeting', value: 'hello', outcome: 'ok' },
        { f: 'read', key: 'greeting', value: 'hello', outcome: 'ok' },
        { f: 'submit', key: '', value: 'Value1', outcome: 'ok' },
        { f: 'read', key: 'nothing-here', value: '(absent)', outcome: 'ok' },
      ]),
    );
    for (const op of ops) expect(op.process).not.toBe(process.pid);
    const putWhileDown = await raftdesk('put', dir, 'k', 'v');
    expect(putWhileDown.code).toBe(1);
    expect(putWhileDown.stderr).toMatch(/^raftdesk: No node of the cluster accepted a connection \(.*\); is the cluster running\?\n$/);
    const after = await raftdesk('fault', dir, 'heal');
    expect(after.stderr.trim()).toBe(`raftdesk: The cluster in ${dir} is not running; start it with \`${cli(`up ${dir}`)}\`.`);
  }, 180_000); // a dozen CLI processes one after another: slow, not stuck, on a loaded two-core machine

  it('explains bad input in one line', async () => {
    const r = await raftdesk('status', path.join(dir, 'nope'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/is not a raftdesk workspace \(no cluster\.json\); create one with `(npx )?raftdesk init/);
    const badNumber = await raftdesk('init', path.join(dir, 'x'), '--nodes', 'many');
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr.trim()).toBe('raftdesk: --nodes must be a whole number from 1 to 15, not "many".');
  });
});
