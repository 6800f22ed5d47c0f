// Stopping a cluster stops its nodes gracefully: each closes its client port, transport and WAL and
// exits by itself, well within the supervisor's grace, never by the SIGKILL that ends the grace.
// The client port used to wait for every open HTTP/2 session to end first, and clients' sessions
// (the supervisor's own included) never did: every stop took the whole 3 s grace and ended in
// SIGKILL ("n1 was killed (SIGKILL)" after `raftdesk down`). Real processes, stopped by PID.

import { afterAll, describe, expect, it } from 'vitest';
import { Http2Pool } from '../../core/client/http2-pool.js';
import { clientUrl } from '../../core/workspace/definition.js';
import { startTestCluster, type TestCluster } from '../helpers/test-cluster.js';

let cluster: TestCluster | null = null;
let pool: Http2Pool | null = null;

afterAll(async () => {
  pool?.close();
  await cluster?.stop();
});

describe('stopping a cluster', () => {
  it('lets every node exit by itself, even with client sessions open', async () => {
    cluster = await startTestCluster({ nodes: 3 });
    await cluster.leader();
    pool = new Http2Pool(await cluster.supervisor.clientCredentials());
    // A session from this client to every node, left open.
    for (const node of cluster.definition.nodes) {
      const answer = await pool.request(clientUrl(node), 'GET', '/v1/status', null, {}, 10_000);
      expect(answer.status).toBe(200);
    }

    await cluster.supervisor.stop();
    const exits = cluster.supervisor.recentEvents(Number.MAX_SAFE_INTEGER).filter((e) => e.kind === 'node-exited');
    expect(exits.map((e) => e.message).sort()).toEqual(['n1 stopped', 'n2 stopped', 'n3 stopped']);
    expect(cluster.state().nodes.map((n) => n.state)).toEqual(['stopped', 'stopped', 'stopped']);
  }, 120_000);
});
