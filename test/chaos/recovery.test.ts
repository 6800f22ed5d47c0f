// Healing after the faults, and when the cluster counts as converged.

import { describe, expect, it } from 'vitest';
import { convergedIndex, recoverCluster, waitForConvergence } from '../../core/chaos/recovery.js';
import { entries, FakeCluster } from './fake-cluster.js';

const three = (commit: [number, number, number]) =>
  new FakeCluster(['n1', 'n2', 'n3'].map((id, i) => ({ id, firstIndex: 1, entries: entries(1, 20), commitIndex: commit[i]! })));

describe('convergedIndex', () => {
  it('is the index every running node applied, with a leader', () => {
    expect(convergedIndex(three([20, 20, 20]).state())).toEqual({ index: 20 });
  });

  it('says why not: a node down, no leader, nodes behind, or applied behind committed', () => {
    const down = three([20, 20, 20]);
    down.nodes[1]!.status = { state: 'killed' };
    expect(convergedIndex(down.state())).toEqual({ why: 'n2 is killed' });
    const leaderless = three([20, 20, 20]);
    leaderless.leader = null;
    expect(convergedIndex(leaderless.state())).toEqual({ why: 'there is no leader' });
    expect(convergedIndex(three([20, 18, 20]).state())).toEqual({ why: 'the nodes have applied n1 20/20, n2 18/18, n3 20/20 (applied/committed)' });
    const lagging = three([20, 20, 20]);
    for (const n of lagging.nodes) n.status = { appliedIndex: 19 };
    expect(convergedIndex(lagging.state())).toEqual({ why: 'the nodes have committed 20 but applied 19' });
  });
});

describe('recoverCluster', () => {
  it('heals first, then restarts every node that is down', async () => {
    const cluster = three([20, 20, 20]);
    cluster.nodes[0]!.status = { state: 'killed' };
    cluster.nodes[2]!.status = { state: 'crashed' };
    expect(await recoverCluster(cluster)).toEqual([]);
    expect(cluster.calls).toEqual(['heal', 'start n1', 'start n3']);
  });

  it('says which node could not be restarted', async () => {
    const cluster = three([20, 20, 20]);
    cluster.nodes[1]!.status = { state: 'stopped' };
    cluster.nodeAction = async () => {
      throw new Error('n2 did not start within 30 s.');
    };
    expect(await recoverCluster(cluster)).toEqual(['n2 could not be restarted: n2 did not start within 30 s.']);
  });
});

describe('waitForConvergence', () => {
  it('reports the converged index once it holds steadily', async () => {
    const result = await waitForConvergence(three([20, 20, 20]), 5000, new AbortController().signal);
    expect(result).toEqual({ ok: true, detail: 'All 3 nodes applied index 20 after healing.', appliedIndex: 20 });
  });

  it('gives up at the deadline and says what it last saw', async () => {
    const result = await waitForConvergence(three([20, 19, 20]), 300, new AbortController().signal);
    expect(result.ok).toBe(false);
    expect(result.detail).toBe('The cluster did not converge within 0.3 s of healing: the nodes have applied n1 20/20, n2 19/19, n3 20/20 (applied/committed).');
  });
});
