// A test cluster whose port was taken between its reservation and its start (by a program outside
// the tests: test processes never share ports) starts anyway, on fresh ports.

import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestCluster } from './test-cluster.js';

describe('startTestCluster', () => {
  it('retries on fresh ports when one of its ports is already in use', async () => {
    const squatter = net.createServer();
    const attempts: number[][] = [];
    const cluster = await startTestCluster({
      nodes: 1,
      beforeStart: async (definition) => {
        attempts.push(definition.nodes.flatMap((n) => [n.peerPort, n.clientPort]));
        if (attempts.length > 1) return;
        await new Promise<void>((resolve) => squatter.listen(definition.nodes[0]!.peerPort, '127.0.0.1', resolve));
      },
    });
    try {
      expect(attempts).toHaveLength(2);
      expect(attempts[1]).not.toContain(attempts[0]![0]);
      expect(await cluster.leader()).toBe('n1');
      expect(cluster.state().nodes[0]!.peerAddress).toBe(`127.0.0.1:${attempts[1]![0]}`);
    } finally {
      await cluster.stop();
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
