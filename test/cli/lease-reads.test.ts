// What a lease read assumes, shown on real processes: a leader stopped with SIGSTOP does not see
// time pass, so when it resumes it still believes in its lease. Cut off from the others' answers
// (the one-way cut stands for messages still in flight), it serves a lease read from its old state
// after a new leader has acknowledged a newer write: a stale read. The same node asked for a
// linearizable (ReadIndex) read cannot confirm it leads, and answers nothing rather than old data.
// Real subprocesses on 127.0.0.1, every one stopped at the end.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterConnection, KvClient } from '../../core/client/cluster-client.js';
import { loadClientCredentials } from '../../core/pki/credentials.js';
import { raftdesk, tearDownWorkspace } from '../helpers/cli-runner.js';
import { assignFreePorts, freePorts, waitFor } from '../helpers/test-cluster.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-lease-'));
/** Long, so that the lease outlasts the steps between resuming the old leader and reading from it
 *  (election timeout minus two heartbeats of the old leader's own ticks) even on a loaded machine. */
const ELECTION_MS = 3000;

afterAll(async () => {
  await tearDownWorkspace(dir);
});

async function ok(...args: string[]): Promise<string> {
  const r = await raftdesk(...args);
  expect(r.stderr, `raftdesk ${args.join(' ')}`).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

async function leaderOf(among: string[]): Promise<{ id: string; term: number } | null> {
  const rows = JSON.parse(await ok('status', dir, '--json')) as { id: string; role: string; term: number }[];
  return rows.find((r) => r.role === 'leader' && among.includes(r.id)) ?? null;
}

describe('lease reads', () => {
  it('return stale data from a leader that was paused, where ReadIndex refuses', { timeout: 180_000 }, async () => {
    const [base] = await freePorts(1);
    await ok('init', dir, '--nodes', '3', '--base-port', String(base), '--heartbeat', '100', '--election', String(ELECTION_MS), '--quiet');
    await assignFreePorts(dir);
    const file = path.join(dir, 'cluster.json');
    const definition = JSON.parse(readFileSync(file, 'utf8')) as { defaults: Record<string, unknown>; nodes: { id: string; clientPort: number }[] };
    definition.defaults.leaseReads = true;
    writeFileSync(file, JSON.stringify(definition, null, 2));
    await ok('up', dir, '--detach');
    await ok('put', dir, 'k', 'old');

    const ids = definition.nodes.map((n) => n.id);
    const old = (await waitFor('a leader', () => leaderOf(ids), 60_000))!;
    const others = ids.filter((id) => id !== old.id);
    const endpoints = definition.nodes.map((n) => ({ id: n.id, url: `https://127.0.0.1:${n.clientPort}` }));
    const connection = new ClusterConnection({ endpoints, credentials: await loadClientCredentials(path.join(dir, 'pki')), timeoutMs: 3000 });
    try {
      const kv = new KvClient(connection);
      // While it holds a lease, the leader answers without a round.
      expect(await kv.get('k', { consistency: 'lease', node: old.id })).toMatchObject({ value: 'old', consistency: 'lease' });

      // Stop the leader, and hold back what the others send it.
      await ok('fault', dir, 'pause', old.id);
      await ok('fault', dir, 'partition', others.join(','), '--from', old.id, '--one-way');
      const next = (await waitFor('a new leader among the others', () => leaderOf(others), 60_000, 200))!;
      expect(next.term).toBeGreaterThan(old.term);
      await ok('put', dir, 'k', 'new');

      await ok('fault', dir, 'resume', old.id);
      const stale = await kv.get('k', { consistency: 'lease', node: old.id });
      // The write of "new" was acknowledged before this read began: a linearizable read must see it.
      expect(stale).toMatchObject({ value: 'old', consistency: 'lease', node: old.id });

      // ReadIndex on the same node needs a majority's answer to a heartbeat round: none comes.
      await expect(kv.get('k', { node: old.id })).rejects.toThrow();
      // The rest of the cluster answers with the newer value.
      expect(await kv.get('k', { node: next.id })).toMatchObject({ value: 'new', consistency: 'linearizable' });
    } finally {
      connection.close();
    }
  });
});
