// The checks must catch a node that lies. The supervisor forks test/helpers/lying-node-main.ts, whose
// leader acknowledges writes before they commit and answers reads from its own state: under partitions and
// kills that isolate the leader, clients see stale reads and acknowledged writes vanish. A few
// seeds, each a short run, bounded.

import { afterEach, describe, expect, it } from 'vitest';
import type { Nemesis } from '../../core/api/experiments.js';
import { fileURLToPath } from 'node:url';
import { useNodeEntryForTests } from '../../core/cluster/entry-points.js';
import { startTestCluster, type TestCluster } from '../helpers/test-cluster.js';
import { experimentOn, seedCoveringAll, type ExperimentRun } from './run-experiment.js';

const NEMESES: Nemesis[] = ['partition', 'kill'];
const DURATION_SEC = 6;
const INTERVAL_SEC = 2;
const MAX_SEEDS = 3;

let cluster: TestCluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
  useNodeEntryForTests(null);
});

describe('a broken node', () => {
  it('is caught as not linearizable or as losing acknowledged writes', async () => {
    useNodeEntryForTests(fileURLToPath(new URL('../helpers/lying-node-main.ts', import.meta.url)));
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
