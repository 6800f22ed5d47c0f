// The space alarm: below the free-space reserve a cluster refuses writes with `no-space` (507 and a
// sentence) before the disk is full, keeps serving reads and status, shows the alarm, and accepts
// writes again by itself once space is freed — no process restarted. The free space the nodes see
// comes from a file this test writes (test/helpers/free-space-node-main.ts), so no disk fills up.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeEntryForTests } from '../../core/cluster/entry-points.js';
import { ClientError } from '../../core/client/cluster-client.js';
import type { TestCluster } from '../helpers/test-cluster.js';
import { startTestCluster, waitFor } from '../helpers/test-cluster.js';

const probeDir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-free-'));
const freeBytesFile = path.join(probeDir, 'free-bytes');
const setFree = (bytes: number, only?: string) => writeFileSync(freeBytesFile, JSON.stringify(only ? { [only]: bytes, '*': 50 * 1024 ** 3 } : { '*': bytes }));

let cluster: TestCluster;
beforeAll(async () => {
  setFree(50 * 1024 ** 3);
  process.env.RAFTDESK_TEST_FREE_BYTES_FILE = freeBytesFile;
  useNodeEntryForTests(fileURLToPath(new URL('../helpers/free-space-node-main.ts', import.meta.url)));
  cluster = await startTestCluster({ nodes: 3, defaults: { storage: 'disk', minFreeDiskMb: 64 } });
}, 30_000);
afterAll(async () => {
  delete process.env.RAFTDESK_TEST_FREE_BYTES_FILE;
  useNodeEntryForTests(null);
  await cluster?.stop();
  rmSync(probeDir, { recursive: true, force: true });
});

describe('a nearly full disk', () => {
  it('refuses writes with no-space, serves reads and status, and recovers by itself', async () => {
    const c = cluster;
    const kv = c.client();
    await c.leader();
    await kv.put('before', 'full');
    const pids = c.state().nodes.map((n) => n.pid);

    setFree(10 * 1024 * 1024);
    await waitFor('every node to raise its space alarm', () => c.state().nodes.every((n) => n.alarm !== null));
    expect(c.state().nodes[0]!.alarm).toMatch(/^no space: n1 has 10 MB free for its data \(.*\), under the 64 MB the cluster keeps in reserve; writes are refused until space is freed\.$/);

    const refused = await kv.put('during', 'full').then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ClientError);
    expect((refused as ClientError).code).toBe('no-space');
    expect((refused as ClientError).indeterminate).toBe(false);
    expect((refused as ClientError).message).toMatch(/^No space: .* writes are refused until space is freed\.$/);

    // The raw answer: 507 with {"code": "no-space", "error": ...}.
    const leader = await c.leader();
    const endpoint = c.supervisor.endpoints().find((e) => e.id === leader)!;
    const raw = await c.connection.pool.request(endpoint.url, 'PUT', '/v1/kv/raw', 'v', {}, 3000);
    expect(raw.status).toBe(507);
    expect(JSON.parse(raw.body)).toMatchObject({ code: 'no-space' });

    // Reads and status go on.
    expect((await kv.get('before')).value).toBe('full');
    expect((await kv.get('before', { consistency: 'local', node: 'n2' })).value).toBe('full');
    expect((await kv.get('during')).value).toBeNull();
    expect(c.supervisor.recentEvents(1000).some((e) => e.kind === 'error' && /^no space/.test(e.message))).toBe(true);

    setFree(50 * 1024 ** 3);
    await waitFor('every alarm to clear', () => c.state().nodes.every((n) => n.alarm === null));
    await kv.put('after', 'freed');
    expect((await kv.get('after')).value).toBe('freed');
    expect(c.state().nodes.map((n) => n.pid)).toEqual(pids);
  }, 60_000);

  it('refuses writes at the leader when one follower alone is short of space', async () => {
    const c = cluster;
    const kv = c.client();
    const leader = await c.leader();
    const follower = c.definition.nodes.find((n) => n.id !== leader)!.id;
    setFree(1024, follower);
    await waitFor(`${follower}'s alarm`, () => c.state().nodes.find((n) => n.id === follower)!.alarm !== null);
    expect(c.state().nodes.filter((n) => n.alarm !== null).map((n) => n.id)).toEqual([follower]);
    // The supervisor passes the alarm on; the leader, whose own disk is fine, refuses the write.
    await waitFor('the leader to refuse writes', async () => {
      const e = await kv.put('x', 'y').then(() => null, (err: unknown) => err as ClientError);
      return e?.code === 'no-space' ? e : null;
    });
    await expect(kv.put('x', 'y')).rejects.toThrow(new RegExp(`^No space: ${follower} has 0 MB free`));
    setFree(50 * 1024 ** 3);
    await waitFor('every alarm to clear', () => c.state().nodes.every((n) => n.alarm === null));
    await kv.put('x', 'y');
  }, 60_000);
});
