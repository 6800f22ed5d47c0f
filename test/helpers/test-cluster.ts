// Real clusters for tests: a temporary workspace on free 127.0.0.1 ports, an in-process Supervisor
// that owns every node process (stopped by PID in stop()), and a client with the workspace's
// certificate. Every helper waits with a deadline and says what it was waiting for.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ClusterDefaults, ClusterDefinition } from '../../core/api/cluster-definition.js';
import type { ClusterState } from '../../core/api/cluster-state.js';
import { ClusterConnection, KvClient } from '../../core/client/cluster-client.js';
import { makeDefinition } from '../../core/workspace/definition.js';
import { Supervisor } from '../../core/cluster/supervisor.js';
import { saveDefinition } from '../../core/workspace/workspace.js';
import { reservePorts } from './ports.js';

/** Ports no other test process will use and that are free now (see ports.ts). */
export function freePorts(count: number): Promise<number[]> {
  return reservePorts(count);
}

/** Gives every node of a workspace's cluster.json reserved ports (consecutive ports from
 *  `init --base-port` may collide with other tests' clusters running at the same time). */
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

/** The definition with reserved ports for every node. */
async function withFreshPorts(definition: ClusterDefinition): Promise<ClusterDefinition> {
  const ports = await reservePorts(definition.nodes.length * 2);
  return { ...definition, nodes: definition.nodes.map((n, i) => ({ ...n, peerPort: ports[2 * i]!, clientPort: ports[2 * i + 1]! })) };
}

export interface TestClusterOptions {
  nodes: number;
  defaults?: Partial<ClusterDefaults>;
  start?: boolean;
  keepDir?: boolean;
  /** Called before each start attempt with the ports about to be used (for the retry's own test). */
  beforeStart?: (definition: ClusterDefinition) => Promise<void>;
}

export async function startTestCluster(options: TestClusterOptions = { nodes: 3 }): Promise<TestCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-test-'));
  let definition = await withFreshPorts(makeDefinition({ name: 'test', nodes: options.nodes, basePort: 0, defaults: { heartbeatMs: 50, electionTimeoutMs: 500, ...options.defaults } }));
  await saveDefinition(dir, definition);
  const supervisor = await Supervisor.open(dir);
  // Reserved ports make a collision all but impossible; should a program outside the tests still
  // take one between the check and the bind, the start is retried on fresh ports.
  for (let attempt = 1; options.start !== false; attempt++) {
    try {
      await options.beforeStart?.(definition);
      await supervisor.start();
      break;
    } catch (e) {
      if (attempt === 3 || !/already in use/i.test((e as Error).message)) throw e;
      definition = await withFreshPorts(definition);
      await saveDefinition(dir, definition);
      supervisor.setDefinition(definition);
    }
  }
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

/**
 * One cluster for the calling test file, as its hooks: started (and a leader awaited) before the
 * file's tests, stopped after them (every node by PID, Election Safety checked). Call it once at the
 * top of the file; the function it returns gives the running cluster inside hooks and tests. The
 * file's own beforeAll hooks run after the start, its own afterAll hooks before the stop.
 */
export function useTestCluster(options: TestClusterOptions = { nodes: 3 }): () => TestCluster {
  let cluster: TestCluster | undefined;
  // The project's hook bound (120 s), not a tighter one: on a busy two-core machine three TLS node
  // processes can take a while to start and elect.
  beforeAll(async () => {
    cluster = await startTestCluster(options);
    await cluster.leader();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => {
    if (!cluster) throw new Error('The test cluster is not running: use it inside a test or hook, after its beforeAll started it.');
    return cluster;
  };
}
