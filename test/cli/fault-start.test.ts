// `raftdesk fault DIR start NODE` must not say "done" for a node that exits right after it said it
// was ready. A real cluster on 127.0.0.1 whose n2 exits 200 ms after each start (a test node entry),
// driven through the control socket as the CLI drives it; every process stopped by PID.

import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { faultCommand } from '../../core/cli/commands/fault.js';
import { CliExit } from '../../core/cli/output.js';
import { serveControl, supervisorHandlers } from '../../core/cluster/control.js';
import { useNodeEntryForTests } from '../../core/cluster/entry-points.js';
import type { TestCluster } from '../helpers/test-cluster.js';
import { startTestCluster, waitFor } from '../helpers/test-cluster.js';

let cluster: TestCluster | null = null;
let control: { close(): Promise<void> } | null = null;
afterEach(async () => {
  await control?.close();
  await cluster?.stop();
  cluster = null;
  control = null;
  useNodeEntryForTests(null);
  delete process.env.RAFTDESK_TEST_CRASH_AFTER_READY;
});

describe('fault start', () => {
  it('reports a node that exits right after starting instead of "done"', async () => {
    process.env.RAFTDESK_TEST_CRASH_AFTER_READY = 'n2';
    useNodeEntryForTests(fileURLToPath(new URL('../helpers/crash-after-ready-main.ts', import.meta.url)));
    cluster = await startTestCluster({ nodes: 3 });
    const c = cluster;
    control = await serveControl(c.dir, supervisorHandlers(c.supervisor, async () => undefined));
    await waitFor('n2 to crash after its first start', () => c.state().nodes.find((n) => n.id === 'n2')!.state === 'crashed');

    const outcome = await faultCommand(c.dir, 'start', ['n2'], {}).then(
      () => null,
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(CliExit);
    expect((outcome as CliExit).code).toBe(1);
    expect((outcome as CliExit).message).toMatch(/^n2 started but exited right away \(crashed\)/);

    // A node that stays up is still "done".
    await faultCommand(c.dir, 'restart', ['n1'], {});
  }, 60_000);
});
