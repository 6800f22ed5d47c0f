// Failover time: SIGKILL the leader while a writer keeps trying, and measure from the kill to the
// next acknowledged write. The killed node is restarted and the cluster settles between runs.

import type { ClusterState } from '../api/cluster-state.js';
import type { NodeAction } from '../api/faults.js';
import type { ClusterConnection } from '../client/cluster-client.js';
import { KvClient } from '../client/cluster-client.js';
import { median, round } from '../stats/percentiles.js';

export interface FailoverControl {
  state(): Promise<ClusterState>;
  nodeAction(node: string, action: NodeAction): Promise<void>;
}

export interface FailoverRun {
  killed: string;
  newLeader: string;
  /** From SIGKILL to the next acknowledged write. */
  ms: number;
}

export interface FailoverResult {
  runs: FailoverRun[];
  medianMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settledLeader(control: FailoverControl, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await control.state();
    const allUp = s.nodes.every((n) => n.state === 'running');
    const caughtUp = s.nodes.every((n) => n.appliedIndex === s.nodes[0]!.appliedIndex);
    if (s.leader && allUp && caughtUp && s.nodes.every((n) => n.leader === s.leader)) return s.leader;
    await sleep(100);
  }
  throw new Error(`The cluster did not settle with one leader and every node caught up within ${timeoutMs / 1000} s.`);
}

export async function runFailoverBench(connection: ClusterConnection, control: FailoverControl, runs: number, onRun?: (run: FailoverRun, i: number) => void): Promise<FailoverResult> {
  const results: FailoverRun[] = [];
  for (let i = 0; i < runs; i++) {
    const leader = await settledLeader(control, 30_000);
    const kv = new KvClient(connection);
    await kv.put('failover/probe', `before-${i}`);
    const killedAt = performance.now();
    await control.nodeAction(leader, 'kill');
    let answer;
    for (;;) {
      try {
        answer = await kv.put('failover/probe', `after-${i}`);
        break;
      } catch {
        if (performance.now() - killedAt > 30_000) throw new Error('No write succeeded within 30 s of killing the leader.');
      }
    }
    const run = { killed: leader, newLeader: answer.node, ms: round(performance.now() - killedAt) };
    results.push(run);
    onRun?.(run, i);
    await control.nodeAction(leader, 'start');
  }
  await settledLeader(control, 30_000);
  return { runs: results, medianMs: round(median(results.map((r) => r.ms))) };
}
