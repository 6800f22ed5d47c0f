// The checks must catch a node that lies. With RAFTDESK_TEST_ONLY_BUG=ack-before-commit the leader
// acknowledges writes before they commit and answers reads from its own state: under partitions and
// kills that isolate the leader, clients see stale reads and acknowledged writes vanish. A few
// seeds, each a short run, bounded.

import { afterEach, describe, expect, it } from 'vitest';
import type { Nemesis } from '../../core/api/experiments.js';
import { startTestCluster, type TestCluster } from '../helpers/test-cluster.js';
import { experimentOn, seedCoveringAll, type ExperimentRun } from './run-experiment.js';

const NEMESES: Nemesis[] = ['partition', 'kill'];
const DURATION_SEC = 6;
const INTERVAL_SEC = 2;
const MAX_SEEDS = 3;

let cluster: TestCluster | null = null;
const saved = process.env.RAFTDESK_TEST_ONLY_BUG;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
  if (saved === undefined) delete process.env.RAFTDESK_TEST_ONLY_BUG;
  else process.env.RAFTDESK_TEST_ONLY_BUG = saved;
});

describe('a broken node', () => {
  it('is caught as not linearizable or as losing acknowledged writes', async () => {
    // Node processes inherit the supervisor's environment when they are forked.
    process.env.RAFTDESK_TEST_ONLY_BUG = 'ack-before-commit';
    cluster = await startTestCluster({ nodes: 3, defaults: { storage: 'disk' } });
    const ids = cluster.definition.nodes.map((n) => n.id);
    const runs: ExperimentRun[] = [];
    let seed = 0;
    while (runs.length < MAX_SEEDS) {
      seed = seedCoveringAll(NEMESES, ids, DURATION_SEC, INTERVAL_SEC, seed + 1);
      const run = await experimentOn(cluster, { durationSec: DURATION_SEC, clients: 4, keys: 2, nemeses: NEMESES, intervalSec: INTERVAL_SEC, seed });
      runs.push(run);
      if (!run.report.ok) break;
    }
    const caught = runs.at(-1)!;
    expect(caught.report.ok, `not caught in ${runs.length} runs:\n${runs.map((r) => r.summary).join('\n')}`).toBe(false);
    const failed = caught.report.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed.some((name) => name === 'Linearizable' || name === 'No acknowledged write lost'), caught.summary).toBe(true);
    expect(caught.progress.at(-1)!.phase).toBe('failed');
    // When the history is not linearizable, the operations that prove it are there to be drawn.
    const linearizable = caught.report.checks.find((c) => c.name === 'Linearizable')!;
    if (!linearizable.ok && !linearizable.detail.startsWith('Undecided')) {
      expect(caught.report.anomaly).not.toBeNull();
      expect(caught.report.anomaly!.ops.length).toBeGreaterThanOrEqual(2);
      expect(caught.report.anomaly!.ops.every((op) => op.key === caught.report.anomaly!.key && op.startMs >= 0)).toBe(true);
    }
  });
});
