// Linearizable reads through ReadIndex (no log entry, answered by followers too) stay linearizable
// on real processes while the nemesis kills, pauses, partitions and delays nodes. Bounded: 8 s of
// faults on 3 nodes.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Nemesis } from '../../core/api/experiments.js';
import { parseHistory } from '../../core/check/index.js';
import { startTestCluster, type TestCluster } from '../helpers/test-cluster.js';
import { EVERY_CHECK_PASSED, experimentOn, seedCoveringAll } from './run-experiment.js';

const NEMESES: Nemesis[] = ['kill', 'pause', 'partition', 'delay'];

let cluster: TestCluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

describe('ReadIndex reads under real faults', () => {
  it('pass the linearizability check, and no read wrote to the log', async () => {
    cluster = await startTestCluster({ nodes: 3, defaults: { storage: 'disk' } });
    const ids = cluster.definition.nodes.map((n) => n.id);
    const seed = seedCoveringAll(NEMESES, ids, 8, 2, 11);
    const { report, summary } = await experimentOn(cluster, { durationSec: 8, clients: 6, keys: 2, nemeses: NEMESES, intervalSec: 2, seed, readConsistency: 'linearizable' });
    expect(report.checks.map((c) => [c.name, c.ok]), summary).toEqual(EVERY_CHECK_PASSED);
    const history = parseHistory(readFileSync(report.historyFile, 'utf8'));
    const okReads = history.ops.filter((o) => o.f === 'read' && o.outcome === 'ok').length;
    expect(okReads, summary).toBeGreaterThan(20);
    // Reads leave no trace in the log: every entry is a write of some kind (or a leader's no-op).
    const logs = await cluster.supervisor.readLogs(100_000);
    const kinds = new Set(logs.flatMap((l) => l.entries.map((e) => e.kind)));
    expect(kinds.has('get')).toBe(false);
  });
});
