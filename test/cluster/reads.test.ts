// Reads on real nodes: linearizable reads use ReadIndex (no log entry) and are served by followers
// too (no redirect); a leader cut off from the majority answers no linearizable read; lease reads
// exist only where cluster.json allows them.

import { afterEach, describe, expect, it } from 'vitest';
import { ClientError, ClusterConnection, KvClient, type ReadConsistency } from '../../core/client/cluster-client.js';
import type { TestCluster } from '../helpers/test-cluster.js';
import { startTestCluster, waitFor } from '../helpers/test-cluster.js';

let cluster: TestCluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

/** A read, retried while leadership moves (what a client is told then: 503, retry it). On a busy
 *  two-core machine a node can be starved past its election timeout just after the cluster starts
 *  (run 16 of the ten-runs loop). */
async function getRetrying(kv: KvClient, key: string, options: { consistency?: ReadConsistency; node?: string }) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await kv.get(key, options);
    } catch (e) {
      if (!(e instanceof ClientError) || e.code !== 'unavailable' || attempt === 5) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function lastIndexes(c: TestCluster): Promise<number[]> {
  const logs = await c.supervisor.readLogs(1);
  return logs.map((l) => l.lastIndex);
}

describe('reads without the log', () => {
  it('every node answers a linearizable read itself, with the latest acknowledged write, and the log does not grow', async () => {
    cluster = await startTestCluster({ nodes: 3 });
    const c = cluster;
    await c.leader();
    const kv = c.client();
    const written = await kv.put('k', 'v1');
    await waitFor('every node to apply the write', () => c.state().nodes.every((n) => n.appliedIndex >= written.index) || null);
    const before = await lastIndexes(c);
    for (const node of c.definition.nodes.map((n) => n.id)) {
      const read = await kv.get('k', { node });
      // The answer says which path it took and the indexes it reflects.
      expect(read).toMatchObject({ value: 'v1', node, consistency: 'linearizable' });
      expect(read.readIndex).toBeGreaterThanOrEqual(written.index);
      expect(read.appliedIndex).toBeGreaterThanOrEqual(read.readIndex!);
      // So does the answer for an absent key (404), and a local read has no read index.
      const absent = await kv.get('absent', { node });
      expect(absent).toMatchObject({ value: null, node, consistency: 'linearizable' });
      expect(absent.readIndex).toBeGreaterThanOrEqual(written.index);
      const local = await kv.get('k', { node, consistency: 'local' });
      expect(local).toMatchObject({ value: 'v1', consistency: 'local', readIndex: null });
      expect(local.appliedIndex).toBeGreaterThanOrEqual(written.index);
    }
    // A follower answers a read of a write it may not have applied yet only after applying it.
    const second = await kv.put('k', 'v2');
    for (const node of c.definition.nodes.map((n) => n.id)) expect((await kv.get('k', { node })).value).toBe('v2');
    const after = await lastIndexes(c);
    expect(after.map((i) => i - second.index + written.index)).toEqual(before);
  });

  it('a leader cut off from the majority answers no linearizable read, while the majority answers with the new value', async () => {
    cluster = await startTestCluster({ nodes: 3 });
    const c = cluster;
    const leader = await c.leader();
    await c.client().put('k', 'old');
    await c.supervisor.applyFault({ kind: 'isolate', node: leader });
    const credentials = await c.supervisor.clientCredentials();
    const others = c.supervisor.endpoints().filter((e) => e.id !== leader);
    const majority = new ClusterConnection({ endpoints: others, credentials, timeoutMs: 3000 });
    await waitFor('the majority to commit a new value', () => new KvClient(majority).put('k', 'new').catch(() => null), 20_000);
    const isolated = new ClusterConnection({ endpoints: c.supervisor.endpoints().filter((e) => e.id === leader), credentials, timeoutMs: 2000 });
    const stale = await new KvClient(isolated).get('k', { node: leader }).then(
      (r) => r.value,
      (e: unknown) => e,
    );
    expect(stale).toBeInstanceOf(ClientError);
    // Its own copy is still the old value: what a local read would (and may) return.
    expect((await new KvClient(isolated).get('k', { node: leader, consistency: 'local' })).value).toBe('old');
    expect((await new KvClient(majority).get('k')).value).toBe('new');
    isolated.close();
    majority.close();
  });

  it('refuses lease reads unless cluster.json allows them, and serves them where it does', async () => {
    cluster = await startTestCluster({ nodes: 3 });
    await cluster.leader();
    await cluster.client().put('k', 'v');
    const refused = await cluster
      .client()
      .get('k', { consistency: 'lease' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(ClientError);
    expect((refused as ClientError).message).toMatch(/leaseReads/);
    await cluster.stop();

    cluster = await startTestCluster({ nodes: 3, defaults: { leaseReads: true } });
    const leader = await cluster.leader();
    await cluster.client().put('k', 'v');
    for (const node of cluster.definition.nodes.map((n) => n.id)) expect((await getRetrying(cluster.client(), 'k', { node, consistency: 'lease' })).value).toBe('v');
    expect(leader).toBeTruthy();
  });
});
