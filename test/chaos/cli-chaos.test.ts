// `raftdesk chaos` as a user runs it, as real subprocesses: on a stopped workspace it starts the
// cluster for the run and stops it after; on a running one (`up --detach`) it drives it through the
// control socket. Exit 0 only when every check passed; bad options are one sentence and exit 2.

import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExperimentReport } from '../../core/api/experiments.js';
import { parseChaosOptions } from '../../core/cli/commands/chaos.js';
import { CliExit } from '../../core/cli/output.js';
import { assignFreePorts, freePorts } from '../helpers/test-cluster.js';
import { raftdesk, tearDownWorkspace } from '../helpers/cli-runner.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'raftdesk-chaos-cli-'));

afterAll(async () => {
  await tearDownWorkspace(dir);
});

const SHORT = ['--duration', '4', '--interval', '2', '--clients', '3', '--keys', '2', '--op-timeout', '3000'];

describe('raftdesk chaos', () => {
  it('starts a stopped cluster for the run, then drives a running one through its control socket', async () => {
    const [base] = await freePorts(1);
    expect((await raftdesk('init', dir, '--nodes', '3', '--base-port', String(base), '--heartbeat', '50', '--election', '500')).code).toBe(0);
    await assignFreePorts(dir);

    const own = await raftdesk('chaos', dir, ...SHORT, '--seed', '11', '--nemesis', 'kill,partition');
    expect(own.code, own.stderr + own.stdout).toBe(0);
    expect(own.stderr).toContain('Starting the cluster for this run.');
    expect(own.stderr).toMatch(/\d+\.\d s {2}running: \d+ operations/);
    expect(own.stdout).toMatch(/^Experiment \(seed 11\): 3 nodes, 3 clients, 2 keys, 4 s, kill, partition every 2 s\.$/m);
    expect(own.stdout).toMatch(/^PASS {2}Linearizable: /m);
    expect(own.stdout).toContain('Verdict: passed.');
    const historyFile = /^History: (.+)$/m.exec(own.stdout)![1]!;
    expect(readFileSync(historyFile, 'utf8').split('\n')[0]).toMatch(/^\{"process":\d+,"type":"invoke","f":"\w+","key":"k\d@\w+","value":.*,"time":\d+\}$/);
    // The cluster was stopped after the run.
    expect((await raftdesk('status', dir)).stdout).toContain('(the cluster is not running)');

    expect((await raftdesk('up', dir, '--detach')).code).toBe(0);
    const driven = await raftdesk('chaos', dir, ...SHORT, '--seed', '12', '--nemesis', 'pause,delay', '--json');
    expect(driven.code, driven.stderr).toBe(0);
    expect(driven.stderr).toContain('Using the running cluster.');
    const report = JSON.parse(driven.stdout) as ExperimentReport;
    expect(report.ok).toBe(true);
    expect(report.options).toEqual({ durationSec: 4, clients: 3, keys: 2, nemeses: ['pause', 'delay'], intervalSec: 2, seed: 12 });
    expect(report.checks.every((c) => c.ok)).toBe(true);
    // The cluster keeps running after a run it did not start.
    const status = JSON.parse((await raftdesk('status', dir, '--json')).stdout) as { state: string }[];
    expect(status.map((s) => s.state)).toEqual(['running', 'running', 'running']);
    expect((await raftdesk('down', dir)).code).toBe(0);
  });

  it('refuses bad options with one sentence and exit code 2', async () => {
    const bad = await raftdesk('chaos', dir, '--nemesis', 'kill,flood');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('raftdesk: There is no nemesis "flood"; --nemesis takes a comma-separated list of kill, pause, partition, delay, member.\n');
    const zero = await raftdesk('chaos', dir, '--clients', '0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe('raftdesk: --clients must be a whole number from 1 to 256, not "0".\n');
  });
});

describe('parseChaosOptions', () => {
  it('has the documented defaults, a random seed unless given, and no faults for an empty list', () => {
    expect(parseChaosOptions({}, () => 77)).toEqual({ durationSec: 60, clients: 8, keys: 5, nemeses: ['kill', 'pause', 'partition', 'delay'], intervalSec: 5, seed: 77 });
    expect(parseChaosOptions({ seed: '3', nemesis: 'delay, kill,delay' }, () => 77)).toMatchObject({ seed: 3, nemeses: ['delay', 'kill'] });
    expect(parseChaosOptions({ nemesis: '' }, () => 1).nemeses).toEqual([]);
    expect(() => parseChaosOptions({ interval: '0' }, () => 1)).toThrow(CliExit);
  });
});
