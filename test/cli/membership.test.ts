// Runtime membership from the CLI, as real subprocesses: a 3-node cluster grows to 5 and shrinks
// back to 3 — removing the leader among others, and moving the leader — while a client appends
// without pause. No acknowledged append may be lost or applied twice, and the refusals are
// sentences. Every process is stopped at the end.

import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterConnection, KvClient } from '../../core/client/cluster-client.js';
import { loadClientCredentials } from '../../core/pki/credentials.js';
import { assignFreePorts, freePorts, waitFor } from '../helpers/test-cluster.js';
import { raftdesk, tearDownWorkspace } from '../helpers/cli-runner.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-members-'));

async function ok(...args: string[]): Promise<string> {
  const r = await raftdesk(...args);
  expect(r.stderr, `raftdesk ${args.join(' ')}`).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

interface Member {
  id: string;
  voter: boolean;
  state: string;
}

async function members(): Promise<Member[]> {
  return JSON.parse(await ok('member', 'list', dir, '--json')) as Member[];
}

async function leader(): Promise<string> {
  const rows = JSON.parse(await ok('status', dir, '--json')) as { id: string; role: string; state: string }[];
  return waitFor('one leader', () => rows.find((r) => r.role === 'leader' && r.state === 'running')?.id);
}

afterAll(async () => {
  await tearDownWorkspace(dir);
});

describe('raftdesk member', () => {
  it('grows a cluster from 3 to 5 and shrinks it to 3 while a client writes, losing nothing', { timeout: 300_000 }, async () => {
    const [base] = await freePorts(1);
    await ok('init', dir, '--nodes', '3', '--base-port', String(base), '--heartbeat', '50', '--election', '500', '--quiet');
    await assignFreePorts(dir);
    const [p4, c4, p5, c5] = await freePorts(4);
    await ok('up', dir, '--detach');

    // A client that knows every address the cluster will have, appending one token after another.
    const founders = (JSON.parse(readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as { nodes: { id: string; clientPort: number }[] }).nodes;
    const endpoints = [...founders.map((n) => ({ id: n.id, port: n.clientPort })), { id: 'n4', port: c4! }, { id: 'n5', port: c5! }].map((e) => ({ id: e.id, url: `https://127.0.0.1:${e.port}` }));
    const connection = new ClusterConnection({ endpoints, credentials: await loadClientCredentials(path.join(dir, 'pki')), timeoutMs: 20_000 });
    const kv = new KvClient(connection);
    const acknowledged: string[] = [];
    let writing = true;
    let writeError: Error | null = null;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        try {
          await kv.append('log', `${i};`);
          acknowledged.push(`${i};`);
        } catch (e) {
          writeError = e as Error;
          return;
        }
      }
    })();

    try {
      expect(await ok('member', 'add', dir, 'n4', '--peer-port', String(p4), '--client-port', String(c4))).toContain('n4 is a voter');
      expect(await ok('member', 'add', dir, 'n5', '--peer-port', String(p5), '--client-port', String(c5), '--learner')).toContain('n5 is a learner');
      expect((await members()).map((m) => `${m.id}:${m.voter ? 'voter' : 'learner'}`).sort()).toEqual(['n1:voter', 'n2:voter', 'n3:voter', 'n4:voter', 'n5:learner']);
      const learnerStatus = JSON.parse(await ok('status', dir, '--json')) as { id: string; voter: boolean }[];
      expect(learnerStatus.find((r) => r.id === 'n5')!.voter).toBe(false);
      // Each node reports the configuration it has applied: all five agree on the newest once they applied it.
      const agreed = await waitFor(
        'every running node on the newest configuration',
        async () => {
          const rows = JSON.parse(await ok('status', dir, '--json')) as { state: string; configurationIndex: number | null; configurationBehind: boolean }[];
          const indexes = new Set(rows.map((r) => r.configurationIndex));
          return rows.length === 5 && rows.every((r) => r.state === 'running' && !r.configurationBehind) && indexes.size === 1 ? [...indexes][0] : undefined;
        },
        30_000,
        200,
      );
      expect(agreed).toBeGreaterThan(0);
      expect(await ok('status', dir)).toContain(`@${agreed}`);
      expect(await ok('member', 'promote', dir, 'n5')).toContain('n5 is a voter');

      // Shrink: the leader first, then another founder.
      const first = await leader();
      expect(await ok('member', 'remove', dir, first)).toContain(`${first} was removed`);
      const second = ['n1', 'n2', 'n3'].find((id) => id !== first)!;
      await ok('member', 'remove', dir, second);
      // And move the leader while writes go on.
      const now = await leader();
      const target = (await members()).find((m) => m.id !== now)!.id;
      expect(await ok('transfer', dir, '--to', target)).toContain(`to ${target}`);

      const left = await members();
      expect(left.map((m) => m.id).sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5'].filter((id) => id !== first && id !== second));
      expect(left.every((m) => m.voter && m.state === 'running')).toBe(true);
      // Removed nodes' processes are gone and their data was set aside, not deleted.
      const folders = readdirSync(path.join(dir, 'nodes'));
      for (const id of [first, second]) {
        expect(existsSync(path.join(dir, 'nodes', id))).toBe(false);
        expect(folders.some((f) => f.startsWith(`${id}.removed-`))).toBe(true);
      }
      const definition = JSON.parse(readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as { nodes: { id: string; learner?: boolean }[] };
      expect(definition.nodes.map((n) => n.id).sort()).toEqual(left.map((m) => m.id).sort());
      expect(definition.nodes.every((n) => n.learner === undefined)).toBe(true);

      // With one of the three voters killed, removing another would leave a single running voter of
      // two: refused, with the reason.
      const [a, b] = left.map((m) => m.id);
      await ok('fault', dir, 'kill', a!);
      const refused = await raftdesk('member', 'remove', dir, b!);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr.trim()).toMatch(new RegExp(`^raftdesk: Removing ${b} would leave 2 voters of which only 1 is running; a majority \\(2\\) must run`));
      await ok('fault', dir, 'start', a!);
    } finally {
      writing = false;
      await writer;
    }
    expect(writeError).toBeNull();
    expect(acknowledged.length).toBeGreaterThan(20);

    // Every acknowledged append is there exactly once, in order.
    const final = (await kv.get('log')).value ?? '';
    const tokens = final.split(';').filter(Boolean).map((t) => `${t};`);
    expect(new Set(tokens).size).toBe(tokens.length);
    let at = 0;
    for (const token of acknowledged) {
      at = tokens.indexOf(token, at);
      expect(at, `acknowledged ${token} is missing`).toBeGreaterThanOrEqual(0);
    }
    connection.close();
  });
});
