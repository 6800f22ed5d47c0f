// A minority partition cannot commit; the majority can; after healing every log is the same.

import { afterEach, describe, expect, it } from 'vitest';
import { ClientError, ClusterConnection, KvClient } from '../../core/client/cluster-client.js';
import type { TestCluster } from '../helpers/test-cluster.js';
import { startTestCluster, waitFor } from '../helpers/test-cluster.js';

let cluster: TestCluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

describe('partitions', () => {
  it('refuses writes in the minority with a clear error, commits in the majority, converges after heal', async () => {
    cluster = await startTestCluster({ nodes: 5 });
    const c = cluster;
    const leader = await c.leader();
    await c.client().put('before', '1');
    const others = c.definition.nodes.map((n) => n.id).filter((id) => id !== leader);
    const minority = [leader, others[0]!];
    const majority = others.slice(1);
    await c.supervisor.applyFault({ kind: 'partition', groups: [minority, majority] });

    const credentials = await c.supervisor.clientCredentials();
    const only = (ids: string[]) =>
      new ClusterConnection({ endpoints: c.supervisor.endpoints().filter((e) => ids.includes(e.id)), credentials, timeoutMs: 3000 });

    // The majority elects its own leader and commits.
    const majorityConnection = only(majority);
    const answer = await waitFor('a write to commit in the majority', () => new KvClient(majorityConnection).put('during', 'majority').catch(() => null), 20_000);
    expect(majority).toContain(answer.node);
    majorityConnection.close();

    // The minority cannot: its old leader steps down (check-quorum) and nobody there can commit.
    const minorityConnection = only(minority);
    const error = await new KvClient(minorityConnection).put('during', 'minority').then(
      () => null,
      (e: unknown) => e,
    );
    minorityConnection.close();
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).message).toMatch(/\.$/);
    expect((error as ClientError).message).not.toMatch(/\n|at .*\(/);

    await c.supervisor.healAll();
    const kv = c.client();
    const last = await kv.put('after', 'heal');
    expect((await kv.get('during')).value).toBe('majority');

    // Every node converges to the same log.
    await waitFor('every node to apply the last write', () => c.state().nodes.every((n) => n.appliedIndex >= last.index) || null, 20_000);
    const logs = await c.supervisor.readLogs(500);
    const common = Math.max(...logs.map((l) => l.firstIndex));
    const upTo = Math.min(...logs.map((l) => l.commitIndex));
    const slice = (l: (typeof logs)[number]) => l.entries.filter((e) => e.index >= common && e.index <= upTo).map((e) => `${e.index}/${e.term}/${e.kind}/${e.preview}`);
    for (const l of logs) expect(slice(l)).toEqual(slice(logs[0]!));
    expect(slice(logs[0]!).length).toBeGreaterThan(0);
  });
});
