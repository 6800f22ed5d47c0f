// Real processes on 127.0.0.1: election, replication through any node, leader failure (SIGKILL and
// SIGSTOP), recovery from disk. Every cluster is stopped by its test, every node by PID.

import { afterEach, describe, expect, it } from 'vitest';
import { ClusterConnection, KvClient } from '../../core/client/cluster-client.js';
import type { TestCluster } from '../helpers/test-cluster.js';
import { startTestCluster, waitFor } from '../helpers/test-cluster.js';

let cluster: TestCluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

/** Waits until `node` has applied index, then reads key from that node's own state machine. */
async function readOn(c: TestCluster, node: string, key: string, index: number): Promise<string | null> {
  await waitFor(`${node} to apply index ${index}`, () => (c.state().nodes.find((n) => n.id === node)!.appliedIndex >= index ? true : null));
  return (await c.client().get(key, { consistency: 'local', node })).value;
}

describe.each([3, 5])('a %i-node cluster', (size) => {
  it('elects exactly one leader, commits writes sent to any node and serves them from every node', async () => {
    cluster = await startTestCluster({ nodes: size });
    const c = cluster;
    const leader = await c.leader();
    const state = c.state();
    expect(state.nodes.every((n) => n.state === 'running')).toBe(true);
    expect(state.nodes.filter((n) => n.role === 'leader').map((n) => n.id)).toEqual([leader]);
    await waitFor('every node to know the leader', () => c.state().nodes.every((n) => n.leader === leader));

    // A write addressed to each node in turn: followers redirect to the leader.
    const ids = c.definition.nodes.map((n) => n.id);
    let last = 0;
    for (const first of ids) {
      const endpoints = c.supervisor.endpoints();
      const ordered = [...endpoints.filter((e) => e.id === first), ...endpoints.filter((e) => e.id !== first)];
      const connection = new ClusterConnection({ endpoints: ordered, credentials: await c.supervisor.clientCredentials(), timeoutMs: 8000 });
      try {
        const answer = await new KvClient(connection).put(`via-${first}`, `value-${first}`);
        expect(answer.node).toBe(leader);
        expect(answer.index).toBeGreaterThan(last);
        last = answer.index;
      } finally {
        connection.close();
      }
    }
    for (const node of ids) for (const first of ids) expect(await readOn(c, node, `via-${first}`, last)).toBe(`value-${first}`);
  });
});

describe('leader failure', () => {
  it('replaces a SIGKILLed leader, loses no acknowledged write, and recovers everything from disk', async () => {
    cluster = await startTestCluster({ nodes: 3, defaults: { storage: 'disk' } });
    const c = cluster;
    const kv = c.client();
    const first = await c.leader();
    const acked = new Map<string, string>();
    for (let i = 0; i < 20; i++) {
      await kv.put(`k${i}`, `v${i}`);
      acked.set(`k${i}`, `v${i}`);
    }
    const termBefore = c.state().term;
    await c.supervisor.nodeAction(first, 'kill');
    expect(c.state().nodes.find((n) => n.id === first)!.state).toBe('killed');
    const second = await c.leader();
    expect(second).not.toBe(first);
    expect(c.state().term).toBeGreaterThan(termBefore);
    for (const [k, v] of acked) expect((await kv.get(k)).value).toBe(v);
    await kv.put('after-failover', 'yes');
    acked.set('after-failover', 'yes');

    // Every node down at once, then up again: the state comes back from the WALs alone.
    await c.supervisor.nodeAction(first, 'start');
    for (const n of c.definition.nodes) await c.supervisor.nodeAction(n.id, 'kill');
    for (const n of c.definition.nodes) await c.supervisor.nodeAction(n.id, 'start');
    await c.leader();
    for (const [k, v] of acked) expect((await kv.get(k)).value).toBe(v);
  });

  it('replaces a paused (SIGSTOP) leader, which steps down once resumed', async () => {
    cluster = await startTestCluster({ nodes: 3 });
    const c = cluster;
    const paused = await c.leader();
    const term = c.state().term;
    await c.supervisor.nodeAction(paused, 'pause');
    const next = await waitFor('a new leader while the old one is paused', () => {
      const s = c.state();
      const l = s.nodes.find((n) => n.role === 'leader' && n.id !== paused && n.state === 'running');
      return l && l.term > term ? l.id : null;
    });
    await c.client().put('while-paused', '1');
    await c.supervisor.nodeAction(paused, 'resume');
    await waitFor(`${paused} to step down after resuming`, () => {
      const old = c.state().nodes.find((n) => n.id === paused)!;
      return old.role === 'follower' && old.leader === next ? true : null;
    });
    expect(await c.leader()).toBe(next);
  });
});

describe('log compaction in real processes', () => {
  it('snapshots often, restarts every node from its snapshot, and keeps one leader per term', async () => {
    cluster = await startTestCluster({ nodes: 3, defaults: { storage: 'disk', snapshotEntries: 20 } });
    const c = cluster;
    const kv = c.client();
    await c.leader();
    for (let i = 0; i < 120; i++) await kv.put(`c${i % 7}`, `v${i}`);
    await waitFor('every node to take a snapshot', () => c.state().nodes.every((n) => n.snapshotIndex >= 20) || null);
    for (let round = 0; round < 2; round++) {
      for (const n of c.definition.nodes) await c.supervisor.nodeAction(n.id, 'stop');
      for (const n of c.definition.nodes) await c.supervisor.nodeAction(n.id, 'start');
      await c.leader();
      for (let i = 0; i < 7; i++) expect((await kv.get(`c${i}`)).value).toBe(`v${119 - ((119 - i) % 7)}`);
      c.assertOneLeaderPerTerm();
    }
  });
});
