// `raftdesk bench --mode failover --runs 2 --json` and `bench --rss-every`: the reports' shape, and
// that every figure is positive and consistent with the others (a new leader is seen no later than
// it acknowledges a write, median ≤ p90 ≤ max, the killed node is not the new leader, terms rise).
// No timing thresholds: benchmarks print figures. Real subprocesses on 127.0.0.1, stopped at the end.

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FailoverResult, FailoverSummary } from '../../core/bench/failover-bench.js';
import type { RssSample } from '../../core/bench/rss-sampler.js';
import { raftdesk, tearDownWorkspace } from '../helpers/cli-runner.js';
import { assignFreePorts, freePorts } from '../helpers/test-cluster.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-bench-'));


function expectConsistent(s: FailoverSummary, values: number[]): void {
  expect(s.minMs).toBe(Math.min(...values));
  expect(s.maxMs).toBe(Math.max(...values));
  expect(s.minMs).toBeGreaterThan(0);
  expect(s.minMs).toBeLessThanOrEqual(s.medianMs);
  expect(s.medianMs).toBeLessThanOrEqual(s.p90Ms);
  expect(s.p90Ms).toBeLessThanOrEqual(s.maxMs);
}

afterAll(async () => {
  await tearDownWorkspace(dir);
});

describe('raftdesk bench reports', () => {
  it('failover: kills the leader twice and reports every run and its summary', { timeout: 240_000 }, async () => {
    const [base] = await freePorts(1);
    expect((await raftdesk('init', dir, '--nodes', '3', '--base-port', String(base), '--heartbeat', '50', '--election', '500')).code).toBe(0);
    await assignFreePorts(dir);
    expect((await raftdesk('up', dir, '--detach')).code).toBe(0);

    const out = await raftdesk('bench', dir, '--mode', 'failover', '--runs', '2', '--json');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as FailoverResult;
    expect(report.electionTimeoutMs).toBe(500);
    expect(report.heartbeatMs).toBe(50);
    expect(report.runs).toHaveLength(2);
    for (const [i, r] of report.runs.entries()) {
      expect(r.run).toBe(i + 1);
      expect(['n1', 'n2', 'n3']).toContain(r.killed);
      expect(['n1', 'n2', 'n3']).toContain(r.newLeader);
      expect(r.newLeader).not.toBe(r.killed);
      expect(r.newTerm).toBeGreaterThan(r.oldTerm);
      expect(r.leaderSeenMs).toBeGreaterThan(0);
      expect(r.leaderSeenMs).toBeLessThanOrEqual(r.writeMs);
      expect(r.catchUpMs).toBeGreaterThan(0);
    }
    // The second run killed the leader the first run elected, in a later term.
    expect(report.runs[1]!.oldTerm).toBeGreaterThanOrEqual(report.runs[0]!.newTerm);
    expectConsistent(report.write, report.runs.map((r) => r.writeMs));
    expectConsistent(report.leaderSeen, report.runs.map((r) => r.leaderSeenMs));
    expectConsistent(report.catchUp, report.runs.map((r) => r.catchUpMs));
    expect(report.leaderSeen.medianMs).toBeLessThanOrEqual(report.write.medianMs);
    expect(report.medianMs).toBe(report.write.medianMs);

    // The text form names both measures and lists each run.
    const text = await raftdesk('bench', dir, '--mode', 'failover', '--runs', '1');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/kill → new leader seen: +median \d+/);
    expect(text.stdout).toMatch(/kill → first write acked: +median \d+/);
    expect(text.stdout).toMatch(/^ +1 +n\d +n\d +\d+ +\d+ +\d+$/m);
  });

  it('--rss-every samples every node\'s memory during the load', { timeout: 120_000 }, async () => {
    const out = await raftdesk('bench', dir, '--clients', '4', '--duration', '3', '--rss-every', '1', '--json');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as { ops: number; idleRssMb: Record<string, number>; nodeRssMb: Record<string, number>; rssEverySec: number; rssSamples: RssSample[] };
    expect(report.ops).toBeGreaterThan(0);
    expect(report.rssEverySec).toBe(1);
    expect(Object.keys(report.idleRssMb).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(Object.keys(report.nodeRssMb).sort()).toEqual(['n1', 'n2', 'n3']);
    // One sample at the start, about one a second, one at the end; in time order, every node in each.
    expect(report.rssSamples.length).toBeGreaterThanOrEqual(3);
    for (const [i, s] of report.rssSamples.entries()) {
      if (i > 0) expect(s.atSec).toBeGreaterThanOrEqual(report.rssSamples[i - 1]!.atSec);
      expect(Object.keys(s.rssMb).sort()).toEqual(['n1', 'n2', 'n3']);
      for (const mb of Object.values(s.rssMb)) expect(mb).toBeGreaterThan(0);
    }
    expect((await raftdesk('bench', dir, '--runs', '2')).stderr).toMatch(/--runs is for --mode failover/);
  });
});
