// Problems in the configuration are refused with one clear sentence before any process starts.

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/test-cluster.js';
import { startTestCluster } from '../helpers/test-cluster.js';

let cluster: TestCluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

async function refusedBeforeStart(c: TestCluster): Promise<string> {
  const error = await c.supervisor.start().then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(Error);
  expect(c.state().nodes.every((n) => n.pid === null && n.state === 'stopped')).toBe(true);
  expect(c.supervisor.isRunning).toBe(false);
  return error!.message;
}

describe('validation before start', () => {
  it('refuses a port that is already in use', async () => {
    cluster = await startTestCluster({ nodes: 3, start: false });
    const port = cluster.definition.nodes[1]!.clientPort;
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', () => r()));
    try {
      expect(await refusedBeforeStart(cluster)).toBe(`Port ${port} (n2 client port) is already in use on 127.0.0.1; stop what uses it or pick another port.`);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('refuses duplicate IDs and bad timeouts', async () => {
    cluster = await startTestCluster({ nodes: 3, start: false });
    const d = structuredClone(cluster.definition);
    d.nodes[2]!.id = 'n1';
    cluster.supervisor.setDefinition(d);
    expect(await refusedBeforeStart(cluster)).toMatch(/^Node ID "n1" is used twice; give every node its own ID\./);
    const e = structuredClone(cluster.definition);
    e.nodes[2]!.id = 'n3';
    e.defaults.electionTimeoutMs = 40;
    e.defaults.heartbeatMs = 50;
    cluster.supervisor.setDefinition(e);
    expect(await refusedBeforeStart(cluster)).toMatch(/^n1's election timeout \(40 ms\) must be larger than its heartbeat interval \(50 ms\)/);
  });
});
