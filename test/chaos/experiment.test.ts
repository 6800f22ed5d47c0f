// Chaos experiments on real clusters (one process per node, disk storage, mutual TLS): short runs
// with every nemesis on 3 and 5 nodes must pass every check, and a cancelled run must leave a
// healthy cluster. Bounded: a few seconds of faults each.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExperimentOptions, Nemesis } from '../../core/api/experiments.js';
import { parseHistory } from '../../core/check/index.js';
import { startTestCluster, type TestCluster } from '../helpers/test-cluster.js';
import { EVERY_CHECK_PASSED, experimentOn, seedCoveringAll } from './run-experiment.js';

const EVERY_NEMESIS: Nemesis[] = ['kill', 'pause', 'partition', 'delay'];
// Every nemesis is planned among the first four faults; the two slots after them are slack. On a
// busy machine a killed node's restart can take several seconds, and the faults after it land that
// much later: with no slack the last planned one could fall after the run's end (it did, once).
const DURATION_SEC = 12;
const INTERVAL_SEC = 2;
const COVERED_WITHIN = EVERY_NEMESIS.length;

let cluster: TestCluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

/** Runs one experiment per seed on one cluster (later runs reuse it, as an operator would). */
async function passesWithEveryNemesis(nodes: number, seeds: number): Promise<void> {
  // Frequent snapshots, so that kills restart nodes from snapshots and followers catch up by InstallSnapshot.
  cluster = await startTestCluster({ nodes, defaults: { storage: 'disk', snapshotEntries: 50 } });
  const ids = cluster.definition.nodes.map((n) => n.id);
  let seed = 0;
  for (let run = 0; run < seeds; run++) {
    seed = seedCoveringAll(EVERY_NEMESIS, ids, DURATION_SEC, INTERVAL_SEC, seed + 1, COVERED_WITHIN);
    await passesOnce(cluster, { durationSec: DURATION_SEC, clients: 4, keys: 3, nemeses: EVERY_NEMESIS, intervalSec: INTERVAL_SEC, seed });
  }
}

async function passesOnce(cluster: TestCluster, options: ExperimentOptions): Promise<void> {
  const eventsBefore = cluster.supervisor.recentEvents(5000).at(-1)?.seq ?? 0;
  const { report, progress, summary } = await experimentOn(cluster, options);

  expect(report.checks.map((c) => [c.name, c.ok]), summary).toEqual(EVERY_CHECK_PASSED);
  expect(report.ok).toBe(true);
  expect(report.anomaly).toBeNull();

  // Every nemesis really landed, as the supervisor saw it.
  const faults = cluster.supervisor
    .recentEvents(5000)
    .filter((e) => e.seq > eventsBefore && e.kind === 'fault')
    .map((e) => e.message);
  expect(faults.some((m) => m.startsWith('Killed')), summary).toBe(true);
  expect(faults.some((m) => m.startsWith('Paused')), summary).toBe(true);
  expect(faults.some((m) => m.startsWith('Partitioned') || m.startsWith('Isolated')), summary).toBe(true);
  expect(faults.some((m) => m.startsWith('Delayed')), summary).toBe(true);

  // The files say the same as the report, and the history is in the checker's format.
  expect(JSON.parse(readFileSync(report.reportFile, 'utf8'))).toEqual(report);
  const html = readFileSync(path.join(path.dirname(report.reportFile), 'report.html'), 'utf8');
  expect(html).toContain('data-testid="report-verdict" data-ok="true"');
  expect(html.split('data-testid="report-lane"').length - 1).toBeGreaterThanOrEqual(options.clients);
  const history = parseHistory(readFileSync(report.historyFile, 'utf8'));
  expect(history.ops.length).toBe(report.ops);
  expect(history.ops.filter((o) => o.outcome === 'ok' && o.f !== 'read').length).toBeGreaterThan(20);
  expect(history.keys.length).toBe(3);

  // Progress: every phase in order, operations never going back.
  const phases = progress.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
  expect(phases).toEqual(['starting', 'running', 'healing', 'checking', 'passed']);
  expect(progress.filter((p) => p.phase === 'running').length).toBeGreaterThanOrEqual(DURATION_SEC - 1);
  progress.forEach((p, i) => i > 0 && expect(p.ops).toBeGreaterThanOrEqual(progress[i - 1]!.ops));
  expect(progress.at(-1)!.faults).toBeGreaterThanOrEqual(4);
}

describe('chaos experiments on real clusters', () => {
  it('pass on 3 nodes with disk storage and every nemesis, for two seeds', () => passesWithEveryNemesis(3, 2));

  it('pass on 5 nodes with disk storage and every nemesis', () => passesWithEveryNemesis(5, 1));

  it('when cancelled while a node is killed, restart it, heal, and report the run as cancelled', async () => {
    cluster = await startTestCluster({ nodes: 3, defaults: { storage: 'disk' } });
    const cancel = new AbortController();
    const off = cluster.supervisor.onEvent((e) => {
      if (e.kind === 'fault' && e.message.startsWith('Killed')) cancel.abort();
    });
    const { report, progress } = await experimentOn(cluster, { durationSec: 60, clients: 2, keys: 2, nemeses: ['kill'], intervalSec: 1, seed: 5 }, cancel.signal);
    off();
    expect(cancel.signal.aborted).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]!.detail).toMatch(/^Cancelled after [\d.]+ s; the cluster was healed and no checks ran\.$/);
    expect(progress.at(-1)!.phase).toBe('cancelled');
    expect(progress.at(-1)!.elapsedSec).toBeLessThan(60);
    const state = cluster.state();
    expect(state.nodes.map((n) => n.state)).toEqual(['running', 'running', 'running']);
    expect(state.links.every((l) => !l.cut)).toBe(true);
    // And it still serves.
    await cluster.leader();
    expect((await cluster.client().put('after', 'cancel')).index).toBeGreaterThan(0);
    // What it wrote is private, like the rest of the workspace.
    const dir = path.dirname(report.reportFile);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.dirname(dir)).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(dir)) expect([file, statSync(path.join(dir, file)).mode & 0o777]).toEqual([file, 0o600]);
  });
});
