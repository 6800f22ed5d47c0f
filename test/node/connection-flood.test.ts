// A connection flood must not take a node down. The node's file-descriptor limit is lowered to 1024
// (what many machines start with; `prlimit` on the running process, Linux only) and 3,000 plain TCP
// connections that never start TLS are opened on its client port and held: the node must keep
// running, serve reads and take part in writes while they are open. Without the connection limits it
// runs out of descriptors and exits with EMFILE.

import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/test-cluster.js';
import { startTestCluster, waitFor } from '../helpers/test-cluster.js';

const FLOOD = 3000;

function hasPrlimit(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Opens `count` TCP connections and resolves once each has connected or failed. */
async function openFlood(port: number, count: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  const settled: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    sockets.push(s);
    settled.push(
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 10_000);
        s.once('connect', () => (clearTimeout(t), resolve()));
        s.once('close', () => (clearTimeout(t), resolve()));
      }),
    );
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.all(settled);
  return sockets;
}

let cluster: TestCluster | null = null;
let flood: net.Socket[] = [];
afterEach(async () => {
  for (const s of flood) s.destroy();
  flood = [];
  await cluster?.stop();
  cluster = null;
});

describe('a connection flood', () => {
  it.skipIf(!hasPrlimit())('leaves the flooded node running and serving', async () => {
    cluster = await startTestCluster({ nodes: 3 });
    const c = cluster;
    const leader = await c.leader();
    const target = c.definition.nodes.find((n) => n.id !== leader)!;
    const pid = c.state().nodes.find((n) => n.id === target.id)!.pid!;
    execFileSync('prlimit', ['--pid', String(pid), '--nofile=1024:1024']);

    const kv = c.client();
    await kv.put('before', '1');
    flood = await openFlood(target.clientPort, FLOOD);
    const write = await kv.put('during', '2');
    await waitFor(`${target.id} to apply index ${write.index}`, () => (c.state().nodes.find((n) => n.id === target.id)!.appliedIndex >= write.index ? true : null));
    // A client with a certificate still gets through while the flood holds its sockets open.
    expect((await kv.get('during', { consistency: 'local', node: target.id })).value).toBe('2');
    const node = c.state().nodes.find((n) => n.id === target.id)!;
    expect(node.state).toBe('running');
    expect(node.pid).toBe(pid);
    expect(c.supervisor.recentEvents(1000).filter((e) => e.node === target.id && e.kind === 'node-exited')).toEqual([]);
  }, 60_000);
});
