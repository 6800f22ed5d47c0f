// defaults.autoRestart: a node that crashes on its own (here SIGSEGV from outside, which the
// supervisor cannot tell from a real segfault) is started again when the setting is on, and stays
// down when it is off (the default). Real 3-node clusters on 127.0.0.1, stopped by PID.

import { afterEach, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/test-cluster.js';
import { startTestCluster, waitFor } from '../helpers/test-cluster.js';

let cluster: TestCluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

const nodeOf = (c: TestCluster, id: string) => c.state().nodes.find((n) => n.id === id)!;

describe('auto-restart', () => {
  it('starts a node that crashed on its own again when the setting is on', async () => {
    cluster = await startTestCluster({ nodes: 3, defaults: { autoRestart: true } });
    const c = cluster;
    await c.leader();
    const pid = nodeOf(c, 'n2').pid!;
    process.kill(pid, 'SIGSEGV');
    // An action refused meanwhile (a chaos run resuming a node that is no longer paused) must not
    // cancel the pending restart.
    await waitFor('n2 to crash', () => nodeOf(c, 'n2').state !== 'running');
    await expect(c.supervisor.nodeAction('n2', 'resume')).rejects.toThrow('n2 is not paused.');
    await waitFor('n2 to be running again under a new pid', () => {
      const n = nodeOf(c, 'n2');
      return n.state === 'running' && n.pid !== null && n.pid !== pid;
    });
    expect(c.supervisor.recentEvents(1000).some((e) => e.node === 'n2' && /^Restarting n2 in 1 s \(auto-restart is on; crash 1 in a row\)$/.test(e.message))).toBe(true);
    // A kill by the operator is not a crash: it stays down.
    await c.supervisor.nodeAction('n3', 'kill');
    await new Promise((r) => setTimeout(r, 2500));
    expect(nodeOf(c, 'n3').state).toBe('killed');
  }, 60_000);

  it('leaves a crashed node down when the setting is off (the default)', async () => {
    cluster = await startTestCluster({ nodes: 3 });
    const c = cluster;
    await c.leader();
    process.kill(nodeOf(c, 'n2').pid!, 'SIGSEGV');
    await waitFor('n2 to crash', () => nodeOf(c, 'n2').state === 'crashed');
    // Longer than the first auto-restart delay.
    await new Promise((r) => setTimeout(r, 2500));
    expect(nodeOf(c, 'n2').state).toBe('crashed');
  }, 60_000);
});
