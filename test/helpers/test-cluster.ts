// Real clusters for tests: a temporary workspace on free 127.0.0.1 ports, an in-process Supervisor
// that owns every node process (stopped by PID in stop()), and a client with the workspace's
// certificate. Every helper waits with a deadline and says what it was waiting for.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ClusterDefaults, ClusterDefinition } from '../../core/api/cluster-definition.js';
import type { ClusterState } from '../../core/api/cluster-state.js';
import { ClusterConnection, KvClient } from '../../core/client/cluster-client.js';
import { makeDefinition } from '../../core/workspace/definition.js';
import { Supervisor } from '../../core/cluster/supervisor.js';
import { saveDefinition } from '../../core/workspace/workspace.js';

/** Ports that were free a moment ago (the OS hands out distinct ephemeral ports). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Gives every node of a workspace's cluster.json ports that are free right now (consecutive ports
 *  from `init --base-port` may collide with other tests' clusters running at the same time). */
export async function assignFreePorts(dir: string): Promise<void> {
  const file = path.join(dir, 'cluster.json');
  const definition = JSON.parse(readFileSync(file, 'utf8')) as ClusterDefinition;
  const ports = await freePorts(definition.nodes.length * 2);
  definition.nodes.forEach((n, i) => {
    n.peerPort = ports[2 * i]!;
    n.clientPort = ports[2 * i + 1]!;
  });
  writeFileSync(file, JSON.stringify(definition, null, 2));
}

export async function waitFor<T>(what: string, fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface TestCluster {
  dir: string;
  definition: ClusterDefinition;
  supervisor: Supervisor;
  connection: ClusterConnection;
  client(options?: { sessions?: boolean }): KvClient;
  state(): ClusterState;
  /** The one running leader, once exactly one running node leads in the highest term. */
  leader(timeoutMs?: number): Promise<string>;
  /** Election Safety as the nodes reported it: throws if two nodes became leader of one term. */
  assertOneLeaderPerTerm(): void;
  /** Stops every node (and checks Election Safety over the whole run). */
  stop(): Promise<void>;
}

/** Terms in which more than one node reported becoming leader, from the supervisor's events. */
export function leadersPerTerm(supervisor: Supervisor): Map<number, Set<string>> {
  const byTerm = new Map<number, Set<string>>();
  for (const e of supervisor.recentEvents(Number.MAX_SAFE_INTEGER)) {
    if (e.kind !== 'leader-elected' || e.term === null || e.node === null) continue;
    const set = byTerm.get(e.term) ?? new Set<string>();
    set.add(e.node);
    byTerm.set(e.term, set);
  }
  return byTerm;
}

export async function startTestCluster(options: { nodes: number; defaults?: Partial<ClusterDefaults>; start?: boolean; keepDir?: boolean } = { nodes: 3 }): Promise<TestCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-test-'));
  const ports = await freePorts(options.nodes * 2);
  const definition = makeDefinition({ name: 'test', nodes: options.nodes, basePort: 0, defaults: { heartbeatMs: 50, electionTimeoutMs: 500, ...options.defaults } });
  definition.nodes.forEach((n, i) => {
    n.peerPort = ports[2 * i]!;
    n.clientPort = ports[2 * i + 1]!;
  });
  await saveDefinition(dir, definition);
  const supervisor = await Supervisor.open(dir);
  if (options.start !== false) await supervisor.start();
  const credentials = await supervisor.clientCredentials().catch(() => null);
  const connection = new ClusterConnection({ endpoints: supervisor.endpoints(), credentials: credentials ?? { ca: '', cert: '', key: '' }, timeoutMs: 8000 });
  const cluster: TestCluster = {
    dir,
    definition,
    supervisor,
    connection,
    client: (o) => new KvClient(connection, o),
    state: () => supervisor.state(),
    leader: (timeoutMs = 15_000) =>
      waitFor(
        'exactly one leader',
        () => {
          const s = supervisor.state();
          const running = s.nodes.filter((n) => n.state === 'running' && n.role !== null);
          const top = Math.max(0, ...running.map((n) => n.term));
          const leaders = running.filter((n) => n.role === 'leader' && n.term === top);
          return leaders.length === 1 ? leaders[0]!.id : null;
        },
        timeoutMs,
      ),
    assertOneLeaderPerTerm: () => {
      const twice = [...leadersPerTerm(supervisor)].filter(([, nodes]) => nodes.size > 1);
      if (twice.length > 0) throw new Error(`Election Safety violated: ${twice.map(([t, n]) => `term ${t} had leaders ${[...n].join(', ')}`).join('; ')}`);
    },
    stop: async () => {
      connection.close();
      await supervisor.stop();
      if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
      cluster.assertOneLeaderPerTerm();
    },
  };
  return cluster;
}
