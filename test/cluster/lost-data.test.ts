// A node that lost its data refuses to start under its identity, with a sentence saying how to
// replace it, and the advice works. Real 3-node clusters on 127.0.0.1 (disk storage), stopped by PID.

import { promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterConnection, KvClient } from '../../core/client/cluster-client.js';
import { workspacePaths } from '../../core/workspace/paths.js';
import { Supervisor } from '../../core/cluster/supervisor.js';
import type { TestCluster } from '../helpers/test-cluster.js';
import { startTestCluster, waitFor } from '../helpers/test-cluster.js';

let cluster: TestCluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

async function followerWithData(c: TestCluster): Promise<string> {
  const leader = await c.leader();
  const victim = c.definition.nodes.find((n) => n.id !== leader)!.id;
  let last = 0;
  for (let i = 0; i < 40; i++) last = (await c.client().put(`k${i}`, 'x'.repeat(200))).index;
  await waitFor(`${victim} to commit index ${last}`, () => (c.state().nodes.find((n) => n.id === victim)!.commitIndex >= last ? true : null));
  // The marker follows what is durable at most once a second; a stop flushes it.
  await c.supervisor.nodeAction(victim, 'stop');
  return victim;
}

async function startError(c: TestCluster, id: string): Promise<string> {
  const error = await c.supervisor.nodeAction(id, 'start').then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(Error);
  expect(c.state().nodes.find((n) => n.id === id)!.state).not.toBe('running');
  return error!.message;
}

describe('a node that lost its data', () => {
  it('refuses to start with an empty data folder, and the advice it gives works', async () => {
    cluster = await startTestCluster({ nodes: 3, defaults: { storage: 'disk' } });
    const c = cluster;
    const victim = await followerWithData(c);
    await fs.rm(workspacePaths(c.dir).nodeData(victim), { recursive: true, force: true });

    const message = await startError(c, victim);
    expect(message).toMatch(new RegExp(`^${victim} has lost data: its data folder is empty, but it had made term \\d+ and commit index \\d+ durable before`));
    expect(message).toContain('or stop the cluster and delete');
    expect(message).not.toMatch(/\n\s+at /);
    // The others go on serving.
    await c.client().put('still', 'serving');

    // What the sentence says to do: stop, delete nodes/ and identity/, start afresh.
    await c.supervisor.stop();
    await fs.rm(path.join(c.dir, 'nodes'), { recursive: true, force: true });
    await fs.rm(path.join(c.dir, 'identity'), { recursive: true, force: true });
    // A new incarnation (its own supervisor: its terms start again at 1).
    const fresh = await Supervisor.open(c.dir);
    try {
      await fresh.start();
      await fresh.waitForLeader(15_000);
      const connection = new ClusterConnection({ endpoints: fresh.endpoints(), credentials: await fresh.clientCredentials(), timeoutMs: 8000 });
      try {
        expect((await new KvClient(connection).get('k0')).value).toBeNull();
      } finally {
        connection.close();
      }
    } finally {
      await fresh.stop();
    }
  }, 60_000);

  it('is replaced through membership as the sentence says: removed, and a new empty node added (even under its old ID)', async () => {
    cluster = await startTestCluster({ nodes: 3, defaults: { storage: 'disk' } });
    const c = cluster;
    const victim = await followerWithData(c);
    await fs.rm(workspacePaths(c.dir).nodeData(victim), { recursive: true, force: true });
    const message = await startError(c, victim);
    expect(message).toContain(`raftdesk member remove ${c.dir} ${victim}`);

    await c.supervisor.removeMember(victim);
    expect(c.state().nodes.map((n) => n.id)).not.toContain(victim);
    await c.supervisor.addMember({ id: 'n4' });
    // The ID of the removed node is free again: its marker went aside with its data.
    await c.supervisor.addMember({ id: victim });
    const w = await c.client().put('after', 'replaced');
    for (const id of ['n4', victim]) {
      await waitFor(`${id} to apply ${w.index}`, () => (c.state().nodes.find((n) => n.id === id)?.appliedIndex ?? 0) >= w.index);
    }
    expect((await c.client().get('k0')).value).toBe('x'.repeat(200));
  }, 90_000);

  it('refuses to start on a WAL truncated below what it had made durable', async () => {
    cluster = await startTestCluster({ nodes: 3, defaults: { storage: 'disk' } });
    const c = cluster;
    const victim = await followerWithData(c);
    const dir = workspacePaths(c.dir).nodeData(victim);
    const segments = readdirSync(dir).filter((f) => f.endsWith('.wal')).sort();
    const file = path.join(dir, segments[segments.length - 1]!);
    const { size } = await fs.stat(file);
    await fs.truncate(file, Math.floor(size / 2));

    const message = await startError(c, victim);
    expect(message).toMatch(new RegExp(`^${victim} has lost data: its log ends at term \\d+, commit index \\d+, but it had made term \\d+ and commit index \\d+ durable before`));
    await c.client().put('still', 'serving');
  }, 60_000);

  it('starts as before after an ordinary stop, kill and restart', async () => {
    cluster = await startTestCluster({ nodes: 3, defaults: { storage: 'disk' } });
    const c = cluster;
    const victim = await followerWithData(c);
    await c.supervisor.nodeAction(victim, 'start');
    await c.supervisor.nodeAction(victim, 'kill');
    await c.supervisor.nodeAction(victim, 'start');
    const w = await c.client().put('after', 'restarts');
    await waitFor(`${victim} to apply ${w.index}`, () => (c.state().nodes.find((n) => n.id === victim)!.appliedIndex >= w.index ? true : null));
  }, 60_000);
});
